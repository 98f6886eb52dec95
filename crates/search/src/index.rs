//! The tantivy index: opening it and evaluating queries.

use crate::analyzer::{self, Mode};
use crate::facets::{self, BitsetCollector, FacetCache, FacetCounts, Matches};
use crate::schema::{fields, issuer_key, register, round, schema, Fields, WRITER_HEAP};
use crate::snippet::snippet;
use crate::writer::SearchWriter;
use crate::{provinces, reference, Error, Hit, Query, Result, SearchResults};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::SegmentPostings;
use tantivy::query::{
    AllQuery, Bm25Weight, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query as TQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{
    DocAddress, DocId, DocSet, Index, IndexReader, ReloadPolicy, Score, Searcher, SegmentOrdinal,
    TantivyDocument, Term, COLLECT_BLOCK_BUFFER_LEN,
};

/// Score given to a document whose number-symbol the query names.
const REF_FULL: f32 = 1000.0;
/// Score given to a document the query names by kind or code and number.
const REF_PARTIAL: f32 = 500.0;
/// Score added to a source citing the document the query names.
const CITES: f32 = 20.0;
/// Boosts: exact (with diacritics) syllables and folded bigrams.
const BOOST_EXACT: f32 = 1.5;
const BOOST_BIGRAM: f32 = 2.0;

/// An open search index (on disk or in memory). Cheap to share between
/// threads by reference; searches see the last committed state.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    f: Fields,
    /// Facet values' entries, per segment (see [`facets::FacetCache`]).
    facet_cache: FacetCache,
    /// Its folder (`<memory>` for one in memory), for messages.
    dir: PathBuf,
}

/// The queries compiled from a [`Query`].
struct Compiled {
    /// Every word required (or the references, or the filters alone).
    strict: Box<dyn TQuery>,
    /// Any word will do: tried when `strict` finds nothing.
    fallback: Option<Box<dyn TQuery>>,
    /// `strict` as terms, when it is words (and filters) only: ranked by
    /// [`top_required`].
    words: Option<WordQuery>,
}

/// `strict` for a query of words: the scored terms (unigrams, bigrams,
/// exact forms, with their boosts) and the groups of terms an entry must
/// hold one of (every word but the parts of a reference, every filter).
struct WordQuery {
    scored: Vec<(Term, f32)>,
    required: Vec<Vec<Term>>,
    /// No word is required (each is part of a whole reference): an entry
    /// needs any scored term besides the required groups (filters).
    any_word: bool,
}

/// Sets the bit of every document of `postings` in `bits`.
fn set_bits(bits: &mut [u64], postings: &mut SegmentPostings) {
    let mut buffer = [0 as DocId; COLLECT_BLOCK_BUFFER_LEN];
    loop {
        let n = postings.fill_buffer(&mut buffer);
        for &doc in &buffer[..n] {
            if let Some(w) = bits.get_mut(doc as usize / 64) {
                *w |= 1u64 << (doc % 64);
            }
        }
        if n < COLLECT_BLOCK_BUFFER_LEN {
            break;
        }
    }
}

/// The entries holding a term of every required group, and the best
/// `limit` of them by the summed BM25 scores of the scored terms (the same
/// scores as tantivy's union of boosted term queries).
///
/// Everything is computed a term at a time, per segment: the required
/// groups into bitsets that are intersected, the scored terms into one
/// score accumulator, every posting read once, in blocks (a scored term
/// that is a required group on its own sets its bits on the way). When
/// common words match most entries, block-max WAND prunes little and pays
/// for its doc-at-a-time merging on every entry; this costs a few
/// nanoseconds a posting whatever the scores, and gives the exact total.
fn top_required(
    searcher: &Searcher,
    words: &WordQuery,
    limit: usize,
) -> Result<(usize, Ranked, Matches)> {
    let mut weights: Vec<(&Term, Bm25Weight, Option<usize>)> =
        Vec::with_capacity(words.scored.len());
    for (term, boost) in &words.scored {
        if searcher.doc_freq(term)? == 0 {
            continue;
        }
        let w = Bm25Weight::for_terms(searcher, std::slice::from_ref(term))?;
        // The required group made of this term alone, if any.
        let group = words
            .required
            .iter()
            .position(|g| g.len() == 1 && g.first() == Some(term));
        weights.push((term, w.boost_by(*boost), group));
    }
    let mut total = 0usize;
    // Min-heap of the best `limit`: ties go to the earlier entry.
    let mut heap: BinaryHeap<Reverse<(ScoreKey, Reverse<DocAddress>)>> =
        BinaryHeap::with_capacity(limit + 1);
    let mut acc: Vec<Score> = Vec::new();
    let mut matches: Matches = Vec::with_capacity(searcher.segment_readers().len());
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let max_doc = reader.max_doc() as usize;
        let bitset_len = max_doc.div_ceil(64);
        // One bitset per required group, and one of any scored term last
        // when no word is required.
        let any_word = words.any_word.then_some(words.required.len());
        let mut groups: Vec<Vec<u64>> =
            vec![vec![0u64; bitset_len]; words.required.len() + usize::from(words.any_word)];
        acc.clear();
        acc.resize(max_doc, 0.0);
        for (term, weight, group) in &weights {
            let index = reader.inverted_index(term.field())?;
            let Some(mut block) = index
                .read_block_postings(term, IndexRecordOption::WithFreqs)
                .map_err(tantivy::TantivyError::from)?
            else {
                continue;
            };
            let norms = match reader.fieldnorms_readers().get_field(term.field())? {
                Some(n) => n,
                None => FieldNormReader::constant(reader.max_doc(), 1),
            };
            let mut bits = any_word.or(*group).and_then(|g| groups.get_mut(g));
            loop {
                let docs = block.docs();
                if docs.is_empty() {
                    break;
                }
                for (&doc, &tf) in docs.iter().zip(block.freqs()) {
                    if let Some(a) = acc.get_mut(doc as usize) {
                        *a += weight.score(norms.fieldnorm_id(doc), tf);
                    }
                }
                if let Some(bits) = bits.as_deref_mut() {
                    for &doc in docs {
                        if let Some(w) = bits.get_mut(doc as usize / 64) {
                            *w |= 1u64 << (doc % 64);
                        }
                    }
                }
                block.advance();
            }
        }
        // The other groups (filters, alternatives) by their postings.
        for (g, group) in words.required.iter().enumerate() {
            if weights.iter().any(|w| w.2 == Some(g)) {
                continue;
            }
            for term in group {
                let index = reader.inverted_index(term.field())?;
                if let Some(mut postings) = index
                    .read_postings(term, IndexRecordOption::Basic)
                    .map_err(tantivy::TantivyError::from)?
                {
                    if let Some(bits) = groups.get_mut(g) {
                        set_bits(bits, &mut postings);
                    }
                }
            }
        }
        let Some((mut all, rest)) = groups
            .split_first_mut()
            .map(|(a, r)| (std::mem::take(a), r))
        else {
            matches.push(None);
            continue;
        };
        for bits in rest.iter() {
            for (a, b) in all.iter_mut().zip(bits) {
                *a &= b;
            }
        }
        if let Some(alive) = reader.alive_bitset() {
            for (i, w) in all.iter_mut().enumerate() {
                let mut rest = *w;
                while rest != 0 {
                    let b = rest.trailing_zeros();
                    rest &= rest - 1;
                    if !alive.is_alive(i as u32 * 64 + b) {
                        *w &= !(1u64 << b);
                    }
                }
            }
        }
        for (i, &w) in all.iter().enumerate() {
            let mut rest = w;
            while rest != 0 {
                let doc = i as u32 * 64 + rest.trailing_zeros();
                rest &= rest - 1;
                total += 1;
                let score = acc.get(doc as usize).copied().unwrap_or(0.0);
                let entry = Reverse((
                    ScoreKey(score),
                    Reverse(DocAddress::new(ord as SegmentOrdinal, doc)),
                ));
                if heap.len() < limit {
                    heap.push(entry);
                } else if heap.peek().is_some_and(|worst| entry < *worst) {
                    heap.pop();
                    heap.push(entry);
                }
            }
        }
        matches.push(Some(all));
    }
    let mut ranked: Ranked = heap
        .into_iter()
        .map(|Reverse((s, Reverse(addr)))| (s.0, addr))
        .collect();
    rank(&mut ranked);
    Ok((total, ranked, matches))
}

/// (score, segment, doc), best first once sorted.
type Ranked = Vec<(Score, DocAddress)>;

fn rank(v: &mut Ranked) {
    v.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.1.segment_ord.cmp(&b.1.segment_ord))
            .then(a.1.doc_id.cmp(&b.1.doc_id))
    });
}

/// A score ordered totally (scores are never NaN here; `total_cmp` anyway).
#[derive(Clone, Copy, PartialEq)]
struct ScoreKey(Score);

impl Eq for ScoreKey {}

impl PartialOrd for ScoreKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ScoreKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl SearchIndex {
    fn from_index(index: Index, dir: &Path) -> Result<Self> {
        register(&index);
        let f = fields(&index.schema(), dir)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(
                    tantivy::directory::error::LockError::IoError(io),
                    _,
                ) => Error::NotWritable {
                    dir: dir.to_owned(),
                    reason: io.to_string(),
                },
                other => Error::Index(other),
            })?;
        Ok(SearchIndex {
            index,
            reader,
            f,
            facet_cache: FacetCache::default(),
            dir: dir.to_owned(),
        })
    }

    /// Creates a new, empty index in `dir` (created if missing).
    pub fn create(dir: impl AsRef<Path>) -> Result<Self> {
        let dir = dir.as_ref();
        if dir.exists() && !dir.is_dir() {
            return Err(Error::Gone {
                dir: dir.to_owned(),
                reason: "a file is there instead of the folder".into(),
            });
        }
        std::fs::create_dir_all(dir).map_err(|source| Error::Dir {
            dir: dir.to_owned(),
            source,
        })?;
        if dir.join("meta.json").exists() {
            return Err(Error::Exists {
                dir: dir.to_owned(),
            });
        }
        let mmap = tantivy::directory::MmapDirectory::open(dir).map_err(|e| Error::Create {
            dir: dir.to_owned(),
            source: e.into(),
        })?;
        let index =
            Index::create(mmap, schema(), tantivy::IndexSettings::default()).map_err(|source| {
                Error::Create {
                    dir: dir.to_owned(),
                    source,
                }
            })?;
        Self::from_index(index, dir)
    }

    /// Opens the index in `dir`.
    pub fn open(dir: impl AsRef<Path>) -> Result<Self> {
        let dir = dir.as_ref();
        let index = Index::open_in_dir(dir).map_err(|source| Error::Open {
            dir: dir.to_owned(),
            source,
        })?;
        Self::from_index(index, dir)
    }

    /// A new index in memory (tests, small runs).
    pub fn in_memory() -> Result<Self> {
        Self::from_index(Index::create_in_ram(schema()), &PathBuf::from("<memory>"))
    }

    /// A writer (one at a time per index). Its merge policy is tantivy's
    /// logarithmic one: after a commit, segments of similar sizes are
    /// merged in the background (eight at a time), so that a small update
    /// never rewrites the whole index; a segment with a third of its
    /// entries deleted (replaced) is merged too, which purges them and
    /// keeps the BM25 statistics close to a rebuild's.
    pub fn writer(&self) -> Result<SearchWriter> {
        let writer: tantivy::IndexWriter<TantivyDocument> = self
            .index
            .writer(WRITER_HEAP)
            .map_err(|e| self.write_error(e))?;
        let mut policy = tantivy::indexer::LogMergePolicy::default();
        policy.set_del_docs_ratio_before_merge(1.0 / 3.0);
        writer.set_merge_policy(Box::new(policy));
        Ok(SearchWriter {
            writer,
            reader: self.reader.clone(),
            f: self.f,
            dir: self.dir.clone(),
        })
    }

    /// A writer's error, named by what happened to the folder: removed or
    /// replaced by a file ([`Error::Gone`]), not writable
    /// ([`Error::NotWritable`]), or anything else.
    pub(crate) fn write_error(&self, e: tantivy::TantivyError) -> Error {
        write_error(&self.dir, e)
    }
}

/// [`SearchIndex::write_error`] for the index in `dir`.
pub(crate) fn write_error(dir: &Path, e: tantivy::TantivyError) -> Error {
    if dir.as_os_str() != "<memory>" && !dir.is_dir() {
        let reason = if dir.exists() {
            "a file is there instead of the folder"
        } else {
            "the folder is missing"
        };
        return Error::Gone {
            dir: dir.to_owned(),
            reason: reason.into(),
        };
    }
    if let tantivy::TantivyError::LockFailure(
        tantivy::directory::error::LockError::IoError(io),
        _,
    ) = &e
    {
        return Error::NotWritable {
            dir: dir.to_owned(),
            reason: io.to_string(),
        };
    }
    Error::Index(e)
}

impl SearchIndex {
    /// Sees the last commit (a writer's commit does this already).
    pub fn reload(&self) -> Result<()> {
        Ok(self.reader.reload()?)
    }

    /// Number of entries (sources and documents) visible to searches.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// True when no entry is visible.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The filters of `q`: groups of terms, an entry must hold one term of
    /// every group (a province of today: any of the provinces it covers).
    fn filters(&self, q: &Query) -> Result<Vec<Vec<Term>>> {
        let f = self.f;
        let mut out: Vec<Vec<Term>> = Vec::new();
        if let Some(k) = q.kind.as_deref().filter(|k| !k.trim().is_empty()) {
            let kind = reference::parse_kind(k).ok_or_else(|| Error::UnknownKind(k.to_owned()))?;
            out.push(vec![Term::from_field_text(f.kind, kind.code())]);
        }
        if let Some(i) = q.issuer.as_deref().filter(|i| !i.trim().is_empty()) {
            out.push(vec![Term::from_field_text(f.issuer, &issuer_key(i))]);
        }
        if let Some(y) = q.year {
            out.push(vec![Term::from_field_text(f.year, &y.to_string())]);
        }
        if let Some(p) = q.province.as_deref().filter(|p| !p.trim().is_empty()) {
            let names =
                provinces::covered(p).ok_or_else(|| Error::UnknownProvince(p.to_owned()))?;
            out.push(
                names
                    .iter()
                    .map(|n| Term::from_field_text(f.province, &provinces::key(n)))
                    .collect(),
            );
        }
        Ok(out)
    }

    /// The tantivy queries for `q`: every word required, and (when the
    /// query has several words) the fallback where any word will do.
    fn compile(&self, q: &Query) -> Result<Compiled> {
        let f = self.f;
        let filter_terms = self.filters(q)?;
        let filters: Vec<Box<dyn TQuery>> = filter_terms
            .iter()
            .map(|group| {
                let any: Vec<Box<dyn TQuery>> = group
                    .iter()
                    .map(|t| {
                        Box::new(TermQuery::new(t.clone(), IndexRecordOption::Basic))
                            as Box<dyn TQuery>
                    })
                    .collect();
                let q: Box<dyn TQuery> = if any.len() == 1 {
                    any.into_iter().next().unwrap_or_else(|| Box::new(AllQuery))
                } else {
                    Box::new(BooleanQuery::union(any))
                };
                Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn TQuery>
            })
            .collect();
        let parsed = reference::parse(&q.text);

        // Reference clauses.
        let mut refs: Vec<Box<dyn TQuery>> = Vec::new();
        for keys in &parsed.references {
            for k in keys {
                let score = if k.contains(':') {
                    REF_PARTIAL
                } else {
                    REF_FULL
                };
                let t = TermQuery::new(Term::from_field_text(f.refs, k), IndexRecordOption::Basic);
                refs.push(Box::new(ConstScoreQuery::new(Box::new(t), score)));
                if !k.contains(':') {
                    // The number-symbol as written in a text (one folded token).
                    let t = TermQuery::new(
                        Term::from_field_text(f.folded, k),
                        IndexRecordOption::WithFreqs,
                    );
                    refs.push(Box::new(BoostQuery::new(Box::new(t), BOOST_BIGRAM)));
                }
                if !k.starts_with("kind:") {
                    let t =
                        TermQuery::new(Term::from_field_text(f.cites, k), IndexRecordOption::Basic);
                    refs.push(Box::new(ConstScoreQuery::new(Box::new(t), CITES)));
                }
            }
        }

        // Text clauses.
        let folded = analyzer::tokens(&parsed.rest, Mode::Folded);
        let mut unigrams: Vec<String> = Vec::new();
        let mut bigrams: Vec<String> = Vec::new();
        for t in folded {
            let v = if t.text.contains(' ') {
                &mut bigrams
            } else {
                &mut unigrams
            };
            if !v.contains(&t.text) {
                v.push(t.text);
            }
        }
        // A whole reference's parts are alternatives, not requirements.
        let wholes: HashSet<(usize, usize)> = analyzer::pieces(&parsed.rest)
            .into_iter()
            .filter(|p| p.whole)
            .map(|p| (p.start, p.end))
            .collect();
        let part_of_whole = |w: &str| -> bool {
            !wholes.is_empty()
                && analyzer::pieces(&parsed.rest).iter().any(|p| {
                    !p.whole
                        && analyzer::fold(&parsed.rest[p.start..p.end]) == w
                        && wholes.iter().any(|&(s, e)| p.start >= s && p.end <= e)
                })
        };
        let mut exact: Vec<String> = Vec::new();
        for t in analyzer::tokens(&parsed.rest, Mode::Exact) {
            if analyzer::fold(&t.text) != t.text && !exact.contains(&t.text) {
                exact.push(t.text);
            }
        }
        let text_query = |all_required: bool| -> Option<Box<dyn TQuery>> {
            if unigrams.is_empty() {
                return None;
            }
            let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
            for u in &unigrams {
                let occur = if all_required && !part_of_whole(u) {
                    Occur::Must
                } else {
                    Occur::Should
                };
                let t = TermQuery::new(
                    Term::from_field_text(f.folded, u),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((occur, Box::new(t)));
            }
            for b in &bigrams {
                let t = TermQuery::new(
                    Term::from_field_text(f.folded, b),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(t), BOOST_BIGRAM)),
                ));
            }
            for e in &exact {
                let t = TermQuery::new(
                    Term::from_field_text(f.exact, e),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(t), BOOST_EXACT)),
                ));
            }
            Some(Box::new(BooleanQuery::new(clauses)))
        };

        let build = |all_required: bool| -> Option<Box<dyn TQuery>> {
            let mut top: Vec<Box<dyn TQuery>> = refs.iter().map(|r| r.box_clone()).collect();
            if let Some(t) = text_query(all_required) {
                top.push(t);
            }
            let main: Box<dyn TQuery> = match top.len() {
                0 if filters.is_empty() => return None,
                0 => Box::new(AllQuery),
                1 => top.pop()?,
                _ => Box::new(BooleanQuery::union(top)),
            };
            if filters.is_empty() {
                return Some(main);
            }
            let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = vec![(Occur::Must, main)];
            clauses.extend(filters.iter().map(|q| (Occur::Must, q.box_clone())));
            Some(Box::new(BooleanQuery::new(clauses)))
        };

        let strict = build(true).ok_or(Error::EmptyQuery)?;
        let fallback = if unigrams.len() > 1 {
            build(false)
        } else {
            None
        };
        // Words only (no reference): the same matches and ranking as
        // `strict`, computed term at a time (see [`top_required`]).
        let words = (refs.is_empty() && !unigrams.is_empty()).then(|| {
            let mut scored: Vec<(Term, f32)> = Vec::new();
            let mut required: Vec<Vec<Term>> = filter_terms.clone();
            for u in &unigrams {
                let t = Term::from_field_text(f.folded, u);
                if !part_of_whole(u) {
                    required.push(vec![t.clone()]);
                }
                scored.push((t, 1.0));
            }
            for b in &bigrams {
                scored.push((Term::from_field_text(f.folded, b), BOOST_BIGRAM));
            }
            for e in &exact {
                scored.push((Term::from_field_text(f.exact, e), BOOST_EXACT));
            }
            let any_word = !unigrams.iter().any(|u| !part_of_whole(u));
            WordQuery {
                scored,
                required,
                any_word,
            }
        });
        Ok(Compiled {
            strict,
            fallback,
            words,
        })
    }

    /// The ids (documents) and sources of every entry matching `q`, in no
    /// particular order, without scores or snippets (exports, measurements).
    pub fn matching(&self, q: &Query) -> Result<Vec<String>> {
        let compiled = self.compile(q)?;
        let searcher = self.reader.searcher();
        let mut found = searcher.search(&*compiled.strict, &DocSetCollector)?;
        if found.is_empty() {
            if let Some(fallback) = &compiled.fallback {
                found = searcher.search(&**fallback, &DocSetCollector)?;
            }
        }
        let mut by_segment: Vec<Vec<u32>> = vec![Vec::new(); searcher.segment_readers().len()];
        for a in found {
            if let Some(v) = by_segment.get_mut(a.segment_ord as usize) {
                v.push(a.doc_id);
            }
        }
        let mut out = Vec::new();
        let mut key = String::new();
        for (reader, docs) in searcher.segment_readers().iter().zip(by_segment) {
            let Some(column) = reader.fast_fields().str("key")? else {
                continue;
            };
            for doc in docs {
                for ord in column.term_ords(doc) {
                    key.clear();
                    if column
                        .ord_to_str(ord, &mut key)
                        .map_err(tantivy::TantivyError::from)?
                    {
                        out.push(key.get(2..).unwrap_or("").to_owned());
                    }
                }
            }
        }
        Ok(out)
    }

    /// Runs a query: hits best first, with snippets.
    pub fn search(&self, q: &Query) -> Result<SearchResults> {
        Ok(self.run(q, false)?.0)
    }

    /// [`SearchIndex::search`], and the facet counts over every entry the
    /// query matches (not only the hits returned).
    pub fn search_with_facets(&self, q: &Query) -> Result<(SearchResults, FacetCounts)> {
        let (results, facets) = self.run(q, true)?;
        Ok((results, facets.unwrap_or_default()))
    }

    fn run(&self, q: &Query, with_facets: bool) -> Result<(SearchResults, Option<FacetCounts>)> {
        let t0 = Instant::now();
        let f = self.f;
        let compiled = self.compile(q)?;
        let searcher = self.reader.searcher();
        let limit = q.limit.max(1);
        let page = || TopDocs::with_limit(limit).and_offset(q.offset);
        // A tantivy query's hits, total and (when asked) matches.
        let boolean = |query: &dyn TQuery| -> Result<(Ranked, usize, Matches)> {
            if with_facets {
                Ok(searcher.search(query, &(page(), Count, BitsetCollector))?)
            } else {
                let (top, total) = searcher.search(query, &(page(), Count))?;
                Ok((top, total, Vec::new()))
            }
        };
        let (mut top, mut total, mut matches) = match &compiled.words {
            Some(p) => {
                let (total, ranked, matches) =
                    top_required(&searcher, p, limit.saturating_add(q.offset))?;
                (ranked.into_iter().skip(q.offset).collect(), total, matches)
            }
            None => boolean(&*compiled.strict)?,
        };
        if total == 0 {
            // No entry has every word: fall back to any word.
            if let Some(query) = &compiled.fallback {
                (top, total, matches) = boolean(&**query)?;
            }
        }
        let facets = if with_facets {
            Some(facets::count(
                &searcher,
                &f.facets(),
                &self.facet_cache,
                &matches,
            )?)
        } else {
            None
        };

        // Snippet terms: every folded syllable and reference of the query.
        let mut terms: HashSet<String> = HashSet::new();
        for t in analyzer::tokens(&q.text, Mode::Folded) {
            if !t.text.contains(' ') {
                terms.insert(t.text);
            }
        }
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let get = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_owned()
            };
            let score = round(f64::from(score), 3);
            let body = get(f.body);
            let snip = snippet(&body, &terms);
            if get(f.kind_of_entry) == "document" {
                hits.push(Hit::Document {
                    id: get(f.id),
                    score,
                    title: get(f.title),
                    snippet: snip,
                });
            } else {
                let published = doc
                    .get_first(f.published)
                    .and_then(|v| v.as_str())
                    .map(str::to_owned);
                hits.push(Hit::Source {
                    source: get(f.id),
                    published,
                    score,
                    title: get(f.title),
                    snippet: snip,
                });
            }
        }
        // Hits whose shown scores are equal keep one order whatever the
        // index's segments (a rebuilt and an incrementally fed index lay
        // entries out differently): by their id.
        hits.sort_by(|a, b| {
            b.score()
                .total_cmp(&a.score())
                .then_with(|| a.key().cmp(b.key()))
        });
        let took_ms = round(t0.elapsed().as_secs_f64() * 1000.0, 2);
        let results = SearchResults {
            query: q.text.clone(),
            total,
            took_ms,
            hits,
        };
        Ok((results, facets))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceEntry;

    const WORDS: [&str; 12] = [
        "bảo",
        "vệ",
        "chính",
        "trị",
        "nội",
        "bộ",
        "môi",
        "trường",
        "giáo",
        "dục",
        "bao",
        "ve",
    ];

    /// 300 sources of pseudo-random words (a fixed linear congruential
    /// sequence), so that scores rarely tie.
    fn index() -> SearchIndex {
        let idx = SearchIndex::in_memory().expect("index");
        let mut w = idx.writer().expect("writer");
        let mut x: u64 = 12345;
        for i in 0..300 {
            let mut text = String::new();
            let n = 5 + i % 37;
            for _ in 0..n {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(WORDS[((x >> 33) % WORDS.len() as u64) as usize]);
                text.push(' ');
            }
            w.add_source(SourceEntry {
                source: format!("s{i}"),
                published: None,
                title: format!("s{i}"),
                text,
                kinds: vec![],
                issuers: vec![],
                years: vec![if i % 3 == 0 { 2020 } else { 2021 }],
                provinces: vec![],
                document_ids: vec![],
            })
            .expect("add");
        }
        w.commit().expect("commit");
        idx
    }

    #[test]
    fn term_at_a_time_top_equals_full_scoring() {
        let idx = index();
        let searcher = idx.reader.searcher();
        for text in [
            "bảo vệ",
            "bao ve",
            "chính trị nội bộ",
            "giáo dục môi trường",
            "vệ",
        ] {
            for year in [None, Some(2020)] {
                let mut q = Query::new(text);
                q.year = year;
                q.limit = 7;
                let c = idx.compile(&q).expect("compile");
                let full: Vec<(Score, DocAddress)> = searcher
                    .search(&*c.strict, &TopDocs::with_limit(q.limit))
                    .expect("full");
                let p = c.words.as_ref().expect("words only");
                let (total_mine, mine, _) = top_required(&searcher, p, q.limit).expect("mine");
                assert!(!full.is_empty(), "{text}");
                assert_eq!(full.len(), mine.len(), "{text} {year:?}");
                for (a, b) in full.iter().zip(&mine) {
                    assert!(
                        (a.0 - b.0).abs() < 1e-4,
                        "{text} {year:?}: {full:?} {mine:?}"
                    );
                }
                // Same entries, up to the order of equal scores.
                let mut fa: Vec<_> = full.iter().map(|x| x.1).collect();
                let mut pa: Vec<_> = mine.iter().map(|x| x.1).collect();
                if full.last().map(|x| x.0) != full.get(full.len().saturating_sub(2)).map(|x| x.0) {
                    fa.sort();
                    pa.sort();
                    assert_eq!(fa, pa, "{text} {year:?}");
                }
                // And every hit holds every word and the filter.
                let total = searcher.search(&*c.strict, &Count).expect("count");
                assert_eq!(total_mine, total, "{text} {year:?}");
                let r = idx.search(&q).expect("search");
                assert_eq!(r.total, total);
                assert_eq!(r.hits.len(), full.len());
                // The second page continues the first.
                q.offset = 3;
                let page2 = idx.search(&q).expect("page 2");
                let scores: Vec<f64> = r.hits.iter().skip(3).map(Hit::score).collect();
                let scores2: Vec<f64> = page2
                    .hits
                    .iter()
                    .take(scores.len())
                    .map(Hit::score)
                    .collect();
                assert_eq!(scores, scores2, "{text} {year:?}");
            }
        }
    }

    #[test]
    fn deleted_entries_are_neither_counted_nor_shown() {
        let idx = index();
        let before = idx.search(&Query::new("bảo vệ")).expect("search");
        let first = before
            .hits
            .first()
            .map(|h| h.key().to_owned())
            .expect("a hit");
        let mut w = idx.writer().expect("writer");
        w.delete_source(&first);
        w.commit().expect("commit");
        let after = idx.search(&Query::new("bảo vệ")).expect("search");
        assert_eq!(after.total + 1, before.total);
        assert!(after.hits.iter().all(|h| h.key() != first));
        let searcher = idx.reader.searcher();
        let c = idx.compile(&Query::new("bảo vệ")).expect("compile");
        let count = searcher.search(&*c.strict, &Count).expect("count");
        assert_eq!(after.total, count);
    }
}
