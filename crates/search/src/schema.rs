//! The index schema: fields, their options, and the analysers they use.
//! Anything that changes what is written to an index lives here or in
//! [`crate::writer`]; an index built by another version must be rebuilt.

use crate::analyzer::{self, Mode, ViTokenizer};
use crate::{Error, Result};
use std::path::Path;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Index;

/// Bytes of a source's text kept in the index for snippets: the snippet
/// scan window and a fragment's length after it. Keeping whole texts (up to
/// 700 KB for a law) made every hit cost a copy and a UTF-8 check of all of it.
pub(crate) const STORED_TEXT: usize = crate::snippet::MAX_SCAN + 1024;

/// Heap for the writer, in bytes (split between its threads).
pub(crate) const WRITER_HEAP: usize = 256 * 1024 * 1024;

#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub key: Field,
    pub kind_of_entry: Field,
    pub id: Field,
    pub published: Field,
    pub title: Field,
    pub body: Field,
    pub exact: Field,
    pub folded: Field,
    pub refs: Field,
    pub cites: Field,
    pub kind: Field,
    pub issuer: Field,
    pub year: Field,
    pub province: Field,
}

impl Fields {
    /// The fields facets are counted on.
    pub(crate) fn facets(&self) -> crate::facets::FacetFields {
        crate::facets::FacetFields {
            kind: self.kind,
            issuer: self.issuer,
            year: self.year,
            province: self.province,
        }
    }
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

pub(crate) fn schema() -> Schema {
    let mut b = Schema::builder();
    let text = |tok: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tok)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    b.add_text_field("key", STRING | FAST);
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

pub(crate) fn fields(schema: &Schema, dir: &Path) -> Result<Fields> {
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

pub(crate) fn register(index: &Index) {
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
pub fn issuer_key(s: &str) -> String {
    analyzer::fold(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn round(x: f64, digits: i32) -> f64 {
    let m = 10f64.powi(digits);
    (x * m).round() / m
}

pub(crate) fn dedup(it: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for s in it {
        if !s.is_empty() && !v.contains(&s) {
            v.push(s);
        }
    }
    v
}
