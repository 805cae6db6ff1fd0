//! The `stsplay` binary's contract: exit codes, `-` for stdin, `--json` keys.

use std::io::Write;
use std::process::{Command, Stdio};

fn stsplay(args: &[&str], stdin: &str) -> (String, String, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stsplay"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/scenarios"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    if let Some(mut i) = child.stdin.take() {
        i.write_all(stdin.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    }
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(stsplay(&[], "").2, 2);
    assert_eq!(stsplay(&["run"], "").2, 2);
    assert_eq!(stsplay(&["run", "x", "--seed", "abc"], "").2, 2);
    assert_eq!(stsplay(&["run", "x", "--nope"], "").2, 2);
    let (_, err, code) = stsplay(&["run", "does-not-exist.script"], "");
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"), "{err}");
}

#[test]
fn failing_commands_do_not_stop_the_script() {
    let (out, _, code) = stsplay(&["run", "-"], "kubectl get pods nope\nkubectl get nodes\n");
    assert_eq!(code, 0);
    assert!(out.contains("Error from server (NotFound): pods \"nope\" not found\n[exit 1]\n"), "{out}");
    assert!(out.contains("kind-worker3"), "{out}");
}

fn sorted_keys(v: &serde_json::Value) -> Vec<&str> {
    let mut keys: Vec<&str> = v.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
    keys.sort();
    keys
}

#[test]
fn json_has_the_contract_keys() {
    let script = "kubectl apply -f manifests/web.yaml\nkubectl rollout status sts/web\n";
    let (out, _, code) = stsplay(&["run", "-", "--json", "--seed", "4"], script);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(sorted_keys(&v["steps"][0]), ["command", "exitCode", "output", "timeSeconds"]);
    let fin = &v["final"];
    assert_eq!(sorted_keys(fin), ["dns", "nodes", "pods", "pvcs", "pvs", "statefulsets", "timeSeconds"]);
    assert_eq!(
        sorted_keys(&fin["pods"][0]),
        [
            "claims",
            "ip",
            "name",
            "namespace",
            "node",
            "ordinal",
            "phase",
            "ready",
            "restarts",
            "revision",
            "statefulSet",
            "status",
            "terminating"
        ]
    );
    assert_eq!(fin["pods"][1]["statefulSet"], "web");
    assert_eq!(fin["pods"][1]["ordinal"], 1);
    assert_eq!(fin["pods"][1]["claims"], serde_json::json!(["www-web-1"]));
    assert_eq!(sorted_keys(&fin["statefulsets"][0]), ["name", "namespace", "replicas", "status"]);
    assert_eq!(
        sorted_keys(&fin["statefulsets"][0]["status"]),
        [
            "availableReplicas",
            "currentReplicas",
            "currentRevision",
            "readyReplicas",
            "replicas",
            "updateRevision",
            "updatedReplicas"
        ]
    );
    assert_eq!(sorted_keys(&fin["pvcs"][0]), ["capacity", "name", "namespace", "phase", "storageClass", "volume"]);
    assert_eq!(sorted_keys(&fin["pvs"][0]), ["capacity", "claim", "name", "phase", "reclaimPolicy", "storageClass"]);
    assert_eq!(sorted_keys(&fin["nodes"][0]), ["name", "ready", "schedulable"]);
    assert_eq!(sorted_keys(&fin["dns"][0]), ["data", "name", "type"]);
    assert_eq!(fin["pods"][0]["name"], "web-0");
    assert_eq!(fin["pods"][2]["name"], "web-2");
    assert_eq!(fin["statefulsets"][0]["status"]["readyReplicas"], 3);
}

#[test]
fn seed_changes_placement_but_same_seed_repeats() {
    let script = "kubectl apply -f manifests/web.yaml\nkubectl rollout status sts/web\nkubectl get pods -o wide\n";
    let a = stsplay(&["run", "-", "--seed", "11"], script).0;
    assert_eq!(a, stsplay(&["run", "-", "--seed", "11"], script).0);
    let differs = (12..30).any(|s| stsplay(&["run", "-", "--seed", &s.to_string()], script).0 != a);
    assert!(differs);
}

/// The commands of README.md's command table: each row's code spans, with
/// `a\|b` alternatives expanded, reduced to the longest command path of the
/// table (`kubectl delete pvc\|pv NAME` → `kubectl delete`).
fn readme_commands() -> Vec<String> {
    let readme = include_str!("../../../README.md");
    let paths: Vec<&str> = stsplay_core::kubectl::command::COMMANDS.iter().map(|d| d.path).collect();
    let mut found = Vec::new();
    let table = readme.split("| command | what it does |").nth(1).unwrap_or_default();
    for row in table.lines().skip(2).take_while(|l| l.starts_with('|')) {
        let first_cell = row.trim_start_matches('|').split(" | ").next().unwrap_or_default();
        for span in first_cell.split('`').skip(1).step_by(2) {
            let mut expanded: Vec<Vec<&str>> = vec![Vec::new()];
            for word in span.split_whitespace().take(3) {
                expanded = expanded
                    .iter()
                    .flat_map(|prefix| {
                        word.split("\\|").map(move |alt| {
                            let mut v = prefix.clone();
                            v.push(alt);
                            v
                        })
                    })
                    .collect();
            }
            for words in expanded {
                let path = (1..=words.len())
                    .rev()
                    .map(|n| words[..n].join(" "))
                    .find(|p| paths.contains(&p.as_str()))
                    .unwrap_or_else(|| panic!("README command `{span}` is not in the command table"));
                if !found.contains(&path) {
                    found.push(path);
                }
            }
        }
    }
    found
}

#[test]
fn help_lists_every_command_of_the_readme_and_the_table() {
    let (out, _, code) = stsplay(&["--help"], "");
    assert_eq!(code, 0);
    let listed: Vec<&str> = out.lines().filter_map(|l| l.strip_prefix("  ")).collect();
    let readme = readme_commands();
    assert!(readme.len() >= 20, "{readme:?}");
    for path in &readme {
        assert!(
            listed.iter().any(|l| l.starts_with(&format!("{path} ")) || *l == path),
            "--help lacks `{path}`:\n{out}"
        );
    }
    // And the README lists every command of the table.
    for def in stsplay_core::kubectl::command::COMMANDS {
        assert!(readme.iter().any(|p| p == def.path), "README.md's command table lacks `{}`", def.path);
    }
}

/// Every line of the scenario and bad-input scripts that parses renders back
/// (`Display`) to text that parses to the same command.
#[test]
fn every_script_line_round_trips_through_display() {
    use stsplay_core::kubectl::Command as Cmd;
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests");
    let mut parsed = 0;
    for dir in ["scenarios", "bad-input"] {
        let mut scripts: Vec<_> = std::fs::read_dir(format!("{root}/{dir}"))
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "script"))
            .collect();
        scripts.sort();
        for script in scripts {
            let text = std::fs::read_to_string(&script).unwrap_or_default();
            for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
                let Ok(cmd) = Cmd::parse_line(line) else { continue };
                let shown = cmd.to_string();
                let again = Cmd::parse_line(&shown).unwrap_or_else(|e| panic!("{line} → {shown}: {e}"));
                assert_eq!(again, cmd, "{}: {line} → {shown}", script.display());
                parsed += 1;
            }
        }
    }
    assert!(parsed > 1000, "only {parsed} lines parsed");
}

/// `apply -f` of a device, a FIFO or a directory is refused at once with a
/// clear error (before the bound, `/dev/zero` was read for GBs and a FIFO
/// blocked forever); the script goes on.
#[cfg(unix)]
#[test]
fn non_regular_files_are_refused_without_reading() {
    let dir = std::env::temp_dir().join(format!("stsplay-cli-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let fifo = dir.join("pipe.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status().map(|s| s.success()).unwrap_or(false);
    let mut script = format!("kubectl apply -f /dev/zero\nkubectl apply -f {}\n", dir.display());
    if made {
        script.push_str(&format!("kubectl apply -f {}\n", fifo.display()));
    }
    script.push_str("kubectl get pods\n");
    let (out, err, code) = stsplay(&["run", "-"], &script);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("error reading \"/dev/zero\": it is not a regular file"), "{out}");
    assert!(out.contains("it is a directory"), "{out}");
    if made {
        assert_eq!(out.matches("it is not a regular file").count(), 2, "{out}");
    }
    assert!(out.contains("No resources found in default namespace."), "{out}");
    // The script itself as a device: refused, not read.
    let (_, err, code) = stsplay(&["run", "/dev/zero"], "");
    assert_eq!(code, 2);
    assert!(err.contains("it is not a regular file"), "{err}");
}

/// A manifest saved as UTF-16 with a byte-order mark is transcoded, as
/// kubectl's FileVisitor does (cli-runtime `pkg/resource/visitor.go`,
/// `unicode.BOMOverride`); a UTF-8 one loses its mark.
#[test]
fn utf16_manifests_are_transcoded() {
    let dir = std::env::temp_dir().join(format!("stsplay-cli-utf16-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: utf16\n";
    let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.replace("utf16", "utf16-be").encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    std::fs::write(dir.join("le.yaml"), le).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("be.yaml"), be).unwrap_or_else(|e| panic!("{e}"));
    let script =
        format!("kubectl apply -f {0}/le.yaml\nkubectl apply -f {0}/be.yaml\nkubectl get namespaces\n", dir.display());
    let (out, err, code) = stsplay(&["run", "-"], &script);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("namespace/utf16 created\n"), "{out}");
    assert!(out.contains("namespace/utf16-be created\n"), "{out}");
}
