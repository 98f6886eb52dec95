//! Facet counts (bộ lọc) over every entry a query matches: how many of
//! them have each kind, issuer, year and province of today, read from the
//! same indexed terms the filters use, so that a count is exactly what
//! choosing that filter gives.

use crate::provinces;
use crate::Result;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{
    DocId, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader, COLLECT_BLOCK_BUFFER_LEN,
};

/// The matching entries of each segment as a bitset (`None`: none there).
pub(crate) type Matches = Vec<Option<Vec<u64>>>;

/// How many matching entries have each value. Keys are what the filters
/// take: kind codes (`quy_dinh`), issuer keys (folded, `bo chinh tri`),
/// years, and provinces of today by name (an entry naming Hà Nam counts
/// once under Ninh Bình, as the filter `Ninh Bình` finds it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacetCounts {
    pub kind: BTreeMap<String, usize>,
    pub issuer: BTreeMap<String, usize>,
    pub year: BTreeMap<i32, usize>,
    pub province: BTreeMap<String, usize>,
}

/// The fields the counts are read from.
pub(crate) struct FacetFields {
    pub kind: Field,
    pub issuer: Field,
    pub year: Field,
    pub province: Field,
}

/// The entries of one segment holding a facet value: a bitset when they
/// are many (more than one in 32), else their sorted ids.
enum Docs {
    Dense(Vec<u64>),
    Sparse(Vec<DocId>),
}

impl Docs {
    fn new(mut docs: Vec<DocId>, max_doc: u32) -> Docs {
        docs.sort_unstable();
        docs.dedup();
        if docs.len() > (max_doc as usize) / 32 {
            let mut bits = vec![0u64; (max_doc as usize).div_ceil(64)];
            for doc in docs {
                if let Some(w) = bits.get_mut(doc as usize / 64) {
                    *w |= 1u64 << (doc % 64);
                }
            }
            Docs::Dense(bits)
        } else {
            Docs::Sparse(docs)
        }
    }

    /// How many of these entries are set in `matches`.
    fn count_in(&self, matches: &[u64]) -> usize {
        match self {
            Docs::Dense(bits) => bits
                .iter()
                .zip(matches)
                .map(|(a, b)| (a & b).count_ones() as usize)
                .sum(),
            Docs::Sparse(docs) => docs
                .iter()
                .filter(|&&doc| {
                    matches
                        .get(doc as usize / 64)
                        .is_some_and(|w| w & (1u64 << (doc % 64)) != 0)
                })
                .count(),
        }
    }
}

/// One segment's facet values and their entries. Segments never change
/// once written (deletions are left out of the matches instead), so this
/// is read once per segment and kept.
pub(crate) struct SegmentFacets {
    kind: Vec<(String, Docs)>,
    issuer: Vec<(String, Docs)>,
    year: Vec<(i32, Docs)>,
    /// By province of today: the entries naming it or any old province it
    /// covers.
    province: Vec<(&'static str, Docs)>,
}

/// Every term of `field` in `reader` with the ids of its entries.
fn terms_of(reader: &SegmentReader, field: Field) -> Result<Vec<(String, Vec<DocId>)>> {
    let index = reader.inverted_index(field)?;
    let mut stream = index
        .terms()
        .stream()
        .map_err(tantivy::TantivyError::from)?;
    let mut out = Vec::new();
    let mut buffer = [0 as DocId; COLLECT_BLOCK_BUFFER_LEN];
    while stream.advance() {
        let Ok(key) = std::str::from_utf8(stream.key()) else {
            continue;
        };
        let mut postings = index
            .read_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)
            .map_err(tantivy::TantivyError::from)?;
        let mut docs = Vec::with_capacity(stream.value().doc_freq as usize);
        loop {
            let n = postings.fill_buffer(&mut buffer);
            docs.extend_from_slice(&buffer[..n]);
            if n < COLLECT_BLOCK_BUFFER_LEN {
                break;
            }
        }
        out.push((key.to_owned(), docs));
    }
    Ok(out)
}

impl SegmentFacets {
    fn read(reader: &SegmentReader, f: &FacetFields) -> Result<SegmentFacets> {
        let max_doc = reader.max_doc();
        let values = |field| -> Result<Vec<(String, Docs)>> {
            Ok(terms_of(reader, field)?
                .into_iter()
                .map(|(k, docs)| (k, Docs::new(docs, max_doc)))
                .collect())
        };
        let year = terms_of(reader, f.year)?
            .into_iter()
            .filter_map(|(k, docs)| Some((k.parse::<i32>().ok()?, Docs::new(docs, max_doc))))
            .collect();
        let mut by_today: BTreeMap<&'static str, Vec<DocId>> = BTreeMap::new();
        for (key, docs) in terms_of(reader, f.province)? {
            if let Some(now) = provinces::now(&key) {
                by_today.entry(now).or_default().extend(docs);
            }
        }
        Ok(SegmentFacets {
            kind: values(f.kind)?,
            issuer: values(f.issuer)?,
            year,
            province: by_today
                .into_iter()
                .map(|(now, docs)| (now, Docs::new(docs, max_doc)))
                .collect(),
        })
    }
}

/// The facets of the segments searched so far, by segment.
#[derive(Default)]
pub(crate) struct FacetCache {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentFacets>>>,
}

impl FacetCache {
    /// The facets of every segment of `searcher` (read the first time a
    /// segment is met; those of segments merged away are dropped).
    fn segments(&self, searcher: &Searcher, f: &FacetFields) -> Result<Vec<Arc<SegmentFacets>>> {
        let readers = searcher.segment_readers();
        let mut out: Vec<Option<Arc<SegmentFacets>>> = {
            let mut cache = self.segments.lock().unwrap_or_else(|e| e.into_inner());
            cache.retain(|id, _| readers.iter().any(|r| r.segment_id() == *id));
            readers
                .iter()
                .map(|r| cache.get(&r.segment_id()).cloned())
                .collect()
        };
        for (slot, reader) in out.iter_mut().zip(readers) {
            if slot.is_none() {
                let read = Arc::new(SegmentFacets::read(reader, f)?);
                self.segments
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(reader.segment_id(), Arc::clone(&read));
                *slot = Some(read);
            }
        }
        Ok(out.into_iter().flatten().collect())
    }
}

/// Counts the facets of `matches` (one bitset per segment of `searcher`).
pub(crate) fn count(
    searcher: &Searcher,
    f: &FacetFields,
    cache: &FacetCache,
    matches: &Matches,
) -> Result<FacetCounts> {
    let mut out = FacetCounts::default();
    for (segment, bits) in cache.segments(searcher, f)?.iter().zip(matches) {
        let Some(bits) = bits else {
            continue;
        };
        let tally = |map: &mut BTreeMap<String, usize>, values: &[(String, Docs)]| {
            for (key, docs) in values {
                let n = docs.count_in(bits);
                if n > 0 {
                    *map.entry(key.clone()).or_default() += n;
                }
            }
        };
        tally(&mut out.kind, &segment.kind);
        tally(&mut out.issuer, &segment.issuer);
        for (year, docs) in &segment.year {
            let n = docs.count_in(bits);
            if n > 0 {
                *out.year.entry(*year).or_default() += n;
            }
        }
        for (name, docs) in &segment.province {
            let n = docs.count_in(bits);
            if n > 0 {
                *out.province.entry((*name).to_owned()).or_default() += n;
            }
        }
    }
    Ok(out)
}

/// Collects the live matches of a query as one bitset per segment.
pub(crate) struct BitsetCollector;

pub(crate) struct BitsetSegment(Vec<u64>);

impl SegmentCollector for BitsetSegment {
    type Fruit = Option<Vec<u64>>;
    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(w) = self.0.get_mut(doc as usize / 64) {
            *w |= 1u64 << (doc % 64);
        }
    }
    fn harvest(self) -> Option<Vec<u64>> {
        self.0.iter().any(|&w| w != 0).then_some(self.0)
    }
}

impl Collector for BitsetCollector {
    type Fruit = Matches;
    type Child = BitsetSegment;
    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<BitsetSegment> {
        Ok(BitsetSegment(vec![
            0u64;
            (reader.max_doc() as usize).div_ceil(64)
        ]))
    }
    fn requires_scoring(&self) -> bool {
        false
    }
    fn merge_fruits(&self, fruits: Vec<Option<Vec<u64>>>) -> tantivy::Result<Matches> {
        Ok(fruits)
    }
}
