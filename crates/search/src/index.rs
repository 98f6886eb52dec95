//! The tantivy index: schema, writer and query evaluation.

use crate::analyzer::{self, Mode, ViTokenizer};
use crate::snippet::snippet;
use crate::{
    provinces, reference, DocumentEntry, Error, Hit, Query, Result, SearchResults, SourceEntry,
};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query as TQuery, TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use vanban_extract::DocumentKind;

/// Heap for the writer, in bytes (split between its threads).
const WRITER_HEAP: usize = 256 * 1024 * 1024;
/// Score given to a document whose number-symbol the query names.
const REF_FULL: f32 = 1000.0;
/// Score given to a document the query names by kind or code and number.
const REF_PARTIAL: f32 = 500.0;
/// Score added to a source citing the document the query names.
const CITES: f32 = 20.0;
/// Boosts: exact (with diacritics) syllables and folded bigrams.
const BOOST_EXACT: f32 = 1.5;
const BOOST_BIGRAM: f32 = 2.0;

#[derive(Clone, Copy)]
struct Fields {
    key: Field,
    kind_of_entry: Field,
    id: Field,
    published: Field,
    title: Field,
    body: Field,
    exact: Field,
    folded: Field,
    refs: Field,
    cites: Field,
    kind: Field,
    issuer: Field,
    year: Field,
    province: Field,
}

const FIELD_NAMES: [&str; 14] = [
    "key",
    "type",
    "id",
    "published",
    "title",
    "body",
    "exact",
    "folded",
    "refs",
    "cites",
    "kind",
    "issuer",
    "year",
    "province",
];

fn schema() -> Schema {
    let mut b = Schema::builder();
    let text = |tok: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tok)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    b.add_text_field("key", STRING);
    b.add_text_field("type", STRING | STORED);
    b.add_text_field("id", STORED);
    b.add_text_field("published", STORED);
    b.add_text_field("title", STORED);
    b.add_text_field("body", STORED);
    b.add_text_field("exact", text(analyzer::EXACT));
    b.add_text_field("folded", text(analyzer::FOLDED));
    for f in ["refs", "cites", "kind", "issuer", "year", "province"] {
        b.add_text_field(f, STRING);
    }
    b.build()
}

fn fields(schema: &Schema, dir: &Path) -> Result<Fields> {
    let mut got = Vec::with_capacity(FIELD_NAMES.len());
    for name in FIELD_NAMES {
        got.push(schema.get_field(name).map_err(|_| Error::Schema {
            dir: dir.to_owned(),
            field: name,
        })?);
    }
    Ok(Fields {
        key: got[0],
        kind_of_entry: got[1],
        id: got[2],
        published: got[3],
        title: got[4],
        body: got[5],
        exact: got[6],
        folded: got[7],
        refs: got[8],
        cites: got[9],
        kind: got[10],
        issuer: got[11],
        year: got[12],
        province: got[13],
    })
}

/// An open search index (on disk or in memory). Cheap to share between
/// threads by reference; searches see the last committed state.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    f: Fields,
}

/// Adds and removes entries; nothing is visible to searches before [`SearchWriter::commit`].
pub struct SearchWriter {
    writer: IndexWriter<TantivyDocument>,
    reader: IndexReader,
    f: Fields,
}

fn register(index: &Index) {
    index.tokenizers().register(
        analyzer::EXACT,
        TextAnalyzer::from(ViTokenizer(Mode::Exact)),
    );
    index.tokenizers().register(
        analyzer::FOLDED,
        TextAnalyzer::from(ViTokenizer(Mode::Folded)),
    );
}

/// Issuer key: folded, single spaces.
fn issuer_key(s: &str) -> String {
    analyzer::fold(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn round(x: f64, digits: i32) -> f64 {
    let m = 10f64.powi(digits);
    (x * m).round() / m
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

    /// Runs a query: hits best first, with snippets.
    pub fn search(&self, q: &Query) -> Result<SearchResults> {
        let t0 = Instant::now();
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

        let searcher = self.reader.searcher();
        let limit = q.limit.max(1);
        let collector = (TopDocs::with_limit(limit).and_offset(q.offset), Count);
        let query = build(true).ok_or(Error::EmptyQuery)?;
        let (mut top, mut total) = searcher.search(&*query, &collector)?;
        if total == 0 && unigrams.len() > 1 {
            // No entry has every word: fall back to any word.
            if let Some(query) = build(false) {
                (top, total) = searcher.search(&*query, &collector)?;
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

impl SearchWriter {
    /// Adds (or replaces) a source, keyed by its `source`.
    pub fn add_source(&mut self, e: SourceEntry) -> Result<()> {
        let f = self.f;
        let key = format!("s:{}", e.source);
        self.writer.delete_term(Term::from_field_text(f.key, &key));
        let mut d = TantivyDocument::default();
        d.add_text(f.key, &key);
        d.add_text(f.kind_of_entry, "source");
        d.add_text(f.id, &e.source);
        if let Some(p) = e.published {
            d.add_text(f.published, p.format("%Y-%m-%d").to_string());
        }
        d.add_text(f.title, &e.title);
        d.add_text(f.exact, &e.text);
        d.add_text(f.folded, &e.text);
        d.add_text(f.body, e.text);
        let mut seen = HashSet::new();
        for id in &e.document_ids {
            for k in reference::id_keys(id) {
                if seen.insert(k.clone()) {
                    d.add_text(f.cites, k);
                }
            }
        }
        for k in dedup(
            e.kinds
                .iter()
                .filter_map(|k| reference::parse_kind(k).map(|k| k.code().to_owned())),
        ) {
            d.add_text(f.kind, k);
        }
        for i in dedup(e.issuers.iter().map(|i| issuer_key(i))) {
            d.add_text(f.issuer, i);
        }
        let years = e
            .years
            .iter()
            .copied()
            .chain(e.published.map(|p| chrono::Datelike::year(&p)));
        for y in dedup(years.map(|y| y.to_string())) {
            d.add_text(f.year, y);
        }
        for p in dedup(e.provinces.iter().map(|p| provinces::key(p))) {
            d.add_text(f.province, p);
        }
        self.writer.add_document(d)?;
        Ok(())
    }

    /// Adds (or replaces) a document, keyed by its `id`.
    pub fn add_document(&mut self, e: DocumentEntry) -> Result<()> {
        let f = self.f;
        let key = format!("d:{}", e.id);
        self.writer.delete_term(Term::from_field_text(f.key, &key));
        let reference = match (&e.number, &e.symbol) {
            (Some(n), Some(s)) if s.contains('/') => format!("{n}-{s}"),
            (Some(n), Some(s)) => match e.year {
                Some(y)
                    if !s.contains('-')
                        || matches!(
                            e.kind,
                            DocumentKind::NghiDinh | DocumentKind::ThongTu | DocumentKind::Luat
                        ) =>
                {
                    format!("{n}/{y}/{s}")
                }
                _ => format!("{n}/{s}"),
            },
            (Some(n), None) => format!("số {n}"),
            _ => String::new(),
        };
        let label = e.kind.label_vi();
        let title = match &e.title {
            Some(t) if !t.trim().is_empty() => format!("{label} {reference}: {t}"),
            _ => format!("{label} {reference}"),
        };
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut body = title.clone();
        if let Some(i) = &e.issuer {
            body.push_str(" — ");
            body.push_str(i);
        }
        let mut d = TantivyDocument::default();
        d.add_text(f.key, &key);
        d.add_text(f.kind_of_entry, "document");
        d.add_text(f.id, &e.id);
        d.add_text(f.title, &title);
        d.add_text(f.exact, &body);
        d.add_text(f.folded, &body);
        d.add_text(f.body, &body);
        let mut keys =
            reference::document_keys(e.kind, e.number.as_deref(), e.symbol.as_deref(), e.year);
        for k in reference::id_keys(&e.id) {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        for k in keys {
            d.add_text(f.refs, k);
        }
        d.add_text(f.kind, e.kind.code());
        if let Some(i) = &e.issuer {
            d.add_text(f.issuer, issuer_key(i));
        }
        if let Some(y) = e.year {
            d.add_text(f.year, y.to_string());
        }
        for p in dedup(e.provinces.iter().map(|p| provinces::key(p))) {
            d.add_text(f.province, p);
        }
        self.writer.add_document(d)?;
        Ok(())
    }

    /// Removes a source (by its `source`) at the next commit.
    pub fn delete_source(&mut self, source: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.f.key, &format!("s:{source}")));
    }

    /// Removes a document (by its id) at the next commit.
    pub fn delete_document(&mut self, id: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.f.key, &format!("d:{id}")));
    }

    /// Removes every entry at the next commit (before a full reindex).
    pub fn clear(&mut self) -> Result<()> {
        self.writer.delete_all_documents()?;
        Ok(())
    }

    /// Commits, then waits for background segment merges to end (after a
    /// bulk load, so that searches see few segments).
    pub fn finish(mut self) -> Result<()> {
        self.commit()?;
        self.writer.wait_merging_threads()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Makes the changes durable and visible to searches.
    pub fn commit(&mut self) -> Result<()> {
        self.writer.commit()?;
        self.reader.reload()?;
        Ok(())
    }
}

fn dedup(it: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for s in it {
        if !s.is_empty() && !v.contains(&s) {
            v.push(s);
        }
    }
    v
}
