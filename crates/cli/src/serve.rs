//! `vanban serve`: the web application and the HTTP API over the knowledge
//! base named by `--data` / `--database` (máy chủ web).

use crate::kb::{self, StoreArgs};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args)]
#[command(after_help = "EXAMPLES:\n  \
    vanban serve                                   http://127.0.0.1:8080/\n  \
    vanban serve --listen 0.0.0.0:8080 --private   reads need a token too (pages: log in at /dang-nhap)\n  \
    vanban token create crawler                    a token for POST /api/v1/sources and /api/v1/watch\n  \
    vanban serve --watch nguon-tin.toml            also fetch the feeds of nguon-tin.toml (docs/fetch.md)\n\n\
    The API is described at /api/v1/openapi.json.")]
pub struct ServeArgs {
    /// Address and port to listen on (use 0.0.0.0:PORT to accept other machines).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: SocketAddr,
    /// Reads need a token too: `Authorization: Bearer TOKEN` for the API,
    /// and in a browser the token entered once at /dang-nhap (kept in a
    /// cookie); by default only writes need one.
    #[arg(long)]
    pub private: bool,
    /// Allow browser calls to the API from this origin (CORS), e.g.
    /// https://example.org; off when not given.
    #[arg(long, value_name = "ORIGIN")]
    pub cors_origin: Option<String>,
    /// Largest accepted request body, in KiB.
    #[arg(long, default_value_t = 2048, value_name = "KIB")]
    pub max_body_kib: usize,
    /// Time limit of a request, in seconds.
    #[arg(long, default_value_t = 15, value_name = "SECONDS")]
    pub timeout: u64,
    /// Time a client has to send a request's headers, in seconds (slower
    /// clients, and idle connections, are disconnected).
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub header_timeout: u64,
    /// Requests handled at once; more wait for a turn (see --max-queue).
    #[arg(long, default_value_t = 64, value_name = "N")]
    pub max_concurrent: usize,
    /// Requests that may wait for a turn, each at most 0.5 s; beyond that
    /// the server answers 503 with Retry-After at once instead of queueing
    /// without bound.
    #[arg(long, default_value_t = 256, value_name = "N")]
    pub max_queue: usize,
    /// A statement that runs (or, on the embedded store, waits for another
    /// process's lock) longer than this, in seconds, is cancelled and its
    /// request answered 503 store_busy with Retry-After (one stuck query
    /// never holds the store; docs/operations.md).
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub statement_timeout: u64,
    /// Connections to the store kept for requests (a pool; a request
    /// waits at most 0.5 s for a free one, then 503 with Retry-After).
    #[arg(long, default_value_t = 8, value_name = "N")]
    pub store_connections: u32,
    /// Also watch the feeds and pages of this SOURCES.toml, as `vanban
    /// watch` does, on a background thread, with the sources added through
    /// `POST /api/v1/watch`; new texts appear in the pages, the API and
    /// search at the end of each pass (docs/fetch.md).
    #[arg(long, value_name = "SOURCES.toml")]
    pub watch: Option<std::path::PathBuf>,
    /// With --watch: the least time between two requests to one host, in
    /// seconds.
    #[arg(
        long,
        default_value_t = 1.0,
        value_name = "SECONDS",
        requires = "watch"
    )]
    pub watch_delay: f64,
    /// With --watch: a URL (or e-mail address) where site owners can reach
    /// you, sent in the User-Agent.
    #[arg(long, env = "VANBAN_CONTACT", value_name = "URL")]
    pub contact: Option<String>,
}

impl ServeArgs {
    pub fn config(&self) -> vanban_server::Config {
        vanban_server::Config {
            private: self.private,
            cors_origin: self.cors_origin.clone(),
            body_limit: self.max_body_kib.saturating_mul(1024).max(1024),
            timeout: Duration::from_secs(self.timeout.max(1)),
            header_timeout: Duration::from_secs(self.header_timeout.max(1)),
            max_concurrent: self.max_concurrent.max(1),
            max_queue: self.max_queue,
            queue_wait: vanban_server::QUEUE_WAIT,
            write_wait: vanban_server::QUEUE_WAIT,
            store_connections: self.store_connections.max(1),
            statement_timeout: Duration::from_secs(self.statement_timeout.max(1)),
        }
    }
}

/// Prints where the application answers, in Vietnamese and English.
pub fn announce(addr: SocketAddr) {
    let host = if addr.ip().is_unspecified() {
        "127.0.0.1".to_owned()
    } else if addr.is_ipv6() {
        format!("[{}]", addr.ip())
    } else {
        addr.ip().to_string()
    };
    let url = format!("http://{host}:{}/", addr.port());
    println!("Ứng dụng web đang chạy tại / The web application is at: {url}");
    println!("API: {url}api/v1/openapi.json");
    println!("Nhấn Ctrl-C để dừng / Press Ctrl-C to stop.");
}

pub fn run(args: ServeArgs, store: &StoreArgs) -> anyhow::Result<ExitCode> {
    let Some(s) = store.open_existing_store()? else {
        anyhow::bail!(kb::no_store_message(store));
    };
    let index_dir = store.index_dir()?;
    // An index that cannot be opened (a read-only file system: tantivy
    // needs to create its lock file) turns search off instead of keeping
    // the server from answering every other read.
    // A server on PostgreSQL keeps its own index in its data folder: a
    // new one (another server behind the same proxy) starts one, filled
    // from the store before the first request.
    if matches!(store.location()?, vanban_store::Location::Postgres(_))
        && !index_dir.join("meta.json").exists()
    {
        if let Err(e) = vanban_search::SearchIndex::create(&index_dir) {
            eprintln!(
                "vanban: không tạo được chỉ mục tìm kiếm {} (the search index cannot be created: {e}); search is off: check that the folder can be written",
                index_dir.display()
            );
        }
    }
    let index = kb::open_index(&index_dir).unwrap_or_else(|e| {
        eprintln!(
            "vanban: không mở được chỉ mục tìm kiếm {} (the search index cannot be opened: {e}); search is off: check that the folder can be written, or run `vanban reindex`",
            index_dir.display()
        );
        None
    });
    if index.is_none() && !index_dir.join("meta.json").exists() {
        eprintln!(
            "vanban: chưa có chỉ mục tìm kiếm trong {} (no search index): search is off until you run `vanban reindex`",
            index_dir.display()
        );
    }
    let dir = index.as_ref().map(|_| index_dir);
    // The watcher's own store connection and sources, checked before the
    // server starts so that a bad SOURCES.toml is a usage error.
    let watch = match &args.watch {
        None => None,
        Some(path) => {
            let sources = vanban_watch::read_sources(path)?;
            let http = crate::fetch::HttpArgs {
                delay: args.watch_delay,
                timeout: 30,
                max_bytes: 10_000_000,
                max_redirects: 10,
                contact: args.contact.clone(),
                resolve_only: Vec::new(),
            };
            Some((store.open_store()?, sources, http.config()?))
        }
    };
    let state = vanban_server::AppState::new(s, index, dir, args.config())?;
    let for_watcher = state.clone();
    vanban_server::run_blocking(state, args.listen, move |addr| {
        announce(addr);
        if let Some((store, sources, config)) = watch {
            let n = sources.len();
            let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let handle = tokio::runtime::Handle::current();
            match vanban_server::watch::spawn(for_watcher, store, sources, config, handle, stop) {
                Ok(_) => println!(
                    "Đang theo dõi {n} nguồn của tệp và các nguồn thêm qua API / Watching {n} sources from the file and those added through POST /api/v1/watch."
                ),
                Err(e) => eprintln!("vanban: không khởi động được bộ theo dõi (the watcher could not start): {e}"),
            }
        }
    })?;
    Ok(ExitCode::SUCCESS)
}
