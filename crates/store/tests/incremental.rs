//! `Graph::with_sources` (the server's per-write update) must give exactly
//! the graph `Graph::build` gives from all the facts, whatever subsets,
//! orders and batch sizes the facts come in: every answer a page or the API
//! reads is compared (documents, resolution, relations, statuses, events
//! per document and province, counts, totals, orders, lookups).

use chrono::NaiveDate;
use proptest::prelude::*;
use std::sync::Arc;
use vanban_extract::{
    Document, DocumentKind, Event, EventKind, Extraction, Relation, RelationKind, Span,
};
use vanban_store::graph::{EventFilter, Graph, Page};
use vanban_store::SourceFacts;

/// `5` with symbol `8-QĐ/TW` and `5-8` with `QĐ/TW` print alike
/// (`5-8-QĐ/TW`): documents of two numbers numbered `#2` together.
const NUMBERS: &[&str] = &["58", "058", "126", "35", "1", "200", "5", "5-8", " "];
const SYMBOLS: &[Option<&str>] = &[
    Some("QĐ/TW"),
    Some("QĐ/TƯ"),
    Some("CT/TW"),
    Some("NĐ-CP"),
    Some("KL/TW"),
    Some("8-QĐ/TW"),
    None,
    None,
];
const KINDS: &[DocumentKind] = &[
    DocumentKind::QuyDinh,
    DocumentKind::QuyetDinh,
    DocumentKind::ChiThi,
    DocumentKind::NghiDinh,
    DocumentKind::KetLuan,
];
const DATES: &[Option<&str>] = &[
    None,
    None,
    Some("2018-02-28"),
    Some("2018-05-01"),
    Some("2022-02-08"),
    Some("2024-01-01"),
];
const ISSUERS: &[Option<&str>] = &[
    None,
    None,
    Some("Bộ Chính trị"),
    Some("Bộ chính trị"),
    Some("Ban Bí thư"),
    Some("Ban Thường vụ Tỉnh ủy"),
    Some("Ban Thường vụ Tỉnh ủy Hà Tĩnh"),
];
const TITLES: &[Option<&str>] = &[
    None,
    Some("Về công tác kiểm tra"),
    Some("về công tác kiểm tra"),
];
const PROVINCES: &[Option<&str>] = &[
    None,
    Some("Hà Nam"),
    Some("Nam Định"),
    Some("Ninh Bình"),
    Some("Hà Tĩnh"),
];
const RELATIONS: &[RelationKind] = &[
    RelationKind::Replaces,
    RelationKind::Amends,
    RelationKind::Repeals,
    RelationKind::Guides,
];
const EVENT_KINDS: &[EventKind] = &[EventKind::Dissemination, EventKind::Review];

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
}

fn pick<T: Copy>(list: &[T], i: usize) -> T {
    list[i % list.len()]
}

/// One document of a source: indexes into the lists above, a year-only
/// flag and the number of its mention spans.
type DocSeed = (usize, usize, usize, usize, usize, usize, bool, usize);
/// A relation: kind, from, to (indexes into the source's documents).
type RelSeed = (usize, usize, usize);
/// An event: kind, date, province, documents.
type EventSeed = (usize, usize, usize, Vec<usize>);
/// A source: published date, documents, relations, events.
type SourceSeed = (usize, Vec<DocSeed>, Vec<RelSeed>, Vec<EventSeed>);

fn source(id: i64, seed: &SourceSeed) -> SourceFacts {
    let (published, docs, relations, events) = seed;
    let documents: Vec<Document> = docs
        .iter()
        .map(|&(n, s, k, d, i, t, year_only, spans)| {
            let when = pick(DATES, d).map(date);
            Document {
                kind: pick(KINDS, k),
                number: Some(pick(NUMBERS, n).to_owned()),
                symbol: pick(SYMBOLS, s).map(str::to_owned),
                year: when.map(|w| chrono::Datelike::year(&w)),
                date: if year_only { None } else { when },
                issuer: pick(ISSUERS, i).map(str::to_owned),
                title: pick(TITLES, t).map(str::to_owned),
                mentions: (0..spans)
                    .map(|x| Span {
                        start: x * 10,
                        end: x * 10 + 5,
                    })
                    .collect(),
            }
        })
        .collect();
    let n = documents.len().max(1);
    let relations = relations
        .iter()
        .map(|&(k, f, t)| Relation {
            kind: pick(RELATIONS, k),
            from: f % n,
            to: t % n,
        })
        .collect();
    let events = events
        .iter()
        .map(|(k, d, p, ds)| Event {
            kind: pick(EVENT_KINDS, *k),
            date: pick(DATES, *d).map(date),
            end_date: None,
            province: pick(PROVINCES, *p).map(str::to_owned),
            organizer: None,
            documents: ds.iter().map(|x| x % n).collect(),
        })
        .collect();
    let excerpts = documents
        .iter()
        .map(|d| {
            if id % 3 == 0 {
                format!("số {}/2018/", d.number.as_deref().unwrap_or_default())
            } else {
                String::new()
            }
        })
        .collect();
    SourceFacts {
        id,
        hash: format!("{id:064x}"),
        title: String::new(),
        extraction: Extraction {
            source: format!("tin/{id}.txt"),
            published: [
                None,
                Some("2018-03-01"),
                Some("2019-01-01"),
                Some("2022-03-01"),
                Some("2025-06-01"),
            ][published % 5]
                .map(date),
            documents,
            relations,
            events,
            officials: Vec::new(),
        },
        excerpts,
    }
}

fn seeds() -> impl Strategy<Value = SourceSeed> {
    let doc = (
        0..NUMBERS.len(),
        0..SYMBOLS.len(),
        0..KINDS.len(),
        0..DATES.len(),
        0..ISSUERS.len(),
        0..TITLES.len(),
        any::<bool>(),
        0usize..3,
    );
    (
        0usize..5,
        proptest::collection::vec(doc, 0..4),
        proptest::collection::vec((0usize..4, 0usize..4, 0usize..4), 0..3),
        proptest::collection::vec(
            (
                0usize..2,
                0..DATES.len(),
                0..PROVINCES.len(),
                proptest::collection::vec(0usize..4, 0..3),
            ),
            0..3,
        ),
    )
}

/// Everything a page or an API answer reads from the graph, as JSON.
fn answers(g: &Graph) -> serde_json::Value {
    let as_of = [
        "2018-01-01",
        "2018-03-01",
        "2019-06-01",
        "2022-02-08",
        "2023-01-01",
        "2030-01-01",
    ];
    let docs: Vec<serde_json::Value> = g
        .documents()
        .iter()
        .map(|d| {
            let id = d.id.as_str();
            let statuses: Vec<_> = as_of.iter().map(|a| g.status(id, date(a))).collect();
            let page = g.view_page(
                id,
                date("2025-01-01"),
                Page {
                    offset: 1,
                    limit: Some(2),
                },
            );
            serde_json::json!({
                "doc": g.document(id),
                "statuses": statuses,
                "view": g.view(id, date("2025-01-01")),
                "page": page,
                "relations": g.relation_views(id),
                "events": g.document_events(id).collect::<Vec<_>>(),
                "event_count": g.document_event_count(id),
                "provinces": g.document_provinces(id),
                "citations": g.citations(id),
                "cited_by": g.cited_by(id),
                "lookup": format!("{:?}", g.lookup(id)),
            })
        })
        .collect();
    let mut references: Vec<String> = Vec::new();
    for n in NUMBERS {
        references.push((*n).to_owned());
        for k in [
            "Quy định",
            "Quyết định",
            "QĐ",
            "Chỉ thị",
            "Nghị định",
            "Kết luận",
        ] {
            references.push(format!("{k} {n}"));
            references.push(format!("{k} {n}@2018"));
            references.push(format!("{k} {n}@2022"));
        }
        for s in ["QĐ/TW", "CT/TW", "KL/TW"] {
            references.push(format!("{n}-{s}"));
            references.push(format!("{n}-{s}@2018"));
        }
        references.push(format!("{n}/2018/NĐ-CP"));
        references.push(format!("{n}/NĐ-CP"));
    }
    let lookups: Vec<String> = references
        .iter()
        .map(|r| format!("{r}: {:?}", g.lookup(r)))
        .collect();
    let by_province: Vec<_> = ["Ninh Bình", "Hà Nam", "Hà Tĩnh", "Nam Định"]
        .iter()
        .map(|p| {
            g.events(&EventFilter {
                province: Some((*p).to_owned()),
                ..EventFilter::default()
            })
        })
        .collect();
    let issuers: Vec<Option<&str>> = ISSUERS
        .iter()
        .flatten()
        .map(|i| g.issuer_name(&vanban_search::issuer_key(i)))
        .collect();
    serde_json::json!({
        "documents": g.documents(),
        "relations": g.relations(),
        "relation_reports": g.relations().iter().map(|r| r.first_reported).collect::<Vec<_>>(),
        "events": g.all_events(),
        "sources": g.sources().iter().map(|s| (s.id, g.resolved_ids(s.id))).collect::<Vec<_>>(),
        "stats": g.stats(),
        "docs": docs,
        "lookups": lookups,
        "by_province": by_province,
        "most_cited": g.most_cited(50).iter().map(|(d, n)| (d.id.clone(), *n)).collect::<Vec<_>>(),
        "issuers": issuers,
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn incremental_equals_a_fresh_build(
        sources in proptest::collection::vec(seeds(), 1..14),
        ids in proptest::collection::vec(1i64..60, 14),
        start in 0usize..14,
        batches in proptest::collection::vec(1usize..5, 14),
        shuffle in proptest::collection::vec(any::<u32>(), 14),
    ) {
        // Distinct ids, in an order that is not the ingest order.
        let mut used = std::collections::HashSet::new();
        let mut facts: Vec<SourceFacts> = Vec::new();
        for (i, seed) in sources.iter().enumerate() {
            let mut id = ids[i];
            while !used.insert(id) {
                id += 1;
            }
            facts.push(source(id, seed));
        }
        let mut order: Vec<usize> = (0..facts.len()).collect();
        order.sort_by_key(|&i| shuffle[i]);
        let facts: Vec<Arc<SourceFacts>> =
            order.iter().map(|&i| Arc::new(facts[i].clone())).collect();
        let expected = answers(&Graph::build_shared(facts.clone()));

        let start = start.min(facts.len());
        let mut g = Graph::build_shared(facts[..start].to_vec());
        let mut at = start;
        let mut b = 0;
        while at < facts.len() {
            let n = batches[b % batches.len()].min(facts.len() - at);
            // A batch may repeat a source already in the graph.
            let mut batch: Vec<Arc<SourceFacts>> = facts[at..at + n].to_vec();
            if at > 0 && b % 3 == 1 {
                batch.push(Arc::clone(&facts[0]));
            }
            g = g.with_sources(batch);
            at += n;
            b += 1;
        }
        prop_assert_eq!(answers(&g), expected);
    }
}
