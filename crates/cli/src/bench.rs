//! `vanban bench extract`: end-to-end throughput of the extraction pipeline
//! over real files, excluding process start-up and disk reads, with baselines
//! measured in the same run (UTF-8 validation and a `memchr` scan of the same
//! bytes), so that the figures mean something on a shared machine.

use crate::inputs::walk_inputs;
use std::time::{Duration, Instant};
use vanban_extract::{extract, prepare, Format};

/// A named input file held in memory.
type File = (String, Vec<u8>);
/// One measured stage: work over a share of the files, returning a count.
type Stage = dyn Fn(&[File]) -> usize + Sync;

#[derive(clap::Subcommand)]
pub enum BenchCommand {
    /// Measure `prepare` + `extract` over files, on one core or several.
    ///
    /// Reads every file into memory first, then runs the whole pipeline over
    /// all of them `--repeat` times on `--jobs` threads and prints MB/s and
    /// files/s, beside same-run baselines.
    Extract(BenchExtractArgs),
}

#[derive(clap::Args)]
pub struct BenchExtractArgs {
    /// Files or directories (recursively: .txt, .html, .htm).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// Passes over all files; the best pass is reported.
    #[arg(long, default_value_t = 5)]
    pub repeat: usize,
    /// Threads (1 = one core).
    #[arg(long, short = 'j', default_value_t = 1)]
    pub jobs: usize,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub fn run(cmd: BenchCommand) -> anyhow::Result<std::process::ExitCode> {
    let BenchCommand::Extract(args) = cmd;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut errors = 0usize;
    walk_inputs(&args.paths, &mut |item| {
        match item.and_then(|input| input.read().map(|b| (input.display, b))) {
            Ok(file) => files.push(file),
            Err(message) => {
                eprintln!("vanban: {message}");
                errors += 1;
            }
        }
        true
    });
    anyhow::ensure!(
        !files.is_empty(),
        "no readable .txt/.html files under the given paths"
    );
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let jobs = args.jobs.max(1);
    let repeat = args.repeat.max(1);

    let best = |f: &Stage| -> (Duration, usize) {
        let mut best = Duration::MAX;
        let mut found = 0;
        for _ in 0..repeat {
            let start = Instant::now();
            found = parallel(&files, jobs, f);
            best = best.min(start.elapsed());
        }
        (best, found)
    };
    let (t_utf8, _) = best(&|chunk| {
        chunk
            .iter()
            .filter(|(_, b)| std::str::from_utf8(b).is_ok())
            .count()
    });
    let (t_memchr, _) = best(&|chunk| chunk.iter().map(|(_, b)| memchr_count(b)).sum());
    let (t_prepare, _) = best(&|chunk| {
        chunk
            .iter()
            .map(|(n, b)| prepare(b, Format::from_path(n)).text().len())
            .sum()
    });
    let (t_full, documents) = best(&|chunk| {
        chunk
            .iter()
            .map(|(n, b)| {
                extract(n, &prepare(b, Format::from_path(n)))
                    .documents
                    .len()
            })
            .sum()
    });
    let mbps = |t: Duration| bytes as f64 / 1e6 / t.as_secs_f64();
    let fps = |t: Duration| files.len() as f64 / t.as_secs_f64();
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "files": files.len(), "bytes": bytes, "jobs": jobs, "repeat": repeat,
                "documents_found": documents,
                "pipeline_mb_s": mbps(t_full), "pipeline_files_s": fps(t_full),
                "prepare_mb_s": mbps(t_prepare),
                "baseline_utf8_mb_s": mbps(t_utf8), "baseline_memchr_mb_s": mbps(t_memchr),
            })
        );
    } else {
        println!(
            "{} files, {:.1} MB, {jobs} thread(s), best of {repeat} passes",
            files.len(),
            bytes as f64 / 1e6
        );
        println!("{:<34} {:>10} {:>12}", "stage", "MB/s", "files/s");
        for (name, t) in [
            ("baseline: UTF-8 validation", t_utf8),
            ("baseline: memchr scan for '/'", t_memchr),
            ("prepare (text preparation)", t_prepare),
            ("prepare + extract (pipeline)", t_full),
        ] {
            println!("{name:<34} {:>10.1} {:>12.0}", mbps(t), fps(t));
        }
        println!("documents found: {documents}");
        println!(
            "pipeline / UTF-8 validation time ratio: {:.2}",
            t_full.as_secs_f64() / t_utf8.as_secs_f64()
        );
    }
    Ok(if errors > 0 {
        std::process::ExitCode::from(1)
    } else {
        std::process::ExitCode::SUCCESS
    })
}

fn memchr_count(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'/', bytes).count()
}

/// Runs `f` over `jobs` interleaved shares of `files` and sums the results.
fn parallel(files: &[(String, Vec<u8>)], jobs: usize, f: &Stage) -> usize {
    if jobs == 1 {
        return f(files);
    }
    let chunk = files.len().div_ceil(jobs);
    std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk.max(1))
            .map(|part| s.spawn(move || f(part)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    })
}
