//! The derived state kept in the store (migration 0007) against the
//! reference, `Graph::build` over every fact: random subsets of a pool of
//! sources, in random orders and batch sizes, stored one batch at a time
//! (the state maintained per write) give exactly the rows that
//! `rebuild_derived` writes from all facts, and both say what the graph
//! says of every document and every mention. On both backends
//! (`VANBAN_TEST_POSTGRES_URL` as in tests/backends.rs: skipped without
//! it, failing under `CI=true`).

use chrono::NaiveDate;
use proptest::prelude::*;
use vanban_extract::{
    Document, DocumentKind, Event, EventKind, Extraction, Relation, RelationKind, Span,
};
use vanban_store::graph::Graph;
use vanban_store::{Location, NewSource, Store};

/// A fresh store: embedded in a temporary directory, or a fresh schema on
/// the test server (dropped afterwards).
struct Target {
    location: Location,
    drop_schema: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl Target {
    fn sqlite() -> Target {
        let dir = tempfile::tempdir().unwrap();
        Target {
            location: Location::Embedded(dir.path().join("kho")),
            drop_schema: None,
            _dir: Some(dir),
        }
    }

    fn postgres(test: &str) -> Option<Target> {
        let Some(base) = std::env::var("VANBAN_TEST_POSTGRES_URL")
            .ok()
            .filter(|u| !u.is_empty())
        else {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!(
                    "CI=true but VANBAN_TEST_POSTGRES_URL is unset: CI must test the PostgreSQL \
                     backend (eval \"$(bash scripts/ci-postgres.sh)\" first)"
                );
            }
            eprintln!(
                "notice: VANBAN_TEST_POSTGRES_URL is unset, PostgreSQL test `{test}` skipped"
            );
            return None;
        };
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let schema = format!("d_{}_{}_{}", test, std::process::id(), nanos);
        let mut client = ::postgres::Client::connect(&base, ::postgres::NoTls)
            .unwrap_or_else(|e| panic!("cannot reach VANBAN_TEST_POSTGRES_URL: {e}"));
        client
            .batch_execute(&format!("CREATE SCHEMA {schema}"))
            .unwrap();
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
        Some(Target {
            location: Location::Postgres(url),
            drop_schema: Some((base, schema)),
            _dir: None,
        })
    }

    fn open(&self) -> Store {
        Store::open(&self.location).unwrap_or_else(|e| panic!("open {:?}: {e}", self.location))
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Some((url, schema)) = &self.drop_schema {
            if let Ok(mut c) = ::postgres::Client::connect(url, ::postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
            }
        }
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// One mention as generated: indexes into the pools below.
#[derive(Debug, Clone)]
struct MentionSpec {
    kind: usize,
    number: usize,
    symbol: usize,
    when: usize,
    issuer: usize,
}

#[derive(Debug, Clone)]
struct SourceSpec {
    published: usize,
    mentions: Vec<MentionSpec>,
    /// `(kind, from, to)`, indexes taken modulo the mentions.
    relations: Vec<(usize, usize, usize)>,
    /// Documents of one event, modulo the mentions.
    event: Vec<usize>,
}

const KINDS: [DocumentKind; 4] = [
    DocumentKind::QuyDinh,
    DocumentKind::QuyetDinh,
    DocumentKind::NghiQuyet,
    DocumentKind::NghiDinh,
];
/// Numbers that share keys (`05` = `5`) and collide across kinds.
const NUMBERS: [&str; 5] = ["5", "05", "58", "126", "30"];
const SYMBOLS: [Option<&str>; 5] = [
    None,
    Some("QĐ/TW"),
    Some("QĐ/TƯ"),
    Some("NQ/TW"),
    Some("NĐ-CP"),
];
const ISSUERS: [Option<&str>; 3] = [None, Some("Bộ Chính trị"), Some("Ban Thường vụ Tỉnh ủy")];

/// `(year, date)`: none, a year only, or a date (two dates in one year:
/// a conflict).
fn when(i: usize) -> (Option<i32>, Option<NaiveDate>) {
    match i {
        0 => (None, None),
        1 => (Some(2018), None),
        2 => (None, Some(date(2018, 2, 28))),
        3 => (None, Some(date(2018, 7, 1))),
        _ => (None, Some(date(2022, 10, 17))),
    }
}

fn published(i: usize) -> Option<NaiveDate> {
    match i {
        0 => None,
        1 => Some(date(2019, 3, 1)),
        2 => Some(date(2017, 6, 1)),
        _ => Some(date(2023, 1, 5)),
    }
}

fn source(n: usize, spec: &SourceSpec) -> NewSource {
    let mut text = format!("Tin số {n}\n");
    let mut documents = Vec::new();
    for m in &spec.mentions {
        let kind = KINDS[m.kind % KINDS.len()];
        let number = NUMBERS[m.number % NUMBERS.len()];
        let symbol = SYMBOLS[m.symbol % SYMBOLS.len()];
        let (year, date) = when(m.when);
        let written = match symbol {
            Some(s) => format!("{} số {number}-{s}", kind.label_vi()),
            None => format!("{} {number}", kind.label_vi()),
        };
        let start = text.len();
        text.push_str(&written);
        let end = text.len();
        text.push_str(". ");
        documents.push(Document {
            kind,
            number: Some(number.to_owned()),
            symbol: symbol.map(str::to_owned),
            year,
            date,
            issuer: ISSUERS[m.issuer % ISSUERS.len()].map(str::to_owned),
            title: (m.issuer == 1).then(|| "về công tác bảo vệ chính trị nội bộ".to_owned()),
            mentions: vec![Span { start, end }],
        });
    }
    // One mention without a number (a named law): never resolved.
    documents.push(Document {
        kind: DocumentKind::Luat,
        number: None,
        symbol: None,
        year: None,
        date: None,
        issuer: None,
        title: Some("Luật Tổ chức chính quyền địa phương".into()),
        mentions: vec![],
    });
    let count = documents.len();
    let relations = spec
        .relations
        .iter()
        .map(|&(k, f, t)| Relation {
            kind: [
                RelationKind::Replaces,
                RelationKind::Amends,
                RelationKind::Guides,
            ][k % 3],
            from: f % count,
            to: t % count,
        })
        .collect();
    let events = if spec.event.is_empty() {
        vec![]
    } else {
        vec![Event {
            kind: EventKind::Dissemination,
            date: published(spec.published),
            end_date: None,
            province: Some("Hà Nam".into()),
            organizer: None,
            documents: spec.event.iter().map(|i| i % count).collect(),
        }]
    };
    NewSource {
        hash: format!("{:064x}", 0x5eed_0000 + n),
        bytes: text.len() as u64,
        title: format!("Tin số {n}"),
        text,
        extraction: Extraction {
            source: format!("tin/{n:03}.txt"),
            published: published(spec.published),
            documents,
            relations,
            events,
            officials: vec![],
        },
    }
}

fn mention_spec() -> impl Strategy<Value = MentionSpec> {
    (0..4usize, 0..5usize, 0..5usize, 0..5usize, 0..3usize).prop_map(
        |(kind, number, symbol, when, issuer)| MentionSpec {
            kind,
            number,
            symbol,
            when,
            issuer,
        },
    )
}

fn source_spec() -> impl Strategy<Value = SourceSpec> {
    (
        0..4usize,
        prop::collection::vec(mention_spec(), 0..4),
        prop::collection::vec((0..3usize, 0..5usize, 0..5usize), 0..3),
        prop::collection::vec(0..5usize, 0..3),
    )
        .prop_map(|(published, mentions, relations, event)| SourceSpec {
            published,
            mentions,
            relations,
            event,
        })
}

/// A pool of sources, the subset stored (in a shuffled order) and the
/// batch sizes.
fn scenario() -> impl Strategy<Value = (Vec<NewSource>, Vec<usize>)> {
    prop::collection::vec(source_spec(), 1..14)
        .prop_flat_map(|specs| {
            let n = specs.len();
            (
                Just(specs),
                prop::collection::vec(any::<bool>(), n),
                Just((0..n).collect::<Vec<usize>>()).prop_shuffle(),
                prop::collection::vec(1..5usize, 1..14),
            )
        })
        .prop_map(|(specs, keep, order, batches)| {
            let chosen: Vec<NewSource> = order
                .into_iter()
                .filter(|&i| keep[i] || i == 0)
                .map(|i| source(i, &specs[i]))
                .collect();
            (chosen, batches)
        })
}

/// Stores `sources` in batches of the given sizes (cycled), then checks
/// the maintained state against a rebuild and against the graph.
/// With `defer`, the batches after the first only mark the state stale
/// (a bulk `vanban ingest`) and it is rebuilt at the end.
fn check(target: &Target, sources: &[NewSource], batches: &[usize], defer: bool) {
    let mut store = target.open();
    let mut at = 0;
    let mut b = 0;
    while at < sources.len() {
        if defer && b == 1 {
            store.defer_derived();
        }
        let size = batches[b % batches.len()].min(sources.len() - at);
        store.insert(&sources[at..at + size]).unwrap();
        at += size;
        b += 1;
    }
    // Storing a batch again changes nothing.
    store.insert(&sources[..1]).unwrap();
    store.finish_derived().unwrap();
    let maintained = store.derived_dump().unwrap();
    store.rebuild_derived().unwrap();
    let rebuilt = store.derived_dump().unwrap();
    assert_eq!(
        maintained, rebuilt,
        "maintained and rebuilt derived state differ"
    );
    let graph = store.graph().unwrap();
    agrees_with_graph(&rebuilt, &graph);
    answers_like_the_graph(&mut store, &graph);
    // What `vanban ingest`'s summary reads instead of the graph.
    let counts = store.backend().derived_counts().unwrap();
    let stats = graph.stats();
    assert_eq!(counts.documents, stats.documents as u64);
    assert_eq!(counts.relations, stats.relations as u64);
    assert_eq!(store.counts().unwrap().events, stats.events as u64);
}

/// The search index kept batch by batch with `indexing::update_touched`
/// (only the sources and documents of the number keys each batch touched,
/// read from the derived state) holds what the whole-graph `update` and a
/// `rebuild` from scratch give it: the same state, and the same answers.
fn check_index(target: &Target, sources: &[NewSource], batches: &[usize]) {
    use vanban_search::{Query, SearchIndex};
    use vanban_store::indexing::{self, IndexState};
    let mut store = target.open();
    let dirs = tempfile::tempdir().unwrap();
    let touched_dir = dirs.path().join("touched");
    let whole_dir = dirs.path().join("whole");
    let touched = SearchIndex::create(&touched_dir).unwrap();
    let whole = SearchIndex::create(&whole_dir).unwrap();
    // Kept as a server keeps it: one writer and the state in memory across
    // updates, never merged whole (as above MERGE_WHOLE_BELOW entries).
    let segments_dir = dirs.path().join("segments");
    let segments = SearchIndex::create(&segments_dir).unwrap();
    indexing::update(
        &mut store,
        &Graph::default(),
        &segments,
        &segments_dir,
        &mut |_, _| {},
    )
    .unwrap();
    let mut kept_writer = segments.writer().unwrap();
    let mut kept_state = IndexState::load(&segments_dir);
    // A fresh index has no state: the incremental update declines.
    let none = indexing::update_touched(
        &mut store,
        &[],
        &[],
        0,
        &touched,
        &touched_dir,
        &mut |_, _| {},
    );
    assert!(none.unwrap().is_none());
    indexing::update(
        &mut store,
        &Graph::default(),
        &touched,
        &touched_dir,
        &mut |_, _| {},
    )
    .unwrap();
    let mut at = 0;
    let mut b = 0;
    while at < sources.len() {
        let size = batches[b % batches.len()].min(sources.len() - at);
        let done = store.insert(&sources[at..at + size]).unwrap();
        at += size;
        b += 1;
        let keys = done.touched.clone().unwrap_or_default();
        let total = store.counts().unwrap().sources;
        let a = indexing::update_touched(
            &mut store,
            &keys,
            &done.ids,
            total,
            &touched,
            &touched_dir,
            &mut |_, _| {},
        )
        .unwrap()
        .expect("the index holds every earlier source: the update is incremental");
        let graph = store.graph().unwrap();
        let w = indexing::update(&mut store, &graph, &whole, &whole_dir, &mut |_, _| {}).unwrap();
        let k = indexing::update_touched_with(
            &mut store,
            &keys,
            &done.ids,
            total,
            &segments,
            &mut kept_writer,
            &mut kept_state,
            &segments_dir,
            0,
            &mut |_, _| {},
        )
        .unwrap()
        .expect("the kept index holds every earlier source");
        assert_eq!(k, w, "kept and whole updates did different work");
        assert_eq!(kept_state, IndexState::load(&segments_dir));
        assert_eq!(a, w, "incremental and whole updates did different work");
        // An index behind the store (a source missing) is not updated
        // incrementally.
        if total > 1 {
            let mut behind = IndexState::load(&touched_dir);
            let first = *behind.sources.keys().next().unwrap();
            behind.sources.remove(&first);
            let other = dirs.path().join("behind");
            std::fs::create_dir_all(&other).unwrap();
            behind.save(&other).unwrap();
            let idx = if other.join("meta.json").exists() {
                SearchIndex::open(&other).unwrap()
            } else {
                SearchIndex::create(&other).unwrap()
            };
            let r = indexing::update_touched(
                &mut store,
                &keys,
                &[],
                total,
                &idx,
                &other,
                &mut |_, _| {},
            );
            assert!(r.unwrap().is_none());
        }
    }
    let rebuilt_dir = dirs.path().join("rebuilt");
    let rebuilt = SearchIndex::create(&rebuilt_dir).unwrap();
    let (_, rebuilt_state) = indexing::rebuild(&mut store, &rebuilt, &mut |_| {}).unwrap();
    let sorted = |mut s: IndexState| {
        s.version = 0;
        s
    };
    let a = sorted(IndexState::load(&touched_dir));
    assert_eq!(a, sorted(IndexState::load(&whole_dir)));
    assert_eq!(a, sorted(rebuilt_state));
    let queries = [
        ("quy định 58", None, None, None),
        ("126-QĐ/TW", None, None, None),
        ("nghị định 30", None, None, None),
        ("5", None, None, None),
        ("quyết định", Some("quyet_dinh"), None, None),
        ("tin", None, Some("Hà Nam"), None),
        ("tin", None, None, Some(2018)),
        ("bảo vệ chính trị nội bộ", None, None, None),
    ];
    for (text, kind, province, year) in queries {
        let mut q = Query::new(text);
        q.limit = 100;
        q.kind = kind.map(str::to_owned);
        q.province = province.map(str::to_owned);
        q.year = year;
        // The incrementally kept index replaces entries in small segments
        // and merges them only now and then, and BM25 statistics count a
        // replaced entry until its segment is merged: its scores may
        // differ a little from those of the whole update and the rebuild
        // (both merged into one segment), which agree exactly.
        let a = answer(&touched, &q);
        let w = answer(&whole, &q);
        let r = answer(&rebuilt, &q);
        assert_eq!(w, r, "{text}: whole update vs rebuild");
        like_a_rebuild(&a, &r, text);
        // Never merged whole: the same total and hits; the scores count
        // the replaced entries still in their segments (in an index this
        // small they weigh a lot, so they are not compared).
        let s = answer(&segments, &q);
        assert_eq!(s.0, r.0, "{text}: kept index, totals");
        let keys = |x: &(usize, Vec<(f64, String)>)| {
            let mut k: Vec<String> = x.1.iter().map(|h| h.1.clone()).collect();
            k.sort();
            k
        };
        assert_eq!(keys(&s), keys(&r), "{text}: kept index, hits");
    }
}

/// A search's total and hits (each with its score, as JSON without it),
/// in score order, ties by the hit.
fn answer(
    index: &vanban_search::SearchIndex,
    q: &vanban_search::Query,
) -> (usize, Vec<(f64, String)>) {
    let r = index.search(q).unwrap();
    let mut hits: Vec<(f64, String)> = r
        .hits
        .iter()
        .map(|h| {
            let mut v = serde_json::to_value(h).unwrap();
            if let Some(o) = v.as_object_mut() {
                o.remove("score");
            }
            (h.score(), v.to_string())
        })
        .collect();
    hits.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    (r.total, hits)
}

/// What a user relies on in an incrementally kept index, against a
/// rebuild (docs/search.md): the same total, the same hits (snippets,
/// titles, ids), each score within [`SCORE_TOLERANCE`] of the rebuild's,
/// and the rebuild's order wherever two scores are further apart than
/// twice that.
fn like_a_rebuild(a: &(usize, Vec<(f64, String)>), r: &(usize, Vec<(f64, String)>), text: &str) {
    assert_eq!(a.0, r.0, "{text}: totals");
    let mut hits_a: Vec<&String> = a.1.iter().map(|h| &h.1).collect();
    let mut hits_r: Vec<&String> = r.1.iter().map(|h| &h.1).collect();
    hits_a.sort();
    hits_r.sort();
    assert_eq!(hits_a, hits_r, "{text}: hits");
    let score_r: std::collections::HashMap<&String, f64> =
        r.1.iter().map(|h| (&h.1, h.0)).collect();
    for (score, hit) in &a.1 {
        let want = score_r[hit];
        assert!(
            (score - want).abs() <= SCORE_TOLERANCE * want.abs().max(1e-9),
            "{text}: {hit} scored {score}, rebuilt {want}"
        );
    }
    for (i, x) in a.1.iter().enumerate() {
        for y in &a.1[i + 1..] {
            let (sx, sy) = (score_r[&x.1], score_r[&y.1]);
            if sy > sx * (1.0 + 2.0 * SCORE_TOLERANCE) {
                panic!(
                    "{text}: {} ranked before {} ({sx} < {sy} rebuilt)",
                    x.1, y.1
                );
            }
        }
    }
}

/// How far an incrementally kept index's scores may be from a rebuild's
/// (relative): see docs/search.md.
const SCORE_TOLERANCE: f64 = 0.001;

/// The reference forms `vanban doc` is given for a document id: the id,
/// the id without its `#n`, the number and symbol with the year of the
/// date (`126-QĐ/TW@2018`), and without any date.
fn reference_forms(id: &str) -> Vec<String> {
    let mut out = vec![id.to_owned()];
    let base = id.split('#').next().unwrap_or(id);
    out.push(base.to_owned());
    if let Some((r, when)) = base.rsplit_once('@') {
        if when.len() > 4 {
            out.push(format!("{r}@{}", &when[..4]));
        }
        out.push(r.to_owned());
    }
    out
}

/// `Store::graph_around` (what `vanban doc` reads) answers every lookup,
/// view (every page), status and chain step of every document, in every
/// reference form, as the whole graph does, in both its modes (the JSON
/// object, and the text page with the chain of replacements).
fn answers_like_the_graph(store: &mut Store, graph: &Graph) {
    answers_like_the_graph_for(store, graph, &[]);
}

/// [`answers_like_the_graph`], with more references.
fn answers_like_the_graph_for(store: &mut Store, graph: &Graph, more: &[&str]) {
    let mut references: Vec<String> = graph
        .documents()
        .iter()
        .flat_map(|d| reference_forms(&d.id))
        .collect();
    references.extend(
        [
            "quy dinh 58",
            "58",
            "QĐ 5",
            "5-QĐ/TW",
            "126-qd/tw",
            "30/2022/NĐ-CP",
            "Nghị quyết 126",
            "99",
        ]
        .map(String::from),
    );
    references.extend(more.iter().map(|r| r.to_string()));
    references.sort();
    references.dedup();
    for reference in &references {
        for chains in [false, true] {
            let around = store.graph_around(reference, chains).unwrap();
            same_answers(&around, graph, reference, chains);
        }
    }
}

/// What `vanban doc REF` prints, from `around`, equals what it prints from
/// the whole `graph`.
fn same_answers(around: &Graph, graph: &Graph, reference: &str, chains: bool) {
    use vanban_store::graph::{Lookup, Page};
    let as_of = date(2026, 1, 1);
    let found = graph.lookup(reference);
    assert_eq!(around.lookup(reference), found, "{reference}");
    let id = match found {
        Lookup::Found(id) => id,
        Lookup::Ambiguous(ids) => {
            for id in ids {
                assert_eq!(around.document(&id), graph.document(&id), "{reference}");
            }
            return;
        }
        Lookup::NotFound => return,
    };
    for page in [
        Page::ALL,
        Page {
            offset: 0,
            limit: Some(1),
        },
        Page {
            offset: 1,
            limit: Some(2),
        },
    ] {
        assert_eq!(
            around.view_page(&id, as_of, page),
            graph.view_page(&id, as_of, page),
            "{reference} chains={chains}"
        );
    }
    for as_of in [date(2018, 3, 1), date(2019, 1, 1), date(2023, 1, 1)] {
        assert_eq!(
            around.status(&id, as_of),
            graph.status(&id, as_of),
            "{reference}"
        );
    }
    // What the page names: the other ends, the replacing or repealing
    // documents, the documents of each event.
    let (view, _) = graph.view_page(&id, as_of, Page::ALL).unwrap();
    let named = view
        .relations
        .iter()
        .map(|r| r.other.clone())
        .chain(view.status.by.iter().cloned())
        .chain(view.events.iter().flat_map(|e| e.documents.iter().cloned()));
    for other in named {
        assert_eq!(
            around.document(&other),
            graph.document(&other),
            "{reference}: {other}"
        );
    }
    if chains {
        let chain = graph.replacement_chain(&id);
        assert_eq!(around.replacement_chain(&id), chain, "{reference}");
        for step in &chain {
            assert_eq!(
                around.document(step),
                graph.document(step),
                "{reference}: {step}"
            );
        }
    }
}

/// The rows say what `Graph::build` says: every canonical document, as the
/// graph has it, and every mention's resolution.
fn agrees_with_graph(lines: &[String], graph: &Graph) {
    let mut documents = Vec::new();
    let mut resolution = Vec::new();
    for line in lines {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields[0] {
            "document" => documents.push((fields[1].to_owned(), fields[3].to_owned())),
            "resolution" => resolution.push((
                fields[1].parse::<i64>().unwrap(),
                fields[2].parse::<usize>().unwrap(),
                fields[4].to_owned(),
            )),
            _ => {}
        }
    }
    let mut expected: Vec<(String, String)> = graph
        .documents()
        .iter()
        .map(|d| (d.id.clone(), serde_json::to_string(d).unwrap()))
        .collect();
    expected.sort();
    assert_eq!(documents, expected);
    let mut expected = Vec::new();
    for s in graph.sources() {
        for (i, id) in graph.resolved_ids(s.id).into_iter().enumerate() {
            if let Some(id) = id {
                expected.push((s.id, i, id));
            }
        }
    }
    expected.sort();
    resolution.sort();
    assert_eq!(resolution, expected);
    let mut relations: Vec<(String, String, String)> = lines
        .iter()
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0] == "relation").then(|| (f[1].to_owned(), f[2].to_owned(), f[3].to_owned()))
        })
        .collect();
    let mut expected: Vec<(String, String, String)> = graph
        .relations()
        .iter()
        .map(|r| {
            let kind = serde_json::to_value(r.kind).unwrap();
            (
                kind.as_str().unwrap().to_owned(),
                r.from.clone(),
                r.to.clone(),
            )
        })
        .collect();
    relations.sort();
    expected.sort();
    assert_eq!(
        relations, expected,
        "derived relations differ from the graph's"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]
    #[test]
    fn sqlite_maintained_state_equals_a_rebuild((sources, batches) in scenario(), defer in any::<bool>()) {
        check(&Target::sqlite(), &sources, &batches, defer);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
    #[test]
    fn sqlite_incremental_index_equals_a_whole_update_and_a_rebuild((sources, batches) in scenario()) {
        check_index(&Target::sqlite(), &sources, &batches);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]
    #[test]
    fn postgres_incremental_index_equals_a_whole_update_and_a_rebuild((sources, batches) in scenario()) {
        if let Some(target) = Target::postgres("idx") {
            check_index(&target, &sources, &batches);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn postgres_maintained_state_equals_a_rebuild((sources, batches) in scenario(), defer in any::<bool>()) {
        if let Some(target) = Target::postgres("prop") {
            check(&target, &sources, &batches, defer);
        }
    }
}

/// A fixed case where a new canonical document changes how an earlier
/// short mention resolves: `Quy định 58` alone is its own document until a
/// text cites `58-QĐ/TW`; then it joins it. The maintained state follows.
#[test]
fn a_new_document_re_resolves_the_short_mentions_of_its_number() {
    let short = SourceSpec {
        published: 3,
        mentions: vec![MentionSpec {
            kind: 0,
            number: 2,
            symbol: 0,
            when: 0,
            issuer: 0,
        }],
        relations: vec![],
        event: vec![0],
    };
    let full = SourceSpec {
        published: 3,
        mentions: vec![MentionSpec {
            kind: 0,
            number: 2,
            symbol: 1,
            when: 4,
            issuer: 1,
        }],
        relations: vec![],
        event: vec![],
    };
    let target = Target::sqlite();
    let mut store = target.open();
    store.insert(&[source(0, &short)]).unwrap();
    let before = store.derived_dump().unwrap();
    assert!(
        before
            .iter()
            .any(|l| l.starts_with("document\tQuy định 58@?")),
        "{before:#?}"
    );
    store.insert(&[source(1, &full)]).unwrap();
    let after = store.derived_dump().unwrap();
    assert!(
        after
            .iter()
            .any(|l| l.starts_with("resolution\t1\t0\t58\t58-QĐ/TW@2022-10-17")),
        "{after:#?}"
    );
    assert!(
        !after.iter().any(|l| l.contains("Quy định 58@?")),
        "{after:#?}"
    );
    agrees_with_graph(&after, &store.graph().unwrap());
}

/// A document of [`text`]: kind, number, symbol, year, date.
type DocSpec<'a> = (
    DocumentKind,
    &'a str,
    Option<&'a str>,
    Option<i32>,
    Option<NaiveDate>,
);

/// A text of our own: documents `(kind, number, symbol, year, date)`,
/// relations `(kind, from, to)` between them, and one event on the
/// documents listed (none when empty).
fn text(
    n: usize,
    published: NaiveDate,
    docs: &[DocSpec],
    relations: &[(RelationKind, usize, usize)],
    event: &[usize],
) -> NewSource {
    let mut text = format!("Tin số {n}\n");
    let documents = docs
        .iter()
        .map(|&(kind, number, symbol, year, date)| {
            let start = text.len();
            text.push_str(&format!("{} số {number}", kind.label_vi()));
            if let Some(s) = symbol {
                text.push_str(&format!("-{s}"));
            }
            let end = text.len();
            text.push_str(". ");
            Document {
                kind,
                number: Some(number.to_owned()),
                symbol: symbol.map(str::to_owned),
                year,
                date,
                issuer: None,
                title: None,
                mentions: vec![Span { start, end }],
            }
        })
        .collect();
    NewSource {
        hash: format!("{:064x}", 0xc4a1_0000 + n),
        bytes: text.len() as u64,
        title: format!("Tin số {n}"),
        text,
        extraction: Extraction {
            source: format!("chuoi/{n:03}.txt"),
            published: Some(published),
            documents,
            relations: relations
                .iter()
                .map(|&(kind, from, to)| Relation { kind, from, to })
                .collect(),
            events: if event.is_empty() {
                vec![]
            } else {
                vec![Event {
                    kind: EventKind::Dissemination,
                    date: Some(published),
                    end_date: None,
                    province: Some("Hà Nam".into()),
                    organizer: None,
                    documents: event.to_vec(),
                }]
            },
            officials: vec![],
        },
    }
}

/// The number keys a graph's sources mention.
fn keys_of_sources(graph: &Graph) -> std::collections::BTreeSet<String> {
    graph
        .sources()
        .iter()
        .flat_map(|s| s.extraction.documents.iter())
        .filter_map(|d| d.number.clone())
        .collect()
}

/// A chain of eight replacements across eight numbers (`101-QĐ/TW` …
/// `108-QĐ/TW`, each replacing the one before), each number also holding
/// other documents with chains of their own (`10N-HD/BTGTW` replacing
/// `20N-HD/BTGTW` replacing `30N-HD/BTGTW`, and an amendment between two
/// numbers of their own), and two documents that print alike (`#2`).
/// `graph_around` answers as the whole graph for every document and
/// reference form, and reads only what the answer needs: the text page
/// of `104-QĐ/TW` only the chain's numbers, its JSON object only its own
/// and its two neighbours', never the other documents' chains.
fn chain_store(target: &Target) -> (Store, Graph) {
    use DocumentKind::{HuongDan, QuyDinh};
    use RelationKind::{Amends, Replaces};
    let mut store = target.open();
    let mut sources = Vec::new();
    let pub_day = |i: usize| date(2010 + i as i32, 6, 1);
    let issued = |i: usize| Some(date(2010 + i as i32, 3, 1));
    let numbers: Vec<String> = (1..=8).map(|i| format!("10{i}")).collect();
    for i in 1..=8 {
        let n = numbers[i - 1].as_str();
        let mut docs = vec![(QuyDinh, n, Some("QĐ/TW"), None, issued(i))];
        let mut relations = vec![];
        if i > 1 {
            docs.push((
                QuyDinh,
                numbers[i - 2].as_str(),
                Some("QĐ/TW"),
                None,
                issued(i - 1),
            ));
            relations.push((Replaces, 0, 1));
        }
        sources.push(text(sources.len(), pub_day(i), &docs, &relations, &[0]));
        // An event on the document alone.
        sources.push(text(
            sources.len(),
            pub_day(i),
            &[(QuyDinh, n, Some("QĐ/TW"), None, issued(i))],
            &[],
            &[0],
        ));
    }
    for i in 1..=8 {
        let own = format!("10{i}");
        let second = format!("20{i}");
        let third = format!("30{i}");
        let (a, b) = (format!("40{i}"), format!("50{i}"));
        let day = Some(date(2015, 1, i as u32));
        sources.push(text(
            sources.len(),
            date(2016, 1, 1),
            &[
                (HuongDan, own.as_str(), Some("HD/BTGTW"), None, day),
                (HuongDan, second.as_str(), Some("HD/BTGTW"), None, day),
                (HuongDan, a.as_str(), Some("HD/BTGTW"), None, day),
                (HuongDan, b.as_str(), Some("HD/BTGTW"), None, day),
            ],
            &[(Replaces, 0, 1), (Amends, 2, 3)],
            &[],
        ));
        sources.push(text(
            sources.len(),
            date(2016, 1, 1),
            &[
                (HuongDan, second.as_str(), Some("HD/BTGTW"), None, day),
                (HuongDan, third.as_str(), Some("HD/BTGTW"), None, day),
            ],
            &[(Replaces, 0, 1)],
            &[],
        ));
    }
    // Two documents of 104 that print alike: a year that is not the
    // date's makes another document of the same date.
    sources.push(text(
        sources.len(),
        date(2019, 1, 1),
        &[(QuyDinh, "104", Some("QĐ/TW"), Some(2019), issued(4))],
        &[],
        &[0],
    ));
    for chunk in sources.chunks(5) {
        store.insert(chunk).unwrap();
    }
    let graph = store.graph().unwrap();
    (store, graph)
}

#[test]
fn graph_around_follows_only_the_document_s_own_chain() {
    let target = Target::sqlite();
    let (mut store, graph) = chain_store(&target);
    let id = "104-QĐ/TW@2014-03-01";
    assert!(graph.document(id).is_some(), "{:?}", graph.documents());
    assert!(graph.document("104-QĐ/TW@2014-03-01#2").is_some());
    assert_eq!(graph.replacement_chain(id).len(), 8);
    answers_like_the_graph_for(
        &mut store,
        &graph,
        &[
            "104-QĐ/TW@2014-03-01#2",
            "104-qd/tw@2014",
            "quy dinh 104",
            "104",
        ],
    );
    let chain: std::collections::BTreeSet<String> = (1..=8).map(|i| format!("10{i}")).collect();
    let text_page = store.graph_around(id, true).unwrap();
    let read = keys_of_sources(&text_page);
    // The chain's numbers, and what their sources mention besides.
    assert!(read.is_superset(&chain), "{read:?}");
    for i in 1..=8 {
        assert!(!read.contains(&format!("30{i}")), "{read:?}");
    }
    let json = store.graph_around(id, false).unwrap();
    let read = keys_of_sources(&json);
    for other in [
        "101", "107", "108", "201", "202", "206", "207", "208", "304",
    ] {
        assert!(!read.contains(other), "{other}: {read:?}");
    }
    assert!(json.sources().len() < text_page.sources().len());
}

#[test]
fn postgres_graph_around_follows_only_the_document_s_own_chain() {
    let Some(target) = Target::postgres("chain") else {
        return;
    };
    let (mut store, graph) = chain_store(&target);
    answers_like_the_graph_for(
        &mut store,
        &graph,
        &[
            "104-QĐ/TW@2014-03-01#2",
            "104-qd/tw@2014",
            "quy dinh 104",
            "104",
        ],
    );
}

/// Two documents of two numbers (`30` and `30/2020`) that print alike
/// (`30/2020/CP@2020-05-01`) are numbered `#2` together: `graph_around`
/// answers as the whole graph whichever was cited first.
#[test]
fn documents_of_two_numbers_printed_alike_answer_as_the_whole_graph() {
    for first in [0, 1] {
        let target = Target::sqlite();
        let mut store = target.open();
        let day = Some(date(2020, 5, 1));
        let a = (DocumentKind::NghiDinh, "30", Some("CP"), None, day);
        let b = (DocumentKind::QuyDinh, "30/2020", Some("CP"), None, day);
        let docs = if first == 0 { [a, b] } else { [b, a] };
        let sources: Vec<NewSource> = docs
            .iter()
            .enumerate()
            .map(|(i, &d)| text(i, date(2020, 6, 1), &[d], &[], &[0]))
            .collect();
        store.insert(&sources).unwrap();
        let graph = store.graph().unwrap();
        let ids: Vec<&str> = graph.documents().iter().map(|d| d.id.as_str()).collect();
        assert_eq!(
            ids,
            ["30/2020/CP@2020-05-01", "30/2020/CP@2020-05-01#2"],
            "{first}"
        );
        answers_like_the_graph_for(&mut store, &graph, &["30/2020/CP", "30 2020 CP"]);
    }
}
