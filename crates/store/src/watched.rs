//! The sources a watcher follows (table `watched`, migration 4): their
//! interval, where they came from and the schedule the watcher left, so that
//! a restarted watcher keeps its back-off and `vanban watch --status` and
//! `GET /api/v1/watch` can show it.

use serde::Serialize;

/// Where a watched source came from.
pub const ORIGIN_FILE: &str = "file";
/// Added through `POST /api/v1/watch`.
pub const ORIGIN_API: &str = "api";

/// One watched source and its state (table `watched`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WatchedSource {
    /// The feed or page, as given.
    pub url: String,
    /// Seconds between two fetches.
    pub every_seconds: i64,
    /// [`ORIGIN_FILE`] (a SOURCES.toml) or [`ORIGIN_API`].
    pub origin: String,
    /// When it was first watched (RFC 3339, UTC, whole seconds).
    pub added_at: String,
    /// When the watcher last tried it, if ever.
    pub last_fetch: Option<String>,
    /// When it is due next, if the watcher has scheduled it.
    pub next_due: Option<String>,
    /// Failures in a row (0 after a success): the back-off is the interval
    /// times 2 to the power of this (at most 64 times, at most a day).
    pub failures: i64,
    /// The last failure's message, cleared by a success.
    pub last_error: Option<String>,
}

pub(crate) const SQL_LIST: &str = "SELECT url, every_seconds, origin, added_at, last_fetch,
        next_due, failures, last_error FROM watched ORDER BY added_at, url";

pub(crate) const SQL_PUT_SQLITE: &str = "INSERT INTO watched (url, every_seconds, origin,
        added_at, last_fetch, next_due, failures, last_error)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
     ON CONFLICT (url) DO UPDATE SET every_seconds = excluded.every_seconds,
       origin = excluded.origin, added_at = excluded.added_at,
       last_fetch = excluded.last_fetch, next_due = excluded.next_due,
       failures = excluded.failures, last_error = excluded.last_error";

pub(crate) const SQL_PUT_POSTGRES: &str = "INSERT INTO watched (url, every_seconds, origin,
        added_at, last_fetch, next_due, failures, last_error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (url) DO UPDATE SET every_seconds = excluded.every_seconds,
       origin = excluded.origin, added_at = excluded.added_at,
       last_fetch = excluded.last_fetch, next_due = excluded.next_due,
       failures = excluded.failures, last_error = excluded.last_error";

pub(crate) const SQL_DELETE_SQLITE: &str = "DELETE FROM watched WHERE url = ?1";
pub(crate) const SQL_DELETE_POSTGRES: &str = "DELETE FROM watched WHERE url = $1";
