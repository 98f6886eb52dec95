//! Indexing throughput, in-process: reads `.txt` files (by default
//! `../shared/corpus`), repeats them until `MB` megabytes, and reports
//!
//! - the analyser alone (exact + folded tokens of every text: the same-run
//!   baseline), then
//! - `SearchWriter::add_source` of every text and `finish`, into a fresh
//!   index in a temporary directory,
//!
//! both in MB/s of text, wall and CPU time of the process.
//!
//! ```text
//! cargo run --release -p vanban-search --example index_throughput -- [MB] [corpus dir]
//! ```

use std::path::{Path, PathBuf};
use std::time::Instant;
use tantivy::tokenizer::{TokenStream, Tokenizer};
use vanban_search::analyzer::{Mode, ViTokenizer};
use vanban_search::{SearchIndex, SourceEntry};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "txt") {
            out.push(p);
        }
    }
}

/// CPU seconds (user + system) used by this process so far.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses).
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
        return 0.0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 here.
    (ticks(11) + ticks(12)) / 100.0
}

fn report(what: &str, mb: f64, wall: f64, cpu: f64) {
    println!(
        "{what:<28} {mb:>8.1} MB  wall {wall:>7.2} s  {:>7.2} MB/s   cpu {cpu:>7.2} s  {:>7.2} MB/cpu-s",
        mb / wall,
        mb / cpu.max(1e-9)
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let want_mb: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(50.0);
    let dir = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    let mut paths = Vec::new();
    files(&dir, &mut paths);
    let corpus: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    if corpus.is_empty() {
        eprintln!("no .txt files under {}", dir.display());
        std::process::exit(2);
    }
    let mut texts: Vec<String> = Vec::new();
    let mut bytes = 0usize;
    'fill: loop {
        for (i, t) in corpus.iter().enumerate() {
            if bytes as f64 >= want_mb * 1e6 {
                break 'fill;
            }
            let copy = format!("{t}\nBản sao số {} {i}\n", texts.len());
            bytes += copy.len();
            texts.push(copy);
        }
    }
    let mb = bytes as f64 / 1e6;
    println!("{} texts, {mb:.1} MB", texts.len());

    // The analyser alone.
    let (t0, c0) = (Instant::now(), cpu_seconds());
    let mut n = 0usize;
    for mode in [Mode::Exact, Mode::Folded] {
        let mut tok = ViTokenizer(mode);
        for t in &texts {
            let mut s = tok.token_stream(t);
            while s.advance() {
                n += s.token().text.len();
            }
        }
    }
    report(
        "analyser (exact + folded)",
        mb,
        t0.elapsed().as_secs_f64(),
        cpu_seconds() - c0,
    );
    std::hint::black_box(n);

    // The writer.
    let tmp = std::env::temp_dir().join(format!("vanban-index-throughput-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let idx = match SearchIndex::create(&tmp) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let (t0, c0) = (Instant::now(), cpu_seconds());
    let run = || -> vanban_search::Result<()> {
        let mut w = idx.writer()?;
        if std::env::var_os("MERGE_DURING_LOAD").is_none() {
            w.defer_merges();
        }
        for (i, text) in texts.into_iter().enumerate() {
            w.add_source(SourceEntry {
                source: format!("bench/{i}.txt"),
                published: None,
                title: format!("Văn bản {i}"),
                text,
                kinds: vec!["NQ".into()],
                issuers: vec!["Ban Chấp hành Trung ương".into()],
                years: vec![2018],
                provinces: vec![],
                document_ids: vec!["26-NQ/TW@2018-05-19".into()],
            })?;
        }
        let added = (Instant::now(), cpu_seconds());
        report(
            "  add_source (before finish)",
            mb,
            added.0.duration_since(t0).as_secs_f64(),
            added.1 - c0,
        );
        w.commit()?;
        report(
            "  + commit",
            mb,
            t0.elapsed().as_secs_f64(),
            cpu_seconds() - c0,
        );
        w.finish()
    };
    if let Err(e) = run() {
        eprintln!("{e}");
    }
    report(
        "add_source + finish",
        mb,
        t0.elapsed().as_secs_f64(),
        cpu_seconds() - c0,
    );
    let size: u64 = std::fs::read_dir(&tmp)
        .map(|rd| {
            rd.filter_map(|e| e.ok()?.metadata().ok().map(|m| m.len()))
                .sum()
        })
        .unwrap_or(0);
    println!(
        "index size {:.1} MB, {} entries",
        size as f64 / 1e6,
        idx.len()
    );
    let _ = std::fs::remove_dir_all(&tmp);
}
