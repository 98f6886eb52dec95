//! One consistent view of the knowledge base (ảnh chụp đồ thị): the graph
//! plus the indexes the pages need on every request, computed once when the
//! graph is (re)built so that no page scans the whole graph.

use std::collections::BTreeSet;
use std::sync::Arc;
use vanban_store::graph::{
    CanonicalDocument, EventView, Graph, RelationView, Sharded, SourceRef, Stats,
};

/// How many of the latest events and most cited documents are kept ready.
const TOP: usize = 50;

pub use vanban_store::graph::ProvinceCount;

/// The graph and its lookup tables.
pub struct Snapshot {
    pub graph: Graph,
    source_by_path: Sharded<i64>,
    source_by_hash: Sharded<i64>,
    /// The latest dated events, newest first.
    latest: Vec<Arc<EventView>>,
    /// The most cited documents with their citation counts.
    most_cited: Vec<(Arc<CanonicalDocument>, usize)>,
    stats: Stats,
    /// Coverages computed for this graph (the costly ones are kept).
    pub(crate) coverage: crate::coverage::CoverageCache,
}

/// The latest dated events of `graph`, newest first (same-day events in
/// the graph's order).
fn latest(graph: &Graph) -> Vec<Arc<EventView>> {
    let events = graph.all_events();
    let dated = events.partition_point(|e| e.date.is_some());
    let mut out: Vec<Arc<EventView>> = Vec::with_capacity(TOP);
    let mut end = dated;
    while end > 0 && out.len() < TOP {
        let day = events[end - 1].date;
        let start = events[..end].partition_point(|e| e.date < day);
        for e in &events[start..end] {
            if out.len() == TOP {
                break;
            }
            out.push(Arc::clone(e));
        }
        end = start;
    }
    out
}

/// The most cited documents of `graph`.
fn most_cited(graph: &Graph) -> Vec<(Arc<CanonicalDocument>, usize)> {
    graph.most_cited(TOP)
}

impl Snapshot {
    /// Computes the lookup tables of `graph`.
    pub fn new(graph: Graph) -> Snapshot {
        let mut source_by_path = Sharded::default();
        let mut source_by_hash = Sharded::default();
        for s in graph.sources() {
            source_by_path.insert(s.extraction.source.clone(), s.id);
            source_by_hash.insert(s.hash.clone(), s.id);
        }
        Snapshot::with_tables(graph, source_by_path, source_by_hash)
    }

    fn with_tables(
        graph: Graph,
        source_by_path: Sharded<i64>,
        source_by_hash: Sharded<i64>,
    ) -> Snapshot {
        Snapshot {
            latest: latest(&graph),
            most_cited: most_cited(&graph),
            stats: graph.stats(),
            graph,
            source_by_path,
            source_by_hash,
            coverage: Default::default(),
        }
    }

    /// This snapshot with the stored sources `new` added: the same as
    /// `Snapshot::new(Graph::build(all the facts))`, computed by
    /// [`Graph::with_sources`] (only what the new sources' numbers touch is
    /// resolved again; the rest is shared with this snapshot).
    pub fn with_sources(&self, new: Vec<vanban_store::SourceFacts>) -> Snapshot {
        let new: Vec<Arc<vanban_store::SourceFacts>> = new.into_iter().map(Arc::new).collect();
        let graph = self.graph.with_sources(new.clone());
        let mut source_by_path = self.source_by_path.clone();
        let mut source_by_hash = self.source_by_hash.clone();
        for s in &new {
            // As in a fresh build: the last source (by id) read from a path
            // (or with a hash) is the one found.
            if self.graph.source(s.id).is_some() {
                continue;
            }
            for (map, key) in [
                (&mut source_by_path, &s.extraction.source),
                (&mut source_by_hash, &s.hash),
            ] {
                if map.get(key).is_none_or(|&old| old < s.id) {
                    map.insert(key.clone(), s.id);
                }
            }
        }
        Snapshot::with_tables(graph, source_by_path, source_by_hash)
    }

    /// The name of the issuer whose search key is `key`, if known.
    pub fn issuer_name(&self, key: &str) -> Option<&str> {
        self.graph.issuer_name(key)
    }

    /// A document by its id.
    pub fn document(&self, id: &str) -> Option<&CanonicalDocument> {
        self.graph.document(id)
    }

    /// How many distinct sources cite the document `id`.
    pub fn citations(&self, id: &str) -> usize {
        self.graph.citations(id)
    }

    /// The most cited documents with their citation counts.
    pub fn most_cited(&self, n: usize) -> impl Iterator<Item = (&CanonicalDocument, usize)> {
        self.most_cited.iter().take(n).map(|(d, c)| (&**d, *c))
    }

    /// The provinces of today that held events about document `id`.
    pub fn provinces_of_document(&self, id: &str) -> impl Iterator<Item = &str> {
        let names: BTreeSet<&str> = self
            .graph
            .document_provinces(id)
            .iter()
            .map(|c| c.province_now.as_str())
            .collect();
        names.into_iter()
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
    pub fn events(&self) -> &[Arc<EventView>] {
        self.graph.all_events()
    }

    /// The latest dated events, newest first (at most 50).
    pub fn latest_events(&self, n: usize) -> Vec<&EventView> {
        self.latest.iter().take(n).map(|e| &**e).collect()
    }

    /// The relations of document `id` (both directions).
    pub fn relations(&self, id: &str) -> Vec<RelationView> {
        self.graph.relation_views(id).unwrap_or_default()
    }

    /// The first `n` events about document `id`, by date (undated last).
    pub fn document_events(&self, id: &str, n: usize) -> Vec<&EventView> {
        self.document_events_from(id, 0, n)
    }

    /// Events about document `id` by date, `offset` skipped, at most `n`.
    pub fn document_events_from(&self, id: &str, offset: usize, n: usize) -> Vec<&EventView> {
        self.graph.document_events_from(id, offset, n)
    }

    /// Events about document `id` per province of today.
    pub fn document_provinces(&self, id: &str) -> &[ProvinceCount] {
        self.graph.document_provinces(id)
    }

    /// How many events are about document `id`.
    pub fn document_event_count(&self, id: &str) -> usize {
        self.graph.document_event_count(id)
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
        self.graph.province_event_count(province_now)
    }

    /// The events held in a province of today (under any of its names).
    pub fn events_in_province_now(&self, province_now: &str) -> Vec<&EventView> {
        self.graph
            .all_events()
            .iter()
            .filter(|e| e.province_now.as_deref() == Some(province_now))
            .map(|e| &**e)
            .collect()
    }

    /// Counts.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }
}
