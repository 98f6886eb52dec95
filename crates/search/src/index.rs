//! The tantivy index: opening it and evaluating queries.

use crate::analyzer::{self, Mode};
use crate::schema::{fields, issuer_key, register, round, schema, Fields, WRITER_HEAP};
use crate::snippet::snippet;
use crate::writer::SearchWriter;
use crate::{provinces, reference, Error, Hit, Query, Result, SearchResults};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query as TQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term};

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
}

/// The queries compiled from a [`Query`].
struct Compiled {
    /// Every word required (or the references, or the filters alone).
    strict: Box<dyn TQuery>,
    /// Any word will do: tried when `strict` finds nothing.
    fallback: Option<Box<dyn TQuery>>,
}

impl SearchIndex {
    fn from_index(index: Index, dir: &Path) -> Result<Self> {
        register(&index);
        let f = fields(&index.schema(), dir)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex { index, reader, f })
    }

    /// Creates a new, empty index in `dir` (created if missing).
    pub fn create(dir: impl AsRef<Path>) -> Result<Self> {
        let dir = dir.as_ref();
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

    /// A writer (one at a time per index).
    pub fn writer(&self) -> Result<SearchWriter> {
        let writer = self.index.writer(WRITER_HEAP)?;
        Ok(SearchWriter {
            writer,
            reader: self.reader.clone(),
            f: self.f,
        })
    }

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

    fn filters(&self, q: &Query) -> Result<Vec<Box<dyn TQuery>>> {
        let f = self.f;
        let term = |field: Field, v: &str| -> Box<dyn TQuery> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, v),
                IndexRecordOption::Basic,
            ))
        };
        let mut out: Vec<Box<dyn TQuery>> = Vec::new();
        if let Some(k) = q.kind.as_deref().filter(|k| !k.trim().is_empty()) {
            let kind = reference::parse_kind(k).ok_or_else(|| Error::UnknownKind(k.to_owned()))?;
            out.push(term(f.kind, kind.code()));
        }
        if let Some(i) = q.issuer.as_deref().filter(|i| !i.trim().is_empty()) {
            out.push(term(f.issuer, &issuer_key(i)));
        }
        if let Some(y) = q.year {
            out.push(term(f.year, &y.to_string()));
        }
        if let Some(p) = q.province.as_deref().filter(|p| !p.trim().is_empty()) {
            let names =
                provinces::covered(p).ok_or_else(|| Error::UnknownProvince(p.to_owned()))?;
            let any: Vec<Box<dyn TQuery>> = names
                .iter()
                .map(|n| term(f.province, &provinces::key(n)))
                .collect();
            out.push(Box::new(BooleanQuery::union(any)));
        }
        Ok(out
            .into_iter()
            .map(|q| Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn TQuery>)
            .collect())
    }

    /// The tantivy queries for `q`: every word required, and (when the
    /// query has several words) the fallback where any word will do.
    fn compile(&self, q: &Query) -> Result<Compiled> {
        let f = self.f;
        let filters = self.filters(q)?;
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
        Ok(Compiled { strict, fallback })
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
        let t0 = Instant::now();
        let f = self.f;
        let compiled = self.compile(q)?;
        let searcher = self.reader.searcher();
        let limit = q.limit.max(1);
        let collector = (TopDocs::with_limit(limit).and_offset(q.offset), Count);
        let (mut top, mut total) = searcher.search(&*compiled.strict, &collector)?;
        if total == 0 {
            // No entry has every word: fall back to any word.
            if let Some(query) = &compiled.fallback {
                (top, total) = searcher.search(&**query, &collector)?;
            }
        }

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
        let took_ms = round(t0.elapsed().as_secs_f64() * 1000.0, 2);
        Ok(SearchResults {
            query: q.text.clone(),
            total,
            took_ms,
            hits,
        })
    }
}
