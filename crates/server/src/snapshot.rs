//! One consistent view of the knowledge base (ảnh chụp đồ thị): the graph
//! plus the indexes the pages need on every request, computed once when the
//! graph is (re)built so that no page scans the whole graph.

use std::collections::{BTreeSet, HashMap};
use vanban_store::graph::{
    CanonicalDocument, EventFilter, EventView, Graph, RelationView, SourceRef, Stats,
};

/// How many of the latest events and most cited documents are kept ready.
const TOP: usize = 50;

/// Events about one document in one province of today.
#[derive(Debug, Clone, Default)]
pub struct ProvinceCount {
    pub province_now: String,
    pub events: usize,
    /// Names before the 2025 merger that events were held under.
    pub old_names: Vec<String>,
}

/// The graph and its lookup tables.
pub struct Snapshot {
    pub graph: Graph,
    doc_index: HashMap<String, usize>,
    source_by_path: HashMap<String, i64>,
    source_by_hash: HashMap<String, i64>,
    /// Every event, by date (undated last).
    events: Vec<EventView>,
    /// Indexes of the latest dated events, newest first.
    latest: Vec<usize>,
    /// Each document's relations (by document index), for drawing graphs
    /// without computing whole views of the neighbours.
    relations: Vec<Vec<RelationView>>,
    /// For each document (by index): per province of today, the number of
    /// events and the old names they were held under.
    document_provinces: Vec<Vec<ProvinceCount>>,
    /// Event indexes (by date) of each document, by document index.
    document_events: Vec<Vec<usize>>,
    /// Event indexes by the province of today they belong to.
    events_by_province_now: HashMap<String, Vec<usize>>,
    /// Provinces of today that held events about each document.
    provinces_of_document: HashMap<String, BTreeSet<String>>,
    /// Number of distinct sources citing each document (by document index).
    citations: Vec<usize>,
    /// Document indexes, most cited first.
    most_cited: Vec<usize>,
    stats: Stats,
    /// Issuers' names by their search key (`bo chinh tri` → `Bộ Chính
    /// trị`), to show search facets, which count by key.
    issuer_names: HashMap<String, String>,
    /// Coverages computed for this graph (the costly ones are kept).
    pub(crate) coverage: crate::coverage::CoverageCache,
}

impl Snapshot {
    /// Computes the lookup tables of `graph`.
    pub fn new(graph: Graph) -> Snapshot {
        let doc_index: HashMap<String, usize> = graph
            .documents()
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        let source_by_path = graph
            .sources()
            .iter()
            .map(|s| (s.extraction.source.clone(), s.id))
            .collect();
        let source_by_hash = graph
            .sources()
            .iter()
            .map(|s| (s.hash.clone(), s.id))
            .collect();
        let events = graph.events(&EventFilter::default());
        let mut document_events: Vec<Vec<usize>> = vec![Vec::new(); graph.documents().len()];
        for (i, e) in events.iter().enumerate() {
            for d in &e.documents {
                if let Some(&di) = doc_index.get(d) {
                    if let Some(list) = document_events.get_mut(di) {
                        list.push(i);
                    }
                }
            }
        }
        let document_provinces: Vec<Vec<ProvinceCount>> = document_events
            .iter()
            .map(|list| {
                let mut counts: Vec<ProvinceCount> = Vec::new();
                for e in list.iter().filter_map(|&i| events.get(i)) {
                    let Some(now) = e.province_now.as_deref() else {
                        continue;
                    };
                    let at = match counts.iter().position(|c| c.province_now == now) {
                        Some(at) => at,
                        None => {
                            counts.push(ProvinceCount {
                                province_now: now.to_owned(),
                                ..ProvinceCount::default()
                            });
                            counts.len() - 1
                        }
                    };
                    let c = &mut counts[at];
                    c.events += 1;
                    if let Some(p) = e.province.as_deref() {
                        if p != now && !c.old_names.iter().any(|o| o == p) {
                            c.old_names.push(p.to_owned());
                        }
                    }
                }
                counts
            })
            .collect();
        let mut latest: Vec<usize> = (0..events.len())
            .filter(|&i| events[i].date.is_some())
            .collect();
        latest.sort_by_key(|&i| std::cmp::Reverse(events[i].date));
        latest.truncate(TOP);
        let relations = graph
            .documents()
            .iter()
            .map(|d| graph.relation_views(&d.id).unwrap_or_default())
            .collect();
        let mut events_by_province_now: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, e) in events.iter().enumerate() {
            if let Some(p) = &e.province_now {
                events_by_province_now.entry(p.clone()).or_default().push(i);
            }
        }
        let mut provinces_of_document: HashMap<String, BTreeSet<String>> = HashMap::new();
        for e in &events {
            if let Some(p) = &e.province_now {
                for d in &e.documents {
                    provinces_of_document
                        .entry(d.clone())
                        .or_default()
                        .insert(p.clone());
                }
            }
        }
        let citations: Vec<usize> = graph
            .documents()
            .iter()
            .map(|d| {
                let mut sources: Vec<i64> = d.mentions.iter().map(|m| m.source).collect();
                sources.sort_unstable();
                sources.dedup();
                sources.len()
            })
            .collect();
        let mut most_cited: Vec<usize> = (0..citations.len()).collect();
        most_cited.sort_by(|&a, &b| citations[b].cmp(&citations[a]).then(a.cmp(&b)));
        most_cited.truncate(TOP);
        let stats = graph.stats();
        let mut issuer_names: HashMap<String, String> = HashMap::new();
        let named = graph
            .documents()
            .iter()
            .filter_map(|d| d.issuer.as_deref())
            .chain(graph.sources().iter().flat_map(|s| {
                s.extraction
                    .documents
                    .iter()
                    .filter_map(|d| d.issuer.as_deref())
            }));
        for name in named {
            issuer_names
                .entry(vanban_search::issuer_key(name))
                .or_insert_with(|| name.to_owned());
        }
        Snapshot {
            issuer_names,
            graph,
            doc_index,
            source_by_path,
            source_by_hash,
            events,
            latest,
            relations,
            document_events,
            document_provinces,
            events_by_province_now,
            provinces_of_document,
            citations,
            most_cited,
            stats,
            coverage: Default::default(),
        }
    }

    /// The name of the issuer whose search key is `key`, if known.
    pub fn issuer_name(&self, key: &str) -> Option<&str> {
        self.issuer_names.get(key).map(String::as_str)
    }

    /// A document by its id.
    pub fn document(&self, id: &str) -> Option<&CanonicalDocument> {
        self.doc_index
            .get(id)
            .and_then(|&i| self.graph.documents().get(i))
    }

    /// How many distinct sources cite the document `id`.
    pub fn citations(&self, id: &str) -> usize {
        self.doc_index
            .get(id)
            .and_then(|&i| self.citations.get(i))
            .copied()
            .unwrap_or(0)
    }

    /// The most cited documents with their citation counts.
    pub fn most_cited(&self, n: usize) -> impl Iterator<Item = (&CanonicalDocument, usize)> {
        self.most_cited.iter().take(n).filter_map(|&i| {
            let d = self.graph.documents().get(i)?;
            Some((d, self.citations.get(i).copied().unwrap_or(0)))
        })
    }

    /// The provinces of today that held events about document `id`.
    pub fn provinces_of_document(&self, id: &str) -> impl Iterator<Item = &str> {
        self.provinces_of_document
            .get(id)
            .into_iter()
            .flat_map(|s| s.iter().map(String::as_str))
    }

    /// The id of the source read from `path` (or URL).
    pub fn source_id_by_path(&self, path: &str) -> Option<i64> {
        self.source_by_path.get(path).copied()
    }

    /// The id of the source with this content hash.
    pub fn source_id_by_hash(&self, hash: &str) -> Option<i64> {
        self.source_by_hash.get(hash).copied()
    }

    /// Every event, by date (undated last).
    pub fn events(&self) -> &[EventView] {
        &self.events
    }

    /// The latest dated events, newest first (at most 50).
    pub fn latest_events(&self, n: usize) -> Vec<&EventView> {
        self.latest
            .iter()
            .take(n)
            .filter_map(|&i| self.events.get(i))
            .collect()
    }

    /// The relations of document `id` (both directions).
    pub fn relations(&self, id: &str) -> &[RelationView] {
        self.doc_index
            .get(id)
            .and_then(|&i| self.relations.get(i))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The first `n` events about document `id`, by date (undated last).
    pub fn document_events(&self, id: &str, n: usize) -> Vec<&EventView> {
        self.document_events_from(id, 0, n)
    }

    /// Events about document `id` by date, `offset` skipped, at most `n`.
    pub fn document_events_from(&self, id: &str, offset: usize, n: usize) -> Vec<&EventView> {
        self.doc_index
            .get(id)
            .and_then(|&i| self.document_events.get(i))
            .map(|v| {
                v.iter()
                    .skip(offset)
                    .take(n)
                    .filter_map(|&e| self.events.get(e))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Events about document `id` per province of today.
    pub fn document_provinces(&self, id: &str) -> &[ProvinceCount] {
        self.doc_index
            .get(id)
            .and_then(|&i| self.document_provinces.get(i))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// How many events are about document `id`.
    pub fn document_event_count(&self, id: &str) -> usize {
        self.doc_index
            .get(id)
            .and_then(|&i| self.document_events.get(i))
            .map_or(0, Vec::len)
    }

    /// The first `n` sources citing document `id` (in ingest order), with
    /// the text around the citation — as in `vanban doc`'s `sources`.
    pub fn document_sources(&self, id: &str, n: usize) -> Vec<SourceRef> {
        self.document_sources_from(id, 0, n)
    }

    /// [`Snapshot::document_sources`] with the first `offset` sources
    /// skipped. A document's mentions come grouped by source (sources are
    /// read in id order), so a source is one run of mentions.
    pub fn document_sources_from(&self, id: &str, offset: usize, n: usize) -> Vec<SourceRef> {
        let Some(doc) = self.document(id) else {
            return Vec::new();
        };
        let mut out: Vec<SourceRef> = Vec::new();
        let mut seen = 0usize;
        for (k, m) in doc.mentions.iter().enumerate() {
            if out.len() >= n {
                break;
            }
            if k > 0 && doc.mentions[k - 1].source == m.source {
                continue;
            }
            let Some(s) = self.graph.source(m.source) else {
                continue;
            };
            seen += 1;
            if seen <= offset {
                continue;
            }
            out.push(SourceRef {
                source: s.extraction.source.clone(),
                source_id: s.id,
                published: s.extraction.published,
                excerpt: s.excerpts.get(m.index).cloned().unwrap_or_default(),
            });
        }
        out
    }

    /// How many events a province of today held (under any of its names).
    pub fn event_count_in_province_now(&self, province_now: &str) -> usize {
        self.events_by_province_now
            .get(province_now)
            .map_or(0, Vec::len)
    }

    /// The events held in a province of today (under any of its names).
    pub fn events_in_province_now(&self, province_now: &str) -> Vec<&EventView> {
        self.events_by_province_now
            .get(province_now)
            .map(|v| v.iter().filter_map(|&i| self.events.get(i)).collect())
            .unwrap_or_default()
    }

    /// Counts.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }
}
