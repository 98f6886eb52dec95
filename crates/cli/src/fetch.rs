//! `vanban fetch URL...` (tải và nạp): fetches pages and feeds with
//! `vanban-fetch` and stores them as `vanban ingest` does, then resolves the
//! graph and updates the search index.
//!
//! One URL at a time (the fetcher is polite: per-host delay, robots.txt).
//! A feed's items are fetched in feed order; an item already fetched by an
//! earlier run is not fetched again. Each page lands whole (one
//! transaction) before its `fetched` record is written, and a feed's
//! validators are recorded only once all its items are done, so a killed
//! run is finished by the next one and a 304 never hides an item that was
//! not stored.

use crate::ingest::{progress_spinner_with, update_index, SummaryFormat};
use crate::kb::StoreArgs;
use indicatif::ProgressBar;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::{Duration, Instant};
use vanban_fetch::Config;
use vanban_store::Store;
use vanban_watch::{Failure, Progress, Session, Summary};

#[derive(clap::Args)]
pub struct FetchArgs {
    /// Pages or feeds (RSS 2.0, Atom, JSON Feed: every item's page is
    /// fetched) to store, http:// or https://.
    #[arg(required = true, value_name = "URL")]
    pub urls: Vec<String>,
    /// Summary format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: SummaryFormat,
    #[command(flatten)]
    pub http: HttpArgs,
    /// No progress line and no text summary (failures are still reported
    /// on standard error; `--format json` still prints its object).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// How to fetch: politeness and limits (shared by `fetch` and `watch`).
#[derive(clap::Args, Clone, Debug)]
pub struct HttpArgs {
    /// The least time between two requests to one host, in seconds
    /// (robots.txt may ask for more with Crawl-delay).
    #[arg(long, default_value_t = 1.0, value_name = "SECONDS")]
    pub delay: f64,
    /// Connect and read time-out, in seconds; a whole answer may take at
    /// most 4 times this.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub timeout: u64,
    /// The largest page or feed accepted, in bytes (after decompression).
    #[arg(long, default_value_t = 10_000_000, value_name = "BYTES")]
    pub max_bytes: u64,
    /// Redirects followed before giving up.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub max_redirects: u32,
    /// A URL (or e-mail address) where site owners can reach you, sent in
    /// the User-Agent: `vanban/VERSION (+CONTACT)`.
    #[arg(long, env = "VANBAN_CONTACT", value_name = "URL")]
    pub contact: Option<String>,
    /// Tests only: resolve host names from these HOST=IP pairs and never
    /// ask DNS (any other name fails as a DNS failure).
    #[arg(long, hide = true, value_name = "HOST=IP")]
    pub resolve_only: Vec<String>,
}

impl HttpArgs {
    /// The fetcher's configuration, or a usage error.
    pub fn config(&self) -> anyhow::Result<Config> {
        let Some(delay) = Duration::try_from_secs_f64(self.delay)
            .ok()
            .filter(|d| d.as_secs() <= 86_400)
        else {
            anyhow::bail!(
                "--delay {}: cần một số giây từ 0 đến 86400 (a number of seconds, 0 to 86400)",
                self.delay
            );
        };
        let mut resolve_only = Vec::new();
        for pair in &self.resolve_only {
            let parsed = pair
                .split_once('=')
                .and_then(|(h, ip)| Some((h.to_string(), ip.parse().ok()?)));
            match parsed {
                Some(p) => resolve_only.push(p),
                None => anyhow::bail!("--resolve-only {pair}: cần dạng TÊN_MÁY=IP (expected HOST=IP), ví dụ tinhuy.example=127.0.0.1"),
            }
        }
        Ok(Config {
            user_agent: vanban_fetch::user_agent(self.contact.as_deref()),
            delay,
            timeout: Duration::from_secs(self.timeout.clamp(1, 86_400)),
            total_timeout: Duration::from_secs(self.timeout.clamp(1, 86_400) * 4),
            max_bytes: self.max_bytes,
            max_redirects: self.max_redirects,
            robots: true,
            resolve_only: (!self.resolve_only.is_empty()).then_some(resolve_only),
        })
    }
}

/// The store and the progress line of `vanban fetch` / `vanban watch`.
pub(crate) struct Run {
    store: Store,
    index_dir: std::path::PathBuf,
    interactive: bool,
    pub(crate) bar: Bar,
}

/// This pass's progress line (made on its first URL, hidden off a
/// terminal); failures are printed above it.
pub(crate) struct Bar {
    interactive: bool,
    bar: Option<ProgressBar>,
}

impl Bar {
    fn get(&mut self) -> &ProgressBar {
        let interactive = self.interactive;
        self.bar.get_or_insert_with(|| {
            progress_spinner_with(
                interactive,
                "{spinner} tải {pos} địa chỉ [{elapsed_precise}] {msg}",
            )
        })
    }
}

impl Progress for Bar {
    fn url(&mut self, url: &str) {
        let bar = self.get();
        bar.inc(1);
        bar.set_message(url.to_string());
    }

    fn failure(&mut self, failure: &Failure) {
        self.get()
            .suspend(|| eprintln!("vanban: {}", failure.error));
    }
}

pub fn run(args: FetchArgs, store_args: &StoreArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let config = args.http.config()?;
    let interactive = !args.quiet && std::io::stderr().is_terminal();
    let mut run = Run::open(store_args, interactive)?;
    let mut session = Session::new(config);
    for url in &args.urls {
        let (store, bar) = run.parts();
        session.one(store, bar, url, None, false)?;
    }
    let summary = run.finish(session.take_summary(), started)?;
    print_summary(&summary, args.format, args.quiet);
    Ok(exit_code(&summary))
}

/// Prints the summary as `--format` says.
pub(crate) fn print_summary(summary: &Summary, format: SummaryFormat, quiet: bool) {
    match format {
        SummaryFormat::Json => match serde_json::to_string(summary) {
            Ok(json) => outln!("{json}"),
            Err(e) => eprintln!("vanban: error: {e}"),
        },
        SummaryFormat::Text if !quiet => out!("{}", text_summary(summary)),
        SummaryFormat::Text => {}
    }
}

/// 0 when nothing failed, else 1.
pub(crate) fn exit_code(summary: &Summary) -> ExitCode {
    if summary.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

impl Run {
    /// Opens the store.
    pub(crate) fn open(store_args: &StoreArgs, interactive: bool) -> anyhow::Result<Run> {
        let store = store_args.open_store()?;
        let index_dir = store_args.index_dir()?;
        Ok(Run {
            store,
            index_dir,
            interactive,
            bar: Bar {
                interactive,
                bar: None,
            },
        })
    }

    /// The store and the progress line, for a session's pass.
    pub(crate) fn parts(&mut self) -> (&mut Store, &mut Bar) {
        (&mut self.store, &mut self.bar)
    }

    /// Ends a pass: resolves the graph, updates the search index and
    /// completes the pass's summary with the knowledge base's counts.
    pub(crate) fn finish(
        &mut self,
        mut summary: Summary,
        started: Instant,
    ) -> anyhow::Result<Summary> {
        if let Some(bar) = self.bar.bar.take() {
            bar.finish_and_clear();
        }
        let graph = self.store.graph()?;
        let stats = graph.stats();
        update_index(&mut self.store, graph, &self.index_dir, self.interactive)?;
        let counts = self.store.counts()?;
        summary.sources = counts.sources;
        summary.documents = stats.documents as u64;
        summary.relations = stats.relations as u64;
        summary.events = stats.events as u64;
        summary.failed = summary.failures.len() as u64;
        summary.seconds = (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
        Ok(summary)
    }
}

fn text_summary(s: &Summary) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Đã xử lý {} địa chỉ ({} nguồn tin, {} yêu cầu HTTP) trong {:.1} s: {} trang mới (new), {} không đổi (unchanged), {} chưa thay đổi từ lần trước (304 not modified), {} lỗi (failed).",
        s.urls, s.feeds, s.requests, s.seconds, s.new, s.unchanged, s.not_modified, s.failures.len()
    );
    let _ = writeln!(
        out,
        "Cơ sở tri thức (knowledge base): {} nguồn (sources), {} văn bản (documents), {} quan hệ (relations), {} sự kiện (events).",
        s.sources, s.documents, s.relations, s.events
    );
    if !s.failures.is_empty() {
        let _ = writeln!(
            out,
            "Không tải được {} địa chỉ (xem thông báo ở trên / see the messages above); các trang khác đã được lưu.",
            s.failures.len()
        );
    }
    out
}
