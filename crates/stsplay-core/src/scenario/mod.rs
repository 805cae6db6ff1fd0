//! A scenario: one self-contained text file that is the whole source of truth
//! for a run — header lines, then commands, with manifests inline as shell
//! heredocs, exactly as people write them in docs and CI:
//!
//! ```text
//! # stsplay: 1
//! # seed: 1
//! # feature-gates: MaxUnavailableStatefulSet=true
//! # Anything else after `#` is a comment.
//! kubectl apply -f - <<'EOF'
//! apiVersion: v1
//! kind: Service
//! ...
//! EOF
//! step 3
//! run until settled
//! kubectl get pods
//! ```
//!
//! The grammar, line by line (a line is trimmed, except inside a heredoc):
//! - blank, or a comment (`#` first);
//! - a header comment: `# stsplay: VERSION` (the format version, 1; optional),
//!   `# seed: N`, `# feature-gates: Name=true,...` — each at most once,
//!   anywhere (rendered first);
//! - `expect ...`: reserved for assertion lines (a later format version);
//! - anything else is one command of the command language ([`crate::kubectl`]).
//!   A line ending in an odd number of backslashes continues on the next line
//!   (the backslash and the newline are removed, as in `sh`). A heredoc
//!   operator `<<WORD`, `<<'WORD'`, `<<"WORD"` or `<<-WORD` (leading tabs
//!   stripped) makes the lines up to the one reading `WORD` the command's
//!   standard input (`kubectl apply -f -`).
//!
//! [`Scenario::parse`] is the one parser of this format (the CLI, the tests,
//! the fuzz targets and the web app use it); [`Scenario::render`] writes the
//! canonical text, and `parse(render(s)) == s`. Unknown commands are not a
//! parse error: like a shell, the command reports its own error when it runs.

use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use crate::kubectl::{self, CommandResult, FileSource};
use crate::sim::{Profile, Simulation};

/// The format version this code reads and writes (`# stsplay: 1`).
pub const FORMAT_VERSION: u32 = 1;
/// The largest scenario text accepted (a 1 MiB manifest many times over).
pub const MAX_SCENARIO_BYTES: usize = 16 * 1024 * 1024;
/// The most items (commands, comments, blank lines) one scenario may hold.
pub const MAX_ITEMS: usize = 200_000;
/// The feature gates a scenario may set, with their v1.33 defaults
/// (`pkg/features/kube_features.go`).
pub const KNOWN_GATES: &[(&str, bool)] = &[("MaxUnavailableStatefulSet", false)];

const HEADER_VERSION: &str = "# stsplay:";
const HEADER_SEED: &str = "# seed:";
const HEADER_GATES: &str = "# feature-gates:";

/// A problem in the scenario text, with its 1-based line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Every problem found, in line order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<ScenarioError>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// One command with its standard input, if any: the unit the [`crate::timeline`]
/// records. Built only by parsing (or [`Input::apply_stdin`]), so it always
/// renders to text that parses back to itself.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Input {
    line: Rc<str>,
    stdin: Option<Rc<str>>,
}

impl Input {
    /// One command line (no heredoc, no continuation, not blank or a comment).
    pub fn command(line: &str) -> Result<Input, String> {
        let text = line.trim();
        if text.is_empty() || text.starts_with('#') {
            return Err("a command is needed".to_string());
        }
        if text.contains('\n') {
            return Err("a command is one line".to_string());
        }
        if continues(text) {
            return Err("the line continues (it ends with a backslash)".to_string());
        }
        if text == "expect" || text.starts_with("expect ") {
            return Err(EXPECT_RESERVED.to_string());
        }
        match find_heredoc(text)? {
            Some(_) => {
                Err("a here-document needs its lines: write the command with its body in a scenario".to_string())
            }
            None => Ok(Input { line: Rc::from(text), stdin: None }),
        }
    }

    /// `kubectl apply -f -` with `text` as its standard input: the editor's Apply.
    pub fn apply_stdin(text: &str) -> Input {
        Input { line: Rc::from("kubectl apply -f -"), stdin: Some(Rc::from(normalize_body(text))) }
    }

    /// `step` (one press of the Step button), or `step N`.
    pub fn step(n: u64) -> Input {
        let line = if n == 1 { "step".to_string() } else { format!("step {n}") };
        Input { line: Rc::from(line), stdin: None }
    }

    /// The command line, without the heredoc operator.
    pub fn line(&self) -> &str {
        &self.line
    }

    /// The heredoc body (every line ends with `\n`).
    pub fn stdin(&self) -> Option<&str> {
        self.stdin.as_deref()
    }

    /// The command as a transcript shows it: the line, and `<<'EOF'` when it
    /// has standard input.
    pub fn display_line(&self) -> String {
        match &self.stdin {
            None => self.line.to_string(),
            Some(body) => format!("{} <<'{}'", self.line, delimiter_for(body)),
        }
    }

    /// Runs the command.
    pub fn run(&self, sim: &mut Simulation, files: &dyn FileSource) -> CommandResult {
        let mut result = kubectl::run_line_with_stdin(sim, &self.line, self.stdin.as_deref(), files);
        if self.stdin.is_some() {
            result.command = self.display_line();
        }
        result
    }

    fn render(&self, out: &mut String) {
        out.push_str(&self.display_line());
        out.push('\n');
        if let Some(body) = &self.stdin {
            out.push_str(body);
            out.push_str(&delimiter_for(body));
            out.push('\n');
        }
    }
}

/// One line (or heredoc command) of a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Blank,
    /// A comment line, as written (starting with `#`).
    Comment(String),
    Input(Input),
}

/// A parsed scenario: its headers and its items in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    pub seed: u64,
    /// Feature gates set by the header, by name (only [`KNOWN_GATES`]).
    pub gates: BTreeMap<String, bool>,
    pub items: Vec<Item>,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario { seed: crate::DEFAULT_SEED, gates: BTreeMap::new(), items: Vec::new() }
    }
}

const EXPECT_RESERVED: &str =
    "`expect` lines are reserved for assertions, which a later version of the scenario format adds";

impl Scenario {
    /// Parses a scenario. Every problem is reported with its line; nothing
    /// is run.
    pub fn parse(text: &str) -> Result<Scenario, Diagnostics> {
        let mut errors = Vec::new();
        let mut scenario = Scenario::default();
        if text.len() > MAX_SCENARIO_BYTES {
            return Err(Diagnostics(vec![ScenarioError {
                line: 1,
                message: format!("the scenario is {} bytes; the limit is {MAX_SCENARIO_BYTES}", text.len()),
            }]));
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let lines: Vec<&str> = text.lines().collect();
        let mut seen_headers: BTreeMap<&str, usize> = BTreeMap::new();
        let mut i = 0;
        while i < lines.len() {
            let number = i + 1;
            let raw = lines.get(i).copied().unwrap_or_default();
            i += 1;
            if scenario.items.len() >= MAX_ITEMS {
                errors.push(ScenarioError {
                    line: number,
                    message: format!("a scenario holds at most {MAX_ITEMS} lines and commands"),
                });
                break;
            }
            let trimmed = raw.trim();
            if trimmed.is_empty() {
                scenario.items.push(Item::Blank);
                continue;
            }
            if trimmed.starts_with('#') {
                let mut header = |name: &'static str, errors: &mut Vec<ScenarioError>| {
                    if let Some(first) = seen_headers.insert(name, number) {
                        errors.push(ScenarioError {
                            line: number,
                            message: format!("a second `{name}` header (the first is on line {first})"),
                        });
                    }
                };
                if let Some(v) = trimmed.strip_prefix(HEADER_VERSION) {
                    header(HEADER_VERSION, &mut errors);
                    match v.trim().parse::<u32>() {
                        Ok(FORMAT_VERSION) => {}
                        _ => errors.push(ScenarioError {
                            line: number,
                            message: format!(
                                "this is scenario format \"{}\"; this stsplay reads format {FORMAT_VERSION}",
                                v.trim()
                            ),
                        }),
                    }
                } else if let Some(v) = trimmed.strip_prefix(HEADER_SEED) {
                    header(HEADER_SEED, &mut errors);
                    match v.trim().parse::<u64>() {
                        Ok(seed) => scenario.seed = seed,
                        Err(_) => errors.push(ScenarioError {
                            line: number,
                            message: format!(
                                "the seed must be a whole number from 0 to {}, not \"{}\"",
                                u64::MAX,
                                v.trim()
                            ),
                        }),
                    }
                } else if let Some(v) = trimmed.strip_prefix(HEADER_GATES) {
                    header(HEADER_GATES, &mut errors);
                    match parse_gates(v) {
                        Ok(g) => scenario.gates = g,
                        Err(message) => errors.push(ScenarioError { line: number, message }),
                    }
                } else {
                    scenario.items.push(Item::Comment(trimmed.to_string()));
                }
                continue;
            }
            // A command, possibly continued over several lines.
            let mut line = trimmed.to_string();
            while continues(&line) {
                line.pop();
                match lines.get(i) {
                    Some(next) => {
                        // sh removes the backslash and the newline, nothing else.
                        line.push_str(next);
                        line = line.trim_end().to_string();
                        i += 1;
                    }
                    None => {
                        errors.push(ScenarioError {
                            line: number,
                            message: "the last line ends with a backslash: the command continues past the end"
                                .to_string(),
                        });
                        break;
                    }
                }
            }
            if line == "expect" || line.starts_with("expect ") {
                errors.push(ScenarioError { line: number, message: EXPECT_RESERVED.to_string() });
                continue;
            }
            let heredoc = match find_heredoc(&line) {
                Ok(h) => h,
                Err(message) => {
                    errors.push(ScenarioError { line: number, message });
                    continue;
                }
            };
            let Some(h) = heredoc else {
                scenario.items.push(Item::Input(Input { line: Rc::from(line.as_str()), stdin: None }));
                continue;
            };
            let command = format!(
                "{}{}",
                line.get(..h.start).unwrap_or_default().trim_end(),
                line.get(h.end..)
                    .map(|rest| if rest.trim().is_empty() { String::new() } else { format!(" {}", rest.trim()) })
                    .unwrap_or_default()
            );
            let mut body = String::new();
            let mut closed = false;
            while let Some(raw_body) = lines.get(i) {
                i += 1;
                let body_line = if h.strip_tabs { raw_body.trim_start_matches('\t') } else { raw_body };
                if body_line == h.delimiter {
                    closed = true;
                    break;
                }
                body.push_str(body_line);
                body.push('\n');
            }
            if !closed {
                errors.push(ScenarioError {
                    line: number,
                    message: format!(
                        "here-document at line {number} delimited by end-of-file (wanted `{}')",
                        h.delimiter
                    ),
                });
                continue;
            }
            if !h.quoted {
                match expand_unquoted_body(&body) {
                    Ok(b) => body = b,
                    Err((offset, message)) => {
                        errors.push(ScenarioError { line: number + 1 + offset, message });
                        continue;
                    }
                }
            }
            if command.trim().is_empty() {
                errors.push(ScenarioError {
                    line: number,
                    message: "a here-document needs a command to read it (e.g. kubectl apply -f - <<'EOF')".to_string(),
                });
                continue;
            }
            scenario.items.push(Item::Input(Input { line: Rc::from(command.as_str()), stdin: Some(Rc::from(body)) }));
        }
        if errors.is_empty() {
            Ok(scenario)
        } else {
            Err(Diagnostics(errors))
        }
    }

    /// The canonical text: the headers, then every item in order.
    pub fn render(&self) -> String {
        let mut out = format!("{HEADER_VERSION} {FORMAT_VERSION}\n{HEADER_SEED} {}\n", self.seed);
        if !self.gates.is_empty() {
            let gates: Vec<String> = self.gates.iter().map(|(k, v)| format!("{k}={v}")).collect();
            out.push_str(&format!("{HEADER_GATES} {}\n", gates.join(",")));
        }
        for item in &self.items {
            match item {
                Item::Blank => out.push('\n'),
                Item::Comment(c) => {
                    out.push_str(c);
                    out.push('\n');
                }
                Item::Input(input) => input.render(&mut out),
            }
        }
        out
    }

    /// The commands, in order.
    pub fn inputs(&self) -> impl Iterator<Item = &Input> {
        self.items.iter().filter_map(|i| match i {
            Item::Input(input) => Some(input),
            _ => None,
        })
    }

    /// The cluster profile the headers ask for (the gates on the kind profile).
    pub fn profile(&self) -> Profile {
        let mut profile = Profile::kind();
        if let Some(v) = self.gates.get("MaxUnavailableStatefulSet") {
            profile.max_unavailable_statefulset = *v;
        }
        profile
    }

    /// A new simulation for this scenario: its seed and its feature gates.
    /// The one place a scenario's headers become a simulation.
    pub fn simulation(&self) -> Simulation {
        Simulation::with_profile(self.seed, self.profile())
    }

    /// Runs every command on `sim`, in order.
    pub fn run(&self, sim: &mut Simulation, files: &dyn FileSource) -> Vec<CommandResult> {
        self.inputs().map(|input| input.run(sim, files)).collect()
    }
}

/// `Name=true,Other=false` (kube's `--feature-gates` syntax).
fn parse_gates(text: &str) -> Result<BTreeMap<String, bool>, String> {
    let mut gates = BTreeMap::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((name, value)) = part.split_once('=') else {
            return Err(format!("missing bool value for {part}"));
        };
        let (name, value) = (name.trim(), value.trim());
        if !KNOWN_GATES.iter().any(|(g, _)| *g == name) {
            return Err(format!("unrecognized feature gate: {name}"));
        }
        // component-base featuregate.Set: strconv.ParseBool.
        let v = match value {
            "1" | "t" | "T" | "true" | "TRUE" | "True" => true,
            "0" | "f" | "F" | "false" | "FALSE" | "False" => false,
            _ => {
                return Err(format!(
                    "invalid value of {name}={value}, err: strconv.ParseBool: parsing \"{value}\": invalid syntax"
                ))
            }
        };
        gates.insert(name.to_string(), v);
    }
    Ok(gates)
}

/// Whether a command line continues on the next (ends in an odd run of backslashes).
fn continues(line: &str) -> bool {
    line.chars().rev().take_while(|c| *c == '\\').count() % 2 == 1
}

/// Where a heredoc operator stands in a command line.
#[derive(Debug, PartialEq, Eq)]
struct Heredoc {
    /// Byte range of `<<WORD` in the line.
    start: usize,
    end: usize,
    delimiter: String,
    quoted: bool,
    strip_tabs: bool,
}

/// Finds the heredoc operator outside quotes and comments; refuses what stsplay
/// does not read (here-strings, two heredocs on one command).
fn find_heredoc(line: &str) -> Result<Option<Heredoc>, String> {
    let bytes = line.as_bytes();
    let mut found: Option<Heredoc> = None;
    let mut i = 0;
    let mut word_start = true;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\'' => {
                i += 1;
                while bytes.get(i).is_some_and(|c| *c != b'\'') {
                    i += 1;
                }
                i += 1;
                word_start = false;
            }
            b'"' => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    if c == b'\\' {
                        i += 2;
                        continue;
                    }
                    if c == b'"' {
                        break;
                    }
                    i += 1;
                }
                i += 1;
                word_start = false;
            }
            b'\\' => {
                i += 2;
                word_start = false;
            }
            b'#' if word_start => break,
            b' ' | b'\t' => {
                i += 1;
                word_start = true;
            }
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                let start = i;
                i += 2;
                if bytes.get(i) == Some(&b'<') {
                    return Err(format!("here-strings (<<<, column {}) are not supported", start + 1));
                }
                let strip_tabs = bytes.get(i) == Some(&b'-');
                if strip_tabs {
                    i += 1;
                }
                while matches!(bytes.get(i), Some(b' ' | b'\t')) {
                    i += 1;
                }
                let word_begin = i;
                let mut delimiter = String::new();
                let mut quoted = false;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b' ' | b'\t' | b';' | b'|' | b'&' | b'<' | b'>' | b'(' | b')' => break,
                        b'\'' | b'"' => {
                            quoted = true;
                            let close = line.get(i + 1..).and_then(|rest| rest.find(c as char)).map(|p| i + 1 + p);
                            let Some(close) = close else {
                                return Err(format!("unexpected EOF while looking for matching `{}'", c as char));
                            };
                            delimiter.push_str(line.get(i + 1..close).unwrap_or_default());
                            i = close + 1;
                        }
                        b'\\' => {
                            quoted = true;
                            if let Some(ch) = line.get(i + 1..).and_then(|r| r.chars().next()) {
                                delimiter.push(ch);
                                i += 1 + ch.len_utf8();
                            } else {
                                i += 1;
                            }
                        }
                        _ => {
                            let ch = line.get(i..).and_then(|r| r.chars().next()).unwrap_or(' ');
                            delimiter.push(ch);
                            i += ch.len_utf8();
                        }
                    }
                }
                if i == word_begin {
                    return Err(format!(
                        "syntax error near unexpected token `newline' (the `<<' at column {} needs a delimiter word)",
                        start + 1
                    ));
                }
                if found.is_some() {
                    return Err(format!(
                        "a second here-document at column {}: stsplay reads one per command",
                        start + 1
                    ));
                }
                found = Some(Heredoc { start, end: i, delimiter, quoted, strip_tabs });
                word_start = false;
            }
            _ => {
                i += 1;
                word_start = false;
            }
        }
    }
    Ok(found)
}

/// The body of an unquoted heredoc, as `sh` passes it: `\\`, `\$`, `` \` ``
/// unescaped and `\`-newline joined. Expansions (`$VAR`, `$(...)`, backquotes)
/// are refused with the line offset: stsplay has no variables yet.
fn expand_unquoted_body(body: &str) -> Result<String, (usize, String)> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    let mut line = 0;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek().copied() {
                Some(n @ ('\\' | '$' | '`')) => {
                    out.push(n);
                    chars.next();
                }
                Some('\n') => {
                    chars.next();
                    line += 1;
                }
                _ => out.push('\\'),
            },
            '$' if chars.peek().is_some_and(|n| n.is_ascii_alphanumeric() || "_{(@*#?!$-".contains(*n)) => {
                return Err((
                    line,
                    "`$` in an unquoted here-document would be expanded by the shell, and stsplay does not expand \
                     variables: quote the delimiter (<<'EOF') to pass the text as written"
                        .to_string(),
                ));
            }
            '`' => {
                return Err((
                    line,
                    "a backquote in an unquoted here-document would run a command, which stsplay does not do: \
                     quote the delimiter (<<'EOF') to pass the text as written"
                        .to_string(),
                ))
            }
            '\n' => {
                line += 1;
                out.push(c);
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

/// Every line of a heredoc body ends with a newline.
fn normalize_body(text: &str) -> String {
    let mut body = text.to_string();
    if !body.is_empty() && !body.ends_with('\n') {
        body.push('\n');
    }
    body
}

/// `EOF`, or `EOF2`, `EOF3`... when a line of the body reads `EOF`.
fn delimiter_for(body: &str) -> String {
    let mut n = 1;
    loop {
        let candidate = if n == 1 { "EOF".to_string() } else { format!("EOF{n}") };
        if !body.split('\n').any(|l| l == candidate) {
            return candidate;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests;
