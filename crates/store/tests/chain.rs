//! A whole directive chain, told by the Vietnamese texts in `tests/chain/`,
//! through the real extractor and the graph: canonical documents, short
//! mentions, conflicting dates, relations, status as of several dates,
//! events before and after the 2025 province merger, lookups, `vanban doc`'s
//! object and the exports. What must come out is `tests/chain/expected.json`.
//!
//! The same facts go through the embedded store (always) and PostgreSQL
//! (`VANBAN_TEST_POSTGRES_URL`; required when `CI=true`) and must give the
//! same graph.

use chrono::NaiveDate;
use serde_json::Value;
use std::path::{Path, PathBuf};
use vanban_store::export::{self, Table};
use vanban_store::graph::{EventFilter, Graph, Lookup};
use vanban_store::{Location, NewSource, SourceFacts, Store};

fn chain_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/chain")
}

/// The texts, in file-name order (source ids 1..n).
fn inputs() -> Vec<NewSource> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(chain_dir())
        .expect("tests/chain exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 8, "the chain needs its texts");
    paths
        .iter()
        .map(|p| {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .expect("UTF-8 file name");
            NewSource::from_input(name, &std::fs::read(p).expect("readable text"))
        })
        .collect()
}

/// What the store would keep, built in memory: ids 1..n, excerpts around
/// each document's first mention.
fn facts(inputs: &[NewSource]) -> Vec<SourceFacts> {
    inputs
        .iter()
        .enumerate()
        .map(|(i, s)| SourceFacts {
            id: i as i64 + 1,
            hash: s.hash.clone(),
            title: s.title.clone(),
            excerpts: s
                .extraction
                .documents
                .iter()
                .map(|d| {
                    d.mentions
                        .first()
                        .map(|&span| vanban_store::excerpt(&s.text, span))
                        .unwrap_or_default()
                })
                .collect(),
            extraction: s.extraction.clone(),
        })
        .collect()
}

fn expected() -> Value {
    let text = std::fs::read_to_string(chain_dir().join("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("expected.json is JSON")
}

fn date(v: &Value) -> NaiveDate {
    let s = v.as_str().unwrap_or_else(|| panic!("a date, got {v}"));
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("serialisable")
}

fn filter_of(v: &Value) -> EventFilter {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    EventFilter {
        document: s("document"),
        province: s("province"),
        from: v.get("from").map(date),
        to: v.get("to").map(date),
        kind: v
            .get("kind")
            .map(|k| serde_json::from_value(k.clone()).expect("an event type")),
    }
}

/// Every expectation of `expected.json` against one graph.
fn check(g: &Graph, exp: &Value) {
    // Canonical documents: exactly these, with their facts and conflicts.
    let want = exp["documents"].as_array().expect("documents");
    let ids: Vec<&str> = g.documents().iter().map(|d| d.id.as_str()).collect();
    let want_ids: Vec<&str> = want
        .iter()
        .map(|d| d["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(ids, want_ids, "canonical documents");
    for w in want {
        let id = w["id"].as_str().unwrap_or("");
        let d = g.document(id).unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(json(&d.kind), w["kind"], "{id} kind");
        assert_eq!(json(&d.issuer), w["issuer"], "{id} issuer");
        assert_eq!(json(&d.title), w["title"], "{id} title");
        let dates: Vec<Value> = d
            .dates
            .iter()
            .map(|s| serde_json::json!([vanban_store::iso(s.value), s.sources]))
            .collect();
        assert_eq!(
            Value::Array(dates),
            w["dates"],
            "{id} dates (most supported first)"
        );
        let best = w["dates"]
            .get(0)
            .map(|x| x[0].clone())
            .unwrap_or(Value::Null);
        assert_eq!(
            json(&d.date),
            best,
            "{id}: the best-supported date is shown"
        );
        let mut sources: Vec<i64> = d.mentions.iter().map(|m| m.source).collect();
        sources.dedup();
        assert_eq!(json(&sources), w["sources"], "{id} sources");
    }
    // Mention resolution, per source.
    for (source, want) in exp["resolved"].as_object().expect("resolved") {
        let id: i64 = source.parse().expect("a source id");
        assert_eq!(
            json(&g.resolved_ids(id)),
            *want,
            "resolution of source {id}"
        );
    }
    // Relations between canonical documents.
    assert_eq!(json(&g.relations()), exp["relations"], "relations");
    // Status as of several dates.
    for s in exp["status"].as_array().expect("status") {
        let id = s["id"].as_str().unwrap_or("");
        let got = g
            .status(id, date(&s["as_of"]))
            .unwrap_or_else(|| panic!("{id} has no status"));
        let got = json(&got);
        for field in ["state", "since", "by"] {
            assert_eq!(
                got[field], s[field],
                "status of {id} as of {}: {field}",
                s["as_of"]
            );
        }
    }
    // Events, by filter.
    for case in exp["events"].as_array().expect("events") {
        let got = g.events(&filter_of(&case["filter"]));
        if let Some(want) = case.get("expect") {
            let want = want.as_array().expect("expected events");
            assert_eq!(got.len(), want.len(), "events for {}", case["filter"]);
            for (e, w) in got.iter().zip(want) {
                let e = json(e);
                for (k, v) in w.as_object().expect("an event") {
                    assert_eq!(e[k], *v, "event field {k} for {}", case["filter"]);
                }
            }
        }
        if let Some(want) = case.get("expect_sources") {
            let ids: Vec<i64> = got.iter().map(|e| e.source_id).collect();
            assert_eq!(json(&ids), *want, "events for {}", case["filter"]);
        }
    }
    // Lookups as a person types them.
    for case in exp["lookup"].as_array().expect("lookup") {
        let r = case["ref"].as_str().unwrap_or("");
        let got = g.lookup(r);
        let want = if let Some(id) = case.get("found").and_then(Value::as_str) {
            Lookup::Found(id.to_owned())
        } else if let Some(list) = case.get("ambiguous") {
            Lookup::Ambiguous(serde_json::from_value(list.clone()).expect("ids"))
        } else {
            Lookup::NotFound
        };
        assert_eq!(got, want, "lookup {r:?}");
    }
    // `vanban doc --format json`: the contract's object, fields in its order.
    let v = &exp["view"];
    let id = v["id"].as_str().unwrap_or("");
    let view = g
        .view(id, date(&v["as_of"]))
        .unwrap_or_else(|| panic!("{id} has no view"));
    let text = serde_json::to_string(&view).expect("serialisable");
    let mut at = 0;
    for key in [
        "\"id\"",
        "\"kind\"",
        "\"number\"",
        "\"symbol\"",
        "\"date\"",
        "\"issuer\"",
        "\"title\"",
        "\"status\"",
        "\"relations\"",
        "\"events\"",
        "\"sources\"",
    ] {
        let i = text[at..]
            .find(key)
            .unwrap_or_else(|| panic!("{key} missing or out of contract order: {text}"));
        at += i;
    }
    let mut got = json(&view);
    let sources = got["sources"].as_array_mut().expect("sources");
    for s in sources.iter_mut() {
        let excerpt = s
            .as_object_mut()
            .and_then(|o| o.remove("excerpt"))
            .unwrap_or(Value::Null);
        let excerpt = excerpt.as_str().unwrap_or("");
        assert!(
            excerpt.contains("126"),
            "the excerpt quotes the mention: {excerpt:?}"
        );
        assert!(!excerpt.contains('\n'), "one line: {excerpt:?}");
    }
    assert_eq!(got, v["expect"], "vanban doc {id}");
    assert!(g.view("nope@?", date(&v["as_of"])).is_none());
    // Counts.
    assert_eq!(json(&g.stats()), exp["stats"], "stats");
}

/// The exports carry the same graph.
fn check_exports(g: &Graph) {
    let as_of = NaiveDate::from_ymd_opt(2025, 10, 1).expect("a date");
    let mut out = Vec::new();
    export::jsonl(g, as_of, &mut out).expect("jsonl");
    let lines: Vec<Value> = String::from_utf8(out)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let count = |r: &str| lines.iter().filter(|l| l["record"] == r).count();
    assert_eq!(count("document"), g.documents().len());
    assert_eq!(count("relation"), g.relations().len());
    assert_eq!(count("event"), g.all_events().len());
    assert_eq!(
        lines.len(),
        count("document") + count("relation") + count("event")
    );
    let old = lines
        .iter()
        .find(|l| l["id"] == "126-QĐ/TW@2018-02-28")
        .expect("126 exported");
    assert_eq!(old["status"]["state"], "replaced");

    let mut out = Vec::new();
    export::csv(g, Table::Documents, as_of, &mut out).expect("csv");
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let headers = reader.headers().expect("a header").clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("RFC 4180")).collect();
    assert_eq!(rows.len(), g.documents().len());
    let col = |name: &str| headers.iter().position(|h| h == name).expect("column");
    let local = rows
        .iter()
        .find(|r| &r[col("id")] == "05-QĐ/TU@2021-03-12")
        .expect("05-QĐ/TU exported");
    // A title with a comma survives the round trip; the conflicting date is kept.
    assert_eq!(
        &local[col("title")],
        "trách nhiệm nêu gương của cán bộ, đảng viên"
    );
    assert_eq!(&local[col("other_dates")], "2021-03-15");
    assert_eq!(&local[col("status")], "amended");

    for (table, n) in [
        (Table::Relations, g.relations().len()),
        (Table::Events, g.all_events().len()),
    ] {
        let mut out = Vec::new();
        export::csv(g, table, as_of, &mut out).expect("csv");
        let rows = csv::Reader::from_reader(out.as_slice()).records().count();
        assert_eq!(rows, n, "{table:?}");
    }

    let mut out = Vec::new();
    export::dot(g, &mut out).expect("dot");
    let dot = String::from_utf8(out).expect("UTF-8");
    assert!(dot.starts_with("digraph"));
    assert!(
        dot.contains(r#""58-QĐ/TW@2022-02-08" -> "126-QĐ/TW@2018-02-28" [label="thay thế"];"#),
        "{dot}"
    );
    assert!(
        dot.contains(
            r#""12-QĐ/TU@2023-07-05" -> "05-QĐ/TU@2021-03-12" [label="sửa đổi, bổ sung"];"#
        ),
        "{dot}"
    );
    assert!(
        dot.contains(r#"[label="Quy định 126-QĐ/TW\n28/02/2018"]"#),
        "{dot}"
    );
    assert_eq!(dot.matches(" -> ").count(), g.relations().len());
}

#[test]
fn chain_in_memory() {
    let g = Graph::build(facts(&inputs()));
    check(&g, &expected());
    check_exports(&g);
}

#[test]
fn chain_in_any_order_gives_the_same_graph() {
    let mut f = facts(&inputs());
    f.reverse();
    let g = Graph::build(f);
    check(&g, &expected());
}

/// Inserts the chain into a store, in two batches, and checks its graph.
fn through_store(location: &Location) {
    let inputs = inputs();
    let mut store = Store::open(location).unwrap_or_else(|e| panic!("open {location:?}: {e}"));
    let (a, b) = inputs.split_at(5);
    store.insert(a).expect("first batch");
    store.insert(b).expect("second batch");
    store.insert(&inputs).expect("idempotent");
    let g = store.graph().expect("graph");
    check(&g, &expected());
    check_exports(&g);
}

#[test]
fn chain_through_the_embedded_store() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    through_store(&Location::Embedded(dir.path().join("kho")));
}

#[test]
fn chain_through_postgres() {
    let Some(base) = std::env::var("VANBAN_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI=true but VANBAN_TEST_POSTGRES_URL is unset: CI must test the PostgreSQL backend \
             (eval \"$(bash scripts/ci-postgres.sh)\" first)"
        );
        eprintln!(
            "notice: VANBAN_TEST_POSTGRES_URL is unset, the PostgreSQL chain test is skipped"
        );
        return;
    };
    let schema = format!("chain_{}", std::process::id());
    let mut client = postgres::Client::connect(&base, postgres::NoTls)
        .unwrap_or_else(|e| panic!("cannot reach VANBAN_TEST_POSTGRES_URL: {e}"));
    client
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))
        .expect("a fresh schema");
    let sep = if base.contains('?') { '&' } else { '?' };
    through_store(&Location::Postgres(format!(
        "{base}{sep}options=-c%20search_path%3D{schema}"
    )));
    client
        .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .expect("schema dropped");
}
