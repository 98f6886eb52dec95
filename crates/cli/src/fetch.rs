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
use crate::inputs::not_text;
use crate::kb::StoreArgs;
use indicatif::ProgressBar;
use serde::Serialize;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime};
use vanban_fetch::{
    body_kind, canonical_link, parse_feed, to_utf8, BodyKind, Config, FetchError, Fetched, Fetcher,
    Outcome, Validators,
};
use vanban_store::{FetchRecord, NewSource, Store};

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
                None => anyhow::bail!("--resolve-only {pair}: expected HOST=IP"),
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

/// One URL that could not be fetched or stored.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Failure {
    url: String,
    /// What went wrong and what to do (the message printed on stderr).
    error: String,
    /// The cause in one word (`dns`, `refused`, `tls`, `status`, …).
    kind: &'static str,
    /// The server's `Retry-After`, when it sent one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) retry_after: Option<String>,
}

/// The final object of `--format json` (fields may only be added).
#[derive(Debug, Default, Serialize)]
pub(crate) struct Summary {
    /// URLs processed: those given and their feeds' items.
    urls: u64,
    /// Pages stored by this run.
    new: u64,
    /// Pages whose content was already stored, and feed items fetched by
    /// an earlier run (not fetched again).
    unchanged: u64,
    /// URLs the server answered 304 Not Modified (conditional GET).
    not_modified: u64,
    /// Feeds read.
    feeds: u64,
    /// `vanban watch --once`: sources not due yet (fetched less than their
    /// interval ago), not fetched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) not_due: Option<u64>,
    failed: u64,
    failures: Vec<Failure>,
    /// HTTP requests sent (robots.txt and redirects included).
    requests: u64,
    /// Sources in the store after this run.
    sources: u64,
    documents: u64,
    relations: u64,
    events: u64,
    seconds: f64,
}

/// A fetching session: the store, the polite client, this pass's counts.
pub(crate) struct Run {
    store: Store,
    index_dir: std::path::PathBuf,
    interactive: bool,
    fetcher: Fetcher,
    summary: Summary,
    requests_before: u64,
    /// This pass's progress line (made on its first URL).
    bar: Option<ProgressBar>,
}

pub fn run(args: FetchArgs, store_args: &StoreArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let config = args.http.config()?;
    let interactive = !args.quiet && std::io::stderr().is_terminal();
    let mut run = Run::open(store_args, config, interactive)?;
    for url in &args.urls {
        run.one(url, None, false)?;
    }
    let summary = run.finish(started)?;
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
    /// Opens the store and the fetcher.
    pub(crate) fn open(
        store_args: &StoreArgs,
        config: Config,
        interactive: bool,
    ) -> anyhow::Result<Run> {
        let store = store_args.open_store()?;
        let index_dir = store_args.index_dir()?;
        Ok(Run {
            store,
            index_dir,
            interactive,
            fetcher: Fetcher::new(config),
            summary: Summary::default(),
            requests_before: 0,
            bar: None,
        })
    }

    /// This pass's progress line, made when first needed (hidden off a
    /// terminal).
    fn bar(&mut self) -> &ProgressBar {
        let interactive = self.interactive;
        self.bar.get_or_insert_with(|| {
            progress_spinner_with(
                interactive,
                "{spinner} tải {pos} địa chỉ [{elapsed_precise}] {msg}",
            )
        })
    }

    /// The store, for what the caller reads itself.
    pub(crate) fn store(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Failures so far in this pass.
    pub(crate) fn failures(&self) -> &[Failure] {
        &self.summary.failures
    }

    /// Ends a pass: resolves the graph, updates the search index and
    /// returns the pass's summary (the next pass counts from zero).
    pub(crate) fn finish(&mut self, started: Instant) -> anyhow::Result<Summary> {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        let mut summary = std::mem::take(&mut self.summary);
        summary.requests = self.fetcher.requests() - self.requests_before;
        self.requests_before = self.fetcher.requests();
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

    fn fail(&mut self, e: FetchError) {
        let failure = Failure {
            url: e.url().to_string(),
            error: e.to_string(),
            kind: e.kind(),
            retry_after: match &e {
                FetchError::Status { retry_after, .. } => retry_after.clone(),
                _ => None,
            },
        };
        self.bar()
            .suspend(|| eprintln!("vanban: {}", failure.error));
        self.summary.failures.push(failure);
    }

    /// Fetches one URL (a page; a feed when `item` is false) and stores
    /// what it gives. Only a store error ends the run.
    pub(crate) fn one(
        &mut self,
        url: &str,
        item_date: Option<chrono::NaiveDate>,
        item: bool,
    ) -> anyhow::Result<()> {
        self.summary.urls += 1;
        let bar = self.bar();
        bar.inc(1);
        bar.set_message(url.to_string());
        let record = self.store.backend().fetch_record(url)?;
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
                    self.store.backend().put_fetch_record(&r)?;
                }
                return Ok(());
            }
            Err(e) => {
                self.fail(e);
                return Ok(());
            }
        };
        match body_kind(fetched.content_type.as_deref(), &fetched.body) {
            BodyKind::Feed if !item => self.feed(fetched),
            kind @ (BodyKind::Html | BodyKind::Text) => {
                self.page(fetched, kind == BodyKind::Html, item_date)
            }
            _ => {
                self.fail(FetchError::NotText {
                    url: fetched.url.clone(),
                    content_type: fetched
                        .content_type
                        .clone()
                        .unwrap_or_else(|| "no Content-Type".into()),
                });
                Ok(())
            }
        }
    }

    fn feed(&mut self, fetched: Fetched) -> anyhow::Result<()> {
        let items = match parse_feed(&fetched.url, &fetched.body) {
            Ok(items) => items,
            Err(e) => {
                self.fail(e);
                return Ok(());
            }
        };
        self.summary.feeds += 1;
        let failed_before = self.summary.failures.len();
        for feed_item in items {
            if self.store.backend().fetch_record(&feed_item.url)?.is_some() {
                self.summary.urls += 1;
                self.summary.unchanged += 1;
                continue;
            }
            self.one(&feed_item.url, feed_item.published, true)?;
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
        self.store.backend().put_fetch_record(&record)?;
        Ok(())
    }

    fn page(
        &mut self,
        fetched: Fetched,
        html: bool,
        item_date: Option<chrono::NaiveDate>,
    ) -> anyhow::Result<()> {
        let bytes = match to_utf8(
            &fetched.url,
            &fetched.body,
            fetched.content_type.as_deref(),
            html,
        ) {
            Ok(b) => b.into_owned(),
            Err(e) => {
                self.fail(e);
                return Ok(());
            }
        };
        if let Some(reason) = not_text(&bytes) {
            self.fail(FetchError::NotText {
                url: fetched.url.clone(),
                content_type: format!(
                    "{}: {reason}",
                    fetched.content_type.as_deref().unwrap_or("no Content-Type")
                ),
            });
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
        if self
            .store
            .known_hashes(std::slice::from_ref(&hash))?
            .contains(&hash)
        {
            self.summary.unchanged += 1;
        } else {
            let new = std::panic::catch_unwind(|| {
                NewSource::from_fetched(&source, &bytes, html, item_date)
            });
            let Ok(new) = new else {
                self.bar().suspend(|| {
                    eprintln!(
                        "vanban: {}: internal error while extracting (please report it with this page); the other pages are stored",
                        fetched.url
                    )
                });
                self.summary.failures.push(Failure {
                    url: fetched.url.clone(),
                    error: "internal error while extracting".into(),
                    kind: "internal",
                    retry_after: None,
                });
                return Ok(());
            };
            published = new.extraction.published;
            let inserted = self.store.insert(std::slice::from_ref(&new))?;
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
        self.store.backend().put_fetch_record(&record)?;
        Ok(())
    }
}

/// RFC 3339, UTC, whole seconds (as the store keeps times).
fn rfc3339(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
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
