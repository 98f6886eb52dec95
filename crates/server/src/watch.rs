//! Watched sources in the server (theo dõi nguồn tin): `GET` and `POST
//! /api/v1/watch`, and the watcher that `vanban serve --watch` runs on a
//! background thread ([`spawn`]).
//!
//! The watcher is `vanban_watch::Watcher` (the same as `vanban watch`) on
//! a store connection of its own; it watches the SOURCES.toml it was given
//! and every source added through the API (read again before each pass, at
//! most [`WATCH_POLL`] apart). After a pass that stored a new text, the
//! graph snapshot is rebuilt and the search index updated under the write
//! lock, as an upload does, so the text is in the pages, the API and search
//! as soon as the pass ends.

use crate::error::{ApiError, ErrorBody};
use crate::{auth, AppState};
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};
use vanban_store::watched::ORIGIN_API;
use vanban_store::{Store, WatchedSource};
use vanban_watch::{interval_text, parse_interval, unix_now, Failure, Progress, Watcher};

/// The longest time between two passes of the server's watcher, in
/// seconds: a source added through the API is fetched within this.
pub const WATCH_POLL: f64 = 2.0;

/// The interval of a source added without `every`: one hour.
pub const DEFAULT_EVERY: &str = "1h";

/// The routes (nested under `/api/v1`).
pub fn routes() -> Router<AppState> {
    Router::new().route("/watch", get(list).post(add).delete(remove))
}

/// A source to watch.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WatchRequest {
    /// The feed (RSS, Atom, JSON Feed) or page, http:// or https://.
    #[schema(example = "https://example.vn/tin-tuc/rss.xml")]
    pub url: String,
    /// How often to fetch it: `90s`, `15m`, `2h`, `1d` (as in
    /// SOURCES.toml); default `1h`.
    #[schema(example = "15m")]
    pub every: Option<String>,
}

/// A watched source and its state.
#[derive(Debug, Serialize, ToSchema)]
pub struct WatchedDto {
    pub url: String,
    /// The interval as written (`15m`).
    pub every: String,
    pub every_seconds: i64,
    /// `file` (a SOURCES.toml) or `api` (added through this API).
    pub origin: String,
    /// When it was first watched (RFC 3339, UTC).
    pub added_at: String,
    /// When the watcher last fetched it (`null`: not yet).
    pub last_fetch: Option<String>,
    /// When it is due next (`null`: at the watcher's next pass).
    pub next_due: Option<String>,
    /// Failures in a row (0 when the last fetch succeeded).
    pub failures: i64,
    /// The wait after those failures, in seconds (`null` without
    /// failures): the interval times 2, 4, 8, … (at most 64 times, at most
    /// a day), or the server's Retry-After when later.
    pub backoff_seconds: Option<i64>,
    /// The last failure's message (`null` after a success).
    pub last_error: Option<String>,
}

impl From<WatchedSource> for WatchedDto {
    fn from(s: WatchedSource) -> Self {
        let backoff_seconds = (s.failures > 0).then(|| {
            let failures = u32::try_from(s.failures).unwrap_or(u32::MAX);
            vanban_watch::backoff(s.every_seconds.max(1) as f64, failures).round() as i64
        });
        WatchedDto {
            every: interval_text(s.every_seconds),
            every_seconds: s.every_seconds,
            url: s.url,
            origin: s.origin,
            added_at: s.added_at,
            last_fetch: s.last_fetch,
            next_due: s.next_due,
            failures: s.failures,
            backoff_seconds,
            last_error: s.last_error,
        }
    }
}

/// The watched sources (those of the server's SOURCES.toml once its
/// watcher has started, and those added through the API), oldest first.
#[utoipa::path(get, path = "/api/v1/watch", tag = "read",
    responses((status = 200, body = Vec<WatchedDto>), (status = 503, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<WatchedDto>>, ApiError> {
    let rows = state
        .with_store(|store| Ok(store.backend().watched_sources()?))
        .await?;
    Ok(Json(rows.into_iter().map(WatchedDto::from).collect()))
}

/// Watches a feed or page (needs a token): 201 when added, 200 when it
/// was already watched (its interval is then replaced, its state kept).
/// It is fetched by the server's watcher (`vanban serve --watch`) or by
/// `vanban watch`.
#[utoipa::path(post, path = "/api/v1/watch", tag = "write", request_body = WatchRequest,
    security(("token" = [])),
    responses((status = 201, body = WatchedDto), (status = 200, body = WatchedDto),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 503, body = ErrorBody)))]
pub async fn add(
    State(state): State<AppState>,
    _token: auth::WriteToken,
    body: Result<Json<WatchRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(req) = body?;
    let url = req.url.trim().to_owned();
    if url.is_empty() || url.len() > 2000 || url.chars().any(char::is_control) {
        return Err(ApiError::bad_request(
            "`url` must be one http:// or https:// URL, at most 2000 bytes",
        ));
    }
    if let Err(e) = vanban_fetch::parse_url(&url) {
        return Err(ApiError::bad_request(e.to_string()));
    }
    let every_text = req.every.as_deref().unwrap_or(DEFAULT_EVERY);
    let Some(every) = parse_interval(every_text).filter(|s| *s >= 1.0) else {
        return Err(ApiError::bad_request(format!(
            "`every` = \"{every_text}\" is not an interval: write 90s, 15m, 2h or 1d"
        )));
    };
    let every_seconds = every.round() as i64;
    let (created, row) = state
        .with_store(move |store| {
            let existing = store
                .backend()
                .watched_sources()?
                .into_iter()
                .find(|r| r.url == url);
            let created = existing.is_none();
            let mut row = existing.unwrap_or_else(|| WatchedSource {
                url,
                every_seconds,
                origin: ORIGIN_API.to_owned(),
                added_at: vanban_watch::rfc3339(unix_now()),
                last_fetch: None,
                next_due: None,
                failures: 0,
                last_error: None,
            });
            row.every_seconds = every_seconds;
            row.origin = ORIGIN_API.to_owned();
            store.backend().put_watched_source(&row)?;
            Ok((created, row))
        })
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(WatchedDto::from(row))).into_response())
}

/// Which watched source to remove.
#[derive(Debug, Deserialize, IntoParams)]
pub struct RemoveParams {
    /// The URL, exactly as it was added.
    pub url: String,
}

/// Stops watching a source added through the API (needs a token): 204
/// when removed, 404 when it is not watched, 400 for a source of a
/// SOURCES.toml (remove it from the file). What it stored stays stored.
#[utoipa::path(delete, path = "/api/v1/watch", tag = "write", params(RemoveParams),
    security(("token" = [])),
    responses((status = 204, description = "no longer watched"), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 503, body = ErrorBody)))]
pub async fn remove(
    State(state): State<AppState>,
    _token: auth::WriteToken,
    params: Result<Query<RemoveParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(RemoveParams { url }) = params?;
    enum Outcome {
        Removed,
        NotWatched,
        FromFile,
    }
    let outcome = state
        .with_store(move |store| {
            let row = store
                .backend()
                .watched_sources()?
                .into_iter()
                .find(|r| r.url == url);
            Ok(match row {
                None => Outcome::NotWatched,
                Some(r) if r.origin != ORIGIN_API => Outcome::FromFile,
                Some(r) if store.backend().remove_watched_source(&r.url)? => Outcome::Removed,
                Some(_) => Outcome::NotWatched,
            })
        })
        .await?;
    match outcome {
        Outcome::Removed => Ok(StatusCode::NO_CONTENT.into_response()),
        Outcome::NotWatched => Err(ApiError::not_found(
            "this URL is not watched: GET /api/v1/watch lists the watched sources",
        )),
        Outcome::FromFile => Err(ApiError::bad_request(
            "this source comes from the server's SOURCES.toml: remove it from the file",
        )),
    }
}

/// Failures of the server's watcher, on standard error.
struct Log;

impl Progress for Log {
    fn failure(&mut self, failure: &Failure) {
        eprintln!("vanban: theo dõi (watch): {}", failure.error);
    }
}

/// Makes what a pass stored visible: rebuilds the snapshot and updates the
/// search index, under the write lock.
pub async fn publish(state: &AppState) -> crate::Result<()> {
    let _writing = state.write_lock().await;
    state.rebuild().await?;
    state.update_index().await
}

/// Starts the watcher on a thread of its own: `store` is its own
/// connection to the server's store, `sources` a SOURCES.toml's (url,
/// seconds), `config` the fetcher's politeness and limits; `runtime` is
/// the server's, on which the snapshot is refreshed after each pass that
/// stored something. Setting `stop` ends the thread after its current
/// fetch.
pub fn spawn(
    state: AppState,
    mut store: Store,
    sources: Vec<(String, f64)>,
    config: vanban_fetch::Config,
    runtime: tokio::runtime::Handle,
    stop: Arc<AtomicBool>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("vanban-watch".into())
        .spawn(move || {
            let mut watcher = Watcher::new(config, sources);
            let mut after = |_: &mut Store, pass: vanban_watch::Pass| {
                let s = &pass.summary;
                if s.new > 0 {
                    if let Err(e) = runtime.block_on(publish(&state)) {
                        eprintln!(
                            "vanban: theo dõi (watch): the new texts are stored but could not be shown yet ({e}); they appear at the next refresh"
                        );
                    }
                }
                eprintln!(
                    "vanban: theo dõi (watch): {} nguồn đến hạn (due), {} trang mới (new), {} không đổi (unchanged), {} chưa thay đổi (304), {} lỗi (failed)",
                    pass.due, s.new, s.unchanged, s.not_modified, s.failed
                );
            };
            let mut on_error = |e: vanban_watch::Error| {
                eprintln!("vanban: theo dõi (watch): {e}; trying again at the next pass");
            };
            watcher.run(
                &mut store,
                &mut Log,
                &stop,
                WATCH_POLL,
                &mut after,
                &mut on_error,
            );
        })
}
