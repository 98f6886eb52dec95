//! The derived state kept in the store (migration 0007): what
//! [`Graph::build`] resolves, persisted and maintained per write.
//!
//! Resolution is local to a document number: a mention only ever resolves
//! to a canonical document with the same number key
//! ([`crate::graph::number_key`]), and the `#N` suffix of two documents
//! that print alike compares only documents of one number. The derived
//! tables are therefore partitioned by number key ("buckets"):
//!
//! - `derived_keys (number_key, source_id)`: which sources mention which
//!   number (the index that lets a bucket be re-resolved from its sources
//!   only);
//! - `derived_documents (id, number_key, body)`: each canonical document,
//!   its [`crate::graph::CanonicalDocument`] as JSON;
//! - `derived_resolution (source_id, idx, number_key, document)`: each
//!   resolved mention (a source's document `idx`) with its canonical id;
//! - `derived_relations (kind, from_doc, to_doc, from_key, to_key)`
//!   (migration 0008): each relation between canonical documents, with the
//!   number keys of its two ends (a relation is re-derived when either of
//!   its numbers is touched: every source stating it mentions both).
//!
//! A batch re-resolves exactly the buckets of the numbers its new mentions
//! carry, by [`Graph::build`] over the sources of those buckets, inside the
//! batch's own transaction, so facts never land without their derived
//! state. [`rebuild`] runs [`Graph::build`] over every fact and rewrites
//! every row; both give byte-identical rows (tests/derived.rs). The graph
//! stays the reference: these rows are a cache of it, never facts.

use crate::graph::{number_key, Graph};
use crate::{Result, SourceFacts};
use std::collections::{BTreeSet, HashMap, HashSet};
use vanban_extract::Extraction;

/// Rows of the derived tables for some buckets.
#[derive(Debug, Default)]
pub(crate) struct DerivedRows {
    /// `(number_key, source_id)`.
    pub keys: Vec<(String, i64)>,
    /// `(id, number_key, body)`.
    pub documents: Vec<(String, String, String)>,
    /// `(source_id, idx, number_key, document id)`.
    pub resolution: Vec<(i64, i64, String, String)>,
    /// `(kind, from document, to document, from key, to key)`, distinct.
    pub relations: Vec<(String, String, String, String, String)>,
}

/// What a backend does inside its write transaction for the derived state.
pub(crate) trait DerivedTx {
    /// Ids of the sources with a mention of one of `keys`, ascending.
    fn sources_with_keys(&mut self, keys: &[String]) -> Result<Vec<i64>>;
    /// The facts of these sources (ascending ids), as stored.
    fn facts_of(&mut self, ids: &[i64]) -> Result<Vec<SourceFacts>>;
    /// Every source's facts.
    fn all_facts(&mut self) -> Result<Vec<SourceFacts>>;
    /// The stored resolutions `(source_id, idx, document)` of these
    /// sources' mentions.
    fn resolution_of(&mut self, ids: &[i64]) -> Result<Vec<(i64, i64, String)>>;
    /// Deletes the documents, resolutions and relations (those with an
    /// end) of `keys` (every derived row, the key index included, when
    /// `None`).
    fn clear(&mut self, keys: Option<&[String]>) -> Result<()>;
    /// Inserts the key index rows.
    fn put_keys(&mut self, keys: &[(String, i64)]) -> Result<()>;
    /// Inserts document, resolution and relation rows.
    fn put(&mut self, rows: &DerivedRows) -> Result<()>;
}

/// The number keys an extraction's mentions carry (those with a number).
pub(crate) fn keys_of(extraction: &Extraction) -> BTreeSet<String> {
    extraction
        .documents
        .iter()
        .filter_map(|d| d.number.as_deref().map(str::trim).filter(|n| !n.is_empty()))
        .map(number_key)
        .collect()
}

/// Resolves `facts` and keeps the rows of the buckets in `keys` (every
/// bucket when `None`). `facts` must hold every source of those buckets.
pub(crate) fn derive(facts: Vec<SourceFacts>, keys: Option<&HashSet<String>>) -> DerivedRows {
    let graph = Graph::build(facts);
    let mut rows = rows_of(&graph, keys);
    rows.relations = relation_rows(&graph, keys, &HashMap::new());
    rows
}

/// The document and resolution rows of `graph` in the buckets of `keys`
/// (every bucket when `None`).
fn rows_of(graph: &Graph, keys: Option<&HashSet<String>>) -> DerivedRows {
    let wanted = |k: &str| keys.is_none_or(|keys| keys.contains(k));
    let mut rows = DerivedRows::default();
    for d in graph.documents() {
        let key = number_key(d.number.as_deref().unwrap_or_default());
        if !wanted(&key) {
            continue;
        }
        // A canonical document always serialises (strings, numbers, dates).
        let body = serde_json::to_string(d).unwrap_or_default();
        rows.documents.push((d.id.clone(), key, body));
    }
    for s in graph.sources() {
        for (idx, id) in graph.resolved_ids(s.id).into_iter().enumerate() {
            let Some(id) = id else { continue };
            let Some(number) = s
                .extraction
                .documents
                .get(idx)
                .and_then(|d| d.number.as_deref())
            else {
                continue;
            };
            let key = number_key(number.trim());
            if wanted(&key) {
                rows.resolution.push((s.id, idx as i64, key, id));
            }
        }
    }
    rows
}

/// The number key of a source's document `idx`, when it has a number.
fn key_at(extraction: &Extraction, idx: usize) -> Option<String> {
    extraction
        .documents
        .get(idx)
        .and_then(|d| d.number.as_deref())
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(number_key)
}

/// The relation rows with an end in `keys` (every relation when `None`),
/// lifted as [`Graph::build`] lifts them: both ends resolved, to two
/// different documents. A source's mention of a number outside `keys`
/// resolves as `stored` says (its bucket was not re-resolved); one inside
/// as `graph` does.
fn relation_rows(
    graph: &Graph,
    keys: Option<&HashSet<String>>,
    stored: &HashMap<(i64, i64), String>,
) -> Vec<(String, String, String, String, String)> {
    let wanted = |k: &str| keys.is_none_or(|keys| keys.contains(k));
    let mut seen: HashSet<(String, String, String)> = HashSet::new();
    let mut out = Vec::new();
    for s in graph.sources() {
        if s.extraction.relations.is_empty() {
            continue;
        }
        let resolved = graph.resolved_ids(s.id);
        let end = |idx: usize| -> Option<(String, String)> {
            let key = key_at(&s.extraction, idx)?;
            let id = if wanted(&key) {
                resolved.get(idx).cloned().flatten()
            } else {
                stored.get(&(s.id, idx as i64)).cloned()
            }?;
            Some((id, key))
        };
        for r in &s.extraction.relations {
            let (Some((from, from_key)), Some((to, to_key))) = (end(r.from), end(r.to)) else {
                continue;
            };
            if from == to || !(wanted(&from_key) || wanted(&to_key)) {
                continue;
            }
            let kind = crate::codec::to_code(r.kind);
            if seen.insert((kind.clone(), from.clone(), to.clone())) {
                out.push((kind, from, to, from_key, to_key));
            }
        }
    }
    out
}

/// Brings the derived state up to date after a batch: `new` are the
/// sources the batch stored, with their ids. Returns the number keys it
/// re-derived (those the batch's mentions carry), in order.
pub(crate) fn update(tx: &mut dyn DerivedTx, new: &[(i64, &Extraction)]) -> Result<Vec<String>> {
    let mut index = Vec::new();
    let mut touched = BTreeSet::new();
    for &(id, extraction) in new {
        for key in keys_of(extraction) {
            index.push((key.clone(), id));
            touched.insert(key);
        }
    }
    if touched.is_empty() {
        return Ok(Vec::new());
    }
    tx.put_keys(&index)?;
    let keys: Vec<String> = touched.into_iter().collect();
    let ids = tx.sources_with_keys(&keys)?;
    let facts = tx.facts_of(&ids)?;
    let wanted: HashSet<String> = keys.iter().cloned().collect();
    // The other ends of these sources' relations, as stored.
    let with_relations: Vec<i64> = facts
        .iter()
        .filter(|f| !f.extraction.relations.is_empty())
        .map(|f| f.id)
        .collect();
    let stored: HashMap<(i64, i64), String> = tx
        .resolution_of(&with_relations)?
        .into_iter()
        .map(|(s, i, d)| ((s, i), d))
        .collect();
    let graph = Graph::build(facts);
    let mut rows = rows_of(&graph, Some(&wanted));
    rows.relations = relation_rows(&graph, Some(&wanted), &stored);
    tx.clear(Some(&keys))?;
    tx.put(&rows)?;
    Ok(keys)
}

/// Rewrites every derived row from every stored fact; returns how many
/// canonical documents there are.
pub(crate) fn rebuild(tx: &mut dyn DerivedTx) -> Result<u64> {
    let facts = tx.all_facts()?;
    tx.clear(None)?;
    let mut index = Vec::new();
    for s in &facts {
        for key in keys_of(&s.extraction) {
            index.push((key, s.id));
        }
    }
    tx.put_keys(&index)?;
    let rows = derive(facts, None);
    tx.put(&rows)?;
    Ok(rows.documents.len() as u64)
}

/// Canonical documents from their stored `(id, body)` rows, in id order.
pub(crate) fn parse_documents(
    mut bodies: Vec<(String, String)>,
) -> Result<Vec<crate::graph::CanonicalDocument>> {
    bodies.sort();
    bodies
        .into_iter()
        .map(|(id, body)| {
            serde_json::from_str(&body).map_err(|e| {
                crate::Error::Corrupt(format!("the derived document {id} cannot be read: {e}"))
            })
        })
        .collect()
}

/// The derived rows as ordered lines, for comparing two stores' state.
pub(crate) fn dump_lines(mut rows: DerivedRows) -> Vec<String> {
    rows.keys.sort();
    rows.documents.sort();
    rows.resolution.sort();
    rows.relations.sort();
    let mut out = Vec::new();
    out.extend(rows.keys.iter().map(|(k, s)| format!("key\t{k}\t{s}")));
    out.extend(
        rows.documents
            .iter()
            .map(|(id, k, b)| format!("document\t{id}\t{k}\t{b}")),
    );
    out.extend(
        rows.resolution
            .iter()
            .map(|(s, i, k, d)| format!("resolution\t{s}\t{i}\t{k}\t{d}")),
    );
    out.extend(
        rows.relations
            .iter()
            .map(|(t, f, o, fk, ok)| format!("relation\t{t}\t{f}\t{o}\t{fk}\t{ok}")),
    );
    out
}
