//! The development set (`../shared/dev`, format in its README): seventeen
//! real texts with gold annotations, extracted in-process and scored exactly
//! as `../shared/dev/score.py` scores the `vanban` binary. Prints the same
//! table as `score.py` (plus what is missing or extra, text by text), then
//! fails when a figure falls below its floor in [`FLOORS`].
//!
//! When `python3` is available, the test also runs `score.py` itself on the
//! JSON lines it produced (through a wrapper that stands in for the binary)
//! and asserts that both scorers give the same table, the same counts and the
//! same P/R/F1 to 1e-9: the port stays exact or the test says where it is not.
//!
//! What score.py scores, this test scores, no more: `not_documents`,
//! `not_officials`, `boilerplate` and `end_date` in the gold are not scored
//! there, so not here either. Python's semantics (NFC then `strip()`, `==`
//! across ints, floats and bools, set and dict membership, `or []`) are kept
//! on JSON values; where score.py would stop on a malformed gold file the
//! test fails with the reason.
//!
//! The set lives beside the repository (`../shared/dev`); when it is absent,
//! the test says so and passes only outside CI (as `tests/corpus.rs`). The
//! texts are third-party: they are read from there, never copied here.
//!
//!     cargo test -p vanban-extract --test devset -- --nocapture

use serde_json::Value;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};
use std::process::Command;
use unicode_normalization::UnicodeNormalization;
use vanban_extract::{extract, prepare, Format};

/// The floors: today's figures rounded DOWN to three decimals, so that any
/// regression fails. Categories are F1; `attr …` lines are the ratio ok/n of
/// the attribute lines of the table (an attribute with n = 0 counts as 1).
///
/// Future sessions: when a change raises a figure, RAISE its floor here to
/// the new figure rounded down to three decimals (the test prints a reminder
/// when a figure is above its floor). Never lower a floor to let a change
/// pass; fix the change, or argue the gold on the issue.
/// One exception: an attribute ratio can fall because a category rose (a
/// newly found document whose issuer the extractor misses adds to n); then
/// lower that attribute's floor in the same commit that raises the category's,
/// and say so in the message.
const FLOORS: &[(&str, f64)] = &[
    ("documents", 1.000),
    ("relations", 1.000),
    ("events", 1.000),
    ("officials", 1.000),
    ("attr date", 0.967),
    ("attr issuer", 1.000),
    ("attr symbol", 0.970),
    ("attr event_province", 0.900),
    ("attr event_docs", 1.000),
    ("attr position", 1.000),
];

/// A figure equal to its floor up to float rounding (37/43 and back) passes.
const FLOOR_SLACK: f64 = 1e-9;

const CATEGORIES: [&str; 4] = ["documents", "relations", "events", "officials"];
const ATTRS: [&str; 6] = [
    "date",
    "issuer",
    "symbol",
    "event_province",
    "event_docs",
    "position",
];

/// `os.path.abspath`: the lexical normal form (no symlink resolution).
fn abspath(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

fn dev_root() -> Option<PathBuf> {
    let root = abspath(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/dev"));
    root.join("gold").is_dir().then_some(root)
}

/// `sorted(glob("gold/*.json"))`: glob's `*` skips names starting with a dot.
fn gold_files(root: &Path) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(root.join("gold"))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter_map(|e| {
                    let name = e.file_name().into_string().ok()?;
                    let stem = name.strip_suffix(".json")?;
                    (!name.starts_with('.')).then(|| (stem.to_owned(), e.path()))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

// ---------------------------------------------------------------------------
// Python semantics on JSON values, as far as score.py relies on them.
// ---------------------------------------------------------------------------

static NULL: Value = Value::Null;

/// `d.get(key)` (None for a missing key or a non-object).
fn get<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or(&NULL)
}

/// `g[key]` on the gold: a missing key is a KeyError, which stops score.py.
fn req<'a>(v: &'a Value, key: &str, what: &str) -> Result<&'a Value, String> {
    v.as_object()
        .and_then(|o| o.get(key))
        .ok_or_else(|| format!("score.py fails: {what} has no key {key:?}"))
}

/// Python truthiness.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// `x or []` for a list: the items, or none when the value is falsy.
fn items(v: &Value) -> &[Value] {
    match v {
        Value::Array(a) => a,
        _ => &[],
    }
}

/// Python numeric value of a number or a bool (True == 1, 1 == 1.0).
fn py_num(v: &Value) -> Option<f64> {
    match v {
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Number(n) => n.as_f64(),
        _ => None,
    }
}

/// Python `==` on JSON values.
fn py_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| py_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, p)| y.get(k).is_some_and(|q| py_eq(p, q)))
        }
        _ => match (py_num(a), py_num(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        },
    }
}

/// `str(x)` for the values score.py formats (strings, None, ints).
fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if !n.is_i64() && !n.is_u64() => format!("{f:?}"),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

/// `str.isspace` (Unicode White_Space, plus the separators U+001C–U+001F).
fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// score.py's `nfc` on a string: NFC, then `strip()`.
fn nfc_s(s: &str) -> String {
    let n: String = s.nfc().collect();
    n.trim_matches(py_space).to_owned()
}

/// score.py's `nfc`: strings normalised and stripped, anything else as is.
fn nfc(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(nfc_s(s)),
        other => other.clone(),
    }
}

/// score.py's `norm_pos`: NFC, lower case, runs of spaces as one.
fn norm_pos(s: &str) -> String {
    nfc_s(s)
        .to_lowercase()
        .split(py_space)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `x in (None, "")`.
fn none_or_empty(v: &Value) -> bool {
    v.is_null() || v.as_str() == Some("")
}

/// Python dict key of an int-like value (`keyof[r["from"]]`): ints, bools,
/// and floats equal to an int hash alike.
fn int_key(v: &Value) -> Option<i128> {
    match v {
        Value::Bool(b) => Some(i128::from(*b)),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Some(i128::from(i))
            } else if let Some(u) = n.as_u64() {
                Some(i128::from(u))
            } else {
                let f = n.as_f64()?;
                // Any integral float here is far below 2^63 in practice.
                (f.fract() == 0.0 && f.abs() < 9.0e18).then_some(f as i128)
            }
        }
        _ => None,
    }
}

/// `isinstance(j, int)` (a bool is an int in Python).
fn is_py_int(v: &Value) -> bool {
    matches!(v, Value::Bool(_)) || v.as_i64().is_some() || v.as_u64().is_some()
}

/// A Python set of JSON values: members kept once, by `==`.
#[derive(Default)]
struct PySet(Vec<Value>);

impl PySet {
    fn insert(&mut self, v: Value) {
        if !self.contains(&v) {
            self.0.push(v);
        }
    }
    fn contains(&self, v: &Value) -> bool {
        self.0.iter().any(|x| py_eq(x, v))
    }
    /// |self & other|, |self - other|, |other - self|.
    fn compare(&self, other: &PySet) -> (usize, usize, usize) {
        let both = self.0.iter().filter(|v| other.contains(v)).count();
        (
            both,
            self.0.len() - both,
            other.0.iter().filter(|v| !self.contains(v)).count(),
        )
    }
}

/// A Python dict keyed by JSON values: a later key replaces the value and
/// keeps the first position.
struct PyDict<'a>(Vec<(Value, &'a Value)>);

impl<'a> PyDict<'a> {
    fn new() -> Self {
        PyDict(Vec::new())
    }
    fn insert(&mut self, k: Value, v: &'a Value) {
        match self.0.iter_mut().find(|(x, _)| py_eq(x, &k)) {
            Some(slot) => slot.1 = v,
            None => self.0.push((k, v)),
        }
    }
    fn get(&self, k: &Value) -> Option<&'a Value> {
        self.0.iter().find(|(x, _)| py_eq(x, k)).map(|(_, v)| *v)
    }
    fn keys(&self) -> PySet {
        PySet(self.0.iter().map(|(k, _)| k.clone()).collect())
    }
}

// ---------------------------------------------------------------------------
// The scorer, line by line after score.py.
// ---------------------------------------------------------------------------

#[derive(Default, Clone, Copy, Debug, PartialEq)]
struct Prf {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Prf {
    fn add(&mut self, tp: usize, fp: usize, fn_: usize) {
        self.tp += tp;
        self.fp += fp;
        self.fn_ += fn_;
    }
    fn f1(&self) -> (f64, f64, f64) {
        let (tp, fp, fn_) = (self.tp as f64, self.fp as f64, self.fn_ as f64);
        let p = if self.tp + self.fp > 0 {
            tp / (tp + fp)
        } else {
            1.0
        };
        let r = if self.tp + self.fn_ > 0 {
            tp / (tp + fn_)
        } else {
            1.0
        };
        let f1 = if p + r != 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f1)
    }
}

#[derive(Default)]
struct Score {
    cats: [Prf; 4],
    /// (ok, n) per attribute, in `ATTRS` order.
    attr: [(usize, usize); 6],
    errors: usize,
    /// What `--verbose` would say, in our own words.
    details: Vec<String>,
    /// score.py's ERROR lines.
    error_lines: Vec<String>,
}

const DOCS: usize = 0;
const RELS: usize = 1;
const EVENTS: usize = 2;
const OFFS: usize = 3;
const A_DATE: usize = 0;
const A_ISSUER: usize = 1;
const A_SYMBOL: usize = 2;
const A_PROVINCE: usize = 3;
const A_EVDOCS: usize = 4;
const A_POSITION: usize = 5;

/// `gkey`: kind:number, plus /year when the gold gives a truthy year.
fn gkey(d: &Value) -> Result<String, String> {
    let kind = req(d, "kind", "a gold document")?;
    let number = req(d, "number", "a gold document")?;
    let mut k = format!("{}:{}", py_str(kind), nfc_s(&py_str(number)));
    let year = get(d, "year");
    if truthy(year) {
        let _ = write!(k, "/{}", py_str(year));
    }
    Ok(k)
}

/// `match_docs`: predicted index -> gold key (or None).
fn match_docs(gold_docs: &[Value], pdocs: &[&Value]) -> Result<Vec<Option<String>>, String> {
    let mut taken: HashSet<String> = HashSet::new();
    let mut mapping = Vec::with_capacity(pdocs.len());
    for p in pdocs {
        let mut found = None;
        for g in gold_docs {
            let k = gkey(g)?;
            if taken.contains(&k)
                || !py_eq(get(p, "kind"), req(g, "kind", "a gold document")?)
                || nfc_s(&py_str(get(p, "number")))
                    != nfc_s(&py_str(req(g, "number", "a gold document")?))
            {
                continue;
            }
            let gy = get(g, "year");
            if truthy(gy) && !py_eq(get(p, "year"), gy) {
                continue;
            }
            taken.insert(k.clone());
            found = Some(k);
            break;
        }
        mapping.push(found);
    }
    Ok(mapping)
}

fn list<'a>(v: &'a Value, key: &str, what: &str) -> Result<&'a [Value], String> {
    req(v, key, what)?
        .as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| format!("score.py fails: {what} {key:?} is not a list"))
}

/// One text: score.py's loop body after `run`.
fn score_text(score: &mut Score, name: &str, gold: &Value, out: &Value) -> Result<(), String> {
    let allp = items(get(out, "documents"));
    let pdocs: Vec<&Value> = allp
        .iter()
        .filter(|d| !none_or_empty(get(d, "number")))
        .collect();
    let gold_docs = list(gold, "documents", name)?;
    let mapping = match_docs(gold_docs, &pdocs)?;
    // Index in the full predicted list -> key used for relations and events.
    let mut keyof: Vec<String> = Vec::with_capacity(allp.len());
    let mut j = 0usize;
    for (i, d) in allp.iter().enumerate() {
        if none_or_empty(get(d, "number")) {
            keyof.push(format!("unnumbered:{i}"));
            continue;
        }
        keyof.push(match mapping.get(j).cloned().flatten() {
            Some(k) => k,
            None => format!(
                "extra:{}:{}:{i}",
                py_str(get(d, "kind")),
                py_str(get(d, "number"))
            ),
        });
        j += 1;
    }
    let key_at = |v: &Value| -> Option<&String> {
        let i = int_key(v)?;
        usize::try_from(i).ok().and_then(|i| keyof.get(i))
    };
    // gkeys: a later gold document with the same key replaces the earlier.
    let mut gkeys: Vec<(String, &Value)> = Vec::new();
    for g in gold_docs {
        let k = gkey(g)?;
        match gkeys.iter_mut().find(|(x, _)| *x == k) {
            Some(slot) => slot.1 = g,
            None => gkeys.push((k, g)),
        }
    }
    let got: HashSet<&String> = mapping.iter().flatten().collect();
    let extra: Vec<usize> = (0..mapping.len())
        .filter(|&i| mapping[i].is_none())
        .collect();
    let missing: Vec<&String> = gkeys
        .iter()
        .map(|(k, _)| k)
        .filter(|k| !got.contains(k))
        .collect();
    score.cats[DOCS].add(got.len(), extra.len(), missing.len());
    if !extra.is_empty() || !missing.is_empty() {
        let extra: Vec<String> = extra
            .iter()
            .map(|&i| {
                format!(
                    "{}:{}{}",
                    py_str(get(pdocs[i], "kind")),
                    py_str(get(pdocs[i], "number")),
                    match get(pdocs[i], "year") {
                        Value::Null => String::new(),
                        y => format!("/{}", py_str(y)),
                    }
                )
            })
            .collect();
        score.details.push(format!(
            "{name} documents: missing {missing:?} extra {extra:?}"
        ));
    }
    for (i, k) in mapping.iter().enumerate() {
        let Some(k) = k else { continue };
        let d = pdocs[i];
        let Some(g) = gkeys.iter().find(|(x, _)| x == k).map(|(_, g)| *g) else {
            continue;
        };
        for (a, slot) in [("date", A_DATE), ("symbol", A_SYMBOL)] {
            let Some(ga) = g.get(a) else { continue };
            score.attr[slot].1 += 1;
            let da = get(d, a);
            let ok = if ga.is_null() {
                none_or_empty(da)
            } else if a == "symbol" {
                truthy(da)
                    && match da {
                        Value::String(s) => {
                            py_eq(&Value::String(nfc_s(s).replace(' ', "")), &nfc(ga))
                        }
                        _ => false,
                    }
            } else {
                py_eq(&nfc(da), &nfc(ga))
            };
            score.attr[slot].0 += usize::from(ok);
            if !ok {
                score
                    .details
                    .push(format!("{name} {k} {a}: got {da} want {ga}"));
            }
        }
        let gi = get(g, "issuer");
        if truthy(gi) {
            let Value::String(gi_s) = gi else {
                return Err(format!("score.py fails: {name} {k} issuer is not a string"));
            };
            score.attr[A_ISSUER].1 += 1;
            let di = get(d, "issuer");
            let ok = truthy(di)
                && match di {
                    Value::String(s) => nfc_s(s).starts_with(&nfc_s(gi_s)),
                    _ => false,
                };
            score.attr[A_ISSUER].0 += usize::from(ok);
            if !ok {
                score
                    .details
                    .push(format!("{name} {k} issuer: got {di} want {gi}"));
            }
        }
    }
    if let Some(grels) = gold.get("relations") {
        let mut prel = PySet::default();
        for r in items(get(out, "relations")) {
            let triple = match (
                r.as_object().and_then(|o| o.get("type")),
                key_at(get(r, "from")).filter(|_| r.get("from").is_some()),
                key_at(get(r, "to")).filter(|_| r.get("to").is_some()),
            ) {
                (Some(t), Some(f), Some(to)) => Value::Array(vec![
                    t.clone(),
                    Value::String(f.clone()),
                    Value::String(to.clone()),
                ]),
                _ => Value::Array(vec![
                    Value::String("malformed".into()),
                    Value::String(r.to_string()),
                    Value::String(String::new()),
                ]),
            };
            prel.insert(triple);
        }
        let mut grel = PySet::default();
        let grels = grels
            .as_array()
            .ok_or_else(|| format!("score.py fails: {name} relations is not a list"))?;
        for r in grels {
            let what = format!("a gold relation of {name}");
            grel.insert(Value::Array(vec![
                req(r, "type", &what)?.clone(),
                req(r, "from", &what)?.clone(),
                req(r, "to", &what)?.clone(),
            ]));
        }
        let (tp, fp, fn_) = prel.compare(&grel);
        score.cats[RELS].add(tp, fp, fn_);
        if fp > 0 || fn_ > 0 {
            let show = |s: &PySet, o: &PySet| -> Vec<String> {
                s.0.iter()
                    .filter(|v| !o.contains(v))
                    .map(|v| items(v).iter().map(py_str).collect::<Vec<_>>().join(" "))
                    .collect()
            };
            score.details.push(format!(
                "{name} relations: missing {:?} extra {:?}",
                show(&grel, &prel),
                show(&prel, &grel)
            ));
        }
    }
    if gold.get("events").is_some() {
        let gevents = list(gold, "events", name)?;
        let pev = items(get(out, "events"));
        let mut used: HashSet<usize> = HashSet::new();
        let mut etp = 0usize;
        for ge in gevents {
            let what = format!("a gold event of {name}");
            let gdate = req(ge, "date", &what)?;
            for (i, e) in pev.iter().enumerate() {
                if used.contains(&i) || !py_eq(get(e, "date"), gdate) {
                    continue;
                }
                used.insert(i);
                etp += 1;
                let gp = get(ge, "province");
                if truthy(gp) {
                    score.attr[A_PROVINCE].1 += 1;
                    let ep = get(e, "province");
                    let ep = if truthy(ep) {
                        ep.clone()
                    } else {
                        Value::String(String::new())
                    };
                    let ok = py_eq(&nfc(&ep), &nfc(gp));
                    score.attr[A_PROVINCE].0 += usize::from(ok);
                    if !ok {
                        score.details.push(format!(
                            "{name} event {} province: got {ep} want {gp}",
                            py_str(gdate)
                        ));
                    }
                }
                // {keyof.get(j) for j in e.documents if isinstance(j, int)}
                let mut edocs = PySet::default();
                for j in items(get(e, "documents")) {
                    if is_py_int(j) {
                        edocs.insert(match key_at(j) {
                            Some(k) => Value::String(k.clone()),
                            None => Value::Null,
                        });
                    }
                }
                let gdocs = list(ge, "documents", &what)?;
                let mut gset = PySet::default();
                for d in gdocs {
                    gset.insert(d.clone());
                }
                let (both, _, _) = gset.compare(&edocs);
                score.attr[A_EVDOCS].1 += gdocs.len();
                score.attr[A_EVDOCS].0 += both;
                if both < gdocs.len() {
                    let lacking: Vec<String> = gset
                        .0
                        .iter()
                        .filter(|d| !edocs.contains(d))
                        .map(py_str)
                        .collect();
                    score.details.push(format!(
                        "{name} event {} documents: missing {lacking:?}",
                        py_str(gdate)
                    ));
                }
                break;
            }
        }
        score.cats[EVENTS].add(etp, pev.len() - used.len(), gevents.len() - etp);
        if etp != gevents.len() || pev.len() != etp {
            let gd: Vec<String> = gevents.iter().map(|e| py_str(get(e, "date"))).collect();
            let pd: Vec<String> = pev.iter().map(|e| py_str(get(e, "date"))).collect();
            score
                .details
                .push(format!("{name} events: gold {gd:?} got {pd:?}"));
        }
    }
    if gold.get("officials").is_some() {
        let mut poff = PyDict::new();
        for o in items(get(out, "officials")) {
            let name_v = match o.get("name") {
                Some(n) => nfc(n),
                None => Value::String(String::new()),
            };
            poff.insert(name_v, o);
        }
        let mut goff = PyDict::new();
        for o in list(gold, "officials", name)? {
            goff.insert(nfc(req(o, "name", "a gold official")?), o);
        }
        let (tp, fp, fn_) = poff.keys().compare(&goff.keys());
        score.cats[OFFS].add(tp, fp, fn_);
        if fp > 0 || fn_ > 0 {
            let (pk, gk) = (poff.keys(), goff.keys());
            let missing: Vec<String> =
                gk.0.iter()
                    .filter(|k| !pk.contains(k))
                    .map(py_str)
                    .collect();
            let extra: Vec<String> =
                pk.0.iter()
                    .filter(|k| !gk.contains(k))
                    .map(py_str)
                    .collect();
            score.details.push(format!(
                "{name} officials: missing {missing:?} extra {extra:?}"
            ));
        }
        for (n, g) in &goff.0 {
            let Some(p) = poff.get(n) else { continue };
            score.attr[A_POSITION].1 += 1;
            let positions = items(get(p, "positions"));
            // any(norm_pos(g["position"]) in norm_pos(p) for p in positions):
            // the gold position is read only when there is a position.
            let mut ok = false;
            for pp in positions {
                let Value::String(gp) = req(g, "position", "a gold official")? else {
                    return Err(format!("score.py fails: {name} position is not a string"));
                };
                if let Value::String(pp) = pp {
                    if norm_pos(pp).contains(&norm_pos(gp)) {
                        ok = true;
                        break;
                    }
                }
            }
            score.attr[A_POSITION].0 += usize::from(ok);
            if !ok {
                score.details.push(format!(
                    "{name} {} position: got {} want {}",
                    py_str(n),
                    get(p, "positions"),
                    get(g, "position")
                ));
            }
        }
    }
    Ok(())
}

/// The text score.py prints (without `--verbose`).
fn table(score: &Score) -> String {
    let mut s = String::new();
    for line in &score.error_lines {
        let _ = writeln!(s, "{line}");
    }
    let _ = writeln!(s, "{:12} {:>6} {:>6} {:>6}", "category", "P", "R", "F1");
    let mut f = [0.0; 4];
    for (i, c) in CATEGORIES.iter().enumerate() {
        let (p, r, f1) = score.cats[i].f1();
        f[i] = f1;
        let _ = writeln!(s, "{c:12} {p:6.3} {r:6.3} {f1:6.3}");
    }
    for (i, a) in ATTRS.iter().enumerate() {
        let (ok, n) = score.attr[i];
        let _ = writeln!(s, "attr {a:14} {ok}/{n}");
    }
    let _ = writeln!(s, "errors {}", score.errors);
    let _ = writeln!(
        s,
        "extract F1 docs={:.3} rel={:.3} events={:.3} officials={:.3}",
        f[0], f[1], f[2], f[3]
    );
    s
}

/// Extracts every dev text as `vanban extract --format json` would, keeps
/// the JSON lines (by text name), and scores them.
fn run(root: &Path) -> Result<(Score, Vec<(String, String)>), String> {
    let mut score = Score::default();
    let mut lines = Vec::new();
    for (stem, gpath) in gold_files(root) {
        let raw = std::fs::read_to_string(&gpath)
            .map_err(|e| format!("score.py fails: cannot read {}: {e}", gpath.display()))?;
        let gold: Value = serde_json::from_str(&raw)
            .map_err(|e| format!("score.py fails: {} is not JSON: {e}", gpath.display()))?;
        let src = root.join("texts").join(format!("{stem}.txt"));
        let name = format!("dev/{stem}.txt");
        let display = src.to_string_lossy().into_owned();
        let bytes = match std::fs::read(&src) {
            Ok(b) => b,
            Err(e) => {
                // score.py's error path: everything in the gold is missed.
                score.errors += 1;
                score.error_lines.push(format!("ERROR {display}: {e}"));
                for (i, c) in CATEGORIES.iter().enumerate() {
                    score.cats[i].add(0, 0, items(get(&gold, c)).len());
                }
                continue;
            }
        };
        let prepared = prepare(&bytes, Format::from_path(&display));
        let result = extract(&display, &prepared);
        let line = serde_json::to_string(&result).map_err(|e| format!("{name}: {e}"))?;
        let out: Value = serde_json::from_str(&line).map_err(|e| format!("{name}: {e}"))?;
        score_text(&mut score, &name, &gold, &out)?;
        lines.push((format!("{stem}.txt"), line));
    }
    Ok((score, lines))
}

/// Runs score.py itself on the JSON lines this test produced, through a
/// wrapper script standing in for the binary; returns its output and, per
/// category, (tp, fp, fn, p, r, f1) read from its PRF objects.
fn python_score(root: &Path, lines: &[(String, String)]) -> Result<Option<PyOut>, String> {
    let have_python = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_python {
        return Ok(None);
    }
    let dir = std::env::temp_dir().join(format!("vanban-devset-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("temp dir: {e}"))?;
    let result = python_score_in(root, lines, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    result.map(Some)
}

struct PyOut {
    table: String,
    cats: Vec<(usize, usize, usize, f64, f64, f64)>,
}

const PY_HOOK: &str = r#"
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
import score
made = []
class Counting(score.PRF):
    def __init__(s):
        super().__init__()
        made.append(s)
score.PRF = Counting
sys.argv = ["score.py", sys.argv[2]]
score.main()
for m in made:
    p, r, f = m.f1()
    print("PRF", m.tp, m.fp, m.fn, repr(p), repr(r), repr(f))
"#;

fn python_score_in(root: &Path, lines: &[(String, String)], dir: &Path) -> Result<PyOut, String> {
    let out_dir = dir.join("out");
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("temp dir: {e}"))?;
    for (name, line) in lines {
        std::fs::write(out_dir.join(format!("{name}.json")), format!("{line}\n"))
            .map_err(|e| format!("temp file: {e}"))?;
    }
    // score.py runs `BIN extract --format json PATH`: print the line kept for PATH.
    let wrapper = dir.join("vanban");
    let quoted = out_dir.to_string_lossy().replace('\'', r"'\''");
    std::fs::write(
        &wrapper,
        format!("#!/bin/sh\nexec cat '{quoted}'/\"$(basename \"$4\")\".json\n"),
    )
    .map_err(|e| format!("wrapper: {e}"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| format!("wrapper: {e}"))?;
    }
    let output = Command::new("python3")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .arg("-c")
        .arg(PY_HOOK)
        .arg(root)
        .arg(&wrapper)
        .output()
        .map_err(|e| format!("python3: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "score.py failed on the test's JSON lines: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut table = String::new();
    let mut cats = Vec::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("PRF ") else {
            table.push_str(line);
            table.push('\n');
            continue;
        };
        let f: Vec<&str> = rest.split(' ').collect();
        let parse = || -> Option<(usize, usize, usize, f64, f64, f64)> {
            Some((
                f.first()?.parse().ok()?,
                f.get(1)?.parse().ok()?,
                f.get(2)?.parse().ok()?,
                f.get(3)?.parse().ok()?,
                f.get(4)?.parse().ok()?,
                f.get(5)?.parse().ok()?,
            ))
        };
        cats.push(parse().ok_or_else(|| format!("unreadable hook line {line:?}"))?);
    }
    Ok(PyOut { table, cats })
}

/// The figure a floor names: a category's F1 or an attribute's ok/n.
fn figure(score: &Score, name: &str) -> Option<f64> {
    if let Some(a) = name.strip_prefix("attr ") {
        let i = ATTRS.iter().position(|x| *x == a)?;
        let (ok, n) = score.attr[i];
        return Some(if n == 0 { 1.0 } else { ok as f64 / n as f64 });
    }
    let i = CATEGORIES.iter().position(|x| *x == name)?;
    Some(score.cats[i].f1().2)
}

#[test]
fn dev_set_scores_at_least_the_floors() {
    let Some(root) = dev_root() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "shared/dev is missing beside the repository (../shared/dev): the dev-set test cannot run"
        );
        eprintln!("skipped: ../shared/dev not found");
        return;
    };
    let (score, lines) = run(&root).unwrap_or_else(|e| panic!("{e}"));
    let table = table(&score);
    println!("dev set, scored as ../shared/dev/score.py scores it:\n");
    print!("{table}");
    if !score.details.is_empty() {
        println!("\nmissing or extra, text by text:");
        for d in &score.details {
            println!("  {d}");
        }
    }

    // The port is exact: score.py on the same JSON lines says the same.
    match python_score(&root, &lines) {
        Ok(None) => println!("\npython3 not found: the cross-check with score.py is skipped"),
        Ok(Some(py)) => {
            assert_eq!(
                py.table, table,
                "score.py and this test print different tables for the same JSON lines \
                 (left: score.py, right: the port)"
            );
            assert_eq!(
                py.cats.len(),
                CATEGORIES.len(),
                "score.py made {} PRF counters, the port has {}",
                py.cats.len(),
                CATEGORIES.len()
            );
            for (i, c) in CATEGORIES.iter().enumerate() {
                let (tp, fp, fn_, p, r, f1) = py.cats[i];
                let m = score.cats[i];
                assert_eq!(
                    (tp, fp, fn_),
                    (m.tp, m.fp, m.fn_),
                    "{c}: score.py counts (tp, fp, fn) differ from the port's"
                );
                let (mp, mr, mf) = m.f1();
                for (what, a, b) in [("P", p, mp), ("R", r, mr), ("F1", f1, mf)] {
                    assert!(
                        (a - b).abs() < 1e-9,
                        "{c} {what}: score.py {a} vs the port {b}"
                    );
                }
            }
            println!("\nscore.py on the same JSON lines: identical table and counts");
        }
        Err(e) => panic!("{e}"),
    }

    assert_eq!(
        score.errors, 0,
        "{} dev text(s) could not be read",
        score.errors
    );
    let mut below = Vec::new();
    for &(name, floor) in FLOORS {
        let Some(value) = figure(&score, name) else {
            below.push(format!("{name}: no such figure (fix FLOORS)"));
            continue;
        };
        if value + FLOOR_SLACK < floor {
            below.push(format!(
                "{name}: {value:.4} is below its floor {floor:.3} (a regression: fix it, never lower the floor)"
            ));
        } else if value + FLOOR_SLACK >= floor + 0.001 {
            println!(
                "{name}: {value:.4} is above its floor {floor:.3}: raise it in FLOORS (crates/extract/tests/devset.rs)"
            );
        }
    }
    assert!(
        below.is_empty(),
        "the dev set regressed (floors in crates/extract/tests/devset.rs):\n  {}",
        below.join("\n  ")
    );
}
