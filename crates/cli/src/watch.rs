//! `vanban watch SOURCES.toml` (theo dõi nguồn tin): fetches a list of
//! feeds and pages, each at its own interval, as `vanban fetch` does (same
//! politeness, same store), for ever or, with `--once`, one pass over the
//! sources that are due.
//!
//! When a source was last fetched is read from the store's `fetched`
//! table, so a killed watch resumes where it was: a source fetched less
//! than its interval ago is not fetched again, and a feed's items already
//! stored are never fetched twice. Errors back off exponentially and
//! `Retry-After` is honoured (`vanban_fetch::schedule`).

use crate::fetch::{exit_code, print_summary, HttpArgs, Run};
use crate::ingest::SummaryFormat;
use crate::kb::StoreArgs;
use anyhow::Context;
use serde::Deserialize;
use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime};
use vanban_fetch::schedule::{self, parse_interval, parse_retry_after, Schedule};

#[derive(clap::Args)]
pub struct WatchArgs {
    /// The list of feeds and pages: `[[source]]` tables with `url` and
    /// `every` (`90s`, `15m`, `2h`, `1d`; default: the file's top-level
    /// `every`, else 1h). See docs/fetch.md.
    #[arg(value_name = "SOURCES.toml")]
    pub sources: PathBuf,
    /// One pass over the sources that are due, then exit (for cron).
    #[arg(long)]
    pub once: bool,
    /// Summary format (one summary per pass).
    #[arg(long, value_enum, default_value = "text")]
    pub format: SummaryFormat,
    /// No progress line and no text summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    #[command(flatten)]
    pub http: HttpArgs,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    every: Option<String>,
    #[serde(default)]
    source: Vec<SourceEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceEntry {
    url: String,
    every: Option<String>,
}

/// The default interval: one hour.
const DEFAULT_EVERY: f64 = 3600.0;
/// The longest sleep between two looks at the schedule.
const MAX_SLEEP: f64 = 60.0;

/// The sources of a SOURCES.toml, deduplicated by URL: (url, seconds).
fn read_sources(path: &std::path::Path) -> anyhow::Result<Vec<(String, f64)>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: không đọc được tệp (cannot read)", path.display()))?;
    let file: SourcesFile = toml::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{}: tệp nguồn tin không hợp lệ (invalid SOURCES.toml): {e}",
            path.display()
        )
    })?;
    let interval = |every: Option<&str>, what: &str| -> anyhow::Result<Option<f64>> {
        match every {
            None => Ok(None),
            Some(e) => parse_interval(e).map(Some).ok_or_else(|| {
                anyhow::anyhow!(
                    "{}: {what}: every = \"{e}\" không phải khoảng thời gian (not an interval: write 90s, 15m, 2h or 1d)",
                    path.display()
                )
            }),
        }
    };
    let default = interval(file.every.as_deref(), "every")?.unwrap_or(DEFAULT_EVERY);
    let mut seen = HashSet::new();
    let mut sources = Vec::new();
    for entry in file.source {
        vanban_fetch::parse_url(&entry.url)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let every = interval(entry.every.as_deref(), &entry.url)?.unwrap_or(default);
        if seen.insert(entry.url.clone()) {
            sources.push((entry.url, every));
        }
    }
    if sources.is_empty() {
        anyhow::bail!(
            "{}: không có nguồn nào (no [[source]] with a url)",
            path.display()
        );
    }
    Ok(sources)
}

fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// `2026-12-06T12:00:00Z` → Unix seconds.
fn parse_rfc3339(text: &str) -> Option<f64> {
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.timestamp() as f64)
}

pub fn run(args: WatchArgs, store_args: &StoreArgs) -> anyhow::Result<ExitCode> {
    let sources = read_sources(&args.sources)?;
    let config = args.http.config()?;
    let interactive = !args.quiet && std::io::stderr().is_terminal();
    let mut run = Run::open(store_args, config, interactive)?;
    let mut plan = Schedule::new();
    let now = unix_now();
    for (url, every) in &sources {
        let last = run
            .store()
            .backend()
            .fetch_record(url)?
            .and_then(|r| parse_rfc3339(&r.fetched_at));
        plan.add(url, *every, last, now);
    }
    loop {
        let started = Instant::now();
        let due = plan.due(unix_now());
        for &i in &due {
            let url = plan.entries()[i].url.clone();
            let failed_before = run.failures().len();
            run.one(&url, None, false)?;
            let result = match run.failures().get(failed_before..) {
                Some(new) if !new.is_empty() => schedule::Result::Failed {
                    retry_after: new
                        .iter()
                        .filter_map(|f| f.retry_after.as_deref())
                        .filter_map(|r| parse_retry_after(r, unix_now()))
                        .max_by(f64::total_cmp),
                },
                _ => schedule::Result::Ok,
            };
            plan.done(i, unix_now(), result);
        }
        if args.once {
            let mut summary = run.finish(started)?;
            summary.not_due = Some((plan.entries().len() - due.len()) as u64);
            print_summary(&summary, args.format, args.quiet);
            return Ok(exit_code(&summary));
        }
        if !due.is_empty() {
            let summary = run.finish(started)?;
            print_summary(&summary, args.format, args.quiet);
        }
        let wait = plan
            .next_due()
            .map_or(MAX_SLEEP, |t| (t - unix_now()).clamp(0.05, MAX_SLEEP));
        std::thread::sleep(Duration::from_secs_f64(wait));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("nguon.toml");
        let write = |s: &str| std::fs::write(&path, s).expect("write");
        write(
            "every = \"30m\"\n[[source]]\nurl = \"http://127.0.0.1/rss.xml\"\nevery = \"2h\"\n\
             [[source]]\nurl = \"http://127.0.0.1/trang.html\"\n\
             [[source]]\nurl = \"http://127.0.0.1/rss.xml\"\n",
        );
        let got = read_sources(&path).expect("valid");
        assert_eq!(
            got,
            vec![
                ("http://127.0.0.1/rss.xml".to_string(), 7200.0),
                ("http://127.0.0.1/trang.html".to_string(), 1800.0)
            ]
        );
        write("[[source]]\nurl = \"http://127.0.0.1/a\"\nevery = \"mãi mãi\"\n");
        let e = read_sources(&path)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("not an interval"), "{e}");
        write("[[source]]\nurl = \"ftp://x/\"\n");
        assert!(read_sources(&path).is_err());
        write("[[nguon]]\nurl = \"http://127.0.0.1/a\"\n");
        assert!(read_sources(&path).is_err());
        write("");
        assert!(read_sources(&path).is_err());
    }
}
