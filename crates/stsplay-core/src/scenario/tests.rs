use super::*;
use crate::kubectl::MemoryFiles;

fn parse(text: &str) -> Scenario {
    Scenario::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn errors(text: &str) -> Vec<String> {
    match Scenario::parse(text) {
        Ok(s) => panic!("parsed: {s:?}"),
        Err(d) => d.0.iter().map(ToString::to_string).collect(),
    }
}

const WEB: &str =
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx\nspec:\n  clusterIP: None\n  selector:\n    app: nginx\n";

#[test]
fn headers_comments_commands_and_heredocs() {
    let text = format!(
        "# The rule this checks.\n# seed: 7\n# feature-gates: MaxUnavailableStatefulSet=true\n\nkubectl apply -f - <<'EOF'\n{WEB}EOF\nstep 3\nrun until settled\n"
    );
    let s = parse(&text);
    assert_eq!(s.seed, 7);
    assert_eq!(s.gates.get("MaxUnavailableStatefulSet"), Some(&true));
    assert!(s.profile().max_unavailable_statefulset);
    assert_eq!(s.items.first(), Some(&Item::Comment("# The rule this checks.".to_string())));
    let inputs: Vec<&Input> = s.inputs().collect();
    assert_eq!(inputs.len(), 3);
    assert_eq!(inputs[0].line(), "kubectl apply -f -");
    assert_eq!(inputs[0].stdin(), Some(WEB));
    assert_eq!(inputs[1].line(), "step 3");
    assert_eq!(inputs[2].line(), "run until settled");
}

#[test]
fn defaults_without_headers() {
    let s = parse("kubectl get pods\n");
    assert_eq!(s.seed, crate::DEFAULT_SEED);
    assert!(s.gates.is_empty());
    assert!(!s.profile().max_unavailable_statefulset);
}

#[test]
fn heredoc_forms() {
    // Unquoted, double-quoted, partly quoted and <<- delimiters; words after the operator stay.
    for (line, delim) in [
        ("kubectl apply -f - <<EOF", "EOF"),
        ("kubectl apply -f - <<\"END\"", "END"),
        ("kubectl apply -f - << E'O'F", "EOF"),
        ("kubectl apply <<'X' -f -", "X"),
    ] {
        let s = parse(&format!("{line}\na: 1\n{delim}\n"));
        let input = s.inputs().next().unwrap();
        assert_eq!(input.stdin(), Some("a: 1\n"), "{line}");
        assert!(input.line().starts_with("kubectl apply"), "{line}");
        assert!(input.line().contains("-f -"), "{line}: {}", input.line());
    }
    let s = parse("kubectl apply -f - <<-EOF\n\ta: 1\n\t\tb: 2\n\tEOF\n");
    assert_eq!(s.inputs().next().unwrap().stdin(), Some("a: 1\nb: 2\n"));
    // An empty body.
    let s = parse("kubectl apply -f - <<'EOF'\nEOF\n");
    assert_eq!(s.inputs().next().unwrap().stdin(), Some(""));
}

#[test]
fn heredoc_bodies_keep_indentation_and_comments() {
    let body = "  # not a scenario comment\n    key: value  \n\n# seed: 99\n";
    let s = parse(&format!("kubectl apply -f - <<'EOF'\n{body}EOF\n"));
    assert_eq!(s.seed, crate::DEFAULT_SEED, "a header inside a heredoc is body text");
    assert_eq!(s.inputs().next().unwrap().stdin(), Some(body));
}

#[test]
fn unquoted_heredocs_unescape_and_refuse_expansions() {
    let s = parse("kubectl apply -f - <<EOF\na: \\$HOME \\\\ x\nb: 1 \\\n2\nc: $\nEOF\n");
    assert_eq!(s.inputs().next().unwrap().stdin(), Some("a: $HOME \\ x\nb: 1 2\nc: $\n"));
    let e = errors("kubectl apply -f - <<EOF\na: 1\nb: $HOME\nEOF\n");
    assert!(e[0].starts_with("line 3: `$` in an unquoted here-document"), "{e:?}");
    let e = errors("kubectl apply -f - <<EOF\nb: `date`\nEOF\n");
    assert!(e[0].starts_with("line 2: a backquote"), "{e:?}");
    // Quoted: passed as written.
    let s = parse("kubectl apply -f - <<'EOF'\nb: $HOME `x` \\$\nEOF\n");
    assert_eq!(s.inputs().next().unwrap().stdin(), Some("b: $HOME `x` \\$\n"));
}

#[test]
fn heredoc_operators_inside_quotes_or_comments_are_text() {
    let s = parse("kubectl patch sts web -p '<<EOF'\nkubectl get pods # see <<EOF\n");
    assert!(s.inputs().all(|i| i.stdin().is_none()));
    assert_eq!(s.inputs().count(), 2);
}

#[test]
fn line_continuation() {
    let s = parse(
        "kubectl run -i --tty --image busybox:1.28 dns-test \\\n  --restart=Never --rm -- nslookup web-0.nginx\nstep\n",
    );
    let lines: Vec<&str> = s.inputs().map(Input::line).collect();
    assert_eq!(
        lines,
        ["kubectl run -i --tty --image busybox:1.28 dns-test   --restart=Never --rm -- nslookup web-0.nginx", "step"]
    );
    // Only the backslash and the newline go: `a\` + ` b` is two words, `a\` + `b` one.
    let s = parse("kubectl get pods a\\\n b\nkubectl get pods a\\\nb\n");
    let lines: Vec<&str> = s.inputs().map(Input::line).collect();
    assert_eq!(lines, ["kubectl get pods a b", "kubectl get pods ab"]);
    // An escaped backslash does not continue.
    let s = parse("a \\\\\nb\n");
    assert_eq!(s.inputs().count(), 2);
    assert_eq!(
        errors("kubectl get \\"),
        ["line 1: the last line ends with a backslash: the command continues past the end"]
    );
}

#[test]
fn errors_name_their_line() {
    assert_eq!(
        errors("step\nkubectl apply -f - <<'EOF'\na: 1\n"),
        ["line 2: here-document at line 2 delimited by end-of-file (wanted `EOF')"]
    );
    assert_eq!(
        errors("# seed: x\n"),
        [format!("line 1: the seed must be a whole number from 0 to {}, not \"x\"", u64::MAX)]
    );
    assert_eq!(errors("# seed: 1\n# seed: 2\n"), ["line 2: a second `# seed:` header (the first is on line 1)"]);
    assert_eq!(errors("# stsplay: 2\n"), ["line 1: this is scenario format \"2\"; this stsplay reads format 1"]);
    assert_eq!(errors("# feature-gates: Nope=true\n"), ["line 1: unrecognized feature gate: Nope"]);
    assert_eq!(
        errors("# feature-gates: MaxUnavailableStatefulSet=maybe\n"),
        ["line 1: invalid value of MaxUnavailableStatefulSet=maybe, err: strconv.ParseBool: parsing \"maybe\": invalid syntax"]
    );
    assert_eq!(
        errors("# feature-gates: MaxUnavailableStatefulSet\n"),
        ["line 1: missing bool value for MaxUnavailableStatefulSet"]
    );
    assert!(errors("step\nexpect pods web-0 Running\n")[0].starts_with("line 2: `expect` lines are reserved"));
    assert!(errors("kubectl get pods <<<x\n")[0].contains("here-strings"));
    assert!(errors("kubectl apply -f - <<\n")[0].contains("needs a delimiter"));
    assert!(errors("kubectl apply -f - <<A <<B\nA\nB\n")[0].contains("a second here-document"));
    assert!(errors("<<'EOF'\nEOF\n")[0].contains("needs a command"));
    // Several problems: all reported, in order.
    assert_eq!(errors("# seed: x\nstep\n# stsplay: 9\n").len(), 2);
}

#[test]
fn bounds() {
    let big = "#".repeat(MAX_SCENARIO_BYTES + 1);
    assert!(errors(&big)[0].contains("the limit is"));
    let many = "step\n".repeat(MAX_ITEMS + 1);
    assert!(errors(&many)[0].contains(&format!("at most {MAX_ITEMS}")));
}

#[test]
fn render_is_canonical_and_round_trips() {
    let text =
        format!("# about\nkubectl apply -f - <<EOF\n{WEB}EOF\n\n# seed: 3\nstep\nkubectl apply -f - <<'X'\nEOF\nX\n");
    let s = parse(&text);
    let rendered = s.render();
    assert!(rendered.starts_with("# stsplay: 1\n# seed: 3\n# about\nkubectl apply -f - <<'EOF'\n"), "{rendered}");
    // A body containing the default delimiter gets another one.
    assert!(rendered.contains("kubectl apply -f - <<'EOF2'\nEOF\nEOF2\n"), "{rendered}");
    assert_eq!(parse(&rendered), s);
    assert_eq!(parse(&rendered).render(), rendered);
}

#[test]
fn constructed_inputs_round_trip() {
    let s = Scenario {
        seed: 9,
        gates: BTreeMap::new(),
        items: vec![
            Item::Input(Input::apply_stdin("kind: Node\nmetadata:\n  name: n1")),
            Item::Input(Input::step(1)),
            Item::Input(Input::step(5)),
            Item::Input(Input::command("  kubectl get pods  ").unwrap()),
        ],
    };
    assert_eq!(parse(&s.render()), s);
    assert_eq!(Input::apply_stdin("a: 1").stdin(), Some("a: 1\n"));
    assert!(Input::command("kubectl apply -f - <<EOF").is_err());
    assert!(Input::command("# a comment").is_err());
    assert!(Input::command("a\nb").is_err());
    assert!(Input::command("kubectl get \\").is_err());
    assert!(Input::command("expect x").is_err());
}

#[test]
fn runs_inline_manifests() {
    let text = format!(
        "# seed: 1\nkubectl apply -f - <<'EOF'\n{}EOF\nrun until settled\nkubectl get pods\n",
        crate::DEFAULT_EXAMPLE
    );
    let s = parse(&text);
    let mut sim = s.simulation();
    let results = s.run(&mut sim, &MemoryFiles::default());
    assert_eq!(results[0].command, "kubectl apply -f - <<'EOF'");
    assert!(results[0].output.contains("statefulset.apps/web created"), "{}", results[0].output);
    assert!(results[1].output.starts_with("settled at +"), "{}", results[1].output);
    assert!(results[2].output.contains("web-2   1/1     Running"), "{}", results[2].output);
    assert!(!sim.has_pending());
}

#[test]
fn stdin_errors_name_stdin() {
    let s = parse("kubectl apply -f - <<'EOF'\nkind: [\nEOF\n");
    let mut sim = s.simulation();
    let r = &s.run(&mut sim, &MemoryFiles::default())[0];
    assert_eq!(r.exit_code, 1);
    assert!(r.output.contains("STDIN"), "{}", r.output);
}
