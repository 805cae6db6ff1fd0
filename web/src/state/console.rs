//! The console's slice of the state: the input line, the scrollback, the
//! command history and the completion hint. Pure data and pure functions;
//! running a command is the main reducer's job (it goes through the
//! timeline like every other input).

use std::rc::Rc;

use stsplay_core::kubectl::{complete, Candidate};
use stsplay_core::Simulation;

/// Most scrollback entries kept (older ones scroll away).
pub const SCROLLBACK_LIMIT: usize = 500;
/// Most history lines kept.
pub const HISTORY_LIMIT: usize = 200;
/// Most completion candidates shown in the hint.
pub const HINT_LIMIT: usize = 30;

/// One command and what it printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleEntry {
    pub command: String,
    pub output: String,
    pub exit_code: i32,
    /// Whether it became an input of the timeline (a refused command that
    /// changed nothing did not).
    pub recorded: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Console {
    /// The input line as typed.
    pub input: Rc<str>,
    pub scrollback: Rc<Vec<ConsoleEntry>>,
    /// Submitted lines, oldest first.
    pub history: Rc<Vec<String>>,
    /// While browsing the history with ↑/↓: the index shown, and the line
    /// that was being typed (restored by ↓ past the newest).
    pub browsing: Option<(usize, Rc<str>)>,
    /// The completions offered for the last Tab (shown under the input).
    pub hint: Rc<Vec<Candidate>>,
    /// Where the caret goes after a completion or a history move (the
    /// input element follows it); `None` while typing.
    pub caret: Option<usize>,
}

impl Console {
    pub fn set_input(&mut self, text: String) {
        self.input = Rc::from(text);
        self.browsing = None;
        self.caret = None;
        if !self.hint.is_empty() {
            self.hint = Rc::default();
        }
    }

    /// Takes the input line for running; remembers it in the history.
    pub fn take_input(&mut self) -> String {
        let line = self.input.to_string();
        self.input = Rc::from("");
        self.browsing = None;
        self.caret = None;
        self.hint = Rc::default();
        let trimmed = line.trim();
        if !trimmed.is_empty() && self.history.last().map(String::as_str) != Some(trimmed) {
            let history = Rc::make_mut(&mut self.history);
            if history.len() >= HISTORY_LIMIT {
                history.remove(0);
            }
            history.push(trimmed.to_string());
        }
        line
    }

    pub fn print(&mut self, entry: ConsoleEntry) {
        let lines = Rc::make_mut(&mut self.scrollback);
        if lines.len() >= SCROLLBACK_LIMIT {
            lines.remove(0);
        }
        lines.push(entry);
    }

    /// Ctrl+L.
    pub fn clear(&mut self) {
        self.scrollback = Rc::default();
        self.hint = Rc::default();
    }

    /// ↑ (`older`) or ↓ through the history.
    pub fn browse(&mut self, older: bool) {
        let n = self.history.len();
        if n == 0 {
            return;
        }
        let next = match (&self.browsing, older) {
            (None, true) => Some(n - 1),
            (None, false) => return,
            (Some((i, _)), true) => Some(i.saturating_sub(1)),
            (Some((i, _)), false) if *i + 1 < n => Some(i + 1),
            (Some(_), false) => None,
        };
        match next {
            Some(i) => {
                let draft = match self.browsing.take() {
                    Some((_, draft)) => draft,
                    None => Rc::clone(&self.input),
                };
                self.input = Rc::from(self.history.get(i).map(String::as_str).unwrap_or_default());
                self.browsing = Some((i, draft));
                self.caret = Some(self.input.len());
            }
            None => {
                if let Some((_, draft)) = self.browsing.take() {
                    self.input = draft;
                    self.caret = Some(self.input.len());
                }
            }
        }
    }

    /// Tab at byte `cursor`: one candidate is inserted; several insert their
    /// common prefix and are listed in the hint. Returns the new cursor.
    pub fn complete(&mut self, cursor: usize, sim: &Simulation) -> usize {
        let line = self.input.to_string();
        let cursor = cursor.min(line.len());
        if !line.is_char_boundary(cursor) {
            return cursor;
        }
        let candidates = complete(&line, cursor, sim);
        let Some(first) = candidates.first() else {
            self.hint = Rc::default();
            return cursor;
        };
        let range = first.range.clone();
        let same_range = candidates.iter().all(|c| c.range == range);
        let insert = if candidates.len() == 1 {
            let mut t = first.text.clone();
            if !t.ends_with('=') && !t.ends_with('/') {
                t.push(' ');
            }
            t
        } else if same_range {
            common_prefix(candidates.iter().map(|c| c.text.as_str()))
        } else {
            String::new()
        };
        self.hint =
            Rc::new(if candidates.len() > 1 { candidates.into_iter().take(HINT_LIMIT).collect() } else { Vec::new() });
        let (Some(before), Some(after)) = (line.get(..range.start), line.get(range.end..)) else {
            return cursor;
        };
        let typed = line.get(range.clone()).unwrap_or_default();
        if insert.len() < typed.len() || !insert.starts_with(typed) {
            return cursor;
        }
        self.input = Rc::from(format!("{before}{insert}{after}"));
        self.browsing = None;
        self.caret = Some(before.len() + insert.len());
        before.len() + insert.len()
    }
}

fn common_prefix<'a>(mut words: impl Iterator<Item = &'a str>) -> String {
    let Some(first) = words.next() else { return String::new() };
    let mut prefix = first.to_string();
    for w in words {
        let common = prefix.char_indices().zip(w.chars()).take_while(|((_, a), b)| a == b).count();
        let end = prefix.char_indices().nth(common).map_or(prefix.len(), |(i, _)| i);
        prefix.truncate(end);
    }
    prefix
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn history_browses_and_restores_the_draft() {
        let mut c = Console::default();
        for line in ["kubectl get pods", "kubectl get pvc", "kubectl get pvc", "  "] {
            c.set_input(line.to_string());
            c.take_input();
        }
        assert_eq!(*c.history, ["kubectl get pods", "kubectl get pvc"], "repeats and blank lines are not kept");
        c.set_input("kubectl sc".to_string());
        c.browse(true);
        assert_eq!(&*c.input, "kubectl get pvc");
        c.browse(true);
        assert_eq!(&*c.input, "kubectl get pods");
        c.browse(true);
        assert_eq!(&*c.input, "kubectl get pods", "stays at the oldest");
        c.browse(false);
        assert_eq!(&*c.input, "kubectl get pvc");
        c.browse(false);
        assert_eq!(&*c.input, "kubectl sc", "past the newest: the draft is back");
        c.browse(false);
        assert_eq!(&*c.input, "kubectl sc");
    }

    #[test]
    fn history_and_scrollback_are_bounded() {
        let mut c = Console::default();
        for i in 0..(HISTORY_LIMIT + 10) {
            c.set_input(format!("step {i}"));
            c.take_input();
            c.print(ConsoleEntry { command: format!("step {i}"), output: String::new(), exit_code: 0, recorded: true });
        }
        assert_eq!(c.history.len(), HISTORY_LIMIT);
        assert_eq!(c.history.first().map(String::as_str), Some("step 10"));
        for _ in 0..SCROLLBACK_LIMIT {
            c.print(ConsoleEntry { command: "x".into(), output: String::new(), exit_code: 0, recorded: true });
        }
        assert_eq!(c.scrollback.len(), SCROLLBACK_LIMIT);
        c.clear();
        assert!(c.scrollback.is_empty());
    }

    fn sim_with_web() -> Simulation {
        let mut sim = Simulation::new(1);
        sim.apply(stsplay_core::DEFAULT_EXAMPLE, "web.yaml").unwrap_or_else(|e| panic!("{e}"));
        while sim.step() {}
        sim
    }

    #[test]
    fn tab_completes_one_candidate_and_lists_several() {
        let sim = sim_with_web();
        let mut c = Console::default();
        c.set_input("kubectl sca".to_string());
        let cursor = c.complete(11, &sim);
        assert_eq!(&*c.input, "kubectl scale ");
        assert_eq!(cursor, c.input.len());
        assert!(c.hint.is_empty());
        // Several: the common prefix, and the hint lists them.
        c.set_input("kubectl delete pod web-".to_string());
        let cursor = c.complete(23, &sim);
        assert_eq!(&*c.input, "kubectl delete pod web-");
        assert_eq!(cursor, 23);
        let names: Vec<&str> = c.hint.iter().map(|h| h.text.as_str()).collect();
        assert_eq!(names, ["web-0", "web-1", "web-2"]);
        // Typing clears the hint.
        c.set_input("kubectl delete pod web-1".to_string());
        assert!(c.hint.is_empty());
    }

    #[test]
    fn common_prefix_of_words() {
        assert_eq!(common_prefix(["statefulset", "statefulsets", "sts"].into_iter()), "st");
        assert_eq!(common_prefix(["web-0", "web-1"].into_iter()), "web-");
        assert_eq!(common_prefix(std::iter::empty()), "");
    }
}
