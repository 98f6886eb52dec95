//! Search benchmark: vanban-search (tantivy) beside SQLite FTS5 in the same
//! run, over the same texts and the same fixed queries.
//!
//! - Texts: `../shared/corpus` (vlc + unc) repeated to 100,000 source
//!   entries (distinct `source` ids, `#copy` appended; the texts repeat), plus
//!   the documents they cite.
//! - Queries: `benches/queries.tsv` (with and without diacritics, document
//!   references, kind/issuer/year/province filters).
//! - Latency: each query once to warm up, then [`REPS`] timed runs, in
//!   process; a run is what `vanban search` does: the total count, the top
//!   10 and their snippets. p50/p95/p99 over every timed run.
//! - Recall of diacritic-less queries: for every accented query, the share
//!   of the entries it matches that its diacritic-less form also matches.
//!
//! ```text
//! CARGO_TARGET_DIR=target-search cargo bench -p vanban-search --bench search
//! ```
//!
//! `VANBAN_SEARCH_BENCH_ENTRIES=20000` for a shorter run;
//! `VANBAN_SEARCH_BENCH_BUILD_ONLY=1` builds the indexes and stops. Both indexes are
//! built once and kept in `<target>/vanban-search-bench/`, keyed by the
//! number of entries, the corpus and the source of the code that writes
//! the index (schema, writer, analyser); delete that directory to rebuild.

use rusqlite::Connection;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use vanban_extract::{extract, prepare, Format};
use vanban_search::{analyzer, provinces, DocumentEntry, Query, SearchIndex, SourceEntry};

/// Timed runs per query (after one warm-up run).
const REPS: usize = 10;
/// An FTS5 query whose warm-up run takes longer than this is timed once
/// (that one time stands for all [`REPS`] runs, so every query weighs the same).
const SLOW: Duration = Duration::from_secs(1);

/// One line of `queries.tsv`.
struct BenchQuery {
    text: String,
    kind: Option<String>,
    issuer: Option<String>,
    year: Option<i32>,
    province: Option<String>,
}

impl BenchQuery {
    fn query(&self) -> Query {
        let mut q = Query::new(self.text.clone());
        q.kind = self.kind.clone();
        q.issuer = self.issuer.clone();
        q.year = self.year;
        q.province = self.province.clone();
        q
    }
    fn filters(&self) -> String {
        [
            self.kind.as_ref().map(|k| format!("kind={k}")),
            self.issuer.as_ref().map(|i| format!("issuer={i}")),
            self.year.map(|y| format!("year={y}")),
            self.province.as_ref().map(|p| format!("province={p}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
    }
    /// The same query typed without diacritics, if it has any.
    fn unaccented(&self) -> Option<BenchQuery> {
        let folded = analyzer::fold(&self.text);
        (folded != self.text.to_lowercase()).then(|| BenchQuery {
            text: folded,
            kind: self.kind.clone(),
            issuer: self.issuer.clone(),
            year: self.year,
            province: self.province.clone(),
        })
    }
}

fn load_queries(path: &Path) -> Vec<BenchQuery> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read the benchmark queries {}: {e}", path.display()));
    let opt = |s: Option<&str>| {
        s.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut c = l.split('\t');
            BenchQuery {
                text: c.next().unwrap_or("").trim().to_owned(),
                kind: opt(c.next()),
                issuer: opt(c.next()),
                year: opt(c.next()).and_then(|y| y.parse().ok()),
                province: opt(c.next()),
            }
        })
        .collect()
}

fn files(root: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for sub in ["vlc", "unc"] {
        if let Ok(rd) = std::fs::read_dir(root.join(sub)) {
            for e in rd.flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == "txt") {
                    v.push(p);
                }
            }
        }
    }
    v.sort();
    v
}

/// Nearest-rank percentile, in milliseconds.
fn percentile(v: &[Duration], p: f64) -> f64 {
    let mut v = v.to_vec();
    v.sort();
    if v.is_empty() {
        return 0.0;
    }
    let rank = ((v.len() as f64) * p).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1].as_secs_f64() * 1000.0
}

fn fts_match(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.to_lowercase()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The SQL condition for the filters of `q` (the naive way: LIKE on
/// `|a|b|` lists kept beside the text).
fn fts_filters(q: &BenchQuery) -> String {
    let esc = |s: &str| s.replace('\'', "''");
    let mut filt = String::new();
    if let Some(k) = &q.kind {
        let code = vanban_search::reference::parse_kind(k).map_or(k.clone(), |k| k.code().into());
        filt.push_str(&format!(" AND kinds LIKE '%|{}|%'", esc(&code)));
    }
    if let Some(i) = &q.issuer {
        filt.push_str(&format!(
            " AND issuers LIKE '%|{}|%'",
            esc(&analyzer::fold(i))
        ));
    }
    if let Some(y) = q.year {
        filt.push_str(&format!(" AND years LIKE '%|{y}|%'"));
    }
    if let Some(p) = &q.province {
        let names = provinces::covered(p).unwrap_or_default();
        let ors: Vec<String> = names
            .iter()
            .map(|n| format!("provinces LIKE '%|{}|%'", esc(n)))
            .collect();
        if ors.is_empty() {
            filt.push_str(" AND 0");
        } else {
            filt.push_str(&format!(" AND ({})", ors.join(" OR ")));
        }
    }
    filt
}

struct Corpus {
    sources: Vec<SourceEntry>,
    documents: Vec<DocumentEntry>,
}

fn read_corpus(root: &Path, paths: &[PathBuf]) -> Corpus {
    let mut sources: Vec<SourceEntry> = Vec::new();
    let mut documents: Vec<DocumentEntry> = Vec::new();
    let mut seen = HashSet::new();
    for p in paths {
        let Ok(bytes) = std::fs::read(p) else {
            continue;
        };
        let prepared = prepare(&bytes, Format::Text);
        let name = p.strip_prefix(root).unwrap_or(p).display().to_string();
        let x = extract(&name, &prepared);
        let text = prepared.text().to_owned();
        let title = text
            .lines()
            .find(|l| !l.starts_with('#') && !l.trim().is_empty())
            .unwrap_or("")
            .to_owned();
        let mut ids = Vec::new();
        for d in &x.documents {
            let (Some(n), Some(s)) = (&d.number, &d.symbol) else {
                continue;
            };
            let r = if s.contains('/') {
                format!("{n}-{s}")
            } else if let Some(y) = d.year {
                format!("{n}/{y}/{s}")
            } else {
                format!("{n}/{s}")
            };
            let id = format!(
                "{r}@{}",
                d.date
                    .map(|d| d.to_string())
                    .or(d.year.map(|y| y.to_string()))
                    .unwrap_or_default()
            );
            ids.push(id.clone());
            if seen.insert(id.clone()) {
                documents.push(DocumentEntry {
                    id,
                    kind: d.kind,
                    number: d.number.clone(),
                    symbol: d.symbol.clone(),
                    year: d.year,
                    issuer: d.issuer.clone(),
                    title: d.title.clone(),
                    provinces: vec![],
                });
            }
        }
        let mut provs: Vec<String> = x.events.iter().filter_map(|e| e.province.clone()).collect();
        // Also the provinces the text names (the bench needs province filters to bite).
        for m in vanban_extract::places::find_provinces(&text, 0..text.len()) {
            provs.push(m.name.to_owned());
        }
        provs.sort();
        provs.dedup();
        sources.push(SourceEntry {
            source: name,
            published: x.published,
            title,
            kinds: x
                .documents
                .iter()
                .map(|d| d.kind.code().to_owned())
                .collect(),
            issuers: x
                .documents
                .iter()
                .filter_map(|d| d.issuer.clone())
                .collect(),
            years: x.documents.iter().filter_map(|d| d.year).collect(),
            provinces: provs,
            document_ids: ids,
            text,
        });
    }
    Corpus { sources, documents }
}

/// Copy `i` of the corpus: source entry `i % n`, its id made distinct.
fn entry(base: &[SourceEntry], i: usize) -> SourceEntry {
    let mut e = base[i % base.len()].clone();
    let copy = i / base.len();
    e.source = format!("{}#{copy}", e.source);
    e.title = format!("{} #{copy}", e.title);
    e
}

/// Where built indexes are kept: `<target>/vanban-search-bench`.
fn cache_root() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            // <target>/release/deps/search-…
            std::env::current_exe()
                .ok()
                .and_then(|p| p.ancestors().nth(3).map(Path::to_path_buf))
        })
        .unwrap_or_else(|| PathBuf::from("target"));
    target.join("vanban-search-bench")
}

/// A fingerprint of what a built index depends on.
fn fingerprint(entries: usize, corpus: &Corpus, code: &[&str]) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    entries.hash(&mut h);
    for s in &corpus.sources {
        s.source.hash(&mut h);
        s.text.len().hash(&mut h);
        s.provinces.hash(&mut h);
        s.document_ids.hash(&mut h);
    }
    corpus.documents.len().hash(&mut h);
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for f in code {
        std::fs::read(src.join(f)).unwrap_or_default().hash(&mut h);
    }
    format!("{:016x}", h.finish())
}

fn build_tantivy(dir: &Path, corpus: &Corpus, entries: usize) -> (SearchIndex, Option<f64>) {
    let done = dir.join("complete");
    if done.exists() {
        if let Ok(idx) = SearchIndex::open(dir.join("index")) {
            return (idx, None);
        }
    }
    let _ = std::fs::remove_dir_all(dir);
    let t = Instant::now();
    let idx = SearchIndex::create(dir.join("index")).expect("create index");
    let mut w = idx.writer().expect("writer");
    for d in &corpus.documents {
        w.add_document(d.clone()).expect("add document");
    }
    for i in 0..entries {
        w.add_source(entry(&corpus.sources, i)).expect("add source");
    }
    w.finish().expect("commit");
    idx.reload().expect("reload");
    let secs = t.elapsed().as_secs_f64();
    std::fs::write(&done, format!("{secs:.1}\n")).expect("mark the index complete");
    (idx, Some(secs))
}

fn build_fts(dir: &Path, corpus: &Corpus, entries: usize) -> (Connection, Option<f64>) {
    let done = dir.join("complete");
    let path = dir.join("fts.sqlite");
    if done.exists() {
        if let Ok(db) = Connection::open(&path) {
            return (db, None);
        }
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("cache dir");
    let t = Instant::now();
    let db = Connection::open(&path).expect("sqlite");
    db.execute_batch(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
         CREATE VIRTUAL TABLE t USING fts5(source UNINDEXED, text, kinds UNINDEXED, issuers UNINDEXED, years UNINDEXED, provinces UNINDEXED);",
    )
    .expect("fts5 table");
    let list = |v: Vec<String>| format!("|{}|", v.join("|"));
    {
        let tx = db.unchecked_transaction().expect("tx");
        {
            let mut ins = tx
                .prepare("INSERT INTO t(source, text, kinds, issuers, years, provinces) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .expect("insert");
            for i in 0..entries {
                let e = entry(&corpus.sources, i);
                let years: Vec<String> = e
                    .years
                    .iter()
                    .copied()
                    .chain(e.published.map(|p| chrono::Datelike::year(&p)))
                    .map(|y| y.to_string())
                    .collect();
                ins.execute(rusqlite::params![
                    e.source,
                    e.text,
                    list(e.kinds.clone()),
                    list(e.issuers.iter().map(|i| analyzer::fold(i)).collect()),
                    list(years),
                    list(e.provinces.clone()),
                ])
                .expect("insert row");
            }
        }
        tx.commit().expect("commit");
    }
    db.execute_batch("INSERT INTO t(t) VALUES('optimize');")
        .expect("fts5 optimize");
    let secs = t.elapsed().as_secs_f64();
    std::fs::write(&done, format!("{secs:.1}\n")).expect("mark the index complete");
    (db, Some(secs))
}

fn dir_size(p: &Path) -> u64 {
    let mut n = 0;
    if let Ok(rd) = std::fs::read_dir(p) {
        for e in rd.flatten() {
            match e.metadata() {
                Ok(m) if m.is_dir() => n += dir_size(&e.path()),
                Ok(m) => n += m.len(),
                Err(_) => {}
            }
        }
    }
    n
}

fn fts_matching(db: &Connection, q: &BenchQuery) -> HashSet<String> {
    let sql = format!("SELECT source FROM t WHERE t MATCH ?1{}", fts_filters(q));
    let Ok(mut st) = db.prepare_cached(&sql) else {
        return HashSet::new();
    };
    st.query_map([fts_match(&q.text)], |r| r.get::<_, String>(0))
        .map(|it| it.flatten().collect())
        .unwrap_or_default()
}

fn fts_run(db: &Connection, q: &BenchQuery) -> usize {
    let m = fts_match(&q.text);
    let filt = fts_filters(q);
    let count_sql = format!("SELECT count(*) FROM t WHERE t MATCH ?1{filt}");
    let top_sql = format!(
        "SELECT source, snippet(t, 1, '<mark>', '</mark>', '…', 24) FROM t WHERE t MATCH ?1{filt} ORDER BY rank LIMIT 10"
    );
    let n: i64 = db.query_row(&count_sql, [&m], |r| r.get(0)).unwrap_or(0);
    if let Ok(mut st) = db.prepare_cached(&top_sql) {
        let rows: Vec<(String, String)> = st
            .query_map([&m], |r| Ok((r.get(0)?, r.get(1)?)))
            .map(|it| it.flatten().collect())
            .unwrap_or_default();
        std::hint::black_box(rows);
    }
    usize::try_from(n).unwrap_or(0)
}

/// Recall of the diacritic-less forms: (matched by both, matched by the accented query).
#[derive(Default)]
struct Recall {
    both: usize,
    accented: usize,
    pairs: usize,
    /// Pairs whose diacritic-less form finds nothing while the accented one finds some.
    lost: usize,
}

impl Recall {
    fn add(&mut self, accented: &HashSet<String>, plain: &HashSet<String>) {
        self.pairs += 1;
        self.accented += accented.len();
        let both = accented.intersection(plain).count();
        self.both += both;
        if !accented.is_empty() && plain.is_empty() {
            self.lost += 1;
        }
    }
    fn share(&self) -> f64 {
        if self.accented == 0 {
            return 0.0;
        }
        self.both as f64 / self.accented as f64 * 100.0
    }
}

fn main() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.join("../../../shared/corpus");
    // `cargo test --all-targets` runs this binary without `--bench`: then it
    // is a smoke test of the benchmark itself, on a few hundred entries.
    let benching = std::env::args().any(|a| a == "--bench");
    let entries: usize = std::env::var("VANBAN_SEARCH_BENCH_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if benching { 100_000 } else { 300 });
    let queries = load_queries(&manifest.join("benches/queries.tsv"));
    let paths = files(&root);
    if paths.is_empty() {
        eprintln!("no corpus at {}; nothing to benchmark", root.display());
        return;
    }
    let t = Instant::now();
    let corpus = read_corpus(&root, &paths);
    let bytes: usize = corpus.sources.iter().map(|s| s.text.len()).sum();
    let copies = entries as f64 / corpus.sources.len().max(1) as f64;
    println!(
        "corpus: {} files, {:.1} MB, {} documents cited; prepared and extracted in {:.1} s",
        corpus.sources.len(),
        bytes as f64 / 1e6,
        corpus.documents.len(),
        t.elapsed().as_secs_f64()
    );
    println!(
        "entries: {entries} sources ({copies:.1} copies of the corpus, {:.0} MB of text) + {} documents; {} queries",
        bytes as f64 * copies / 1e6,
        corpus.documents.len(),
        queries.len()
    );

    let cache = cache_root();
    let key = fingerprint(
        entries,
        &corpus,
        &[
            "analyzer.rs",
            "reference.rs",
            "provinces.rs",
            "schema.rs",
            "writer.rs",
        ],
    );
    let tantivy_dir = cache.join(format!("tantivy-{entries}-{key}"));
    let fts_key = fingerprint(entries, &corpus, &[]);
    let fts_dir = cache.join(format!("fts5-{entries}-{fts_key}"));

    println!(
        "indexes: {} and {}",
        tantivy_dir.display(),
        fts_dir.display()
    );
    let (idx, built) = build_tantivy(&tantivy_dir, &corpus, entries);
    let tantivy_build = built.or_else(|| {
        std::fs::read_to_string(tantivy_dir.join("complete"))
            .ok()
            .and_then(|s| s.trim().parse().ok())
    });
    println!(
        "tantivy: {} entries, {:.0} MB on disk, built in {:.1} s{}",
        idx.len(),
        dir_size(&tantivy_dir) as f64 / 1e6,
        tantivy_build.unwrap_or(f64::NAN),
        if built.is_some() { "" } else { " (cached)" }
    );
    let (db, built) = build_fts(&fts_dir, &corpus, entries);
    let fts_build = built.or_else(|| {
        std::fs::read_to_string(fts_dir.join("complete"))
            .ok()
            .and_then(|s| s.trim().parse().ok())
    });
    println!(
        "fts5: {entries} rows, {:.0} MB on disk, built in {:.1} s{}",
        dir_size(&fts_dir) as f64 / 1e6,
        fts_build.unwrap_or(f64::NAN),
        if built.is_some() { "" } else { " (cached)" }
    );
    drop(corpus);
    if std::env::var_os("VANBAN_SEARCH_BENCH_BUILD_ONLY").is_some() {
        return;
    }

    // Latency.
    let mut lat_t: Vec<Duration> = Vec::new();
    let mut lat_f: Vec<Duration> = Vec::new();
    println!("\n| query | filters | tantivy total | tantivy p50 ms | tantivy max ms | fts5 total | fts5 p50 ms |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    for bq in &queries {
        let query = bq.query();
        let mut mine = Vec::with_capacity(REPS);
        let mut total_t = 0;
        let _ = idx.search(&query);
        for _ in 0..REPS {
            let t = Instant::now();
            let r = idx.search(&query).expect("search");
            mine.push(t.elapsed());
            total_t = r.total;
            std::hint::black_box(r);
        }
        let t = Instant::now();
        let total_f = fts_run(&db, bq);
        let mut theirs = Vec::with_capacity(REPS);
        if t.elapsed() > SLOW {
            let t = Instant::now();
            fts_run(&db, bq);
            theirs = vec![t.elapsed(); REPS];
        } else {
            for _ in 0..REPS {
                let t = Instant::now();
                fts_run(&db, bq);
                theirs.push(t.elapsed());
            }
        }
        println!(
            "| {} | {} | {} | {:.2} | {:.2} | {} | {:.2} |",
            bq.text,
            bq.filters(),
            total_t,
            percentile(&mine, 0.5),
            percentile(&mine, 1.0),
            total_f,
            percentile(&theirs, 0.5)
        );
        lat_t.extend(mine);
        lat_f.extend(theirs);
    }

    // Recall of diacritic-less forms.
    let mut recall_t = Recall::default();
    let mut recall_f = Recall::default();
    println!("\n| accented query | diacritic-less | filters | tantivy: found / accented matches | fts5: found / accented matches |");
    println!("|---|---|---|---:|---:|");
    for bq in &queries {
        let Some(plain) = bq.unaccented() else {
            continue;
        };
        let set = |v: Vec<String>| v.into_iter().collect::<HashSet<String>>();
        let a_t = set(idx.matching(&bq.query()).expect("matching"));
        let p_t = set(idx.matching(&plain.query()).expect("matching"));
        let a_f = fts_matching(&db, bq);
        let p_f = fts_matching(&db, &plain);
        println!(
            "| {} | {} | {} | {} / {} | {} / {} |",
            bq.text,
            plain.text,
            bq.filters(),
            a_t.intersection(&p_t).count(),
            a_t.len(),
            a_f.intersection(&p_f).count(),
            a_f.len()
        );
        recall_t.add(&a_t, &p_t);
        recall_f.add(&a_f, &p_f);
    }

    println!("\n| engine | build s | p50 ms | p95 ms | p99 ms | max ms | diacritic-less recall | pairs where it finds nothing |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (name, build, lat, recall) in [
        ("vanban-search (tantivy)", tantivy_build, &lat_t, &recall_t),
        ("SQLite FTS5 unicode61", fts_build, &lat_f, &recall_f),
    ] {
        println!(
            "| {name} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {:.1} % ({} of {} over {} pairs) | {} |",
            build.unwrap_or(f64::NAN),
            percentile(lat, 0.5),
            percentile(lat, 0.95),
            percentile(lat, 0.99),
            percentile(lat, 1.0),
            recall.share(),
            recall.both,
            recall.accented,
            recall.pairs,
            recall.lost
        );
    }
    println!(
        "\n{} queries x {REPS} timed runs each (after one warm-up; FTS5 queries slower than {} s timed once), {entries} source entries",
        queries.len(),
        SLOW.as_secs()
    );
}
