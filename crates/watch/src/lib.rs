//! The watcher of vanban (theo dõi nguồn tin), shared by `vanban watch`
//! and `vanban serve --watch`: fetches feeds and pages with `vanban-fetch`
//! and stores them in `vanban-store`, each source at its own interval.
//!
//! - [`sources`]: SOURCES.toml (`[[source]]` tables with `url` and `every`).
//! - [`Session`]: fetching and storing URLs (a page; a feed and its items),
//!   counting what happened in a [`Summary`]; a feed's items already stored
//!   are never fetched again, and a feed's validators are recorded only once
//!   all its items are stored.
//! - [`Watcher`]: the schedule of the watched sources (the SOURCES.toml's
//!   and those added through the API, table `watched`), one pass over the
//!   sources that are due ([`Watcher::pass`]), and the loop
//!   ([`Watcher::run`]). Each source's state (last attempt, next due time,
//!   failures in a row, last error) is written to the store after each
//!   fetch, so a restarted watcher keeps its back-off.
//!
//! What it must never do: resolve the graph or touch the search index (the
//! caller does after a pass: the CLI updates the index, the server its
//! snapshot); print (a [`Progress`] is told of each URL and failure).

mod session;
pub mod sources;
mod watcher;

pub use session::{check_text, not_text, Failure, Progress, Session, Silent, Summary};
pub use sources::{read_sources, SourcesError, DEFAULT_EVERY};
pub use vanban_fetch::schedule::{backoff, parse_interval};
pub use watcher::{Pass, Watcher};

/// What can end a pass: the store failing (a fetch failure never does; it
/// is counted and the other sources go on).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] vanban_store::Error),
}

/// Result with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Unix seconds now.
pub fn unix_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::SystemTime::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Unix seconds as RFC 3339, UTC, whole seconds (as the store keeps times).
pub fn rfc3339(unix: f64) -> String {
    let secs = if unix.is_finite() {
        unix.floor() as i64
    } else {
        0
    };
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// `2026-12-06T12:00:00Z` → Unix seconds.
pub fn parse_rfc3339(text: &str) -> Option<f64> {
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.timestamp() as f64)
}

/// An interval in seconds as people write it: `90s`, `15m`, `2h`, `1d`.
pub fn interval_text(seconds: i64) -> String {
    match seconds {
        s if s > 0 && s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s > 0 && s % 3600 == 0 => format!("{}h", s / 3600),
        s if s > 0 && s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_intervals() {
        assert_eq!(rfc3339(1_796_558_400.7), "2026-12-06T12:00:00Z");
        assert_eq!(parse_rfc3339("2026-12-06T12:00:00Z"), Some(1_796_558_400.0));
        assert_eq!(parse_rfc3339("hôm qua"), None);
        assert_eq!(interval_text(900), "15m");
        assert_eq!(interval_text(7200), "2h");
        assert_eq!(interval_text(86_400), "1d");
        assert_eq!(interval_text(90), "90s");
    }
}
