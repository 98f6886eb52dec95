//! `vanban extract`: walks the inputs, extracts in parallel on all cores, and
//! prints one result per file in input order.
//!
//! Memory stays bounded by the largest single input: files are read one per
//! worker, and at most [`IN_FLIGHT_PER_WORKER`] × workers results wait to be
//! printed. With one worker (one core, or `--jobs 1`) everything runs on the
//! main thread, one file after the other: no threads, channels or reordering,
//! whose hand-offs on a single core cost more than the JSON output.

use crate::inputs::{walk_inputs, Input, ReadBuf};
use crate::render;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use vanban_extract::{extract, prepare, prepare_str, Format};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// JSON Lines, exactly as docs/extract-json.md describes.
    Json,
    /// A readable summary per file, in Vietnamese.
    Text,
}

#[derive(clap::Args)]
pub struct ExtractArgs {
    /// Files or directories to read (`-` for standard input). Directories are
    /// walked recursively for .txt, .html and .htm files, in name order.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: OutputFormat,
    /// Worker threads [default: the number of cores].
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
}

/// How many finished results per worker may wait for an earlier, slower file
/// before the workers pause.
const IN_FLIGHT_PER_WORKER: usize = 4;

/// One input's outcome: the rendered output, or a message for standard error.
type Outcome = Result<Vec<u8>, String>;

pub fn run(args: ExtractArgs) -> anyhow::Result<ExitCode> {
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let format = args.format;
    if jobs == 1 {
        return run_sequential(&args.paths, format);
    }
    let window = jobs * IN_FLIGHT_PER_WORKER;

    // Walker → bounded job queue → workers → result channel → this thread,
    // which reorders and prints. `permits` bounds how far workers may run
    // ahead of the printer.
    let (job_tx, job_rx) = mpsc::sync_channel::<(usize, Input)>(jobs);
    let job_rx = Arc::new(Mutex::new(job_rx));
    let (result_tx, result_rx) = mpsc::channel::<(usize, Outcome)>();
    let (permit_tx, permit_rx) = mpsc::sync_channel::<()>(window);
    for _ in 0..window {
        let _ = permit_tx.send(());
    }

    let paths = args.paths.clone();
    let walk_errors = result_tx.clone();
    let walker = std::thread::spawn(move || {
        let mut index = 0usize;
        walk_inputs(&paths, &mut |item| {
            if permit_rx.recv().is_err() {
                return false;
            }
            let sent = match item {
                Ok(input) => job_tx.send((index, input)).is_ok(),
                Err(message) => walk_errors.send((index, Err(message))).is_ok(),
            };
            index += 1;
            sent
        });
    });

    let mut workers = Vec::with_capacity(jobs);
    for _ in 0..jobs {
        let job_rx = Arc::clone(&job_rx);
        let result_tx = result_tx.clone();
        workers.push(std::thread::spawn(move || {
            let mut buf = ReadBuf::default();
            loop {
                let job = match job_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok((index, input)) = job else { return };
                let mut rendered = Vec::new();
                let outcome = process(&input, format, &mut buf, &mut rendered).map(|()| rendered);
                if result_tx.send((index, outcome)).is_err() {
                    return;
                }
            }
        }));
    }
    drop(result_tx);

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut pending: BTreeMap<usize, Outcome> = BTreeMap::new();
    let mut next = 0usize;
    let mut failures = 0usize;
    let mut broken_pipe = false;
    for (index, outcome) in result_rx.iter() {
        pending.insert(index, outcome);
        while let Some(outcome) = pending.remove(&next) {
            next += 1;
            let _ = permit_tx.try_send(());
            match outcome {
                Ok(line) if !broken_pipe => {
                    if let Err(e) = out.write_all(&line) {
                        if e.kind() == io::ErrorKind::BrokenPipe {
                            broken_pipe = true;
                        } else {
                            return Err(anyhow::anyhow!("cannot write the output: {e}"));
                        }
                    }
                }
                Ok(_) => {}
                Err(message) => {
                    failures += 1;
                    let _ = out.flush();
                    eprintln!("vanban: {message}");
                }
            }
        }
        if broken_pipe {
            break;
        }
    }
    let _ = out.flush();
    drop(permit_tx);
    drop(out);
    if !broken_pipe {
        let _ = walker.join();
        for worker in workers {
            let _ = worker.join();
        }
    }
    if failures > 0 {
        eprintln!("vanban: {failures} input(s) could not be processed (see the messages above); the others were.");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// One worker on the main thread: walk, read, extract and print each input
/// in turn, with one reused read buffer and one reused output line. Same
/// output, messages and exit status as the parallel path.
fn run_sequential(paths: &[String], format: OutputFormat) -> anyhow::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let mut buf = ReadBuf::default();
    let mut line = Vec::new();
    let mut failures = 0usize;
    let mut write_error = None;
    walk_inputs(paths, &mut |item| {
        line.clear();
        match item.and_then(|input| process(&input, format, &mut buf, &mut line)) {
            Ok(()) => {
                if let Err(e) = out.write_all(&line) {
                    if e.kind() != io::ErrorKind::BrokenPipe {
                        write_error = Some(e);
                    }
                    return false;
                }
            }
            Err(message) => {
                failures += 1;
                let _ = out.flush();
                eprintln!("vanban: {message}");
            }
        }
        true
    });
    if let Some(e) = write_error {
        return Err(anyhow::anyhow!("cannot write the output: {e}"));
    }
    let _ = out.flush();
    drop(out);
    if failures > 0 {
        eprintln!("vanban: {failures} input(s) could not be processed (see the messages above); the others were.");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads, prepares, extracts and renders one input, appending the rendered
/// output to `rendered`; `buf` is the worker's reused read buffer.
fn process(
    input: &Input,
    format: OutputFormat,
    buf: &mut ReadBuf,
    rendered: &mut Vec<u8>,
) -> Result<(), String> {
    let bytes = input.read_into(buf)?;
    let format_in = Format::from_path(&input.display);
    // One UTF-8 validation for both the text check and the preparation.
    let prepared = match crate::inputs::check_text(bytes) {
        Ok(Some(text)) => prepare_str(text, format_in),
        Ok(None) => prepare(bytes, format_in),
        Err(reason) => {
            return Err(format!(
                "{}: not a text file ({reason}); vanban reads UTF-8 text and HTML",
                input.display
            ))
        }
    };
    let result = extract(&input.display, &prepared);
    match format {
        OutputFormat::Json => {
            serde_json::to_writer(&mut *rendered, &result)
                .map_err(|e| format!("{}: cannot write the result as JSON: {e}", input.display))?;
            rendered.push(b'\n');
        }
        OutputFormat::Text => {
            rendered.extend_from_slice(render::text_summary(&result, prepared.text()).as_bytes())
        }
    }
    Ok(())
}
