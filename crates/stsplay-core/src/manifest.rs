//! YAML text → documents. Parsing never fails: it returns every document it
//! could read plus diagnostics (document, line, column, field path, message).
//!
//! `serde_yaml` is used only here. It gives values without positions, so each
//! document also gets a [`Locator`]: a light scan of the block-style text that
//! maps field paths such as `spec.template.spec.containers[0].image` to the
//! line and column where they were written. Diagnostics raised later (in
//! `spec`) are positioned through it.

use std::collections::BTreeMap;
use std::fmt;

pub use serde_yaml::Value;

/// One finding about the input, positioned for the editor and the CLI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// 1-based index of the YAML document (`---` separated).
    pub document: usize,
    /// 1-based line in the whole text.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Field path such as `spec.replicas`; empty for syntax errors.
    pub path: String,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)?;
        if !self.path.is_empty() {
            write!(f, " ({})", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Limits that keep a hostile paste from freezing the page.
pub const MAX_MANIFEST_BYTES: usize = 1 << 20;
pub const MAX_DOCUMENTS: usize = 500;
/// Deeper flow nesting (`[[[...`, `{{{...`) is refused before parsing:
/// serde_yaml takes quadratic time on it, and manifests never need it.
pub const MAX_FLOW_DEPTH: usize = 64;
/// Deeper nesting of any style (`- - - …`, `a:\n  b:\n    c: …`) is refused
/// from the parser's events before a value is built; a StatefulSet needs
/// about a dozen levels.
pub const MAX_BLOCK_DEPTH: usize = 64;
/// The [`Locator`]'s memory budget, in bytes of field paths per input byte.
pub const LOCATOR_BYTES_PER_INPUT_BYTE: usize = 16;

/// A parsed document: its value (if the YAML was readable) and where it is.
#[derive(Clone, Debug)]
pub struct Document {
    /// 1-based document index.
    pub index: usize,
    /// 1-based line where the document's text starts.
    pub first_line: usize,
    pub value: Option<Value>,
    pub locator: Locator,
}

impl Document {
    /// A diagnostic at the place where `path` was written (or the nearest
    /// enclosing field that was found).
    pub fn diagnostic(&self, path: &str, message: impl Into<String>) -> Diagnostic {
        let (line, column) = self.locator.find(path).unwrap_or((self.first_line, 1));
        Diagnostic { document: self.index, line, column, path: path.to_string(), message: message.into() }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Parsed {
    pub documents: Vec<Document>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Splits `text` into `---`-separated documents and parses each one.
/// Empty documents (only comments or blank lines) are skipped.
pub fn parse(text: &str) -> Parsed {
    let mut out = Parsed::default();
    if text.len() > MAX_MANIFEST_BYTES {
        out.diagnostics.push(Diagnostic {
            document: 1,
            line: 1,
            column: 1,
            path: String::new(),
            message: format!("manifest is {} bytes; the limit is {} bytes", text.len(), MAX_MANIFEST_BYTES),
        });
        return out;
    }
    // A UTF-8 byte-order mark is dropped, as kubectl's FileVisitor does
    // (cli-runtime `pkg/resource/visitor.go`: `unicode.BOMOverride(unicode.UTF8.NewDecoder())`).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (index, (first_line, chunk)) in split_documents(text).into_iter().enumerate() {
        let index = index + 1;
        if chunk.lines().all(|l| {
            let t = l.trim();
            t.is_empty() || t.starts_with('#')
        }) {
            continue;
        }
        if out.documents.len() >= MAX_DOCUMENTS {
            out.diagnostics.push(Diagnostic {
                document: index,
                line: first_line,
                column: 1,
                path: String::new(),
                message: format!("too many documents; the limit is {MAX_DOCUMENTS}"),
            });
            break;
        }
        let locator = Locator::scan(&chunk, first_line);
        let value = match parse_document(&chunk) {
            // A document that is JSON `null` (`null`, `~`, only `---`) is
            // skipped, as kubectl's StreamVisitor does
            // (cli-runtime `pkg/resource/visitor.go`: `bytes.Equal(ext.Raw, []byte("null"))`).
            Ok(Value::Null) => continue,
            Ok(v) => Some(v),
            Err((line, column, message)) => {
                out.diagnostics.push(Diagnostic {
                    document: index,
                    line: first_line + line.saturating_sub(1),
                    column,
                    path: String::new(),
                    message,
                });
                None
            }
        };
        out.documents.push(Document { index, first_line, value, locator });
    }
    out
}

/// Expands list documents into their items, as kubectl's resource builder
/// does before applying (cli-runtime `pkg/resource/visitor.go`
/// `FlattenListVisitor`): a document with an `items` key is a list
/// (apimachinery `unstructured.UnstructuredJSONScheme` `decode` detects
/// `items`), whatever its kind (`List`, what `kubectl get -o yaml` writes,
/// or `PodList`, ...). An item without `kind` and `apiVersion` in a typed list
/// (`kind: PodList`) takes `Pod` and the list's `apiVersion`
/// (`decodeToList`). Lists inside lists are expanded too; `items: null` is an
/// empty list. Items keep the document's index and are positioned under it.
/// The objects count against [`MAX_DOCUMENTS`] like documents: past it, a
/// diagnostic is added and the rest dropped.
pub fn expand_lists(parsed: &mut Parsed) {
    let documents = std::mem::take(&mut parsed.documents);
    let mut out = Vec::with_capacity(documents.len());
    for doc in documents {
        let (index, first_line) = (doc.index, doc.first_line);
        expand_into(doc, 0, &mut out);
        if out.len() > MAX_DOCUMENTS {
            out.truncate(MAX_DOCUMENTS);
            parsed.diagnostics.push(Diagnostic {
                document: index,
                line: first_line,
                column: 1,
                path: String::new(),
                message: format!("too many objects; the limit is {MAX_DOCUMENTS}"),
            });
            break;
        }
    }
    parsed.documents = out;
}

fn expand_into(doc: Document, depth: usize, out: &mut Vec<Document>) {
    let items = match &doc.value {
        Some(Value::Mapping(m)) if depth < MAX_BLOCK_DEPTH => match m.get("items") {
            Some(Value::Sequence(items)) => Some(items.clone()),
            Some(Value::Null) => Some(Vec::new()),
            _ => None,
        },
        _ => None,
    };
    let Some(items) = items else {
        out.push(doc);
        return;
    };
    let field = |k: &str| match &doc.value {
        Some(Value::Mapping(m)) => m.get(k).and_then(Value::as_str).map(str::to_string),
        _ => None,
    };
    let (list_kind, list_api) = (field("kind").unwrap_or_default(), field("apiVersion"));
    let item_kind = list_kind.strip_suffix("List").filter(|k| !k.is_empty()).map(str::to_string);
    let mut locators = doc.locator.split_items();
    for (i, mut item) in items.into_iter().enumerate() {
        if let (Value::Mapping(m), Some(kind)) = (&mut item, &item_kind) {
            if !m.contains_key("kind") && !m.contains_key("apiVersion") {
                m.insert(Value::String("kind".into()), Value::String(kind.clone()));
                if let Some(api) = &list_api {
                    m.insert(Value::String("apiVersion".into()), Value::String(api.clone()));
                }
            }
        }
        let locator = locators.remove(&i).unwrap_or_default();
        let child = Document { index: doc.index, first_line: doc.first_line, value: Some(item), locator };
        expand_into(child, depth + 1, out);
    }
}

/// A mapping key as text, the way the JSON conversion (sigs.k8s.io/yaml)
/// names a non-string key: `true`, `42`, `1.5`, `null`. Written out here
/// rather than through `serde_yaml::to_string`, which would pull the whole
/// YAML emitter into the web bundle for a key.
pub fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) if f.is_nan() => ".nan".to_string(),
            (_, _, Some(f)) if f.is_infinite() => if f > 0.0 { ".inf" } else { "-.inf" }.to_string(),
            (_, _, Some(f)) => format!("{f:?}"),
            _ => String::new(),
        },
        Value::Tagged(t) => key_text(&t.value),
        // A sequence or mapping as a key (`? [a, b]`): its flow form.
        Value::Sequence(items) => format!("[{}]", items.iter().map(key_text).collect::<Vec<_>>().join(", ")),
        Value::Mapping(m) => {
            let pairs: Vec<String> = m.iter().map(|(k, v)| format!("{}: {}", key_text(k), key_text(v))).collect();
            format!("{{{}}}", pairs.join(", "))
        }
    }
}

#[cfg(test)]
mod key_text_tests {
    use super::*;

    #[test]
    fn matches_the_emitter_for_scalars() {
        for text in ["true", "false", "42", "-7", "1.5", "18446744073709551615", "null", "a", ".inf", "-.inf", ".nan"] {
            let v: Value = serde_yaml::from_str(text).unwrap_or(Value::Null);
            let emitted = serde_yaml::to_string(&v).unwrap_or_default().trim().to_string();
            assert_eq!(key_text(&v), emitted, "{text}");
        }
    }
}

fn parse_document(chunk: &str) -> Result<Value, (usize, usize, String)> {
    if let Some((line, column)) = find_deep_flow(chunk) {
        return Err((
            line,
            column,
            format!("flow collections nested deeper than {MAX_FLOW_DEPTH} levels are not supported"),
        ));
    }
    check_events(chunk)?;
    match serde_yaml::from_str::<Value>(chunk) {
        Ok(v) => Ok(v),
        Err(e) => {
            let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
            // serde_yaml appends " at line L column C"; we report the position separately.
            let mut msg = e.to_string();
            if let Some(i) = msg.find(" at line ") {
                msg.truncate(i);
            }
            Err((line, column, format!("error converting YAML to JSON: yaml: {msg}")))
        }
    }
}

/// What the YAML parser itself reports, read before `serde_yaml` builds a
/// value: an alias (`*name`) or an anchor (`&name`) is refused where the parser
/// sees one, so plain text that merely contains `*` or `&` (an annotation
/// `*nix`, `a & b`) is accepted, and a quoted scalar cannot hide an alias. A
/// collection nested deeper than [`MAX_BLOCK_DEPTH`] (block or flow style,
/// `- - - …` on one line) is refused at the event that opens it.
///
/// The events come from `saphyr-parser`, a pure-Rust YAML parser that never
/// expands aliases (its events name them) and whose stack grows one state
/// per open collection, so the scan stops within [`MAX_BLOCK_DEPTH`] states.
/// Where it fails to read the text and `serde_yaml` might still succeed, the
/// text is refused when it has a `*` at all (no alias can be written
/// without one), so an alias never reaches `serde_yaml`'s expansion.
const ALIASES: &str = "YAML anchors and aliases (&name, *name) are not supported";

fn check_events(chunk: &str) -> Result<(), (usize, usize, String)> {
    use saphyr_parser::{Event, Parser};
    let mut depth = 0usize;
    for item in Parser::new_from_str(chunk) {
        let (event, span) = match item {
            Ok(ev) => ev,
            Err(e) => {
                if !chunk.contains('*') {
                    // No alias is possible: serde_yaml gives the syntax error.
                    return Ok(());
                }
                let m = e.marker();
                return Err((m.line(), m.col() + 1, format!("error converting YAML to JSON: yaml: {}", e.info())));
            }
        };
        let at = (span.start.line(), span.start.col() + 1);
        match event {
            Event::Alias(_) => return Err((at.0, at.1, ALIASES.to_string())),
            Event::Scalar(_, _, anchor, _) | Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _)
                if anchor != 0 =>
            {
                return Err((at.0, at.1, ALIASES.to_string()));
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                depth += 1;
                if depth > MAX_BLOCK_DEPTH {
                    return Err((
                        at.0,
                        at.1,
                        format!("collections nested deeper than {MAX_BLOCK_DEPTH} levels are not supported"),
                    ));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// The position where `[`/`{` nesting (outside quotes and comments) first
/// exceeds [`MAX_FLOW_DEPTH`].
fn find_deep_flow(chunk: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    find_in_syntax(chunk, |c, _, _| match c {
        '[' | '{' => {
            depth += 1;
            depth > MAX_FLOW_DEPTH
        }
        ']' | '}' => {
            depth = depth.saturating_sub(1);
            false
        }
        _ => false,
    })
}

/// The one scanner behind the pre-parse checks: calls `visit(c, prev, rest)`
/// for each character outside quoted scalars and comments (`prev` is the
/// character before it, `rest` the rest of its line) and returns the 1-based
/// (line, column) of the first for which it answers true.
///
/// A quote opens a quoted scalar only where YAML lets a scalar start: first on
/// its line, after a flow indicator (`[`, `{`, `,`), or after a space
/// following `:`, `-` or `?`. So the apostrophe of a plain scalar such as
/// `don't` is text, and cannot hide the rest of the document from the checks.
/// Quote state ends with the line: a quoted scalar continued on the next line
/// is scanned as syntax there, which can only make a check stricter.
fn find_in_syntax(chunk: &str, mut visit: impl FnMut(char, char, &str) -> bool) -> Option<(usize, usize)> {
    for (i, line) in chunk.lines().enumerate() {
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        // The last character outside quotes that is not white space; ' ' at
        // the start of the line.
        let mut last_token = ' ';
        let mut chars = line.char_indices().peekable();
        while let Some((col, c)) = chars.next() {
            match quote {
                Some('\'') if c == '\'' => {
                    // '' is an escaped quote inside a single-quoted scalar.
                    if chars.peek().is_some_and(|&(_, n)| n == '\'') {
                        chars.next();
                    } else {
                        quote = None;
                    }
                }
                Some('"') if c == '\\' => {
                    chars.next();
                }
                Some('"') if c == '"' => quote = None,
                Some(_) => {}
                None => {
                    let after_space = prev == ' ' || prev == '\t';
                    if c == '#' && (after_space || col == 0) {
                        break;
                    }
                    let scalar_may_start = match last_token {
                        '[' | '{' | ',' => true,
                        ' ' | ':' | '-' | '?' => after_space || col == 0,
                        _ => false,
                    };
                    if (c == '\'' || c == '"') && scalar_may_start {
                        quote = Some(c);
                    } else if visit(c, prev, &line[col + c.len_utf8()..]) {
                        return Some((i + 1, col + 1));
                    }
                    if !c.is_whitespace() {
                        last_token = c;
                    }
                }
            }
            prev = c;
        }
    }
    None
}

/// Returns (first line, text) for each document. A line that starts with
/// `---` separates documents; a `...` line ends one.
fn split_documents(text: &str) -> Vec<(usize, String)> {
    let mut docs = Vec::new();
    let mut current = String::new();
    let mut start = 1;
    for (i, line) in text.lines().enumerate() {
        let lineno = i + 1;
        let is_sep = line == "---" || line.starts_with("--- ") || line.starts_with("---\t");
        if is_sep || line == "..." {
            docs.push((start, std::mem::take(&mut current)));
            start = lineno + 1;
            if is_sep {
                // Content after `--- ` on the same line belongs to the next document.
                let rest = line[3..].trim_start();
                if !rest.is_empty() && !rest.starts_with('#') {
                    start = lineno;
                    current.push_str(rest);
                    current.push('\n');
                }
            }
            continue;
        }
        current.push_str(line);
        current.push('\n');
    }
    docs.push((start, current));
    docs
}

/// Maps field paths to the (line, column) where they were written.
#[derive(Clone, Debug, Default)]
pub struct Locator {
    positions: BTreeMap<String, (usize, usize)>,
}

impl Locator {
    /// Scans block-style YAML. Flow collections (`[a, b]`, `{k: v}`) are
    /// located at their key; anything the scan does not understand is skipped
    /// (positions are a help, never a source of errors).
    ///
    /// Linear by construction: every path the scan builds is charged to a
    /// budget of [`LOCATOR_BYTES_PER_INPUT_BYTE`] bytes per input byte, and
    /// the scan stops (keeping what it found) when a path would exceed it or
    /// nesting exceeds [`MAX_BLOCK_DEPTH`]. Without it, `- - - …` on one line
    /// built a path per level, each one longer (GBs for a 120 KB line).
    pub fn scan(chunk: &str, first_line: usize) -> Locator {
        #[derive(Clone)]
        struct Frame {
            indent: usize,
            path: String,
            is_item: bool,
        }
        let mut budget = chunk.len().saturating_mul(LOCATOR_BYTES_PER_INPUT_BYTE).saturating_add(4096);
        // Charges `n` bytes; false once the budget is spent.
        let mut charge = |n: usize| match budget.checked_sub(n) {
            Some(left) => {
                budget = left;
                true
            }
            None => false,
        };
        let mut positions = BTreeMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut seq_counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut block_scalar_indent: Option<usize> = None;
        for (i, raw) in chunk.lines().enumerate() {
            let lineno = first_line + i;
            let indent = raw.len() - raw.trim_start_matches(' ').len();
            let content = raw[indent..].trim_end();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            if let Some(bi) = block_scalar_indent {
                if indent > bi {
                    continue;
                }
                block_scalar_indent = None;
            }
            let mut col = indent;
            let mut rest = content;
            // Sequence items: `- ` (possibly several on one line: `- - a`).
            while rest == "-" || rest.starts_with("- ") {
                while stack.last().is_some_and(|f| f.indent > col || (f.indent == col && f.is_item)) {
                    stack.pop();
                }
                let parent = stack.last().map(|f| f.path.as_str()).unwrap_or_default();
                // The path, its copy in `positions` and the counter's key.
                if stack.len() >= MAX_BLOCK_DEPTH || !charge(3 * (parent.len() + 24)) {
                    return Locator { positions };
                }
                let n = match seq_counts.get_mut(parent) {
                    Some(n) => n,
                    None => seq_counts.entry(parent.to_string()).or_insert(0),
                };
                let path = format!("{parent}[{n}]");
                *n += 1;
                positions.entry(path.clone()).or_insert((lineno, col + 1));
                stack.push(Frame { indent: col, path, is_item: true });
                let after = &rest[1..];
                let skipped = after.len() - after.trim_start().len();
                col += 1 + skipped;
                rest = after.trim_start();
            }
            if rest.is_empty() {
                continue;
            }
            let Some((key, value)) = split_key(rest) else {
                continue;
            };
            while stack.last().is_some_and(|f| f.indent >= col) {
                stack.pop();
            }
            let parent = stack.last().map(|f| f.path.as_str()).unwrap_or_default();
            if stack.len() >= MAX_BLOCK_DEPTH || !charge(2 * (parent.len() + key.len() + 1)) {
                return Locator { positions };
            }
            let path = if parent.is_empty() { key } else { format!("{parent}.{key}") };
            positions.entry(path.clone()).or_insert((lineno, col + 1));
            // A fresh mapping under this key restarts its sequence counter.
            seq_counts.remove(&path);
            let v = value.trim_start();
            if v.starts_with('|') || v.starts_with('>') {
                block_scalar_indent = Some(col);
            }
            stack.push(Frame { indent: col, path, is_item: false });
        }
        Locator { positions }
    }

    /// The positions under `items[N]`, re-rooted, for each N (one pass).
    fn split_items(&self) -> BTreeMap<usize, Locator> {
        let mut out: BTreeMap<usize, Locator> = BTreeMap::new();
        for (path, pos) in &self.positions {
            let Some(rest) = path.strip_prefix("items[") else { continue };
            let Some((n, rest)) = rest.split_once(']') else { continue };
            let Ok(n) = n.parse::<usize>() else { continue };
            let rest = rest.strip_prefix('.').unwrap_or(rest);
            if rest.is_empty() {
                continue;
            }
            out.entry(n).or_default().positions.insert(rest.to_string(), *pos);
        }
        out
    }

    /// The position of `path`, or of its nearest located ancestor.
    pub fn find(&self, path: &str) -> Option<(usize, usize)> {
        let mut p = path;
        loop {
            if let Some(pos) = self.positions.get(p) {
                return Some(*pos);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }
}

/// `key: value` → (key, value). Keys may be quoted.
fn split_key(s: &str) -> Option<(String, &str)> {
    if let Some(q) = s.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let end = s[1..].find(q)? + 1;
        let after = &s[end + 1..];
        let after = after.strip_prefix(':')?;
        if !(after.is_empty() || after.starts_with(' ')) {
            return None;
        }
        return Some((s[1..end].to_string(), after));
    }
    let mut idx = 0;
    let bytes = s.as_bytes();
    while idx < bytes.len() {
        if bytes.get(idx) == Some(&b':') && matches!(bytes.get(idx + 1), None | Some(b' ')) {
            let key = &s[..idx];
            if key.is_empty() || key.contains(['{', '[', '#']) {
                return None;
            }
            return Some((key.trim_end().to_string(), &s[idx + 1..]));
        }
        idx += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEB: &str = include_str!("../examples/web.yaml");

    #[test]
    fn default_example_parses_into_two_documents() {
        let p = parse(WEB);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!(p.documents.len(), 2);
        assert!(p.documents.iter().all(|d| d.value.is_some()));
    }

    #[test]
    fn locator_finds_nested_fields() {
        let p = parse(WEB);
        let sts = &p.documents[1];
        let (line, col) = sts.locator.find("spec.replicas").unwrap_or((0, 0));
        assert_eq!(WEB.lines().nth(line - 1).map(str::trim), Some("replicas: 3"));
        assert_eq!(col, 3);
        let (line, col) = sts.locator.find("spec.template.spec.containers[0].image").unwrap_or((0, 0));
        assert!(WEB.lines().nth(line - 1).unwrap_or("").contains("image:"));
        assert_eq!(col, 9);
        let (line, _) = sts.locator.find("spec.template.spec.containers[0].ports[0].name").unwrap_or((0, 0));
        assert_eq!(WEB.lines().nth(line - 1).map(str::trim), Some("name: web"));
        // Unknown child falls back to the nearest ancestor.
        assert_eq!(sts.locator.find("spec.replicas.nope"), sts.locator.find("spec.replicas"));
    }

    #[test]
    fn sequence_items_at_key_indent_are_children() {
        let text = "a:\n- x: 1\n- x: 2\n  y: 3\nb: 4\n";
        let loc = Locator::scan(text, 1);
        assert_eq!(loc.find("a[1].y"), Some((4, 3)));
        assert_eq!(loc.find("a[1].x"), Some((3, 3)));
        assert_eq!(loc.find("b"), Some((5, 1)));
    }

    #[test]
    fn syntax_error_has_line_and_column_and_never_panics() {
        let text = "apiVersion: v1\nkind: Service\n---\nkind: [\n";
        let p = parse(text);
        assert_eq!(p.documents.len(), 2);
        assert_eq!(p.diagnostics.len(), 1);
        let d = &p.diagnostics[0];
        assert_eq!(d.document, 2);
        assert!(d.line >= 4, "{d:?}");
        assert!(d.message.starts_with("error converting YAML to JSON"), "{d}");
    }

    #[test]
    fn aliases_are_refused() {
        let p = parse("a: &x [1,2]\nb: *x\n");
        assert_eq!(p.diagnostics.len(), 1);
        assert_eq!((p.diagnostics[0].line, p.diagnostics[0].column), (1, 4));
        let p = parse("a: [1,2]\nb: *x\n");
        assert_eq!((p.diagnostics[0].line, p.diagnostics[0].column), (2, 4));
    }

    /// Regression: the apostrophe of a plain scalar (`don't`) opened a quote
    /// for the rest of the document, so 50,000 nested `[` below it reached the
    /// parser (7.5 s in a release build) instead of the pre-scan's refusal.
    #[test]
    fn an_apostrophe_in_a_plain_scalar_hides_nothing() {
        let deep = "[".repeat(MAX_FLOW_DEPTH + 1);
        assert_eq!(find_deep_flow(&format!("a: don't\nb: {deep}\n")), Some((2, 4 + MAX_FLOW_DEPTH)));
        assert_eq!(find_deep_flow(&format!("a: [x 'y, {deep}\n")), Some((1, 10 + MAX_FLOW_DEPTH)));
        assert_eq!(find_deep_flow(&format!("a: foo-'bar, {deep}\n")), Some((1, 14 + MAX_FLOW_DEPTH)));
        assert_eq!(check_events("a: &x don't\nb: *x\n").map_err(|e| (e.0, e.1)), Err((1, 4)));
    }

    #[test]
    fn quoted_scalars_and_comments_are_not_syntax() {
        let deep = "[".repeat(MAX_FLOW_DEPTH + 1);
        for text in [
            format!("a: '{deep}'\n"),
            format!("a: \"{deep}\"\n"),
            format!("- 'it''s {deep}'\n"),
            format!("a: \"say \\\"{deep}\"\n"),
            format!("a: [x, '{deep}']\n"),
            format!("a: 1 # {deep}\n"),
            format!("'{deep}': 1\n"),
        ] {
            assert_eq!(find_deep_flow(&text), None, "{text}");
        }
        assert_eq!(check_events("a: '*x'\nb: \"*x\" # *x\n"), Ok(()));
    }

    /// The parser's events, not a text scan, decide what is an alias: plain
    /// text with `*`/`&` is a string as kubectl reads it; an alias after a
    /// quoted scalar the old text scan misread is still one.
    #[test]
    fn aliases_and_anchors_come_from_the_parser() {
        for text in
            ["a: '*nix'\n", "a: ok *nix\n", "b: x *y &z\n", "c: \"it's *x\"\n", "d: don't *x\n", "e: [a&b, c*d]\n"]
        {
            let p = parse(text);
            assert!(p.diagnostics.is_empty(), "{text}: {:?}", p.diagnostics);
        }
        let p = parse("notes: a*b\nos: ' *nix'\nx: don't *x\n");
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        // An alias the old scanner thought was inside a quote ("x 'y" opens nothing).
        let p = parse("a: &a [1]\nb: [x 'y, *a]\n");
        assert_eq!(p.diagnostics.len(), 1, "{:?}", p.diagnostics);
        assert_eq!((p.diagnostics[0].line, p.diagnostics[0].column), (1, 4));
        let p = parse("a: [1]\nb: ['x', *a]\n");
        assert_eq!(p.diagnostics.len(), 1);
        // An alias of no anchor: the parser's own error.
        assert!(p.diagnostics[0].message.ends_with("unknown anchor"), "{:?}", p.diagnostics);
        assert_eq!(p.diagnostics[0].line, 2);
    }

    #[test]
    fn block_nesting_is_bounded_by_the_events() {
        let ok = format!("{}x\n", "- ".repeat(MAX_BLOCK_DEPTH));
        assert!(parse(&ok).diagnostics.is_empty(), "{:?}", parse(&ok).diagnostics);
        let deep = format!("{}x\n", "- ".repeat(MAX_BLOCK_DEPTH + 1));
        let p = parse(&deep);
        assert_eq!(p.diagnostics.len(), 1);
        assert_eq!(
            p.diagnostics[0].message,
            format!("collections nested deeper than {MAX_BLOCK_DEPTH} levels are not supported")
        );
        assert_eq!((p.diagnostics[0].line, p.diagnostics[0].column), (1, 2 * MAX_BLOCK_DEPTH + 1));
        let mut keys = String::new();
        for i in 0..=MAX_BLOCK_DEPTH {
            keys.push_str(&format!("{}k{i}:\n", "  ".repeat(i)));
        }
        assert_eq!(parse(&keys).diagnostics.len(), 1);
    }

    /// The locator stops within its budget and depth: nesting past the bound
    /// or a long key repeated under many children is not located (the scan
    /// keeps what it found before).
    #[test]
    fn locator_is_bounded() {
        let deep = format!("{}x\n", "- ".repeat(10_000));
        let loc = Locator::scan(&deep, 1);
        assert!(loc.positions.len() <= MAX_BLOCK_DEPTH, "{}", loc.positions.len());
        assert_eq!(loc.find("[0][0]"), Some((1, 3)));
        let long_key = "k".repeat(50_000);
        let wide = format!("{long_key}:\n{}", "  a: 1\n".repeat(10_000));
        let loc = Locator::scan(&wide, 1);
        let bytes: usize = loc.positions.keys().map(String::len).sum();
        assert!(bytes <= wide.len() * LOCATOR_BYTES_PER_INPUT_BYTE, "{bytes}");
        assert_eq!(loc.find(&format!("{long_key}.a")), Some((2, 3)));
    }

    #[test]
    fn a_bom_and_null_documents_are_skipped() {
        let p = parse("\u{feff}kind: Node\n");
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!(p.documents.len(), 1);
        let p = parse("null\n---\n~\n---\nkind: Node\n---\n--- null\n");
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!(p.documents.len(), 1);
        assert_eq!(p.documents[0].index, 3);
    }

    #[test]
    fn lists_expand_into_their_items() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: List\n  items:\n  - kind: Node\n    metadata:\n      name: n\n";
        let expand = |text: &str| {
            let mut p = parse(text);
            expand_lists(&mut p);
            p
        };
        let docs = expand(text).documents;
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].locator.find("metadata.name"), Some((7, 5)));
        let kinds: Vec<&str> = docs.iter().filter_map(|d| d.value.as_ref()?.get("kind")?.as_str()).collect();
        assert_eq!(kinds, ["Namespace", "Node"]);
        let typed = expand("apiVersion: v1\nkind: NamespaceList\nitems:\n- metadata:\n    name: x\n").documents;
        let v = typed[0].value.clone().unwrap_or_default();
        assert_eq!(
            (v.get("kind").and_then(Value::as_str), v.get("apiVersion").and_then(Value::as_str)),
            (Some("Namespace"), Some("v1"))
        );
        assert!(expand("kind: List\nitems: null\n").documents.is_empty());
        let many = format!("kind: List\nitems:\n{}", "- kind: Node\n".repeat(MAX_DOCUMENTS + 1));
        let p = expand(&many);
        assert_eq!(p.documents.len(), MAX_DOCUMENTS);
        assert_eq!(p.diagnostics.len(), 1, "{:?}", p.diagnostics);
    }

    #[test]
    fn comments_and_empty_documents_are_skipped() {
        let p = parse("# only a comment\n---\n\n---\nkind: Node\n");
        assert_eq!(p.documents.len(), 1);
        assert_eq!(p.documents[0].index, 3);
        assert_eq!(p.documents[0].first_line, 5);
    }

    #[test]
    fn oversized_input_is_refused() {
        let big = "a: b\n".repeat(MAX_MANIFEST_BYTES / 5 + 1);
        let p = parse(&big);
        assert!(p.documents.is_empty());
        assert_eq!(p.diagnostics.len(), 1);
    }
}
