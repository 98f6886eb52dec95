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
//!   resolved mention (a source's document `idx`) with its canonical id.
//!
//! A batch re-resolves exactly the buckets of the numbers its new mentions
//! carry, by [`Graph::build`] over the sources of those buckets, inside the
//! batch's own transaction, so facts never land without their derived
//! state. [`rebuild`] runs [`Graph::build`] over every fact and rewrites
//! every row; both give byte-identical rows (tests/derived.rs). The graph
//! stays the reference: these rows are a cache of it, never facts.

use crate::graph::{number_key, Graph};
use crate::{Result, SourceFacts};
use std::collections::{BTreeSet, HashSet};
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
}

/// What a backend does inside its write transaction for the derived state.
pub(crate) trait DerivedTx {
    /// Ids of the sources with a mention of one of `keys`, ascending.
    fn sources_with_keys(&mut self, keys: &[String]) -> Result<Vec<i64>>;
    /// The facts of these sources (ascending ids), as stored.
    fn facts_of(&mut self, ids: &[i64]) -> Result<Vec<SourceFacts>>;
    /// Every source's facts.
    fn all_facts(&mut self) -> Result<Vec<SourceFacts>>;
    /// Deletes the documents and resolutions of `keys` (every derived row,
    /// the key index included, when `None`).
    fn clear(&mut self, keys: Option<&[String]>) -> Result<()>;
    /// Inserts the key index rows.
    fn put_keys(&mut self, keys: &[(String, i64)]) -> Result<()>;
    /// Inserts document and resolution rows.
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

/// Brings the derived state up to date after a batch: `new` are the
/// sources the batch stored, with their ids.
pub(crate) fn update(tx: &mut dyn DerivedTx, new: &[(i64, &Extraction)]) -> Result<()> {
    let mut index = Vec::new();
    let mut touched = BTreeSet::new();
    for &(id, extraction) in new {
        for key in keys_of(extraction) {
            index.push((key.clone(), id));
            touched.insert(key);
        }
    }
    if touched.is_empty() {
        return Ok(());
    }
    tx.put_keys(&index)?;
    let keys: Vec<String> = touched.into_iter().collect();
    let ids = tx.sources_with_keys(&keys)?;
    let facts = tx.facts_of(&ids)?;
    let wanted: HashSet<String> = keys.iter().cloned().collect();
    let rows = derive(facts, Some(&wanted));
    tx.clear(Some(&keys))?;
    tx.put(&rows)
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

/// The derived rows as ordered lines, for comparing two stores' state.
pub(crate) fn dump_lines(mut rows: DerivedRows) -> Vec<String> {
    rows.keys.sort();
    rows.documents.sort();
    rows.resolution.sort();
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
    out
}
