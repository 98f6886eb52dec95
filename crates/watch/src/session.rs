//! Fetching and storing URLs (what `vanban fetch` does for each URL it is
//! given, and the watcher for each source that is due).
//!
//! One URL at a time (the fetcher is polite: per-host delay, robots.txt).
//! A feed's items are fetched in feed order; an item already fetched by an
//! earlier run is not fetched again. Each page lands whole (one
//! transaction) before its `fetched` record is written, and a feed's
//! validators are recorded only once all its items are done, so a killed
//! run is finished by the next one and a 304 never hides an item that was
//! not stored.

use crate::Result;
use serde::Serialize;
use std::time::SystemTime;
use vanban_fetch::{
    body_kind, canonical_link, parse_feed, to_utf8, BodyKind, Config, FetchError, Fetched, Fetcher,
    Outcome, Validators,
};
use vanban_store::{FetchRecord, NewSource, Store};

/// One URL that could not be fetched or stored.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub url: String,
    /// What went wrong and what to do (the message printed on stderr).
    pub error: String,
    /// The cause in one word (`dns`, `refused`, `tls`, `status`, …).
    pub kind: &'static str,
    /// The server's `Retry-After`, when it sent one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<String>,
}

/// What a pass did: the final object of `vanban fetch --format json` and
/// of each `vanban watch` pass (fields may only be added). The knowledge
/// base's counts are the caller's to fill in once it has resolved the graph.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    /// URLs processed: those given and their feeds' items.
    pub urls: u64,
    /// Pages stored by this run.
    pub new: u64,
    /// Pages whose content was already stored, and feed items fetched by
    /// an earlier run (not fetched again).
    pub unchanged: u64,
    /// URLs the server answered 304 Not Modified (conditional GET).
    pub not_modified: u64,
    /// Feeds read.
    pub feeds: u64,
    /// `vanban watch --once`: sources not due yet (fetched less than their
    /// interval ago), not fetched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_due: Option<u64>,
    pub failed: u64,
    pub failures: Vec<Failure>,
    /// HTTP requests sent (robots.txt and redirects included).
    pub requests: u64,
    /// Sources in the store after this run.
    pub sources: u64,
    pub documents: u64,
    pub relations: u64,
    pub events: u64,
    pub seconds: f64,
}

/// Told of each URL and each failure (a progress line, a log).
pub trait Progress {
    /// A URL is being fetched.
    fn url(&mut self, _url: &str) {}
    /// A URL failed (the message names it and the cause).
    fn failure(&mut self, _failure: &Failure) {}
}

/// A [`Progress`] that says nothing.
pub struct Silent;

impl Progress for Silent {}

/// A fetching session: the polite client and this pass's counts.
pub struct Session {
    fetcher: Fetcher,
    summary: Summary,
    requests_before: u64,
}

impl Session {
    pub fn new(config: Config) -> Session {
        Session {
            fetcher: Fetcher::new(config),
            summary: Summary::default(),
            requests_before: 0,
        }
    }

    /// Failures so far in this pass.
    pub fn failures(&self) -> &[Failure] {
        &self.summary.failures
    }

    /// Ends a pass: its summary (requests and failures counted; the
    /// knowledge base's counts left to the caller). The next pass counts
    /// from zero.
    pub fn take_summary(&mut self) -> Summary {
        let mut summary = std::mem::take(&mut self.summary);
        summary.requests = self.fetcher.requests() - self.requests_before;
        self.requests_before = self.fetcher.requests();
        summary.failed = summary.failures.len() as u64;
        summary
    }

    fn fail(&mut self, progress: &mut dyn Progress, e: FetchError) {
        let failure = Failure {
            url: e.url().to_string(),
            error: e.to_string(),
            kind: e.kind(),
            retry_after: match &e {
                FetchError::Status { retry_after, .. } => retry_after.clone(),
                _ => None,
            },
        };
        progress.failure(&failure);
        self.summary.failures.push(failure);
    }

    /// Fetches one URL (a page; a feed when `item` is false) and stores
    /// what it gives. Only a store error is an error.
    pub fn one(
        &mut self,
        store: &mut Store,
        progress: &mut dyn Progress,
        url: &str,
        item_date: Option<chrono::NaiveDate>,
        item: bool,
    ) -> Result<()> {
        self.summary.urls += 1;
        progress.url(url);
        let record = store.backend().fetch_record(url)?;
        let validators = record
            .as_ref()
            .map(|r| Validators {
                etag: r.etag.clone(),
                last_modified: r.last_modified.clone(),
            })
            .unwrap_or_default();
        let fetched = match self.fetcher.fetch(url, &validators) {
            Ok(Outcome::Fetched(f)) => f,
            Ok(Outcome::NotModified { .. }) => {
                self.summary.not_modified += 1;
                if let Some(mut r) = record {
                    r.fetched_at = rfc3339(SystemTime::now());
                    store.backend().put_fetch_record(&r)?;
                }
                return Ok(());
            }
            Err(e) => {
                self.fail(progress, e);
                return Ok(());
            }
        };
        match body_kind(fetched.content_type.as_deref(), &fetched.body) {
            BodyKind::Feed if !item => self.feed(store, progress, fetched),
            kind @ (BodyKind::Html | BodyKind::Text) => {
                self.page(store, progress, fetched, kind == BodyKind::Html, item_date)
            }
            _ => {
                let e = FetchError::NotText {
                    url: fetched.url.clone(),
                    content_type: fetched
                        .content_type
                        .clone()
                        .unwrap_or_else(|| "no Content-Type".into()),
                };
                self.fail(progress, e);
                Ok(())
            }
        }
    }

    fn feed(
        &mut self,
        store: &mut Store,
        progress: &mut dyn Progress,
        fetched: Fetched,
    ) -> Result<()> {
        let items = match parse_feed(&fetched.url, &fetched.body) {
            Ok(items) => items,
            Err(e) => {
                self.fail(progress, e);
                return Ok(());
            }
        };
        self.summary.feeds += 1;
        let failed_before = self.summary.failures.len();
        for feed_item in items {
            if store.backend().fetch_record(&feed_item.url)?.is_some() {
                self.summary.urls += 1;
                self.summary.unchanged += 1;
                continue;
            }
            self.one(store, progress, &feed_item.url, feed_item.published, true)?;
        }
        // Validators only when every item is stored: otherwise the next
        // run's conditional GET would hide the items that failed.
        let complete = self.summary.failures.len() == failed_before;
        let record = FetchRecord {
            url: fetched.requested.clone(),
            source: fetched.url.clone(),
            hash: None,
            etag: fetched.validators.etag.clone().filter(|_| complete),
            last_modified: fetched
                .validators
                .last_modified
                .clone()
                .filter(|_| complete),
            published: None,
            fetched_at: rfc3339(fetched.fetched_at),
        };
        store.backend().put_fetch_record(&record)?;
        Ok(())
    }

    fn page(
        &mut self,
        store: &mut Store,
        progress: &mut dyn Progress,
        fetched: Fetched,
        html: bool,
        item_date: Option<chrono::NaiveDate>,
    ) -> Result<()> {
        let bytes = match to_utf8(
            &fetched.url,
            &fetched.body,
            fetched.content_type.as_deref(),
            html,
        ) {
            Ok(b) => b.into_owned(),
            Err(e) => {
                self.fail(progress, e);
                return Ok(());
            }
        };
        if let Some(reason) = not_text(&bytes) {
            let e = FetchError::NotText {
                url: fetched.url.clone(),
                content_type: format!(
                    "{}: {reason}",
                    fetched.content_type.as_deref().unwrap_or("no Content-Type")
                ),
            };
            self.fail(progress, e);
            return Ok(());
        }
        let source = html
            .then(|| {
                let base = vanban_fetch::parse_url(&fetched.url).ok()?;
                canonical_link(&String::from_utf8_lossy(&bytes), &base)
            })
            .flatten()
            .unwrap_or_else(|| fetched.url.clone());
        let hash = vanban_store::content_hash(&bytes);
        let mut published = item_date;
        if store
            .known_hashes(std::slice::from_ref(&hash))?
            .contains(&hash)
        {
            self.summary.unchanged += 1;
        } else {
            let new = std::panic::catch_unwind(|| {
                NewSource::from_fetched(&source, &bytes, html, item_date)
            });
            let Ok(new) = new else {
                let failure = Failure {
                    url: fetched.url.clone(),
                    error: format!(
                        "{}: internal error while extracting (please report it with this page); the other pages are stored",
                        fetched.url
                    ),
                    kind: "internal",
                    retry_after: None,
                };
                progress.failure(&failure);
                self.summary.failures.push(failure);
                return Ok(());
            };
            published = new.extraction.published;
            let inserted = store.insert(std::slice::from_ref(&new))?;
            self.summary.new += inserted.new;
            self.summary.unchanged += inserted.unchanged;
        }
        let record = FetchRecord {
            url: fetched.requested.clone(),
            source,
            hash: Some(hash),
            etag: fetched.validators.etag.clone(),
            last_modified: fetched.validators.last_modified.clone(),
            published,
            fetched_at: rfc3339(fetched.fetched_at),
        };
        store.backend().put_fetch_record(&record)?;
        Ok(())
    }
}

/// RFC 3339, UTC, whole seconds (as the store keeps times).
fn rfc3339(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs() as f64);
    crate::rfc3339(secs)
}

/// Why `bytes` is not a text file, if it is not: NUL bytes, or mostly
/// invalid UTF-8, in its first 64 KiB. Empty input is text (with nothing in it).
/// (Shared with `vanban extract` and `vanban ingest`.)
pub fn not_text(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(TEXT_HEAD)];
    if memchr::memchr(0, head).is_some() {
        return Some(HAS_NUL);
    }
    let mut invalid = 0usize;
    let mut rest = head;
    while !rest.is_empty() {
        // SIMD validation (std-compatible errors): almost every input is
        // valid, and std's scalar check of Vietnamese text cost as much as
        // a quarter of `vanban extract`.
        match simdutf8::compat::from_utf8(rest) {
            Ok(_) => break,
            Err(e) => {
                let skip = e.valid_up_to() + e.error_len().unwrap_or(rest.len() - e.valid_up_to());
                invalid += e.error_len().unwrap_or(0);
                rest = &rest[skip.min(rest.len())..];
            }
        }
    }
    if head.len() >= 64 && invalid * 4 > head.len() {
        return Some("binary data: most of it is not UTF-8");
    }
    None
}

/// How much of an input [`not_text`] looks at.
const TEXT_HEAD: usize = 64 * 1024;
const HAS_NUL: &str = "binary data: it contains NUL bytes";

/// [`not_text`] and a UTF-8 check of the whole input in one validation:
/// `Ok(Some(text))` when all of `bytes` is valid UTF-8 (the caller can
/// prepare it without validating it again), `Ok(None)` when it is text
/// with some invalid bytes, `Err(reason)` exactly when `not_text` gives
/// `Some(reason)`.
pub fn check_text(bytes: &[u8]) -> std::result::Result<Option<&str>, &'static str> {
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        // Valid UTF-8: of `not_text`'s checks only the NUL bytes are left.
        if memchr::memchr(0, &bytes[..bytes.len().min(TEXT_HEAD)]).is_some() {
            return Err(HAS_NUL);
        }
        return Ok(Some(text));
    }
    match not_text(bytes) {
        Some(reason) => Err(reason),
        None => Ok(None),
    }
}
