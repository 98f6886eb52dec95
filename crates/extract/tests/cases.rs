//! The data-driven suite: every `tests/cases/**/<name>.txt|.html` is extracted
//! and compared field by field with `<name>.json` (see ANNOTATION.md, "Test
//! case files"). All failures are reported together.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use vanban_extract::{extract, prepare, Format};

fn case_inputs(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            case_inputs(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("txt" | "html" | "htm")
        ) {
            out.push(path);
        }
    }
}

/// The actual output in the annotation format: no `source`, mentions as the
/// mentioned strings.
fn actual_as_annotation(path: &Path) -> Value {
    let bytes = std::fs::read(path).expect("read case input");
    let prepared = prepare(&bytes, Format::from_path(&path.to_string_lossy()));
    let result = extract("case", &prepared);
    let text = prepared.text();
    let mut value = serde_json::to_value(&result).expect("serialise");
    let obj = value.as_object_mut().expect("object");
    obj.remove("source");
    if let Some(Value::Array(docs)) = obj.get_mut("documents") {
        for (doc, model) in docs.iter_mut().zip(&result.documents) {
            let mentions: Vec<Value> = model
                .mentions
                .iter()
                .map(|s| {
                    json!(text
                        .get(s.start..s.end)
                        .unwrap_or("<span not on a char boundary>"))
                })
                .collect();
            doc["mentions"] = Value::Array(mentions);
        }
    }
    value
}

fn diff(path: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                if k == "note" {
                    continue;
                }
                match a.get(k) {
                    Some(av) => diff(&format!("{path}.{k}"), ev, av, out),
                    None => out.push(format!("{path}.{k}: expected {ev}, missing")),
                }
            }
            for (k, av) in a {
                if !e.contains_key(k) {
                    out.push(format!("{path}.{k}: not expected, got {av}"));
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            for i in 0..e.len().max(a.len()) {
                match (e.get(i), a.get(i)) {
                    (Some(ev), Some(av)) => diff(&format!("{path}[{i}]"), ev, av, out),
                    (Some(ev), None) => out.push(format!("{path}[{i}]: expected {ev}, missing")),
                    (None, Some(av)) => out.push(format!("{path}[{i}]: not expected, got {av}")),
                    (None, None) => {}
                }
            }
        }
        (e, a) if e != a => out.push(format!("{path}: expected {e}, got {a}")),
        _ => {}
    }
}

#[test]
fn annotated_cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut inputs = Vec::new();
    case_inputs(&root, &mut inputs);
    let filter = std::env::var("CASE").ok();
    let mut failures = Vec::new();
    let mut ran = 0;
    for input in &inputs {
        let name = input
            .strip_prefix(&root)
            .unwrap_or(input)
            .to_string_lossy()
            .into_owned();
        if filter.as_deref().is_some_and(|f| !name.contains(f)) {
            continue;
        }
        let expected_path = input.with_extension("json");
        let expected: Value = match std::fs::read_to_string(&expected_path) {
            Ok(s) => match serde_json::from_str(&s) {
                Ok(v) => v,
                Err(e) => {
                    failures.push(format!("{name}: bad expected JSON: {e}"));
                    continue;
                }
            },
            Err(_) if std::env::var_os("VANBAN_DRAFT").is_some() => {
                // Draft mode for annotators: write what the extractor says, to
                // be reviewed against ANNOTATION.md before it is committed.
                let draft =
                    serde_json::to_string_pretty(&actual_as_annotation(input)).expect("json");
                std::fs::write(&expected_path, draft + "\n").expect("write draft");
                eprintln!("draft written: {} (review it!)", expected_path.display());
                continue;
            }
            Err(_) => {
                failures.push(format!("{name}: no {}", expected_path.display()));
                continue;
            }
        };
        for key in ["published", "documents", "relations", "events", "officials"] {
            if expected.get(key).is_none() {
                failures.push(format!("{name}: expected JSON lacks \"{key}\""));
            }
        }
        let actual = actual_as_annotation(input);
        let mut diffs = Vec::new();
        diff("", &expected, &actual, &mut diffs);
        if !diffs.is_empty() {
            failures.push(format!("{name}:\n    {}", diffs.join("\n    ")));
        }
        ran += 1;
    }
    assert!(
        ran > 0 || filter.is_some(),
        "no annotated cases found under {}",
        root.display()
    );
    if !failures.is_empty() {
        panic!(
            "{} of {ran} cases failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
    eprintln!("{ran} annotated cases passed");
}
