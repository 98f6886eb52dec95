//! The web application and HTTP API of vanban (ứng dụng web và API): the
//! knowledge base served as Vietnamese HTML pages rendered on the server
//! (they work with JavaScript off; a small script only enhances them) and
//! as a JSON API under `/api/v1/` whose OpenAPI document is generated from
//! the handlers and types in [`api`].
//!
//! - Reads are open by default ([`Config::private`] closes them: pages then
//!   ask for the token once at `/dang-nhap` and keep it in a cookie); every
//!   write (`POST /api/v1/sources`) needs an API token (`Authorization:
//!   Bearer …`). Tokens are created by `vanban token create` ([`auth`]) and
//!   the store keeps only their SHA-256.
//! - Every request has a time limit, every request body a size limit and
//!   every connection a limit on the time to send a request's headers;
//!   CORS is off unless an origin is configured.
//! - After a write the citation graph is rebuilt, from the snapshot's facts
//!   in memory and the new sources' (read by id), and swapped in whole
//!   ([`snapshot::Snapshot`]): a request sees one consistent graph.
//!
//! This crate must never build HTML by concatenating strings (all markup
//! goes through `maud`, which escapes every value), never put text from a
//! source into a URL scheme or an attribute unescaped, never store a token,
//! never accept a write without one, and never panic on any request.

pub mod admission;
pub mod api;
pub mod auth;
pub mod ballots;
pub mod coverage;
pub mod error;
pub mod feeds;
pub mod pages;
pub mod snapshot;
pub mod svg;
pub mod templates;
pub mod urls;
pub mod watch;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode};
use axum::Router;
use snapshot::Snapshot;
use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use vanban_search::SearchIndex;
use vanban_store::Store;

/// How the server behaves (the options of `vanban serve`).
#[derive(Debug, Clone)]
pub struct Config {
    /// Reads need a token too (`--private`).
    pub private: bool,
    /// The one origin allowed to call the API from a browser
    /// (`--cors-origin`); `None`: no CORS headers at all.
    pub cors_origin: Option<String>,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// Time limit for a whole request.
    pub timeout: Duration,
    /// Time limit for receiving a request's headers (against clients that
    /// send them byte by byte to hold connections open); an idle
    /// keep-alive connection is closed after it too.
    pub header_timeout: Duration,
    /// Requests handled at once (`--max-concurrent`).
    pub max_concurrent: usize,
    /// Requests that may wait for a turn beyond those (`--max-queue`);
    /// any more are refused at once with 503.
    pub max_queue: usize,
    /// The longest a request waits for its turn before a 503.
    pub queue_wait: Duration,
    /// The longest a write waits for the one writer (writes are
    /// serialised) before a 503 `overloaded`.
    pub write_wait: Duration,
    /// Connections to the store kept for requests (a pool): one slow
    /// statement holds one of them, not the store.
    pub store_connections: u32,
    /// A statement running longer than this (on the embedded store, or
    /// waiting that long for another process's lock) is cancelled and its
    /// request answered 503 with `Retry-After`.
    pub statement_timeout: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            private: false,
            cors_origin: None,
            body_limit: 2 * 1024 * 1024,
            timeout: Duration::from_secs(15),
            header_timeout: Duration::from_secs(10),
            max_concurrent: 64,
            max_queue: 256,
            queue_wait: QUEUE_WAIT,
            write_wait: QUEUE_WAIT,
            store_connections: 8,
            statement_timeout: STATEMENT_TIMEOUT,
        }
    }
}

/// The default statement time-out of the server's store connections:
/// below the request time-out, so that a stuck statement is answered 503
/// with `Retry-After` rather than left to the request's time limit.
pub const STATEMENT_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest a request waits for its turn (and a write for the one
/// writer's lock) before it is answered 503: short enough that the answered
/// requests' p99 stays under a second at 4× the load the server can carry.
pub const QUEUE_WAIT: Duration = Duration::from_millis(500);

/// What went wrong starting or running the server.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] vanban_store::Error),
    #[error(transparent)]
    Search(#[from] vanban_search::Error),
    #[error("nguồn CORS `{0}` không hợp lệ (not a valid origin): hãy viết theo dạng scheme://host[:port], ví dụ https://example.org")]
    CorsOrigin(String),
    #[error("không lắng nghe được trên {addr} (cannot listen: {source}); có chương trình khác đang dùng cổng đó không? hãy chọn cổng khác bằng --listen")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("máy chủ đã dừng (the server stopped: {0}); hãy chạy lại `vanban serve`")]
    Serve(std::io::Error),
    #[error("một tác vụ nền thất bại (a background task failed: {0}); gửi lại yêu cầu, và nếu còn lặp lại, hãy báo lỗi này")]
    Task(String),
}

/// Result with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// The shared state of every request: the store (for texts and writes), the
/// current graph snapshot, the search index and the known token hashes.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: vanban_store::pool::StorePool,
    snapshot: RwLock<Arc<Snapshot>>,
    search: Option<SearchIndex>,
    /// The index's directory (its state file lives there); `None` for an
    /// index in memory.
    index_dir: Option<PathBuf>,
    tokens: RwLock<HashSet<String>>,
    /// When an unknown token last made the token list be read again (at
    /// most once every [`TOKEN_RELOAD_EVERY`], so that a flood of wrong
    /// tokens cannot keep the store busy).
    tokens_reloaded: Mutex<Option<std::time::Instant>>,
    /// Held by a write from the store insert to the index commit (one
    /// writer at a time, as the search index requires).
    writes: Arc<tokio::sync::Mutex<()>>,
    /// The uploads waiting for the writer: whoever has the writer's turn
    /// stores all of them as one batch ([`api`], group commit).
    pending: Mutex<Vec<api::WriteJob>>,
    /// Held by the blocking task of an index update for its whole run,
    /// commit and state file included: a request dropped while its update
    /// runs (its time limit, a client gone) releases `writes`, but the
    /// next update still waits for this one to end, so that an older
    /// update never writes its state file over a newer one's. It keeps the
    /// index writer and the index's state between writes ([`KeptWriter`]).
    index_updates: Mutex<Option<KeptWriter>>,
    /// The change feed's last sequence number that the snapshot includes
    /// (read before the graph was loaded, so never ahead of it).
    applied: std::sync::atomic::AtomicI64,
    /// Set when the search index could not follow a change (its writer
    /// busy, a disk error): [`AppState::follow`] tries again.
    index_behind: std::sync::atomic::AtomicBool,
    /// Woken by the PostgreSQL listener when another process wrote.
    wake: tokio::sync::Notify,
    admission: admission::Admission,
    config: Config,
}

impl AppState {
    /// Builds the state: loads the graph and the token hashes from `store`.
    /// `search` is the index to query and to feed on uploads (`None`: the
    /// search pages say that search is not available); `index_dir` is its
    /// directory, `None` for an index in memory.
    pub fn new(
        mut store: Store,
        search: Option<SearchIndex>,
        index_dir: Option<PathBuf>,
        config: Config,
    ) -> Result<Self> {
        store.set_statement_timeout(config.statement_timeout)?;
        let applied = store.backend().latest_change()?;
        let graph = store.graph()?;
        let tokens = store
            .backend()
            .tokens()?
            .into_iter()
            .map(|t| t.hash)
            .collect();
        Ok(AppState {
            inner: Arc::new(Inner {
                store: vanban_store::pool::StorePool::new(
                    store,
                    config.store_connections,
                    config.queue_wait,
                ),
                snapshot: RwLock::new(Arc::new(Snapshot::new(graph))),
                search,
                index_dir,
                tokens: RwLock::new(tokens),
                tokens_reloaded: Mutex::new(None),
                writes: Arc::new(tokio::sync::Mutex::new(())),
                pending: Mutex::new(Vec::new()),
                index_updates: Mutex::new(None),
                applied: std::sync::atomic::AtomicI64::new(applied),
                index_behind: std::sync::atomic::AtomicBool::new(false),
                wake: tokio::sync::Notify::new(),
                admission: admission::Admission::new(
                    config.max_concurrent,
                    config.max_queue,
                    config.queue_wait,
                ),
                config,
            }),
        })
    }

    /// The current snapshot of the graph (cheap: one `Arc` clone).
    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.inner.snapshot.read() {
            Ok(s) => Arc::clone(&s),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    fn set_snapshot(&self, snapshot: Snapshot) {
        let snapshot = Arc::new(snapshot);
        match self.inner.snapshot.write() {
            Ok(mut s) => *s = snapshot,
            Err(poisoned) => *poisoned.into_inner() = snapshot,
        }
    }

    /// The PostgreSQL URL of the store, when it is one.
    fn postgres_url(&self) -> Option<String> {
        match self.inner.store.location() {
            vanban_store::Location::Postgres(url) => Some(url.clone()),
            vanban_store::Location::Embedded(_) => None,
        }
    }

    /// The search index, when there is one.
    pub fn search(&self) -> Option<&SearchIndex> {
        self.inner.search.as_ref()
    }

    /// Serialises writes.
    pub async fn write_lock(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.inner.writes.lock().await
    }

    /// [`AppState::write_lock`], owned (for a batch of writes that goes
    /// on in its own task).
    pub async fn write_lock_owned(&self) -> tokio::sync::OwnedMutexGuard<()> {
        Arc::clone(&self.inner.writes).lock_owned().await
    }

    /// The uploads waiting for the writer.
    pub(crate) fn pending(&self) -> std::sync::MutexGuard<'_, Vec<api::WriteJob>> {
        match self.inner.pending.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The admission limits (see [`admission`]).
    pub(crate) fn admission(&self) -> &admission::Admission {
        &self.inner.admission
    }

    /// Runs `f` with one of the store's pooled connections on a blocking
    /// thread (the store's I/O must not hold up the async workers); a
    /// pool that stays busy for the queue wait is [`vanban_store::Error::Busy`].
    pub async fn with_store<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let mut store = inner.store.get()?;
            f(&mut store)
        })
        .await
        .map_err(|e| Error::Task(e.to_string()))?
    }

    /// True when `token_hash` belongs to a known token; reloads the list
    /// from the store once when it does not (a token may have been created
    /// while the server runs).
    pub async fn knows_token_hash(&self, token_hash: &str) -> bool {
        let known = |inner: &Inner| match inner.tokens.read() {
            Ok(t) => t.contains(token_hash),
            Err(p) => p.into_inner().contains(token_hash),
        };
        if known(&self.inner) {
            return true;
        }
        // A token created since (`vanban token create` in another process)
        // is found by reading the list again, but not more than once every
        // TOKEN_RELOAD_EVERY.
        {
            let mut last = match self.inner.tokens_reloaded.lock() {
                Ok(l) => l,
                Err(p) => p.into_inner(),
            };
            if last.is_some_and(|t| t.elapsed() < TOKEN_RELOAD_EVERY) {
                return false;
            }
            *last = Some(std::time::Instant::now());
        }
        let reloaded = self.with_store(|store| Ok(store.backend().tokens()?)).await;
        let Ok(records) = reloaded else { return false };
        let set: HashSet<String> = records.into_iter().map(|t| t.hash).collect();
        let found = set.contains(token_hash);
        match self.inner.tokens.write() {
            Ok(mut t) => *t = set,
            Err(p) => *p.into_inner() = set,
        }
        found
    }

    /// Brings the search index up to date with the store and the current
    /// snapshot (new sources added, every document refreshed) — the same
    /// incremental update as `vanban ingest`. Call with the write lock held.
    pub async fn update_index(&self) -> Result<()> {
        if self.inner.search.is_none() {
            return Ok(());
        }
        let inner = Arc::clone(&self.inner);
        let snapshot = self.snapshot();
        tokio::task::spawn_blocking(move || -> Result<()> {
            let Some(index) = inner.search.as_ref() else {
                return Ok(());
            };
            let mut updating = lock_kept(&inner.index_updates);
            release(&mut updating)?;
            let mut store = inner.store.get()?;
            let graph = &snapshot.graph;
            match &inner.index_dir {
                Some(dir) => {
                    vanban_store::indexing::update(&mut store, graph, index, dir, &mut |_, _| {})?;
                }
                None => {
                    // In memory: no state file; add every source again
                    // (adding replaces) — only small test and demo stores.
                    let mut writer = index.writer()?;
                    for facts in graph.sources() {
                        if let Some(text) = store.source_text(facts.id)? {
                            writer.add_source(vanban_store::indexing::source_entry_owned(
                                graph, text,
                            ))?;
                        }
                    }
                    vanban_store::indexing::refresh_documents(graph, &mut writer)
                        .map_err(vanban_store::Error::from)?;
                    writer.finish()?;
                }
            }
            Ok(())
        })
        .await
        .map_err(|e| Error::Task(e.to_string()))?
    }

    /// [`AppState::update_index`] after this server stored one batch
    /// (`inserted`) and applied it to the snapshot: only the sources and
    /// documents of the number keys the batch touched are re-indexed
    /// ([`vanban_store::indexing::update_touched_with`]); the whole update when
    /// that declines (an index behind the store, or in memory).
    pub async fn update_index_inserted(&self, inserted: &vanban_store::Inserted) -> Result<()> {
        match inserted.touched.clone() {
            Some(keys) => self.update_index_touched(keys, inserted.ids.clone()).await,
            None => self.update_index().await,
        }
    }

    /// Re-indexes the sources and documents of the number keys `keys`
    /// after the sources `ids` were stored and added to the snapshot, with
    /// the writer and state kept between writes (one small commit and one
    /// line of the state's journal, no whole merge); the whole
    /// [`AppState::update_index`] when that declines.
    pub async fn update_index_touched(&self, keys: Vec<String>, ids: Vec<i64>) -> Result<()> {
        let (Some(_), Some(dir)) = (&self.inner.search, self.inner.index_dir.clone()) else {
            return self.update_index().await;
        };
        let inner = Arc::clone(&self.inner);
        let sources = self.snapshot().graph.sources().len() as u64;
        let done = tokio::task::spawn_blocking(move || -> Result<bool> {
            let Some(index) = inner.search.as_ref() else {
                return Ok(false);
            };
            let mut updating = lock_kept(&inner.index_updates);
            let mut store = inner.store.get()?;
            if updating.is_none() {
                let writer = index.writer()?;
                let state = vanban_store::indexing::IndexState::load(&dir);
                *updating = Some(KeptWriter {
                    writer,
                    state,
                    used: std::time::Instant::now(),
                });
            }
            let Some(kept) = updating.as_mut() else {
                return Ok(false);
            };
            let done = vanban_store::indexing::update_touched_with(
                &mut store,
                &keys,
                &ids,
                sources,
                index,
                &mut kept.writer,
                &mut kept.state,
                &dir,
                vanban_store::indexing::MERGE_WHOLE_BELOW,
                &mut |_, _| {},
            );
            kept.used = std::time::Instant::now();
            match done {
                Ok(Some(_)) => Ok(true),
                Ok(None) => {
                    // The whole update opens its own writer.
                    release(&mut updating)?;
                    Ok(false)
                }
                Err(e) => {
                    // Whatever failed (a disk error, the folder replaced),
                    // the next update starts from a new writer and the
                    // state on disk.
                    updating.take();
                    Err(e.into())
                }
            }
        })
        .await
        .map_err(|e| Error::Task(e.to_string()))??;
        if done {
            Ok(())
        } else {
            self.update_index().await
        }
    }

    /// Lets the kept index writer go once no write used it for
    /// [`WRITER_IDLE`]: its background merges are waited for, and its lock
    /// on the index is released (so that `vanban ingest` or `vanban
    /// reindex` on the same data folder can write it). Called by the
    /// follower at every tick.
    pub async fn release_idle_writer(&self) -> Result<()> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || -> Result<()> {
            let Ok(mut updating) = inner.index_updates.try_lock() else {
                return Ok(());
            };
            if updating
                .as_ref()
                .is_some_and(|k| k.used.elapsed() >= WRITER_IDLE)
            {
                release(&mut updating)?;
            }
            Ok(())
        })
        .await
        .map_err(|e| Error::Task(e.to_string()))?
    }

    /// Brings the search index up to date at start when it does not stand
    /// with the store ([`vanban_store::indexing::check`]): a server killed
    /// between a write's store commit and its index commit left the text
    /// stored but not searchable, and the write's retry (answered 200,
    /// "already stored") does not index it; an index whose state file
    /// says it is complete but which holds another number of entries is
    /// rebuilt from the store. Cheap when nothing is missing. Returns
    /// whether the index was changed.
    pub async fn catch_up_index(&self) -> Result<bool> {
        use vanban_store::indexing::Standing;
        let (Some(_), Some(dir)) = (&self.inner.search, self.inner.index_dir.clone()) else {
            return Ok(false);
        };
        let _writing = self.write_lock().await;
        let inner = Arc::clone(&self.inner);
        let snapshot = self.snapshot();
        let standing = tokio::task::spawn_blocking(move || {
            inner
                .search
                .as_ref()
                .map(|index| vanban_store::indexing::check(&snapshot.graph, index, &dir))
        })
        .await
        .map_err(|e| Error::Task(e.to_string()))?;
        match standing {
            None | Some(Standing::UpToDate) => Ok(false),
            Some(Standing::Behind) => {
                if let Err(e) = self.update_index().await {
                    // Whatever stopped the update (an entry it could not
                    // read), a rebuild from the store is the remedy.
                    eprintln!(
                        "vanban: chỉ mục tìm kiếm chưa cập nhật được (the search index could not be updated: {e}); rebuilding it from the store"
                    );
                    self.rebuild_index().await?;
                }
                Ok(true)
            }
            Some(Standing::Inconsistent { expected, found }) => {
                eprintln!(
                    "vanban: chỉ mục tìm kiếm không khớp với kho dữ liệu (the search index holds {found} entries where its state accounts for {expected}); rebuilding it from the store"
                );
                self.rebuild_index().await?;
                Ok(true)
            }
        }
    }

    /// Rebuilds the search index in place from the store (every entry
    /// removed and added again, committed once). Call with the write lock
    /// held.
    async fn rebuild_index(&self) -> Result<()> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || -> Result<()> {
            let (Some(index), Some(dir)) = (inner.search.as_ref(), inner.index_dir.as_ref()) else {
                return Ok(());
            };
            let mut updating = lock_kept(&inner.index_updates);
            // The kept writer may be broken (its folder replaced): dropped,
            // not waited for.
            updating.take();
            let mut store = inner.store.get()?;
            let (_, state) = vanban_store::indexing::rebuild(&mut store, index, &mut |_| {})?;
            state.save(dir).map_err(vanban_store::Error::from)?;
            Ok(())
        })
        .await
        .map_err(|e| Error::Task(e.to_string()))?
    }

    /// Picks up what other processes wrote (another server on the same
    /// PostgreSQL database, `vanban ingest` while the server runs): when
    /// the store's change feed has moved past what the snapshot includes,
    /// rebuilds the graph and adds the new sources to this server's own
    /// search index. Cheap when nothing changed (one query). Returns
    /// whether the snapshot was rebuilt.
    pub async fn refresh_if_changed(&self) -> Result<bool> {
        self.follow().await
    }

    /// See [`AppState::refresh_if_changed`].
    pub async fn follow(&self) -> Result<bool> {
        use std::sync::atomic::Ordering;
        // Read without the write lock: a write never waits on this poll.
        let latest = self
            .with_store(|s| Ok(s.backend().latest_change()?))
            .await?;
        let behind = || self.inner.index_behind.load(Ordering::SeqCst);
        if latest <= self.applied_change() && !behind() {
            return Ok(false);
        }
        let _writing = self.write_lock().await;
        // This server's own write may have applied it meanwhile.
        let changed = latest > self.applied_change();
        let mut touched = None;
        if changed {
            touched = self.follow_changes().await?;
        } else if !behind() {
            return Ok(false);
        }
        // Sources added to the snapshot (the index was current): only
        // their numbers are re-indexed; anything else is the whole update.
        let updated = match touched {
            Some((keys, ids)) if !behind() => self.update_index_touched(keys, ids).await,
            _ => self.update_index().await,
        };
        match updated {
            Ok(()) => self.inner.index_behind.store(false, Ordering::SeqCst),
            Err(e) => {
                // Another process may be writing this index (`vanban
                // ingest` on the same data folder): show what it committed
                // and try again at the next change or tick.
                if let Some(index) = self.search() {
                    let _ = index.reload();
                }
                let was_behind = self.inner.index_behind.swap(true, Ordering::SeqCst);
                if !was_behind {
                    return Err(e);
                }
            }
        }
        Ok(changed)
    }

    /// Notes that the search index could not follow a write:
    /// [`AppState::follow`] tries again at its next tick.
    pub fn mark_index_behind(&self) {
        self.inner
            .index_behind
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// The change feed's sequence number that the current snapshot
    /// includes.
    pub fn applied_change(&self) -> i64 {
        self.inner.applied.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Rebuilds the graph from the store and swaps it in (and notes the
    /// change feed's position it includes, so that the follower does not
    /// apply this server's own writes again).
    pub async fn rebuild(&self) -> Result<Arc<Snapshot>> {
        let (seq, graph) = self
            .with_store(|store| {
                let seq = store.backend().latest_change()?;
                Ok((seq, store.graph()?))
            })
            .await?;
        let snapshot = tokio::task::spawn_blocking(move || Snapshot::new(graph))
            .await
            .map_err(|e| Error::Task(e.to_string()))?;
        self.set_snapshot(snapshot);
        self.inner
            .applied
            .fetch_max(seq, std::sync::atomic::Ordering::SeqCst);
        Ok(self.snapshot())
    }

    /// Brings the snapshot up to date after this server stored a batch
    /// (`inserted`): when the batch is the only change since the
    /// snapshot, the graph is built from the snapshot's facts (in memory)
    /// and the batch's (read by id), not reloaded from the store: the same
    /// facts, the same graph. Otherwise (another process wrote meanwhile,
    /// or the batch stored nothing new) as [`AppState::rebuild`].
    pub async fn apply_inserted(&self, inserted: &vanban_store::Inserted) -> Result<Arc<Snapshot>> {
        let (Some(seq), false) = (inserted.change, inserted.ids.is_empty()) else {
            return self.rebuild().await;
        };
        let applied = self.applied_change();
        let pending = self
            .with_store(move |s| Ok(s.backend().changes_since(applied, 2)?))
            .await?;
        if pending.len() != 1 || pending[0].seq != seq {
            return self.rebuild().await;
        }
        self.apply_sources(inserted.ids.clone(), seq)
            .await
            .map(|(s, _)| s)
    }

    /// Adds the stored sources `ids` (the changes up to `seq`) to the
    /// snapshot's graph, built from the snapshot's own facts and theirs;
    /// returns it with the number keys their mentions carry.
    async fn apply_sources(&self, ids: Vec<i64>, seq: i64) -> Result<(Arc<Snapshot>, Vec<String>)> {
        let new = self
            .with_store(move |s| Ok(s.backend().facts_of(&ids)?))
            .await?;
        let keys = vanban_store::indexing::touched_keys(&new);
        let old = self.snapshot();
        let snapshot = tokio::task::spawn_blocking(move || old.with_sources(new))
            .await
            .map_err(|e| Error::Task(e.to_string()))?;
        self.set_snapshot(snapshot);
        self.inner
            .applied
            .fetch_max(seq, std::sync::atomic::Ordering::SeqCst);
        Ok((self.snapshot(), keys))
    }

    /// Brings the snapshot up to the change feed as another process wrote
    /// it: the sources of the changes since the snapshot's (at most
    /// [`FOLLOW_IDS`] of them, all batches of sources) are added to it as
    /// in [`AppState::apply_inserted`]; anything else is a whole
    /// [`AppState::rebuild`]. Returns the number keys and ids of the
    /// sources added (`None` after a rebuild).
    async fn follow_changes(&self) -> Result<Option<(Vec<String>, Vec<i64>)>> {
        let applied = self.applied_change();
        let changes = self
            .with_store(move |s| Ok(s.backend().changes_since(applied, 64)?))
            .await?;
        let mut ids: Vec<i64> = Vec::new();
        let mut last = applied;
        for c in &changes {
            let (Some(first), Some(to)) = (c.first_id, c.last_id) else {
                return self.rebuild().await.map(|_| None);
            };
            if c.kind != vanban_store::CHANGE_SOURCES
                || to < first
                || (to - first) as usize + ids.len() > FOLLOW_IDS
            {
                return self.rebuild().await.map(|_| None);
            }
            ids.extend(first..=to);
            last = c.seq;
        }
        if changes.is_empty() || changes.len() == 64 {
            return self.rebuild().await.map(|_| None);
        }
        ids.sort_unstable();
        ids.dedup();
        let (_, keys) = self.apply_sources(ids.clone(), last).await?;
        Ok(Some((keys, ids)))
    }

    /// Wakes the follower now (another process wrote).
    pub fn wake_follower(&self) {
        self.inner.wake.notify_one();
    }

    /// Follows the change feed until the process ends: at every wake-up
    /// ([`AppState::wake_follower`]) or [`FOLLOW_EVERY`], whichever comes
    /// first, [`AppState::follow`].
    pub async fn run_follower(self) {
        let mut failing = false;
        loop {
            tokio::select! {
                () = self.inner.wake.notified() => {}
                () = tokio::time::sleep(FOLLOW_EVERY) => {}
            }
            let _ = self.release_idle_writer().await;
            match self.follow().await {
                Ok(_) => failing = false,
                // A database that is down is reported once, not every tick.
                Err(e) if !failing => {
                    failing = true;
                    eprintln!("vanban: could not pick up new texts from the store: {e}");
                }
                Err(_) => {}
            }
        }
    }
}

/// The most source ids the follower adds to its snapshot from the change
/// feed; more are a whole rebuild.
const FOLLOW_IDS: usize = 20_000;

/// The whole application: pages, API, static files, limits and (if
/// configured) CORS.
pub fn router(state: AppState) -> Result<Router> {
    let config = state.config().clone();
    let mut app = Router::new()
        .merge(pages::routes())
        .merge(feeds::routes())
        .merge(auth::routes())
        .merge(ballots::routes(&state))
        .nest("/api/v1", api::routes().merge(watch::routes()))
        .fallback(pages::fallback)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::private_reads,
        ))
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            admission::admit,
        ))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            config.timeout,
        ))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.timeout,
        ))
        .layer(tower_http::set_header::SetResponseHeaderLayer::if_not_present(
            axum::http::header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(tower_http::set_header::SetResponseHeaderLayer::if_not_present(
            axum::http::header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
            ),
        ))
        .layer(tower_http::set_header::SetResponseHeaderLayer::if_not_present(
            axum::http::header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(tower_http::compression::CompressionLayer::new());
    if let Some(origin) = &config.cors_origin {
        let origin: HeaderValue = origin
            .parse()
            .map_err(|_| Error::CorsOrigin(origin.clone()))?;
        app = app.layer(
            tower_http::cors::CorsLayer::new()
                .allow_origin(origin)
                .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
                .allow_headers([
                    axum::http::header::AUTHORIZATION,
                    axum::http::header::CONTENT_TYPE,
                ]),
        );
    }
    Ok(app.with_state(state))
}

/// How long open connections may take to finish after the server was
/// asked to stop.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Serves `app` on `listener` until Ctrl-C (HTTP/1.1); a client has
/// `header_timeout` to send a request's headers.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    header_timeout: Duration,
) -> Result<()> {
    serve_until(listener, app, header_timeout, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// Serves `app` on `listener` until `shutdown` completes, then stops
/// accepting and lets open connections finish (at most
/// [`SHUTDOWN_GRACE`]). Each connection is hyper's HTTP/1.1 with a timer,
/// so that a client that does not send a request's headers within
/// `header_timeout` is disconnected.
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    app: Router,
    header_timeout: Duration,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::server::graceful::GracefulShutdown;
    use hyper_util::service::TowerToHyperService;

    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(e) => {
                    accept_error(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = TowerToHyperService::new(app.clone());
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let watched = graceful.watch(connection);
        tokio::spawn(async move {
            // A connection's error (a client gone, a header timeout) ends
            // that connection only.
            let _ = watched.await;
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
    Ok(())
}

/// After a failed `accept`: a client that went away is nothing; anything
/// else (too many open files) is reported and waited out for a second, so
/// the loop does not spin.
async fn accept_error(e: std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    ) {
        return;
    }
    eprintln!("vanban: could not accept a connection: {e}");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// The index writer a server keeps between writes, with the index's
/// state (trạng thái chỉ mục) as it left it: a write then opens no writer
/// and reads no state file, and the merges its commits start go on in the
/// background. Only one writer can hold an index: it is let go after
/// [`WRITER_IDLE`] without writes, and before any whole update or rebuild.
pub(crate) struct KeptWriter {
    writer: vanban_search::SearchWriter,
    state: vanban_store::indexing::IndexState,
    used: std::time::Instant,
}

/// How long the kept index writer stays without a write before it is let
/// go ([`AppState::release_idle_writer`]).
pub const WRITER_IDLE: Duration = Duration::from_secs(3);

/// Locks the kept writer's mutex, poisoned or not (what it guards is
/// committed or redone: an update's state is saved only after its
/// commit).
fn lock_kept(m: &Mutex<Option<KeptWriter>>) -> std::sync::MutexGuard<'_, Option<KeptWriter>> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

/// Lets the kept writer go, once its merges ended.
fn release(kept: &mut Option<KeptWriter>) -> Result<()> {
    if let Some(k) = kept.take() {
        k.writer.wait_merges()?;
    }
    Ok(())
}

/// The shortest time between two readings of the token list caused by
/// unknown tokens.
pub const TOKEN_RELOAD_EVERY: Duration = Duration::from_secs(1);

/// How often the follower ([`AppState::run_follower`]) reads the change
/// feed's position without being woken (SQLite has no notifications; on
/// PostgreSQL it is the fallback when a notification is lost).
pub const FOLLOW_EVERY: Duration = Duration::from_secs(1);

/// The longest wait between two attempts to reconnect the PostgreSQL
/// listener.
pub const LISTEN_BACKOFF_MAX: Duration = Duration::from_secs(2);

/// Listens for the change feed's notifications on a connection of its own
/// (PostgreSQL only: `url`), on a thread of its own, waking `state`'s
/// follower at each; reconnects with back-off (0.1 s doubling up to
/// [`LISTEN_BACKOFF_MAX`]) while the database is down.
pub fn spawn_listener(state: AppState, url: String) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("vanban-listen".into())
        .spawn(move || {
            let mut backoff = Duration::from_millis(100);
            loop {
                match vanban_store::listen::ChangeListener::connect(&url, Duration::from_secs(2)) {
                    Ok(mut listener) => {
                        backoff = Duration::from_millis(100);
                        // What was written while not listening.
                        state.wake_follower();
                        while let Ok(woken) = listener.wait(Duration::from_millis(500)) {
                            if woken {
                                state.wake_follower();
                            }
                        }
                    }
                    Err(_) => {
                        std::thread::sleep(backoff);
                        backoff = (backoff * 2).min(LISTEN_BACKOFF_MAX);
                    }
                }
            }
        })
        .map(|_| ())
}

/// Runs the server on `addr` until Ctrl-C, on a runtime of its own (for
/// the command-line program); `ready` is called with the bound address
/// (port 0 picks a free one) once requests are accepted.
pub fn run_blocking(
    state: AppState,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> Result<()> {
    let state_for_refresh = state.clone();
    let header_timeout = state.config().header_timeout;
    let app = router(state)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(Error::Serve)?;
    runtime.block_on(async move {
        let listener = bind(addr).await?;
        let bound = listener.local_addr().map_err(Error::Serve)?;
        if let Err(e) = state_for_refresh.catch_up_index().await {
            // The follower tries again every second.
            state_for_refresh.mark_index_behind();
            eprintln!(
                "vanban: chỉ mục tìm kiếm chưa cập nhật (the search index could not be brought up to date: {e}); search may miss recent texts until `vanban reindex`"
            );
        }
        ready(bound);
        let follower = state_for_refresh.clone();
        if let Some(url) = follower.postgres_url() {
            if let Err(e) = spawn_listener(follower.clone(), url) {
                eprintln!("vanban: could not start listening for changes ({e}); other servers' writes are picked up every {} s", FOLLOW_EVERY.as_secs());
            }
        }
        tokio::spawn(follower.run_follower());
        serve(listener, app, header_timeout).await
    })
}

/// Binds `addr` (with the error message the user needs when it fails).
pub async fn bind(addr: SocketAddr) -> Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| Error::Listen { addr, source })
}

/// Today's date (UTC), for "status as of today".
pub fn today() -> chrono::NaiveDate {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0);
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|epoch| epoch.checked_add_days(chrono::Days::new(days)))
        .unwrap_or_default()
}
