//! POSIX shell word splitting for script lines: single quotes (literal),
//! double quotes (with `\"`, `\\`, `\$`, `` \` `` escapes), backslash outside
//! quotes, and `#` starting a comment at the beginning of a word.

/// Splits one line into words. The error names the problem like a shell does.
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\r' => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '#' if !in_word => break,
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => cur.push(ch),
                        None => return Err("unexpected EOF while looking for matching `''".to_string()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.peek().copied() {
                            Some(n @ ('"' | '\\' | '$' | '`')) => {
                                cur.push(n);
                                chars.next();
                            }
                            _ => cur.push('\\'),
                        },
                        Some(ch) => cur.push(ch),
                        None => return Err("unexpected EOF while looking for matching `\"'".to_string()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(n) => cur.push(n),
                    None => return Err("unexpected EOF after `\\'".to_string()),
                }
            }
            other => {
                in_word = true;
                cur.push(other);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        split_words(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(w("kubectl get pods"), ["kubectl", "get", "pods"]);
        assert_eq!(w("  a   b\t c  "), ["a", "b", "c"]);
        assert_eq!(
            w(r#"kubectl patch sts web -p '{"spec":{"replicas":2}}'"#)[4..],
            ["-p", r#"{"spec":{"replicas":2}}"#]
        );
        assert_eq!(w(r#"echo "a \"b\" c" d\ e"#), ["echo", r#"a "b" c"#, "d e"]);
        assert_eq!(w("a 'it''s' x"), ["a", "its", "x"]);
        assert_eq!(w("''"), [""]);
    }

    #[test]
    fn comments_start_at_a_word() {
        assert_eq!(w("kubectl get pods # list them"), ["kubectl", "get", "pods"]);
        assert_eq!(w("# whole line"), Vec::<String>::new());
        assert_eq!(w("a#b"), ["a#b"]);
    }

    #[test]
    fn unterminated_quotes_are_errors() {
        assert!(split_words("echo 'oops").is_err());
        assert!(split_words("echo \"oops").is_err());
        assert!(split_words("echo oops\\").is_err());
    }
}
