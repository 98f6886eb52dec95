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

/// `Store::graph_around` (what `vanban doc` reads) answers every lookup,
/// view and chain step of every document as the whole graph does.
fn answers_like_the_graph(store: &mut Store, graph: &Graph) {
    use vanban_store::graph::Page;
    let as_of = date(2026, 1, 1);
    let mut references: Vec<String> = graph.documents().iter().map(|d| d.id.clone()).collect();
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
    for reference in &references {
        for chains in [false, true] {
            let around = store.graph_around(reference, chains).unwrap();
            let found = graph.lookup(reference);
            assert_eq!(around.lookup(reference), found, "{reference}");
            if let vanban_store::graph::Lookup::Found(id) = found {
                assert_eq!(
                    around.view_page(&id, as_of, Page::ALL),
                    graph.view_page(&id, as_of, Page::ALL),
                    "{reference} chains={chains}"
                );
                for r in graph.relation_views(&id).unwrap_or_default() {
                    assert_eq!(around.document(&r.other), graph.document(&r.other));
                }
                if chains {
                    // Every document on the chain of replacements (both
                    // ways, as `vanban doc` walks it), with its replacements.
                    let replaces = |g: &Graph, cur: &str| {
                        g.relation_views(cur).map(|v| {
                            v.into_iter()
                                .filter(|r| r.kind == RelationKind::Replaces)
                                .collect::<Vec<_>>()
                        })
                    };
                    assert_eq!(around.relation_views(&id), graph.relation_views(&id));
                    let mut seen = std::collections::HashSet::from([id.clone()]);
                    let mut todo = vec![id.clone()];
                    while let Some(cur) = todo.pop() {
                        let views = replaces(graph, &cur);
                        assert_eq!(replaces(&around, &cur), views, "{reference}: {cur}");
                        assert_eq!(around.document(&cur), graph.document(&cur));
                        for r in views.unwrap_or_default() {
                            if seen.insert(r.other.clone()) {
                                todo.push(r.other);
                            }
                        }
                    }
                }
            }
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
