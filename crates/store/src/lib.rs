//! The knowledge base of vanban (cơ sở tri thức): the texts that were ingested
//! and every fact extracted from them, kept in a store (embedded SQLite by
//! default, or a PostgreSQL server), and the citation graph resolved from
//! those facts.
//!
//! Two layers, one rule: **the store keeps facts as the texts gave them; the
//! graph is derived.**
//!
//! - [`Store`] persists sources (content hash, path or URL, publication date,
//!   prepared text) with their [`vanban_extract::Extraction`], in one
//!   transaction per batch, idempotent by content hash. Both backends
//!   ([`Location::Embedded`], [`Location::Postgres`]) implement [`Backend`]
//!   with the same versioned schema (`migrations/`), and opening an older
//!   store upgrades it.
//! - [`graph::Graph`] is built in memory from all stored facts
//!   ([`SourceFacts`]): mentions merged into canonical documents
//!   (kind + number + symbol + date or term, shared/domain §1), short
//!   mentions resolved only when one candidate remains, conflicting facts
//!   kept with their sources, relations as a graph, status in force as of
//!   any date, events by province. It is the reference: what the store
//!   keeps of it is a cache, never a fact.
//! - The derived state (migration 0007, `derived.rs`): the graph's
//!   canonical documents and each mention's resolution, partitioned by
//!   document number (resolution never crosses numbers), with an index of
//!   which sources mention which number. Each batch re-resolves, inside its
//!   own transaction, only the numbers its new mentions carry, with
//!   [`graph::Graph::build`] over those numbers' sources;
//!   [`Store::rebuild_derived`] (`vanban rebuild`, and the first open after
//!   the migration) rewrites it from every fact and gives identical rows.
//!   [`Store::graph_around`] uses the index to build the graph of only the
//!   sources one reference needs (`vanban doc`). A better resolver needs a
//!   rebuild, never a data migration.
//!
//! Extraction itself is `vanban-extract`'s ([`NewSource::from_input`]
//! and [`NewSource::from_fetched`] only
//! call it). This crate must never touch a file outside
//! the store's own directory, never guess an identity when two candidates
//! remain, and never leave a source half-written.

mod codec;
pub mod coverage;
mod derived;
pub mod expectations;
pub mod export;
pub mod graph;
pub mod indexing;
pub mod listen;
mod migrate;
mod pg;
pub mod pool;
mod sqlite;
pub(crate) mod watchdog;
pub mod watched;

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use vanban_extract::Extraction;
pub use watched::WatchedSource;

/// Where the store lives: `--data DIR` (embedded) or `--database URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// An embedded SQLite store in this directory (`DIR/vanban.sqlite3`).
    Embedded(PathBuf),
    /// A PostgreSQL server (`postgres://user@host/db`).
    Postgres(String),
}

/// A text to store: its identity, its prepared text and what was extracted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSource {
    /// SHA-256 of the input bytes, lower-case hex: the identity of the content.
    pub hash: String,
    /// Size of the input in bytes.
    pub bytes: u64,
    /// The first non-empty line of the prepared text (at most 300 chars).
    pub title: String,
    /// The prepared NFC text (`vanban_text::Prepared::text`); mention spans
    /// point into it.
    pub text: String,
    /// What the extractor found; `extraction.source` is the path or URL and
    /// `extraction.published` the publication date.
    pub extraction: Extraction,
}

impl NewSource {
    /// Prepares and extracts one input (`source` is its path or URL; `.html`
    /// / `.htm` are read as HTML) into what the store keeps. Callers check
    /// first that the bytes are text at all.
    pub fn from_input(source: &str, bytes: &[u8]) -> NewSource {
        NewSource::from_hashed_input(source, bytes, content_hash(bytes))
    }

    /// [`NewSource::from_input`] for a caller that has already computed
    /// `hash = content_hash(bytes)` (e.g. to skip stored content before
    /// extracting), so the bytes are not hashed twice.
    pub fn from_hashed_input(source: &str, bytes: &[u8], hash: String) -> NewSource {
        let prepared = vanban_extract::prepare(bytes, vanban_extract::Format::from_path(source));
        let extraction = vanban_extract::extract(source, &prepared);
        let text = prepared.text().to_string();
        let title = source_title(&text);
        NewSource {
            hash,
            bytes: bytes.len() as u64,
            title,
            text,
            extraction,
        }
    }

    /// A fetched page: `source` is its URL, `html` says how to read the
    /// bytes (a URL's path says nothing reliable), and `published` is the
    /// date known from outside the text (its feed item's), used only when
    /// the page itself gives none.
    pub fn from_fetched(
        source: &str,
        bytes: &[u8],
        html: bool,
        published: Option<NaiveDate>,
    ) -> NewSource {
        let format = if html {
            vanban_extract::Format::Html
        } else {
            vanban_extract::Format::Text
        };
        let prepared = vanban_extract::prepare(bytes, format).with_published_fallback(published);
        let extraction = vanban_extract::extract(source, &prepared);
        let text = prepared.text().to_string();
        let title = source_title(&text);
        NewSource {
            hash: content_hash(bytes),
            bytes: bytes.len() as u64,
            title,
            text,
            extraction,
        }
    }
}

/// A source's title: its first line of text that is not a timestamp
/// ("Cập nhật lúc 09:05, Thứ Năm, 18/09/2025 (GMT+7)", "Thứ Sáu,
/// 15/03/2019 - 15:12", "25/02/2022 07:30": what a news page prints above
/// its headline), cut to 300 characters; the first line if all are.
pub fn source_title(text: &str) -> String {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.clone().next().unwrap_or("");
    let title = lines.find(|l| !is_timestamp_line(l)).unwrap_or(first);
    title.chars().take(300).collect()
}

/// A line that only dates a page: an update or posting label or a weekday
/// followed by digits, or a line of mostly digits and separators.
fn is_timestamp_line(line: &str) -> bool {
    const LABELS: [&str; 13] = [
        "cập nhật",
        "đăng lúc",
        "ngày đăng",
        "đăng ngày",
        "thời gian đăng",
        "xuất bản lúc",
        "thứ hai,",
        "thứ ba,",
        "thứ tư,",
        "thứ năm,",
        "thứ sáu,",
        "thứ bảy,",
        "chủ nhật,",
    ];
    let lower = line.to_lowercase();
    let digits = line.chars().filter(|c| c.is_ascii_digit()).count();
    if LABELS.iter().any(|p| lower.starts_with(p)) {
        return digits > 0 && line.chars().count() <= 80;
    }
    let letters = line.chars().filter(|c| c.is_alphabetic()).count();
    digits >= 4 && letters <= 6
}

#[cfg(test)]
mod title_tests {
    use super::source_title;

    #[test]
    fn a_news_page_title_skips_the_timestamp_above_the_headline() {
        let page = "\n  Cập nhật lúc 09:05, Thứ Năm, 18/09/2025 (GMT+7)\nGia Lai tập huấn công tác bảo vệ chính trị nội bộ\nTrong hai ngày…";
        assert_eq!(
            source_title(page),
            "Gia Lai tập huấn công tác bảo vệ chính trị nội bộ"
        );
        assert_eq!(
            source_title(
                "Thứ Sáu, 15/03/2019 - 15:12\n25/02/2022 07:30\nBình Định quán triệt Quy định 126"
            ),
            "Bình Định quán triệt Quy định 126"
        );
        // A headline that merely starts like a label stays.
        assert_eq!(
            source_title("Thứ trưởng Bộ Nội vụ làm việc tại Huế năm 2025\nNội dung"),
            "Thứ trưởng Bộ Nội vụ làm việc tại Huế năm 2025"
        );
        assert_eq!(
            source_title("Quy định mới\nCập nhật: 25/02/2022 07:30"),
            "Quy định mới"
        );
        // Nothing but timestamps: the first line rather than nothing.
        assert_eq!(source_title("25/02/2022 07:30\n"), "25/02/2022 07:30");
        assert_eq!(source_title(""), "");
        assert_eq!(source_title(&"á".repeat(400)).chars().count(), 300);
    }
}

/// The identity of an input's content: SHA-256 of its bytes, lower-case hex.
pub fn content_hash(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    use std::fmt::Write;
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for b in digest {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// A stored source's facts, without its text: what the graph is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFacts {
    /// The store's id of the source (stable, increasing in ingest order).
    pub id: i64,
    pub hash: String,
    pub title: String,
    /// Exactly what was stored: source, published, documents, relations,
    /// events, officials (spans into the source's text).
    pub extraction: Extraction,
    /// One per `extraction.documents` entry: the text around its first
    /// mention ([`excerpt`]), stored at insert time so that the graph can
    /// quote its sources without loading their texts.
    pub excerpts: Vec<String>,
}

/// A stored source with its text (for the source page and for reindexing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceText {
    pub facts: SourceFacts,
    pub text: String,
}

/// Row counts, for `vanban ingest`'s summary and the home page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub sources: u64,
    /// Document mentions (one per document per source), before resolution.
    pub documents: u64,
    pub relations: u64,
    pub events: u64,
    pub officials: u64,
}

/// What one [`Store::insert`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Inserted {
    /// Sources stored by this call.
    pub new: u64,
    /// Sources whose content hash was already stored (skipped).
    pub unchanged: u64,
    /// The change feed's sequence number of this batch ([`Change::seq`]),
    /// when it stored anything.
    #[serde(skip)]
    pub change: Option<i64>,
    /// The ids of the sources stored by this call, ascending.
    #[serde(skip)]
    pub ids: Vec<i64>,
    /// The number keys whose derived state this call re-derived (those its
    /// new mentions carry); `None` when it did not keep the derived state
    /// ([`Store::defer_derived`]) or stored nothing.
    #[serde(skip)]
    pub touched: Option<Vec<String>>,
}

/// One entry of the change feed (table `changes`): a write that changes
/// what pages show, recorded in the write's own transaction. Sequence
/// numbers only grow, in commit order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub seq: i64,
    /// What changed: [`CHANGE_SOURCES`] (a batch of stored texts).
    pub kind: String,
    /// The first and last source id of the batch.
    pub first_id: Option<i64>,
    pub last_id: Option<i64>,
}

/// [`Change::kind`] of a batch of stored sources.
pub const CHANGE_SOURCES: &str = "sources";

/// The PostgreSQL channel notified (at commit) of every change.
pub const CHANGES_CHANNEL: &str = "vanban_changes";

/// An API token's record (the token itself is never stored, only its hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenRecord {
    pub name: String,
    /// SHA-256 of the token, lower-case hex.
    pub hash: String,
    pub created: String,
}

/// What `vanban fetch` knows of one URL it fetched (table `fetched`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FetchRecord {
    /// The URL as asked for (a page, a feed, a feed item's link).
    pub url: String,
    /// The stored source's URL (the page's canonical link, else the URL
    /// after redirects); for a feed, its URL after redirects.
    pub source: String,
    /// The content hash of the stored source (`None` for a feed).
    pub hash: Option<String>,
    /// The answer's `ETag`, for the next conditional GET.
    pub etag: Option<String>,
    /// The answer's `Last-Modified`, for the next conditional GET.
    pub last_modified: Option<String>,
    /// The page's publication date (its metadata, else its feed item's).
    pub published: Option<NaiveDate>,
    /// When it was last fetched (RFC 3339, UTC, whole seconds).
    pub fetched_at: String,
}

/// What went wrong, and what the user can do about it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("không tạo được thư mục dữ liệu {dir} (cannot create the data directory: {source}); kiểm tra đường dẫn và quyền ghi, hoặc chọn thư mục khác bằng --data")]
    DataDir {
        dir: PathBuf,
        source: std::io::Error,
    },
    /// The disk (or the file's quota) holding the embedded store is full
    /// (ổ đĩa đầy).
    #[error("ổ đĩa đầy (disk full): không còn chỗ để ghi kho dữ liệu {path}; hãy giải phóng dung lượng trên ổ đó (hoặc chọn thư mục --data khác) rồi chạy lại đúng lệnh: những gì đã lưu trước vẫn còn, không có gì bị ghi dở (nothing half-written is kept)")]
    DiskFull { path: PathBuf },
    /// The embedded store's file or folder cannot be written.
    #[error("không ghi được kho dữ liệu {path} (the embedded store cannot be written: {reason}); kiểm tra hệ thống tệp (có bị gắn chỉ đọc, mounted read-only?) và quyền của thư mục và các tệp trong đó, hoặc chọn thư mục --data khác (docs/operations.md)")]
    NotWritable { path: PathBuf, reason: String },
    /// The disk failed to read or write (an I/O error).
    #[error("ổ đĩa lỗi khi đọc hoặc ghi kho dữ liệu {path} (the disk failed: {source}); kiểm tra ổ đĩa (dmesg) rồi chạy lại đúng lệnh: không có gì bị ghi dở (nothing half-written is kept)")]
    DiskIo {
        path: PathBuf,
        source: rusqlite::Error,
    },
    /// The embedded store's file is damaged or is not a vanban store at
    /// all (another file in its place).
    #[error("kho dữ liệu hỏng (the embedded store {path} is damaged or is not a vanban store: {source}); khôi phục nó từ bản sao lưu (restore it from a backup), hoặc chuyển nó đi nơi khác rồi nạp lại văn bản vào một kho mới (docs/operations.md)")]
    Damaged {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("kho dữ liệu {path} gặp lỗi (the embedded store failed: {source}); chạy lại lệnh: không có gì bị ghi dở (nothing half-written is kept)")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("không kết nối được PostgreSQL (cannot connect to the PostgreSQL server) at {url}: {reason}; kiểm tra máy chủ có đang chạy và trả lời không, địa chỉ URL (postgres://user:password@host:port/database) và thông tin đăng nhập (docs/operations.md)")]
    Connect { url: String, reason: String },
    #[error("địa chỉ PostgreSQL không hợp lệ (the PostgreSQL URL is not valid): {url}: {reason}; hãy viết theo dạng postgres://user:password@host:port/database (docs/operations.md)")]
    BadUrl { url: String, reason: String },
    /// The PostgreSQL server cannot be reached now (down, restarting,
    /// connection lost); retrying later can succeed.
    #[error("không kết nối được PostgreSQL (the PostgreSQL server is unreachable: {0}); vanban tự kết nối lại: gửi lại yêu cầu hoặc chạy lại lệnh khi máy chủ hoạt động trở lại, không có gì bị ghi dở (nothing half-written is kept) (docs/operations.md)")]
    Unavailable(String),
    /// The PostgreSQL server stopped answering on an open connection (its
    /// processes stopped, a frozen machine, a network that drops packets):
    /// the watchdog dropped the connection (see `watchdog.rs`).
    #[error("PostgreSQL không trả lời (the PostgreSQL server stopped answering: {0}); vanban đã bỏ kết nối đó và tự kết nối lại khi máy chủ trả lời: kiểm tra máy chủ cơ sở dữ liệu có đang chạy (không bị dừng hay treo) và đường mạng tới nó, rồi gửi lại yêu cầu hoặc chạy lại lệnh; lần ghi đang dở được lưu trọn vẹn hoặc không lưu gì, văn bản đã lưu sẽ được bỏ qua (docs/operations.md)")]
    NotAnswering(String),
    /// A statement ran longer than the statement time-out and the server
    /// cancelled it (PostgreSQL `57014`): a stuck query (a lock held by
    /// another session, an overloaded server) does not hold a connection
    /// for ever.
    #[error("truy vấn quá thời hạn (statement timeout): PostgreSQL đã huỷ một câu lệnh chạy quá lâu ({0}); không có gì của nó được giữ lại: thử lại sau giây lát; nếu còn lặp lại, hãy tìm phiên đang giữ khoá (pg_stat_activity) hoặc tăng --statement-timeout (docs/operations.md)")]
    StatementTimeout(String),
    /// A statement on the embedded store ran, or waited for another
    /// process's lock, longer than its time-out and was stopped
    /// (`SQLITE_INTERRUPT`, `SQLITE_BUSY`).
    #[error("truy vấn quá thời hạn (statement timeout): một câu lệnh trên kho dữ liệu {path} {what}; không có gì của nó được giữ lại: thử lại sau giây lát; nếu còn lặp lại, hãy tìm tiến trình khác đang giữ kho (một lần `vanban ingest` dài, công cụ sao lưu) hoặc tăng --statement-timeout (docs/operations.md)")]
    StoreTimeout { path: PathBuf, what: String },
    /// Every connection of the pool stayed busy for the whole wait.
    #[error("kho dữ liệu đang bận (the store is busy): cả {size} kết nối đều bận suốt {waited_ms} ms; gửi lại yêu cầu sau giây lát (docs/operations.md)")]
    Busy { size: u32, waited_ms: u128 },
    #[error("PostgreSQL báo lỗi (the PostgreSQL store failed: {0}); chạy lại lệnh khi máy chủ hoạt động bình thường: không có gì bị ghi dở (nothing half-written is kept)")]
    Postgres(postgres::Error),
    #[error("kho dữ liệu do một phiên bản vanban mới hơn ghi (the store was written by a newer version of vanban: schema {found}, this binary knows up to {known}); hãy nâng cấp vanban, hoặc dùng --data / --database khác")]
    TooNew { found: i64, known: i64 },
    #[error("xử lý nguồn đã lưu {id} thất bại (processing the stored source failed: {message}); chạy lại lệnh, và nếu còn lặp lại, hãy báo lỗi này")]
    Callback { id: i64, message: String },
    #[error("kho dữ liệu chứa dữ liệu mà phiên bản này không đọc được (the store holds data this version cannot read: {0}); kho có thể đã hỏng: hãy nạp lại văn bản vào một kho mới (docs/operations.md)")]
    Corrupt(String),
    /// The search index could not be fed (see [`indexing::IndexError`]).
    #[error(transparent)]
    Indexing(#[from] indexing::IndexError),
}

impl From<postgres::Error> for Error {
    /// A lost or refused connection (the server restarting, shutting down,
    /// not accepting connections yet) is [`Error::Unavailable`]; anything
    /// else is [`Error::Postgres`].
    fn from(e: postgres::Error) -> Error {
        let connection_class = e.code().is_some_and(|c| {
            let c = c.code();
            c.starts_with("08") || c == "57P01" || c == "57P02" || c == "57P03"
        });
        let io = std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>());
        if e.code().is_some_and(|c| c.code() == "57014") {
            let message = e
                .as_db_error()
                .map_or_else(|| e.to_string(), |d| d.message().to_owned());
            return Error::StatementTimeout(message);
        }
        if e.is_closed() || connection_class || (e.as_db_error().is_none() && io) {
            Error::Unavailable(e.to_string())
        } else {
            Error::Postgres(e)
        }
    }
}

impl Error {
    /// An error of the embedded store, classified by what the user can do:
    /// a full disk, a file that cannot be written, a failing disk, or
    /// anything else.
    pub(crate) fn from_sqlite(path: &std::path::Path, source: rusqlite::Error) -> Error {
        use rusqlite::ErrorCode as C;
        let path = path.to_path_buf();
        match source.sqlite_error_code() {
            Some(C::DiskFull) => Error::DiskFull { path },
            Some(C::ReadOnly) => Error::NotWritable {
                path,
                reason: "read-only".into(),
            },
            Some(C::PermissionDenied) | Some(C::CannotOpen) => Error::NotWritable {
                path,
                reason: source.to_string(),
            },
            Some(C::SystemIoFailure) => Error::DiskIo { path, source },
            Some(C::NotADatabase) | Some(C::DatabaseCorrupt) => Error::Damaged { path, source },
            Some(C::OperationInterrupted) => Error::StoreTimeout {
                path,
                what: "chạy quá thời hạn nên đã bị dừng (ran longer than its time-out)".into(),
            },
            Some(C::DatabaseBusy) | Some(C::DatabaseLocked) => Error::StoreTimeout {
                path,
                what: "chờ khoá của một tiến trình khác quá thời hạn (waited longer than its time-out for another process's lock on the store)"
                    .into(),
            },
            _ => Error::Sqlite { path, source },
        }
    }

    /// Whether the store was too slow for now (a statement cancelled by
    /// its time-out, every pooled connection busy): the server answers 503
    /// with `Retry-After`, as for an unreachable store.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            Error::StatementTimeout(_) | Error::StoreTimeout { .. } | Error::Busy { .. }
        )
    }

    /// Whether the store could not be written for lack of room: the
    /// server answers 507 Insufficient Storage.
    pub fn is_disk_full(&self) -> bool {
        matches!(self, Error::DiskFull { .. })
    }

    /// Whether the store is unreachable or unwritable for now and the
    /// same request can succeed later without changes (a database that is
    /// restarting, a file system remounted read-only, a failing disk, a
    /// damaged file an administrator restores): the server answers 503
    /// with `Retry-After` and keeps answering reads from its graph.
    pub fn is_unavailable(&self) -> bool {
        // Not a statement time-out: repeating a statement that ran too
        // long on a fresh connection would only hold it as long again.
        matches!(
            self,
            Error::Unavailable(_)
                | Error::NotAnswering(_)
                | Error::Connect { .. }
                | Error::NotWritable { .. }
                | Error::DiskIo { .. }
                | Error::Damaged { .. }
        )
    }
}

/// Result with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// One storage backend. Both implementations keep the same tables
/// (`migrations/`), write a batch in one transaction, and return facts
/// exactly as they were inserted.
pub trait Backend: Send {
    /// The schema version of the opened store (after migrating).
    fn schema_version(&mut self) -> Result<i64>;
    /// Which of these content hashes are already stored.
    fn known_hashes(&mut self, hashes: &[String]) -> Result<HashSet<String>>;
    /// Stores a batch in one transaction: a source whose hash is already
    /// stored is skipped; either the whole batch lands or nothing does.
    fn insert(&mut self, batch: &[NewSource]) -> Result<Inserted>;
    /// Every stored source's facts, in id order (no texts).
    fn load_facts(&mut self) -> Result<Vec<SourceFacts>>;
    /// One source with its text, by id.
    fn source_text(&mut self, id: i64) -> Result<Option<SourceText>>;
    /// Calls `f` for every source with its text, in id order, streaming
    /// (never the whole store in memory).
    fn for_each_source(
        &mut self,
        f: &mut dyn FnMut(SourceText) -> std::result::Result<(), String>,
    ) -> Result<()>;
    /// Row counts.
    fn counts(&mut self) -> Result<Counts>;
    /// Stores an API token's hash under a name (replacing one of that name).
    fn put_token(&mut self, name: &str, hash: &str) -> Result<()>;
    /// The token records (names and hashes).
    fn tokens(&mut self) -> Result<Vec<TokenRecord>>;
    /// What was fetched from `url` (as asked for), if it ever was.
    fn fetch_record(&mut self, url: &str) -> Result<Option<FetchRecord>>;
    /// Records (replacing) what was fetched from `record.url`.
    fn put_fetch_record(&mut self, record: &FetchRecord) -> Result<()>;
    /// When each of these sources was stored (RFC 3339, UTC, whole
    /// seconds: `2026-12-07T01:02:03Z`), by id; ids not stored are left out.
    fn ingested_at(&mut self, ids: &[i64]) -> Result<HashMap<i64, String>>;
    /// The watched sources (table `watched`), oldest first.
    fn watched_sources(&mut self) -> Result<Vec<WatchedSource>>;
    /// Records (replacing) the watched source `source.url`.
    fn put_watched_source(&mut self, source: &WatchedSource) -> Result<()>;
    /// Stops watching `url`; false when it was not watched.
    fn remove_watched_source(&mut self, url: &str) -> Result<bool>;
    /// Stores an expectation (table `expectations`) and returns its id.
    fn add_expectation(&mut self, e: &expectations::NewExpectation) -> Result<i64>;
    /// The expectations of one document (its canonical id), or of every
    /// document when `None`, oldest first (by id).
    fn expectations(&mut self, document: Option<&str>) -> Result<Vec<expectations::Expectation>>;
    /// Removes an expectation; false when there was none with that id.
    fn remove_expectation(&mut self, id: i64) -> Result<bool>;
    /// The newest change's sequence number (0 before the first change).
    fn latest_change(&mut self) -> Result<i64>;
    /// The changes after `seq`, oldest first, at most `limit` of them.
    fn changes_since(&mut self, seq: i64, limit: i64) -> Result<Vec<Change>>;
    /// Rewrites the derived state (canonical documents, resolved
    /// mentions, the number index) from every stored fact with
    /// [`graph::Graph::build`], in one transaction; returns how many
    /// canonical documents there are.
    fn rebuild_derived(&mut self) -> Result<u64>;
    /// The derived state as ordered lines (`key`, `document`, `resolution`
    /// rows), for comparing stores: equal lines, equal derived state.
    fn derived_dump(&mut self) -> Result<Vec<String>>;
    /// The facts of every source that mentions a document with one of
    /// these number keys (table `derived_keys`), in id order.
    fn facts_with_keys(&mut self, keys: &[String]) -> Result<Vec<SourceFacts>>;
    /// From now on (`true`), a batch marks the derived state stale in its
    /// transaction instead of updating it (for a bulk load: one rebuild at
    /// the end costs less than re-resolving per batch); a store left so
    /// (killed) is rebuilt on its next open.
    fn defer_derived(&mut self, defer: bool);
    /// Whether the derived state is marked stale.
    fn derived_stale(&mut self) -> Result<bool>;
    /// From now on a statement that runs longer than `timeout` is
    /// cancelled ([`Error::StatementTimeout`] on PostgreSQL,
    /// [`Error::StoreTimeout`] on the embedded store, where it also bounds
    /// the wait for another process's lock). Both default to 120 s.
    fn set_statement_timeout(&mut self, timeout: std::time::Duration) -> Result<()>;
    /// How to open more connections to this store with the same settings
    /// (for a pool): no migration, no rebuild of the derived state.
    fn opener(&self) -> Opener;
    /// How many canonical documents and relations the derived state holds
    /// (what [`graph::Graph::stats`] counts of the whole graph).
    fn derived_counts(&mut self) -> Result<DerivedCounts>;
    /// The canonical documents of these number keys (derived state), in
    /// id order.
    fn derived_documents(&mut self, keys: &[String]) -> Result<Vec<graph::CanonicalDocument>>;
    /// The id of every canonical document (derived state), in id order.
    fn derived_document_ids(&mut self) -> Result<Vec<String>>;
    /// The number key of the canonical document `id` (derived state).
    fn derived_document_key(&mut self, id: &str) -> Result<Option<String>>;
    /// The `replaces` relations with document `id` (of number key `key`)
    /// at either end (derived state): `(from, to, from key, to key)`, in
    /// no particular order.
    fn derived_replacements(
        &mut self,
        id: &str,
        key: &str,
    ) -> Result<Vec<(String, String, String, String)>>;
    /// `(number key, id)` of every canonical document of these number
    /// keys (derived state), in no particular order.
    fn derived_document_ids_of(&mut self, keys: &[String]) -> Result<Vec<(String, String)>>;
    /// The resolved mentions `(source id, document index, canonical id)`
    /// of these sources (derived state).
    fn derived_resolution(&mut self, ids: &[i64]) -> Result<Vec<(i64, i64, String)>>;
    /// The facts of these sources (ascending ids; ids not stored are left
    /// out).
    fn facts_of(&mut self, ids: &[i64]) -> Result<Vec<SourceFacts>>;
}

/// What the derived state counts of the whole graph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DerivedCounts {
    /// Canonical documents.
    pub documents: u64,
    /// Relations between canonical documents.
    pub relations: u64,
}

/// Opens another connection to an opened store ([`Backend::opener`]).
pub type Opener = std::sync::Arc<dyn Fn() -> Result<Box<dyn Backend>> + Send + Sync>;

/// The knowledge base's store: open it, insert sources, read facts back.
pub struct Store {
    backend: Box<dyn Backend>,
    location: Location,
}

impl Store {
    /// Opens (creating and migrating as needed) the store at `location`.
    pub fn open(location: &Location) -> Result<Store> {
        let backend: Box<dyn Backend> = match location {
            Location::Embedded(dir) => Box::new(sqlite::SqliteBackend::open(dir, None)?),
            Location::Postgres(url) => Box::new(pg::PostgresBackend::open(url, None)?),
        };
        Ok(Store {
            backend,
            location: location.clone(),
        })
    }

    /// Opens the PostgreSQL store at `url`, giving up connecting after
    /// `timeout` (plain [`Store::open`] waits 5 s unless the URL sets
    /// `connect_timeout`).
    pub fn open_postgres_with_timeout(url: &str, timeout: std::time::Duration) -> Result<Store> {
        Ok(Store {
            backend: Box::new(pg::PostgresBackend::open(url, Some(timeout))?),
            location: Location::Postgres(url.to_string()),
        })
    }

    /// Opens the embedded store in `dir` with its file capped at
    /// `max_pages` pages of 4 KiB (a quota): a batch that would grow it
    /// further fails like a full disk, and nothing of it is kept.
    pub fn open_embedded_with_max_pages(dir: &std::path::Path, max_pages: u64) -> Result<Store> {
        Ok(Store {
            backend: Box::new(sqlite::SqliteBackend::open(dir, Some(max_pages))?),
            location: Location::Embedded(dir.to_path_buf()),
        })
    }

    /// A store over an opened backend (a pool's member).
    pub(crate) fn from_backend(backend: Box<dyn Backend>, location: Location) -> Store {
        Store { backend, location }
    }

    /// Another connection to the same store with the same settings (a
    /// pool's member, see [`pool::StorePool`]).
    pub fn opener(&self) -> (Location, Opener) {
        (self.location.clone(), self.backend.opener())
    }

    /// See [`Backend::set_statement_timeout`].
    pub fn set_statement_timeout(&mut self, timeout: std::time::Duration) -> Result<()> {
        self.backend.set_statement_timeout(timeout)
    }

    /// Where this store lives.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// The backend, for the operations [`Store`] does not wrap.
    pub fn backend(&mut self) -> &mut dyn Backend {
        self.backend.as_mut()
    }

    /// See [`Backend::known_hashes`].
    pub fn known_hashes(&mut self, hashes: &[String]) -> Result<HashSet<String>> {
        self.backend.known_hashes(hashes)
    }

    /// See [`Backend::insert`].
    pub fn insert(&mut self, batch: &[NewSource]) -> Result<Inserted> {
        self.backend.insert(batch)
    }

    /// See [`Backend::counts`].
    pub fn counts(&mut self) -> Result<Counts> {
        self.backend.counts()
    }

    /// See [`Backend::ingested_at`].
    pub fn ingested_at(&mut self, ids: &[i64]) -> Result<HashMap<i64, String>> {
        self.backend.ingested_at(ids)
    }

    /// See [`Backend::source_text`].
    pub fn source_text(&mut self, id: i64) -> Result<Option<SourceText>> {
        self.backend.source_text(id)
    }

    /// See [`Backend::rebuild_derived`] (`vanban rebuild`).
    pub fn rebuild_derived(&mut self) -> Result<u64> {
        self.backend.rebuild_derived()
    }

    /// See [`Backend::defer_derived`]; [`Store::finish_derived`] ends it.
    pub fn defer_derived(&mut self) {
        self.backend.defer_derived(true);
    }

    /// Ends [`Store::defer_derived`]: rebuilds the derived state if a
    /// batch left it stale.
    pub fn finish_derived(&mut self) -> Result<()> {
        self.backend.defer_derived(false);
        if self.backend.derived_stale()? {
            self.backend.rebuild_derived()?;
        }
        Ok(())
    }

    /// See [`Backend::derived_dump`].
    pub fn derived_dump(&mut self) -> Result<Vec<String>> {
        self.backend.derived_dump()
    }

    /// A graph that answers about the documents `reference` can name
    /// exactly as [`Store::graph`] would (lookup, view, status, relations,
    /// events, sources), built from only the sources it needs: those
    /// mentioning a number the reference carries, narrowed to the number of
    /// the one document it names, then those of the numbers at the other
    /// ends of that document's own relations and events
    /// ([`graph::Graph::keys_around`]; resolution is local to a number, so
    /// each number's sources are read whole). With `chains`, the same for
    /// each step of its chain of replacements
    /// ([`graph::Graph::replacement_chain`]), one round per step: the
    /// numbers of the chain's documents and of their replacements, never
    /// those of their other relations nor of other documents of the same
    /// numbers. Each number's documents are checked against the derived
    /// state; when they differ (a document of another number printing
    /// alike), or the rounds do not close, the whole graph is built
    /// instead.
    pub fn graph_around(&mut self, reference: &str, chains: bool) -> Result<graph::Graph> {
        use std::collections::BTreeSet;
        // Each round adds at least one number; a chain of replacements is
        // cut at about 40 documents.
        const ROUNDS: usize = 128;
        // An id's date (`@2014-07-05`) and `#2` name no number: the
        // document is one of the number's before it. The reference's words
        // and numbers (`58`, `qđ`, `tw`), their runs of digits, and runs of
        // up to three of them as written (a number may carry a separator of
        // its own: `30/2020`).
        let numbered = reference.split('@').next().unwrap_or(reference);
        let mut words: Vec<(usize, usize)> = Vec::new();
        for (i, c) in numbered.char_indices() {
            let end = i + c.len_utf8();
            if !c.is_alphanumeric() {
                continue;
            }
            match words.last_mut() {
                Some(w) if w.1 == i => w.1 = end,
                _ => words.push((i, end)),
            }
        }
        let mut wanted: BTreeSet<String> = BTreeSet::new();
        for (i, &(start, end)) in words.iter().enumerate() {
            let t = &numbered[start..end];
            wanted.extend(
                t.split(|c: char| !c.is_ascii_digit())
                    .filter(|d| !d.is_empty())
                    .map(graph::number_key),
            );
            for &(_, last) in words.iter().skip(i).take(3) {
                wanted.insert(graph::number_key(&numbered[start..last]));
            }
        }
        // An id names its number in the derived state.
        if reference.contains('@') {
            wanted.extend(self.backend.derived_document_key(reference.trim())?);
        }
        wanted.retain(|k| !k.is_empty());
        let mut loaded: BTreeSet<String> = BTreeSet::new();
        let mut facts: Vec<std::sync::Arc<SourceFacts>> = Vec::new();
        let mut have: HashSet<i64> = HashSet::new();
        let mut found: Option<String> = None;
        for _ in 0..ROUNDS {
            let new: Vec<String> = wanted.difference(&loaded).cloned().collect();
            if !new.is_empty() {
                for f in self.backend.facts_with_keys(&new)? {
                    if have.insert(f.id) {
                        facts.push(std::sync::Arc::new(f));
                    }
                }
                loaded.extend(new);
            }
            let graph = graph::Graph::build_shared(facts.clone());
            let first = found.is_none();
            let id = match found.take() {
                Some(id) => id,
                None => match graph.lookup(reference) {
                    graph::Lookup::Found(id) => id,
                    // The candidates (or none) are all of the numbers the
                    // reference writes.
                    _ => return self.checked_around(graph, &loaded),
                },
            };
            // The document's own neighbourhood (its number is whole here
            // from the first round on), then, for the text page, each step
            // of its chain of replacements.
            let mut need = graph.keys_around(&id, true);
            if chains {
                for step in graph.replacement_chain(&id) {
                    need.extend(graph.keys_around(&step, false));
                }
            }
            if need.is_subset(&loaded) {
                return self.checked_around(graph, &loaded);
            }
            if first {
                // The chain as the derived state has it, read ahead so that
                // it is resolved in one more round rather than one a step
                // (the rounds still check each step against the graph).
                if chains {
                    let key = graph.document(&id).and_then(|d| d.number.as_deref());
                    let key = graph::number_key(key.unwrap_or_default());
                    need.extend(self.derived_chain_keys(&id, &key)?);
                }
                // What the reference carries beyond the document's number
                // is no longer needed.
                loaded.retain(|k| need.contains(k));
                facts.retain(|f| {
                    derived::keys_of(&f.extraction)
                        .iter()
                        .any(|k| loaded.contains(k))
                });
                have = facts.iter().map(|f| f.id).collect();
            }
            wanted = loaded.union(&need).cloned().collect();
            found = Some(id);
        }
        self.graph()
    }

    /// The number keys of the documents on the chain of replacements
    /// through `id` (of number key `key`) and of their replacements, walked
    /// as [`graph::Graph::replacement_chain`] walks it, in the derived
    /// state's relations.
    fn derived_chain_keys(
        &mut self,
        id: &str,
        key: &str,
    ) -> Result<std::collections::BTreeSet<String>> {
        let mut keys = std::collections::BTreeSet::new();
        let mut seen: HashSet<String> = HashSet::from([id.to_owned()]);
        for outgoing in [true, false] {
            let (mut cur, mut cur_key) = (id.to_owned(), key.to_owned());
            for _ in 0..=40 {
                let rows = self.backend.derived_replacements(&cur, &cur_key)?;
                let mut next: Option<(String, String)> = None;
                for (from, to, from_key, to_key) in rows {
                    keys.insert(from_key.clone());
                    keys.insert(to_key.clone());
                    let step = if outgoing && from == cur {
                        Some((to, to_key))
                    } else if !outgoing && to == cur {
                        Some((from, from_key))
                    } else {
                        None
                    };
                    if let Some(step) = step {
                        if next.as_ref().is_none_or(|n| step.0 < n.0) {
                            next = Some(step);
                        }
                    }
                }
                match next {
                    Some((doc, doc_key)) if seen.insert(doc.clone()) => {
                        cur = doc;
                        cur_key = doc_key;
                    }
                    _ => break,
                }
            }
        }
        Ok(keys)
    }

    /// `graph`, built from the sources of the numbers `keys`, when each of
    /// those numbers has in it exactly the documents the derived state
    /// (the whole graph) gives it; else the whole graph. They differ only
    /// when a document of another number prints like one of these and
    /// takes part in their `#2` numbering.
    fn checked_around(
        &mut self,
        graph: graph::Graph,
        keys: &std::collections::BTreeSet<String>,
    ) -> Result<graph::Graph> {
        let keys: Vec<String> = keys.iter().cloned().collect();
        let mut stored = self.backend.derived_document_ids_of(&keys)?;
        stored.sort();
        let mut here: Vec<(String, String)> = keys
            .iter()
            .flat_map(|k| {
                graph
                    .number_documents(k)
                    .into_iter()
                    .map(move |id| (k.clone(), id.to_owned()))
            })
            .collect();
        here.sort();
        if here == stored {
            Ok(graph)
        } else {
            self.graph()
        }
    }

    /// The citation graph resolved from every stored fact.
    pub fn graph(&mut self) -> Result<graph::Graph> {
        let facts = self.backend.load_facts()?;
        Ok(graph::Graph::build(facts))
    }
}

/// The text around `span` in `text`: up to about 120 bytes either side, cut
/// at character boundaries and trimmed to whole words, with `…` where it was
/// cut, on one line. Never panics, whatever the span.
pub fn excerpt(text: &str, span: vanban_extract::Span) -> String {
    const SIDE: usize = 120;
    let start = span.start.min(text.len());
    let end = span.end.clamp(start, text.len());
    let mut from = start.saturating_sub(SIDE);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (end + SIDE).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let mut s = &text[from..to];
    let cut_left = from > 0;
    let cut_right = to < text.len();
    if cut_left {
        if let Some(i) = s[..start - from].find(char::is_whitespace) {
            s = &s[i..];
        }
    }
    if cut_right {
        let keep = s.len() - (to - end);
        if let Some(i) = s[keep..].rfind(char::is_whitespace) {
            s = &s[..keep + i];
        }
    }
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    format!(
        "{}{}{}",
        if cut_left { "…" } else { "" },
        one_line,
        if cut_right { "…" } else { "" }
    )
}

/// Formats a date the way the contract's JSON does (`YYYY-MM-DD`).
pub fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}
