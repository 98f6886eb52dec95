//! Adding and removing entries.

use crate::schema::{dedup, issuer_key, Fields, STORED_TEXT};
use crate::{provinces, reference, DocumentEntry, Result, SourceEntry};
use std::collections::HashSet;
use tantivy::{IndexReader, IndexWriter, TantivyDocument, Term};
use vanban_extract::DocumentKind;

/// Adds and removes entries; nothing is visible to searches before [`SearchWriter::commit`].
pub struct SearchWriter {
    pub(crate) writer: IndexWriter<TantivyDocument>,
    pub(crate) reader: IndexReader,
    pub(crate) f: Fields,
    /// The index's folder, to name what happened to it when a commit fails.
    pub(crate) dir: std::path::PathBuf,
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
        d.add_text(f.body, stored_prefix(&e.text));
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

    /// For a bulk load that ends with [`SearchWriter::finish`]: no segment
    /// is merged before then (background merges would rewrite the same
    /// postings several times while the indexing threads need the cores;
    /// `finish` merges everything once).
    pub fn defer_merges(&mut self) {
        self.writer
            .set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    }

    /// Commits, merges every segment into one and waits for the merges to
    /// end (after a bulk load: a search then reads one segment, not dozens).
    pub fn finish(mut self) -> Result<()> {
        self.commit()?;
        let segments = self.writer.index().searchable_segment_ids()?;
        if segments.len() > 1 {
            self.writer.merge(&segments).wait()?;
        }
        self.writer.wait_merging_threads()?;
        self.reader.reload()?;
        Ok(())
    }

    /// For a small update (a few entries): commits, and waits for the
    /// merges tantivy's default policy starts (of segments of similar
    /// size: small ones, a large one rarely), instead of merging every
    /// segment into one as [`SearchWriter::finish`] does, which would cost
    /// time in proportion to the whole index. Searches give the same
    /// answers (scores are computed over all segments).
    pub fn finish_small(mut self) -> Result<()> {
        self.commit()?;
        let reader = self.reader.clone();
        self.writer.wait_merging_threads()?;
        reader.reload()?;
        Ok(())
    }

    /// Commits, then merges every segment into one and waits for it, the
    /// writer kept (for a small index, where this costs little: deleted
    /// entries are purged, so BM25 statistics are exactly a rebuild's). A
    /// merge the writer's policy already runs on some segment is waited
    /// for first.
    pub fn merge_all(&mut self) -> Result<()> {
        self.commit()?;
        let segments = self.writer.index().searchable_segment_ids()?;
        if segments.len() > 1 || self.reader.searcher().num_docs() != self.max_doc() {
            if self.writer.merge(&segments).wait().is_err() {
                // Some segment was in a background merge: one try more
                // once it ended is not worth waiting for on a write; the
                // next write merges.
                return Ok(());
            }
            self.reader.reload()?;
        }
        Ok(())
    }

    /// Entries the committed segments hold, deleted ones included.
    fn max_doc(&self) -> u64 {
        self.reader
            .searcher()
            .segment_readers()
            .iter()
            .map(|r| u64::from(r.max_doc()))
            .sum()
    }

    /// Waits for the merges running in the background to end, then lets
    /// the writer go (its lock on the index with it).
    pub fn wait_merges(self) -> Result<()> {
        self.finish_small()
    }

    /// Makes the changes durable and visible to searches. Merges that the
    /// merge policy starts run in the background while the writer lives
    /// (segments of similar sizes, [`crate::SearchIndex::writer`]); this
    /// never waits for them.
    pub fn commit(&mut self) -> Result<()> {
        let dir = self.dir.clone();
        self.writer
            .commit()
            .map_err(|e| crate::index::write_error(&dir, e))?;
        self.reader.reload()?;
        Ok(())
    }
}

/// The start of `text` kept for snippets: at most [`STORED_TEXT`] bytes,
/// cut at a char boundary (snippets never look further).
fn stored_prefix(text: &str) -> &str {
    if text.len() <= STORED_TEXT {
        return text;
    }
    let mut end = STORED_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
