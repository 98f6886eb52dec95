//! `vanban ingest` (nạp văn bản): walks the inputs, stores every new text
//! with what was extracted from it, then resolves the citation graph once and
//! brings the search index up to date.
//!
//! The pipeline, each stage on its own thread(s), every queue bounded:
//!
//! ```text
//! walker+reader ──(hash, known_hashes per chunk)──► extraction workers (all cores)
//!      │ unchanged / unreadable                          │ NewSource
//!      └──────────────────────────────► this thread: input order, batches ──► store writer
//! ```
//!
//! Memory is bounded by a few batches, never by the corpus. Every batch is
//! one transaction and every source lands whole or not at all, so a killed
//! ingest leaves a consistent store; the next run skips what is stored (by
//! content hash) and finishes the job, index included.

use crate::inputs::{not_text, walk_inputs, Input};
use crate::kb::{self, StoreArgs};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use vanban_store::indexing;
use vanban_store::{NewSource, Store};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SummaryFormat {
    /// A readable summary in Vietnamese.
    Text,
    /// One final JSON object (docs/knowledge-base-json.md).
    Json,
}

#[derive(clap::Args)]
pub struct IngestArgs {
    /// Files or directories to store (`-` for standard input). Directories
    /// are walked recursively for .txt, .html and .htm files, in name order.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// Summary format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: SummaryFormat,
    /// Extraction threads [default: the number of cores].
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// No progress bar and no text summary (failures are still reported on
    /// standard error; `--format json` still prints its object).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Sources per transaction (a batch also ends at 16 MB of text).
    #[arg(long, default_value_t = 500, value_name = "N", hide = true)]
    pub batch: usize,
}

/// A batch ends at this many bytes of input, whatever its length.
const BATCH_BYTES: u64 = 16 * 1024 * 1024;
/// Hashes looked up in the store at once.
const LOOKUP_CHUNK: usize = 64;
/// ... or this many bytes of input waiting for the lookup.
const LOOKUP_BYTES: u64 = 8 * 1024 * 1024;
/// Extracted texts per worker that may wait for an earlier, slower file.
const IN_FLIGHT_PER_WORKER: usize = 8;

/// One file that could not be stored (the contract's `failures` entries).
#[derive(Debug, Clone, Serialize)]
struct Failure {
    path: String,
    error: String,
}

/// The contract's final object (fields may only be added).
#[derive(Debug, Serialize)]
struct Summary {
    files: u64,
    new: u64,
    unchanged: u64,
    failed: u64,
    documents: u64,
    relations: u64,
    events: u64,
    officials: u64,
    failures: Vec<Failure>,
    /// Sources in the store after this run.
    sources: u64,
    /// Bytes read.
    bytes: u64,
    seconds: f64,
    /// Entries (sources, documents) added to the search index by this run.
    indexed_sources: u64,
    indexed_documents: u64,
    /// Wall time of each stage, in seconds.
    timings: Timings,
}

/// Wall time of each stage of a run, in seconds.
#[derive(Debug, Default, Serialize)]
struct Timings {
    /// Reading, hashing, extracting and storing.
    store: f64,
    /// Loading the facts and resolving the graph (one batch: reading the
    /// derived state's totals).
    graph: f64,
    /// Updating the search index.
    index: f64,
}

fn secs(from: Instant) -> f64 {
    (from.elapsed().as_secs_f64() * 1000.0).round() / 1000.0
}

/// What the reader stage tells the ordering stage.
enum Event {
    /// Already stored, or a copy of a file seen earlier in this run.
    Unchanged { bytes: u64 },
    /// Could not be read, or is not text.
    Failed { failure: Failure, bytes: u64 },
    /// The store could not answer: the run stops.
    Fatal(anyhow::Error),
}

/// What a worker returns for a job.
struct Extracted {
    seq: u64,
    bytes: u64,
    outcome: Result<Box<NewSource>, Failure>,
}

struct Job {
    seq: u64,
    display: String,
    /// `vanban_store::content_hash(&bytes)`, computed once by the reader.
    hash: String,
    bytes: Vec<u8>,
}

enum Msg {
    Reader(Event),
    Worker(Extracted),
}

pub fn run(args: IngestArgs, store_args: &StoreArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let batch_len = args.batch.max(1);
    let interactive = !args.quiet && std::io::stderr().is_terminal();

    // Two handles on the store: one answers "is this hash stored?" for the
    // reader, the other writes batches.
    let mut store = store_args.open_store()?;
    let lookup = store_args.open_store()?;
    let index_dir = store_args.index_dir()?;
    check_index(&mut store, &index_dir, interactive)?;

    let bar = progress_bar(interactive, bytes_style(), "0");
    if interactive {
        spawn_counter(args.paths.clone(), bar.clone());
    }

    let window = jobs * IN_FLIGHT_PER_WORKER;
    let (job_tx, job_rx) = mpsc::sync_channel::<Job>(jobs);
    let job_rx = Arc::new(Mutex::new(job_rx));
    let (msg_tx, msg_rx) = mpsc::sync_channel::<Msg>(window + LOOKUP_CHUNK + 16);
    let (permit_tx, permit_rx) = mpsc::sync_channel::<()>(window);
    for _ in 0..window {
        let _ = permit_tx.send(());
    }

    let reader = {
        let paths = args.paths.clone();
        let msg_tx = msg_tx.clone();
        std::thread::spawn(move || read_stage(&paths, lookup, &job_tx, &msg_tx, &permit_rx))
    };
    let mut workers = Vec::with_capacity(jobs);
    for _ in 0..jobs {
        let job_rx = Arc::clone(&job_rx);
        let msg_tx = msg_tx.clone();
        workers.push(std::thread::spawn(move || loop {
            let job = match job_rx.lock() {
                Ok(rx) => rx.recv(),
                Err(_) => return,
            };
            let Ok(job) = job else { return };
            let size = job.bytes.len() as u64;
            let outcome = extract_one(&job.display, &job.bytes, job.hash);
            drop(job.bytes);
            let done = Extracted {
                seq: job.seq,
                bytes: size,
                outcome,
            };
            if msg_tx.send(Msg::Worker(done)).is_err() {
                return;
            }
        }));
    }
    // Only the workers may hold the job queue's receiver: were this handle
    // kept, a reader blocked on a full queue would wait for ever once the
    // workers stop after a store error (a full disk hung ingest so).
    drop(job_rx);
    drop(msg_tx);

    // The store writer: one thread, one transaction per batch.
    let (batch_tx, batch_rx) = mpsc::sync_channel::<Vec<NewSource>>(1);
    let writer = std::thread::spawn(
        move || -> (Store, vanban_store::Result<vanban_store::Inserted>) {
            let mut store = store;
            let mut total = vanban_store::Inserted::default();
            let mut touched: Vec<String> = Vec::new();
            let mut kept = true;
            for (n, batch) in batch_rx.into_iter().enumerate() {
                // A bulk load (more than one batch): the derived graph is
                // rebuilt once at the end rather than re-resolved per batch.
                if n == 1 {
                    store.defer_derived();
                }
                match store.insert(&batch) {
                    Ok(done) => {
                        total.new += done.new;
                        total.unchanged += done.unchanged;
                        total.ids.extend(done.ids);
                        // Which number keys were re-derived, while every
                        // batch that stored kept the derived state.
                        if done.new > 0 {
                            match done.touched {
                                Some(keys) => touched.extend(keys),
                                None => kept = false,
                            }
                        }
                    }
                    Err(e) => return (store, Err(e)),
                }
            }
            if let Err(e) = store.finish_derived() {
                return (store, Err(e));
            }
            touched.sort();
            touched.dedup();
            total.touched = kept.then_some(touched);
            (store, Ok(total))
        },
    );

    let mut files = 0u64;
    let mut unchanged = 0u64;
    let mut bytes_read = 0u64;
    let mut failures: Vec<Failure> = Vec::new();
    let mut pending: BTreeMap<u64, Option<Box<NewSource>>> = BTreeMap::new();
    let mut next = 0u64;
    let mut batch: Vec<NewSource> = Vec::with_capacity(batch_len);
    let mut batch_bytes = 0u64;
    let mut fatal: Option<anyhow::Error> = None;
    let mut writer_gone = false;
    let report = |bar: &ProgressBar, f: &Failure| {
        bar.suspend(|| eprintln!("vanban: {}: {}", f.path, f.error));
    };

    for msg in msg_rx.iter() {
        match msg {
            Msg::Reader(Event::Unchanged { bytes }) => {
                files += 1;
                unchanged += 1;
                bytes_read += bytes;
                bar.inc(bytes);
            }
            Msg::Reader(Event::Failed { failure, bytes }) => {
                files += 1;
                bytes_read += bytes;
                bar.inc(bytes);
                report(&bar, &failure);
                failures.push(failure);
            }
            Msg::Reader(Event::Fatal(e)) => {
                fatal = Some(e);
                break;
            }
            Msg::Worker(done) => {
                files += 1;
                bytes_read += done.bytes;
                bar.inc(done.bytes);
                let source = match done.outcome {
                    Ok(source) => Some(source),
                    Err(failure) => {
                        report(&bar, &failure);
                        failures.push(failure);
                        None
                    }
                };
                pending.insert(done.seq, source);
                while let Some(source) = pending.remove(&next) {
                    next += 1;
                    let _ = permit_tx.try_send(());
                    if let Some(source) = source {
                        batch_bytes += source.bytes;
                        batch.push(*source);
                    }
                    if batch.len() >= batch_len || batch_bytes >= BATCH_BYTES {
                        batch_bytes = 0;
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(batch_len));
                        if batch_tx.send(full).is_err() {
                            writer_gone = true;
                            break;
                        }
                    }
                }
            }
        }
        if writer_gone {
            break;
        }
        bar.set_message(files.to_string());
    }
    // Stop the other stages if this loop ended early (their sends fail).
    drop(msg_rx);
    if fatal.is_none() && !writer_gone && !batch.is_empty() {
        let _ = batch_tx.send(std::mem::take(&mut batch));
    }
    drop(batch_tx);
    drop(permit_tx);
    let (mut store, written) = match writer.join() {
        Ok(result) => result,
        Err(_) => anyhow::bail!("tiến trình ghi kho dữ liệu dừng bất ngờ (the store writer stopped unexpectedly); hãy chạy lại lệnh: những gì đã ghi vẫn còn"),
    };
    if let Some(e) = fatal {
        bar.abandon();
        return Err(e);
    }
    let _ = reader.join();
    for worker in workers {
        let _ = worker.join();
    }
    let written = match written {
        Ok(written) => written,
        // A full disk or an unreachable database says itself what to do.
        Err(e) if e.is_disk_full() || e.is_unavailable() => {
            bar.abandon();
            return Err(e.into());
        }
        Err(e) => {
            bar.abandon();
            return Err(anyhow::Error::new(e).context(
                "lưu vào cơ sở dữ liệu thất bại (storing failed); the batches before it are kept: fix the cause and run the same command again to finish",
            ));
        }
    };
    bar.finish_and_clear();
    let mut timings = Timings {
        store: secs(started),
        ..Timings::default()
    };

    // One batch that kept the derived state: the counts are the derived
    // state's, and the index takes only what that batch touched. Else
    // (a bulk load, or an index behind the store): resolve once, then
    // bring the search index up to date.
    let graph_started = Instant::now();
    let counts = store.counts()?;
    let mut totals = None;
    let mut indexed = None;
    if let Some(keys) = &written.touched {
        let derived = store.backend().derived_counts()?;
        totals = Some((derived.documents, derived.relations, counts.events));
        timings.graph = secs(graph_started);
        let index_started = Instant::now();
        indexed = update_index_touched(
            &mut store,
            keys,
            &written.ids,
            counts.sources,
            &index_dir,
            interactive,
        )?;
        timings.index = secs(index_started);
    }
    let (totals, indexed) = match (totals, indexed) {
        (Some(totals), Some(indexed)) => (totals, indexed),
        _ => {
            let graph_started = Instant::now();
            let spinner = progress_spinner(interactive, "Đang dựng đồ thị trích dẫn (resolving)…");
            let graph = store.graph()?;
            let stats = graph.stats();
            spinner.finish_and_clear();
            timings.graph = secs(graph_started);
            let index_started = Instant::now();
            let indexed = update_index(&mut store, graph, &index_dir, interactive)?;
            timings.index = secs(index_started);
            (
                (
                    stats.documents as u64,
                    stats.relations as u64,
                    stats.events as u64,
                ),
                indexed,
            )
        }
    };
    let (documents, relations, events) = totals;

    let summary = Summary {
        files,
        new: written.new,
        unchanged: unchanged + written.unchanged,
        failed: failures.len() as u64,
        documents,
        relations,
        events,
        officials: counts.officials,
        failures,
        sources: counts.sources,
        bytes: bytes_read,
        seconds: secs(started),
        indexed_sources: indexed.sources,
        indexed_documents: indexed.documents,
        timings,
    };
    match args.format {
        SummaryFormat::Json => outln!("{}", serde_json::to_string(&summary)?),
        SummaryFormat::Text if !args.quiet => out!("{}", text_summary(&summary)),
        SummaryFormat::Text => {}
    }
    Ok(if summary.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Whether `e` (or what caused it) is a write refused for lack of room
/// (ENOSPC or EDQUOT), however deep the search library wrapped it.
fn disk_full(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(e);
    while let Some(e) = next {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::StorageFull
                || io.kind() == std::io::ErrorKind::QuotaExceeded
            {
                return true;
            }
        }
        // Some wrappers keep the I/O error only in their message.
        let text = e.to_string();
        if text.contains("(os error 28)") || text.contains("(os error 122)") {
            return true;
        }
        next = e.source();
    }
    false
}

/// Adds what is new to the search index; an index that cannot be opened
/// (damaged, another version) is rebuilt from the store beside it.
pub(crate) fn update_index(
    store: &mut Store,
    graph: vanban_store::graph::Graph,
    dir: &std::path::Path,
    interactive: bool,
) -> anyhow::Result<indexing::Indexed> {
    let bar = progress_bar(
        interactive,
        count_style(),
        "chỉ mục tìm kiếm (search index)",
    );
    let opened = match kb::open_index(dir) {
        Ok(Some(index)) => Some(index),
        Ok(None) => None,
        Err(e) => {
            drop(graph);
            bar.suspend(|| {
                eprintln!(
                    "vanban: {e:#}; đang dựng lại chỉ mục tìm kiếm từ kho dữ liệu (rebuilding the search index from the store)"
                )
            });
            return rebuild_index(store, dir, &bar);
        }
    };
    let index = match opened {
        Some(index) => index,
        None => vanban_search::SearchIndex::create(dir)?,
    };
    let done = indexing::update_owned(store, graph, &index, dir, &mut |n, total| {
        bar.set_length(total);
        bar.set_position(n);
    })
    .map_err(|e| index_error(&e, dir))?;
    bar.finish_and_clear();
    Ok(done)
}

/// Rebuilds the search index in `dir` from the store, beside the old one
/// (swapped in once complete).
fn rebuild_index(
    store: &mut Store,
    dir: &std::path::Path,
    bar: &ProgressBar,
) -> anyhow::Result<indexing::Indexed> {
    let fresh = kb::fresh_sibling(dir, "new")?;
    let index = vanban_search::SearchIndex::create(&fresh)?;
    let (done, state) = indexing::rebuild(store, &index, &mut |n| bar.set_position(n))
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    state.save(&fresh)?;
    drop(index);
    kb::swap_in(&fresh, dir)?;
    bar.finish_and_clear();
    Ok(done)
}

/// The search index checked before anything is stored, as `vanban serve`
/// checks it at start ([`indexing::check_held`]): one that holds another
/// number of entries than its state file says (it lost entries, or is an
/// older copy of itself) is rebuilt from the store now. One behind the
/// store (a run killed before its index update) is brought up to date at
/// the end of the run, with the new texts, and one that cannot be opened
/// (damaged, another version) is rebuilt then ([`update_index`]): its
/// error may be the store's too (a read-only disk), which the store names
/// better.
fn check_index(store: &mut Store, dir: &std::path::Path, interactive: bool) -> anyhow::Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    let Ok(Some(index)) = kb::open_index(dir) else {
        return Ok(());
    };
    let sources = store.counts()?.sources;
    let indexing::Standing::Inconsistent { expected, found } =
        indexing::check_held(&index, dir, sources)
    else {
        return Ok(());
    };
    drop(index);
    let bar = progress_bar(
        interactive,
        count_style(),
        "chỉ mục tìm kiếm (search index)",
    );
    bar.suspend(|| {
        eprintln!(
            "vanban: chỉ mục tìm kiếm không khớp với kho dữ liệu (the search index in {} holds {found} entries where its state file says {expected}: it lost entries or is an older copy); đang dựng lại từ kho dữ liệu (rebuilding it from the store)",
            dir.display()
        )
    });
    rebuild_index(store, dir, &bar).map(|_| ()).map_err(|e| {
        anyhow::anyhow!(
            "{e:#}; dựng lại chỉ mục tìm kiếm {} thất bại (rebuilding the search index failed) trước khi lưu gì: sửa nguyên nhân rồi chạy lại đúng lệnh, hoặc chạy `vanban reindex`",
            dir.display()
        )
    })
}

/// What a failed index update after a stored batch tells the user.
fn index_error(e: &vanban_store::Error, dir: &std::path::Path) -> anyhow::Error {
    if disk_full(e) {
        anyhow::anyhow!(
            "ổ đĩa đầy (disk full): không còn chỗ để ghi chỉ mục tìm kiếm trong {}; các văn bản đã được lưu: hãy giải phóng dung lượng trên ổ đó rồi chạy `vanban reindex`",
            dir.display()
        )
    } else {
        anyhow::anyhow!(
            "{e}; các văn bản đã được lưu nhưng chỉ mục tìm kiếm chưa cập nhật (the texts are stored, the search index is not up to date): chạy lại `vanban ingest` hoặc `vanban reindex`"
        )
    }
}

/// [`update_index`] for one batch that kept the derived state
/// ([`indexing::update_touched`]); `None` when the index must be brought up
/// to date whole (it is missing, cannot be opened, or is behind the store).
fn update_index_touched(
    store: &mut Store,
    keys: &[String],
    new: &[i64],
    sources: u64,
    dir: &std::path::Path,
    interactive: bool,
) -> anyhow::Result<Option<indexing::Indexed>> {
    let Ok(Some(index)) = kb::open_index(dir) else {
        return Ok(None);
    };
    let bar = progress_bar(
        interactive,
        count_style(),
        "chỉ mục tìm kiếm (search index)",
    );
    let done = indexing::update_touched(store, keys, new, sources, &index, dir, &mut |n, total| {
        bar.set_length(total);
        bar.set_position(n);
    })
    .map_err(|e| index_error(&e, dir))?;
    bar.finish_and_clear();
    Ok(done)
}

/// Prepares and extracts one text; a panic in the extractor (a bug) fails
/// this file only.
fn extract_one(display: &str, bytes: &[u8], hash: String) -> Result<Box<NewSource>, Failure> {
    std::panic::catch_unwind(|| NewSource::from_hashed_input(display, bytes, hash))
        .map(Box::new)
        .map_err(|_| Failure {
            path: display.to_owned(),
            error: "internal error while extracting (please report it with this file); the other files are stored".into(),
        })
}

/// Walks and reads the inputs, hashes them, asks the store which hashes it
/// already has (a chunk at a time), and sends the new ones to the workers.
fn read_stage(
    paths: &[String],
    mut lookup: Store,
    job_tx: &mpsc::SyncSender<Job>,
    msg_tx: &mpsc::SyncSender<Msg>,
    permits: &mpsc::Receiver<()>,
) {
    let mut seen: HashSet<String> = HashSet::new();
    let mut chunk: Vec<(String, String, Vec<u8>)> = Vec::new();
    let mut chunk_bytes = 0u64;
    let mut seq = 0u64;
    let mut alive = true;
    let send = |e: Event| msg_tx.send(Msg::Reader(e)).is_ok();

    let mut flush = |chunk: &mut Vec<(String, String, Vec<u8>)>, seq: &mut u64| -> bool {
        if chunk.is_empty() {
            return true;
        }
        let hashes: Vec<String> = chunk.iter().map(|(_, h, _)| h.clone()).collect();
        let known = match lookup.known_hashes(&hashes) {
            Ok(known) => known,
            Err(e) => {
                let _ = send(Event::Fatal(anyhow::Error::new(e)));
                return false;
            }
        };
        for (display, hash, bytes) in chunk.drain(..) {
            if known.contains(&hash) || !seen.insert(hash.clone()) {
                if !send(Event::Unchanged {
                    bytes: bytes.len() as u64,
                }) {
                    return false;
                }
                continue;
            }
            if permits.recv().is_err() {
                return false;
            }
            let job = Job {
                seq: *seq,
                display,
                hash,
                bytes,
            };
            *seq += 1;
            if job_tx.send(job).is_err() {
                return false;
            }
        }
        true
    };

    walk_inputs(paths, &mut |item| {
        // An input that cannot be listed or read is a failure named by
        // its message.
        let read = item.and_then(|input: Input| input.read().map(|bytes| (input, bytes)));
        let (input, bytes) = match read {
            Ok(read) => read,
            Err(message) => {
                let (path, error) = split_message(&message);
                alive = send(Event::Failed {
                    failure: Failure { path, error },
                    bytes: 0,
                });
                return alive;
            }
        };
        if let Some(reason) = not_text(&bytes) {
            alive = send(Event::Failed {
                failure: Failure {
                    path: input.display.clone(),
                    error: format!("not text: {reason}; vanban reads UTF-8 text and HTML"),
                },
                bytes: bytes.len() as u64,
            });
            return alive;
        }
        let hash = vanban_store::content_hash(&bytes);
        chunk_bytes += bytes.len() as u64;
        chunk.push((input.display, hash, bytes));
        if chunk.len() >= LOOKUP_CHUNK || chunk_bytes >= LOOKUP_BYTES {
            chunk_bytes = 0;
            alive = flush(&mut chunk, &mut seq);
        }
        alive
    });
    if alive {
        flush(&mut chunk, &mut seq);
    }
}

/// `path: what went wrong` (as `crate::inputs` words it) → (path, error).
fn split_message(message: &str) -> (String, String) {
    match message.split_once(": ") {
        Some((path, error)) => (path.trim_end_matches('/').to_owned(), error.to_owned()),
        None => (String::new(), message.to_owned()),
    }
}

fn progress_bar(interactive: bool, style: ProgressStyle, message: &'static str) -> ProgressBar {
    if !interactive {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(8))
        .with_style(style)
        .with_prefix("?")
        .with_message(message);
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

fn bytes_style() -> ProgressStyle {
    ProgressStyle::with_template(
        "{spinner} nạp {msg}/{prefix} tệp [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} còn {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
}

fn count_style() -> ProgressStyle {
    ProgressStyle::with_template(
        "{spinner} {msg} [{elapsed_precise}] {wide_bar} {pos}/{len} {per_sec} còn {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// A spinner with a counter on standard error (`template` in indicatif's
/// syntax), or a hidden one off a terminal.
pub(crate) fn progress_spinner_with(interactive: bool, template: &str) -> ProgressBar {
    if !interactive {
        return ProgressBar::hidden();
    }
    let style =
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner());
    let spinner = ProgressBar::new_spinner().with_style(style);
    spinner.set_draw_target(ProgressDrawTarget::stderr_with_hz(8));
    spinner.enable_steady_tick(Duration::from_millis(120));
    spinner
}

fn progress_spinner(interactive: bool, message: &'static str) -> ProgressBar {
    if !interactive {
        return ProgressBar::hidden();
    }
    let spinner = ProgressBar::new_spinner().with_message(message);
    spinner.set_draw_target(ProgressDrawTarget::stderr());
    spinner.enable_steady_tick(Duration::from_millis(120));
    spinner
}

/// Sums the sizes of the inputs in the background, so that the bar can show
/// an ETA (the walk is cheap next to reading and extracting).
fn spawn_counter(paths: Vec<String>, bar: ProgressBar) {
    std::thread::spawn(move || {
        let mut total = 0u64;
        let mut files = 0u64;
        walk_inputs(&paths, &mut |item| {
            if let Ok(input) = item {
                if input.display != "-" {
                    total += std::fs::metadata(&input.display).map_or(0, |m| m.len());
                    files += 1;
                }
            }
            true
        });
        bar.set_length(total);
        bar.set_prefix(files.to_string());
    });
}

fn text_summary(s: &Summary) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let mb = s.bytes as f64 / 1_000_000.0;
    let _ = writeln!(
        out,
        "Đã xử lý {} tệp ({:.1} MB) trong {:.1} s: {} mới (new), {} không đổi (unchanged), {} lỗi (failed).",
        s.files, mb, s.seconds, s.new, s.unchanged, s.failed
    );
    let _ = writeln!(
        out,
        "Cơ sở tri thức (knowledge base): {} nguồn (sources), {} văn bản (documents), {} quan hệ (relations), {} sự kiện (events), {} cán bộ (officials).",
        s.sources, s.documents, s.relations, s.events, s.officials
    );
    if s.failed > 0 {
        let _ = writeln!(
            out,
            "Không nạp được {} tệp (xem thông báo ở trên / see the messages above); các tệp khác đã được lưu.",
            s.failed
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_split_into_path_and_error() {
        assert_eq!(
            split_message("a/b.txt: cannot read (x): no such file; check the path"),
            (
                "a/b.txt".to_owned(),
                "cannot read (x): no such file; check the path".to_owned()
            )
        );
        assert_eq!(
            split_message("dir/: cannot list the directory"),
            ("dir".to_owned(), "cannot list the directory".to_owned())
        );
    }
}
