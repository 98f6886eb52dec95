//! Vietnamese full-text search for vanban: a [tantivy] index of *sources*
//! (the ingested texts) and *documents* (the văn bản they cite), answering
//! the queries of `vanban search` (docs/knowledge-base-json.md) in exactly the
//! contract's JSON shape ([`SearchResults`]).
//!
//! - Diacritics are optional in queries: every text is indexed twice, an
//!   exact form (diacritics kept, one tone placement) and a folded form
//!   (no diacritics, `đ` → `d`) with two-syllable bigrams; exact matches and
//!   phrases rank higher ([`analyzer`]).
//! - A query that is or contains a document reference (`126-QĐ/TW`,
//!   `quy dinh 126`, `30/2020/NĐ-CP`) ranks that document first ([`reference`]).
//! - Filters by kind, issuer, year and province; a province of today also
//!   finds the old provinces merged into it in 2025 ([`provinces`]).
//!
//! This crate indexes plain values ([`SourceEntry`], [`DocumentEntry`]) and
//! knows nothing of the store: whoever owns the data feeds the writer.
//!
//! It must never touch anything but its own index directory (or memory),
//! never reach the network, and never panic on any input: queries and
//! texts are data, errors are [`Error`] values that say what to do.

pub mod analyzer;
mod facets;
mod index;
pub mod provinces;
pub mod reference;
mod schema;
pub mod snippet;
mod writer;

pub use facets::FacetCounts;
pub use index::SearchIndex;
pub use schema::issuer_key;
pub use writer::SearchWriter;

use chrono::NaiveDate;
use serde::Serialize;
use std::path::PathBuf;
use vanban_extract::DocumentKind;

/// A document (văn bản) to index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentEntry {
    /// The store's id, e.g. `58-QĐ/TW@2022-02-08`.
    pub id: String,
    pub kind: DocumentKind,
    /// The number as written (`58`, `01`).
    pub number: Option<String>,
    /// The sign after the number (`QĐ/TW`, `NĐ-CP`, `QH15`).
    pub symbol: Option<String>,
    pub year: Option<i32>,
    /// The issuer's canonical name (`Bộ Chính trị`).
    pub issuer: Option<String>,
    /// The subject (trích yếu).
    pub title: Option<String>,
    /// Provinces of the events about this document, as named at the time.
    pub provinces: Vec<String>,
}

/// An ingested text to index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceEntry {
    /// The path or URL it was read from (unique: adding it again replaces it).
    pub source: String,
    pub published: Option<NaiveDate>,
    /// The first line of the text.
    pub title: String,
    /// The prepared text.
    pub text: String,
    /// Kind codes of the documents it cites (`quy_dinh`).
    pub kinds: Vec<String>,
    /// Canonical names of their issuers.
    pub issuers: Vec<String>,
    /// Years of the documents it cites (the publication year is added).
    pub years: Vec<i32>,
    /// Provinces it reports events in, as named at the time.
    pub provinces: Vec<String>,
    /// Ids of the documents it cites (`58-QĐ/TW@2022-02-08`).
    pub document_ids: Vec<String>,
}

/// What to search for: `vanban search QUERY [--limit N] [--kind K] [--issuer I] [--year Y] [--province P]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub text: String,
    /// At most this many hits (default 10).
    pub limit: usize,
    /// Skip this many hits first (paging).
    pub offset: usize,
    /// A kind code (`quy_dinh`) or name (`Quy định`, `quy dinh`).
    pub kind: Option<String>,
    /// An issuer's canonical name, accents optional.
    pub issuer: Option<String>,
    pub year: Option<i32>,
    /// A province, old or of today, accents optional.
    pub province: Option<String>,
}

impl Query {
    /// A query for `text` with the default limit and no filters.
    pub fn new(text: impl Into<String>) -> Self {
        Query {
            text: text.into(),
            limit: 10,
            offset: 0,
            kind: None,
            issuer: None,
            year: None,
            province: None,
        }
    }
}

/// The answer, serialised exactly as the contract's `vanban search` JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    pub query: String,
    /// Number of matching entries (not only those in `hits`).
    pub total: usize,
    pub took_ms: f64,
    pub hits: Vec<Hit>,
}

/// One hit: a document or a source.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Hit {
    Document {
        id: String,
        score: f64,
        title: String,
        /// HTML: escaped text with `<mark>…</mark>` around matches.
        snippet: String,
    },
    Source {
        source: String,
        published: Option<String>,
        score: f64,
        title: String,
        /// HTML: escaped text with `<mark>…</mark>` around matches.
        snippet: String,
    },
}

impl Hit {
    /// The score of either kind of hit.
    pub fn score(&self) -> f64 {
        match self {
            Hit::Document { score, .. } | Hit::Source { score, .. } => *score,
        }
    }
    /// The document id or source path.
    pub fn key(&self) -> &str {
        match self {
            Hit::Document { id, .. } => id,
            Hit::Source { source, .. } => source,
        }
    }
}

/// What went wrong, and what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("không tạo được chỉ mục tìm kiếm trong {dir} (cannot create the search index: {source}); kiểm tra thư mục ghi được và chưa phải là một chỉ mục (nếu đã là, hãy mở nó)")]
    Create {
        dir: PathBuf,
        source: tantivy::TantivyError,
    },
    #[error("{dir} đã chứa một chỉ mục tìm kiếm (already holds a search index): hãy mở nó, hoặc xoá thư mục để dựng lại từ đầu")]
    Exists { dir: PathBuf },
    #[error("không mở được chỉ mục tìm kiếm trong {dir} (cannot open the search index: {source}); hãy dựng lại bằng `vanban reindex`")]
    Open {
        dir: PathBuf,
        source: tantivy::TantivyError,
    },
    /// The index's folder cannot be written (a read-only file system, no
    /// permission): even reading needs a lock file there.
    #[error("không mở được chỉ mục tìm kiếm trong {dir}: thư mục của nó không ghi được (its folder cannot be written: {reason}), mà việc đọc cũng cần một tệp khoá ở đó; kiểm tra hệ thống tệp không bị gắn chỉ đọc (mounted read-only) và quyền của thư mục")]
    NotWritable { dir: PathBuf, reason: String },
    /// The index's folder was removed, or replaced by a file, under a
    /// running program.
    #[error("mất thư mục chỉ mục tìm kiếm (the search index folder {dir} is gone: {reason}); các văn bản vẫn được lưu: chạy `vanban reindex` để dựng lại chỉ mục (docs/operations.md)")]
    Gone { dir: PathBuf, reason: String },
    #[error("chỉ mục tìm kiếm trong {dir} do một phiên bản khác dựng (built by another version: field `{field}` missing); hãy dựng lại bằng `vanban reindex`")]
    Schema { dir: PathBuf, field: &'static str },
    #[error("không tạo được thư mục chỉ mục {dir} (cannot create the index directory: {source}); kiểm tra đường dẫn, quyền ghi và dung lượng ổ đĩa")]
    Dir {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("lỗi chỉ mục tìm kiếm (search index error: {0}); nếu còn lặp lại, hãy dựng lại chỉ mục bằng `vanban reindex`")]
    Index(#[from] tantivy::TantivyError),
    #[error("unknown document kind `{0}`: use a code such as quy_dinh, nghi_quyet, nghi_dinh, or its Vietnamese name (Quy định)")]
    UnknownKind(String),
    #[error("unknown province `{0}`: use a province name, old or of today, e.g. Ninh Bình, Hà Nam, TP. Hồ Chí Minh")]
    UnknownProvince(String),
    #[error("empty query: type some words or a document number, or give a filter (--kind, --issuer, --year, --province)")]
    EmptyQuery,
}

/// Result with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
