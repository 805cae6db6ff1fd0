//! Patches on an object's JSON: RFC 7386 merge patch (`--type=merge`),
//! strategic merge patch as kubectl sends by default for built-in types
//! (`--type=strategic`: like merge, but lists of objects merge by their key —
//! `name` for containers, volumes, env; `containerPort` for ports), and RFC 6902
//! JSON Patch (`--type=json`: add, remove, replace, test, move, copy).

use serde_json::{Map, Value};

use crate::manifest;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatchType {
    Strategic,
    Merge,
    Json,
}

/// The patch text as JSON. kubectl converts `-p` with `yaml.ToJSON`
/// (staging/src/k8s.io/kubectl/pkg/cmd/patch/patch.go: `unable to parse %q: %v`),
/// so JSON and YAML are both accepted; the text goes through
/// [`manifest::parse`] and its size, depth and alias guards.
pub fn parse_patch(patch: &str) -> Result<Value, String> {
    let parsed = manifest::parse(patch);
    if let Some(d) = parsed.diagnostics.first() {
        return Err(format!("error: unable to parse \"{patch}\": {}", d.message));
    }
    match parsed.documents.as_slice() {
        [] => Ok(Value::Null),
        [doc] => Ok(doc.value.as_ref().map(super::to_json).unwrap_or_default()),
        _ => Err(format!(
            "error: unable to parse \"{patch}\": error converting YAML to JSON: yaml: a patch is one document"
        )),
    }
}

/// Applies `patch` (text) to `target`; the error uses kubectl's wording.
pub fn apply_patch(target: &Value, patch: &str, ty: PatchType) -> Result<Value, String> {
    let parsed = parse_patch(patch)?;
    match ty {
        PatchType::Merge => Ok(merge(target, &parsed, false)),
        PatchType::Strategic => Ok(merge(target, &parsed, true)),
        PatchType::Json => json_patch(target, &parsed),
    }
}

fn merge_key(items: &[Value]) -> Option<&'static str> {
    ["name", "containerPort", "mountPath"]
        .into_iter()
        .find(|k| !items.is_empty() && items.iter().all(|i| i.get(*k).is_some()))
}

fn merge(target: &Value, patch: &Value, strategic: bool) -> Value {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            let mut out = t.clone();
            for (k, v) in p {
                if v.is_null() {
                    out.remove(k);
                } else {
                    let merged = match out.get(k) {
                        Some(existing) => merge(existing, v, strategic),
                        None => merge(&Value::Null, v, strategic),
                    };
                    out.insert(k.clone(), merged);
                }
            }
            Value::Object(out)
        }
        (Value::Array(t), Value::Array(p)) if strategic => match merge_key(p) {
            Some(key) if merge_key(t) == Some(key) => {
                let mut out = t.clone();
                for item in p {
                    let id = item.get(key);
                    match out.iter_mut().find(|o| o.get(key) == id) {
                        Some(existing) => *existing = merge(existing, item, true),
                        None => out.push(item.clone()),
                    }
                }
                Value::Array(out)
            }
            _ => patch.clone(),
        },
        (_, Value::Object(p)) => merge(&Value::Object(Map::new()), &Value::Object(p.clone()), strategic),
        _ => patch.clone(),
    }
}

fn pointer_parts(path: &str) -> Result<Vec<String>, String> {
    if path.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Err(format!("JSON pointer must start with '/': {path:?}"));
    };
    Ok(rest.split('/').map(|p| p.replace("~1", "/").replace("~0", "~")).collect())
}

fn json_patch(target: &Value, ops: &Value) -> Result<Value, String> {
    let Value::Array(ops) = ops else {
        return Err("error: unable to parse patch: a JSON patch is a list of operations".to_string());
    };
    let mut doc = target.clone();
    for op in ops {
        let name = op.get("op").and_then(Value::as_str).unwrap_or("");
        let path = op.get("path").and_then(Value::as_str).unwrap_or("");
        let value = op.get("value").cloned();
        let fail = |why: &str| {
            format!("The request is invalid: the server rejected our request due to an error in our request: {why}")
        };
        match name {
            "add" | "replace" => {
                let v = value.ok_or_else(|| fail(&format!("missing value for {name} operation")))?;
                set_at(&mut doc, &pointer_parts(path).map_err(|e| fail(&e))?, v, name == "add")
                    .map_err(|e| fail(&e))?;
            }
            "remove" => {
                remove_at(&mut doc, &pointer_parts(path).map_err(|e| fail(&e))?).map_err(|e| fail(&e))?;
            }
            "test" => {
                let parts = pointer_parts(path).map_err(|e| fail(&e))?;
                if get_at(&doc, &parts) != value.as_ref() {
                    return Err(fail("testing value failed"));
                }
            }
            "move" | "copy" => {
                let from = op.get("from").and_then(Value::as_str).unwrap_or("");
                let from_parts = pointer_parts(from).map_err(|e| fail(&e))?;
                let v = get_at(&doc, &from_parts).cloned().ok_or_else(|| fail(&format!("missing value at {from}")))?;
                if name == "move" {
                    remove_at(&mut doc, &from_parts).map_err(|e| fail(&e))?;
                }
                set_at(&mut doc, &pointer_parts(path).map_err(|e| fail(&e))?, v, true).map_err(|e| fail(&e))?;
            }
            other => return Err(fail(&format!("unexpected kind: {other}"))),
        }
    }
    Ok(doc)
}

fn get_at<'a>(doc: &'a Value, parts: &[String]) -> Option<&'a Value> {
    parts.iter().try_fold(doc, |cur, p| match cur {
        Value::Object(m) => m.get(p),
        Value::Array(a) => p.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    })
}

fn set_at(doc: &mut Value, parts: &[String], v: Value, insert: bool) -> Result<(), String> {
    let Some((last, parents)) = parts.split_last() else {
        *doc = v;
        return Ok(());
    };
    let mut cur = doc;
    for p in parents {
        cur = match cur {
            Value::Object(m) => m.get_mut(p).ok_or_else(|| format!("missing path: {p}"))?,
            Value::Array(a) => {
                p.parse::<usize>().ok().and_then(|i| a.get_mut(i)).ok_or_else(|| format!("missing index: {p}"))?
            }
            _ => return Err(format!("cannot traverse into {p}")),
        };
    }
    match cur {
        Value::Object(m) => {
            if !insert && !m.contains_key(last) {
                return Err(format!("replace operation does not apply: doc is missing key: /{}", parts.join("/")));
            }
            m.insert(last.clone(), v);
            Ok(())
        }
        Value::Array(a) => {
            if last == "-" && insert {
                a.push(v);
                return Ok(());
            }
            let i = last.parse::<usize>().map_err(|_| format!("invalid index: {last}"))?;
            if insert && i <= a.len() {
                a.insert(i, v);
                Ok(())
            } else if let Some(slot) = a.get_mut(i).filter(|_| !insert) {
                *slot = v;
                Ok(())
            } else {
                Err(format!("index out of range: {i}"))
            }
        }
        _ => Err(format!("cannot set {last} on a scalar")),
    }
}

fn remove_at(doc: &mut Value, parts: &[String]) -> Result<(), String> {
    let Some((last, parents)) = parts.split_last() else {
        return Err("cannot remove the whole document".to_string());
    };
    let parent = parents
        .iter()
        .try_fold(doc, |cur, p| match cur {
            Value::Object(m) => m.get_mut(p),
            Value::Array(a) => p.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
            _ => None,
        })
        .ok_or_else(|| format!("missing path: /{}", parts.join("/")))?;
    match parent {
        Value::Object(m) => m.remove(last).map(|_| ()).ok_or_else(|| format!("missing key: {last}")),
        Value::Array(a) => {
            let i = last.parse::<usize>().map_err(|_| format!("invalid index: {last}"))?;
            if i < a.len() {
                a.remove(i);
                Ok(())
            } else {
                Err(format!("index out of range: {i}"))
            }
        }
        _ => Err(format!("cannot remove {last} from a scalar")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_replaces_and_removes() {
        let t = json!({"spec": {"replicas": 3, "a": 1}});
        let out = apply_patch(&t, r#"{"spec":{"replicas":5,"a":null}}"#, PatchType::Merge).unwrap_or_default();
        assert_eq!(out, json!({"spec": {"replicas": 5}}));
    }

    #[test]
    fn strategic_merges_containers_by_name() {
        let t = json!({"containers": [{"name": "a", "image": "x:1"}, {"name": "b", "image": "y:1"}]});
        let out =
            apply_patch(&t, r#"{"containers":[{"name":"b","image":"y:2"}]}"#, PatchType::Strategic).unwrap_or_default();
        assert_eq!(out, json!({"containers": [{"name": "a", "image": "x:1"}, {"name": "b", "image": "y:2"}]}));
        // A plain merge patch replaces the list.
        let out =
            apply_patch(&t, r#"{"containers":[{"name":"b","image":"y:2"}]}"#, PatchType::Merge).unwrap_or_default();
        assert_eq!(out, json!({"containers": [{"name": "b", "image": "y:2"}]}));
    }

    #[test]
    fn json_patch_ops() {
        let t = json!({"spec": {"template": {"spec": {"containers": [{"image": "a"}]}}}});
        let p = r#"[{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value": "b"}]"#;
        let out = apply_patch(&t, p, PatchType::Json).unwrap_or_default();
        assert_eq!(out["spec"]["template"]["spec"]["containers"][0]["image"], "b");
        let bad = r#"[{"op": "replace", "path": "/spec/nope", "value": 1}]"#;
        assert!(apply_patch(&t, bad, PatchType::Json).is_err());
        assert!(apply_patch(&t, "{not json", PatchType::Merge).is_err());
    }

    #[test]
    fn patch_text_goes_through_the_manifest_guards() {
        // YAML is accepted, as kubectl's yaml.ToJSON does.
        assert_eq!(parse_patch("spec:\n  replicas: 2\n"), Ok(json!({"spec": {"replicas": 2}})));
        assert_eq!(parse_patch(r#"{"spec":{"replicas":2}}"#), Ok(json!({"spec": {"replicas": 2}})));
        // The manifest guards apply: aliases, deep flow nesting, size.
        let alias = parse_patch("a: &x 1\nb: *x\n").unwrap_err();
        assert!(alias.contains("aliases"), "{alias}");
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(parse_patch(&deep).unwrap_err().contains("nested deeper"));
        let big = format!("a: \"{}\"", "x".repeat(crate::manifest::MAX_MANIFEST_BYTES));
        assert!(parse_patch(&big).unwrap_err().contains("limit"));
        assert!(parse_patch("a: 1\n---\nb: 2\n").is_err());
        // Alias and anchor characters inside strings are text.
        let quoted = r#"{"metadata":{"annotations":{"a":"*x &y [[["}}}"#;
        assert_eq!(parse_patch(quoted), Ok(json!({"metadata": {"annotations": {"a": "*x &y [[["}}})));
    }
}
