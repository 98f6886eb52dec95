//! `vanban watch SOURCES.toml` (theo dõi nguồn tin): fetches a list of
//! feeds and pages, each at its own interval, as `vanban fetch` does (same
//! politeness, same store), for ever or, with `--once`, one pass over the
//! sources that are due; `--status` shows the watched sources and their
//! state from the store.
//!
//! The watch session itself (schedule, passes, back-off kept in the store)
//! is `vanban_watch::Watcher`, shared with `vanban serve --watch`; this
//! module adds the progress line, the graph and index update after each
//! pass, and the summaries.

use crate::fetch::{exit_code, print_summary, HttpArgs, Run};
use crate::ingest::SummaryFormat;
use crate::kb::{self, StoreArgs};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use vanban_store::watched::ORIGIN_API;
use vanban_store::WatchedSource;
use vanban_watch::{interval_text, parse_rfc3339, read_sources, unix_now, Watcher};

#[derive(clap::Args)]
pub struct WatchArgs {
    /// The list of feeds and pages: `[[source]]` tables with `url` and
    /// `every` (`90s`, `15m`, `2h`, `1d`; default: the file's top-level
    /// `every`, else 1h). See docs/fetch.md. Sources added through the API
    /// (`POST /api/v1/watch`) are watched too.
    #[arg(value_name = "SOURCES.toml", required_unless_present = "status")]
    pub sources: Option<PathBuf>,
    /// One pass over the sources that are due, then exit (for cron).
    #[arg(long)]
    pub once: bool,
    /// Show the watched sources and their state (last fetch, next due
    /// time, failures, back-off, last error) from the store, then exit.
    #[arg(long, conflicts_with = "once")]
    pub status: bool,
    /// Summary format (one summary per pass; with --status, the sources).
    #[arg(long, value_enum, default_value = "text")]
    pub format: SummaryFormat,
    /// No progress line and no text summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    #[command(flatten)]
    pub http: HttpArgs,
}

/// The longest sleep between two looks at the schedule, in seconds.
const MAX_SLEEP: f64 = 60.0;

pub fn run(args: WatchArgs, store_args: &StoreArgs) -> anyhow::Result<ExitCode> {
    if args.status {
        return status(&args, store_args);
    }
    let Some(path) = args.sources.as_deref() else {
        anyhow::bail!("vanban watch: cần tệp SOURCES.toml (a SOURCES.toml is needed)");
    };
    let sources = read_sources(path)?;
    let config = args.http.config()?;
    let interactive = !args.quiet && std::io::stderr().is_terminal();
    let mut run = Run::open(store_args, interactive)?;
    let mut watcher = Watcher::new(config, sources);
    loop {
        let started = Instant::now();
        let (store, bar) = run.parts();
        let pass = watcher.pass(store, bar)?;
        if args.once {
            let mut summary = run.finish(pass.summary, started)?;
            summary.not_due = Some((pass.watched - pass.due) as u64);
            print_summary(&summary, args.format, args.quiet);
            return Ok(exit_code(&summary));
        }
        if pass.due > 0 {
            let summary = run.finish(pass.summary, started)?;
            print_summary(&summary, args.format, args.quiet);
        }
        std::thread::sleep(watcher.wait(MAX_SLEEP));
    }
}

/// `--status`: the watched sources from the store.
fn status(args: &WatchArgs, store_args: &StoreArgs) -> anyhow::Result<ExitCode> {
    let Some(mut store) = store_args.open_existing_store()? else {
        anyhow::bail!(kb::no_store_message(store_args));
    };
    let rows = store.backend().watched_sources()?;
    match args.format {
        SummaryFormat::Json => {
            let list: Vec<serde_json::Value> = rows.iter().map(status_json).collect();
            outln!("{}", serde_json::Value::Array(list));
        }
        SummaryFormat::Text => out!("{}", status_text(&rows, unix_now())),
    }
    Ok(ExitCode::SUCCESS)
}

/// The back-off in seconds of a source that failed (`None` when its last
/// fetch succeeded).
fn backoff_seconds(row: &WatchedSource) -> Option<i64> {
    (row.failures > 0).then(|| {
        let failures = u32::try_from(row.failures).unwrap_or(u32::MAX);
        vanban_watch::backoff(row.every_seconds.max(1) as f64, failures).round() as i64
    })
}

fn status_json(row: &WatchedSource) -> serde_json::Value {
    serde_json::json!({
        "url": row.url,
        "every": interval_text(row.every_seconds),
        "every_seconds": row.every_seconds,
        "origin": row.origin,
        "added_at": row.added_at,
        "last_fetch": row.last_fetch,
        "next_due": row.next_due,
        "failures": row.failures,
        "backoff_seconds": backoff_seconds(row),
        "last_error": row.last_error,
    })
}

fn status_text(rows: &[WatchedSource], now: f64) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    if rows.is_empty() {
        let _ = writeln!(
            out,
            "Chưa theo dõi nguồn nào (no watched sources): chạy `vanban watch SOURCES.toml` hoặc thêm qua POST /api/v1/watch."
        );
        return out;
    }
    let _ = writeln!(out, "Nguồn đang theo dõi (watched sources): {}", rows.len());
    for row in rows {
        let _ = writeln!(out, "\n{}", row.url);
        let origin = if row.origin == ORIGIN_API {
            "thêm qua API (added through the API)"
        } else {
            "tệp SOURCES.toml (file)"
        };
        let _ = writeln!(out, "  Nguồn gốc (origin):          {origin}");
        let _ = writeln!(
            out,
            "  Chu kỳ (every):              {}",
            interval_text(row.every_seconds)
        );
        let _ = writeln!(
            out,
            "  Lần tải gần nhất (last):     {}",
            row.last_fetch.as_deref().unwrap_or("chưa tải (never)")
        );
        let next = match row.next_due.as_deref() {
            None => "ngay khi chạy (at the next pass)".to_string(),
            Some(t) if parse_rfc3339(t).is_some_and(|n| n <= now) => {
                format!("{t} (đã đến hạn / due)")
            }
            Some(t) => t.to_string(),
        };
        let _ = writeln!(out, "  Lần tải tới (next due):      {next}");
        match backoff_seconds(row) {
            None => {
                let _ = writeln!(out, "  Trạng thái (state):          bình thường (ok)");
            }
            Some(b) => {
                let _ = writeln!(
                    out,
                    "  Trạng thái (state):          lỗi {} lần liên tiếp (failures in a row), chờ lùi (back-off) {}",
                    row.failures,
                    interval_text(b)
                );
            }
        }
        if let Some(e) = &row.last_error {
            let _ = writeln!(out, "  Lỗi gần nhất (last error):   {e}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_names_the_state_in_vietnamese() {
        let ok = WatchedSource {
            url: "http://127.0.0.1/rss.xml".into(),
            every_seconds: 900,
            origin: "file".into(),
            added_at: "2026-12-06T12:00:00Z".into(),
            last_fetch: Some("2026-12-06T12:00:00Z".into()),
            next_due: Some("2026-12-06T12:15:00Z".into()),
            failures: 0,
            last_error: None,
        };
        let failing = WatchedSource {
            url: "http://127.0.0.1/hong.html".into(),
            origin: "api".into(),
            failures: 2,
            last_error: Some("http://127.0.0.1/hong.html: 503".into()),
            ..ok.clone()
        };
        let text = status_text(&[ok, failing], 0.0);
        assert!(
            text.contains("Nguồn đang theo dõi (watched sources): 2"),
            "{text}"
        );
        assert!(text.contains("Chu kỳ (every):              15m"), "{text}");
        assert!(text.contains("bình thường (ok)"), "{text}");
        assert!(text.contains("lỗi 2 lần liên tiếp"), "{text}");
        assert!(text.contains("chờ lùi (back-off) 1h"), "{text}");
        assert!(text.contains("thêm qua API"), "{text}");
        assert!(text.contains("Lỗi gần nhất (last error):   http://127.0.0.1/hong.html: 503"));
        assert!(status_text(&[], 0.0).contains("Chưa theo dõi nguồn nào"));
    }
}
