//! The watch session: the schedule of the watched sources, one pass over
//! those that are due, and the loop.
//!
//! The watched sources are the union of a SOURCES.toml (given to
//! [`Watcher::new`]) and the sources added through the API (rows of the
//! store's `watched` table with origin `api`), read again before every pass
//! so that a source added while the watcher runs is fetched at once. When
//! a source was last fetched, when it is due and how many times in a row it
//! failed are written to the `watched` table after each fetch; a restarted
//! watcher starts from there (and, for a source it never saw, from the
//! `fetched` table), so nothing is fetched before it is due and a back-off
//! survives a restart.

use crate::session::{Progress, Session, Summary};
use crate::{parse_rfc3339, rfc3339, unix_now, Result};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use vanban_fetch::schedule::{self, parse_retry_after, Schedule};
use vanban_fetch::Config;
use vanban_store::watched::{ORIGIN_API, ORIGIN_FILE};
use vanban_store::{Store, WatchedSource};

/// What one pass did.
#[derive(Debug)]
pub struct Pass {
    /// The fetching counts (the knowledge base's counts left to fill).
    pub summary: Summary,
    /// Sources fetched in this pass.
    pub due: usize,
    /// Sources watched.
    pub watched: usize,
}

/// The watcher: a fetching session and the schedule of its sources.
pub struct Watcher {
    session: Session,
    plan: Schedule,
    file: Vec<(String, f64)>,
}

impl Watcher {
    /// A watcher of the sources of a SOURCES.toml (`file`: url and seconds,
    /// as [`crate::read_sources`] gives them; may be empty) and of those
    /// added through the API.
    pub fn new(config: Config, file: Vec<(String, f64)>) -> Watcher {
        Watcher {
            session: Session::new(config),
            plan: Schedule::new(),
            file,
        }
    }

    /// The schedule (sources, intervals, due times, failures in a row).
    pub fn schedule(&self) -> &Schedule {
        &self.plan
    }

    /// Brings the schedule up to date with the store: records the
    /// SOURCES.toml's sources in the `watched` table and adds to the
    /// schedule every source watched that it does not have yet, with the
    /// state the store keeps.
    pub fn sync(&mut self, store: &mut Store, now: f64) -> Result<()> {
        let mut rows: HashMap<String, WatchedSource> = store
            .backend()
            .watched_sources()?
            .into_iter()
            .map(|r| (r.url.clone(), r))
            .collect();
        for (url, every) in &self.file {
            let seconds = every.round().max(1.0) as i64;
            match rows.get_mut(url) {
                // An interval set through the API wins over the file's.
                Some(row) if row.origin == ORIGIN_API => {}
                Some(row) => {
                    if row.every_seconds != seconds {
                        row.every_seconds = seconds;
                        store.backend().put_watched_source(row)?;
                    }
                }
                None => {
                    let last = store.backend().fetch_record(url)?.map(|r| r.fetched_at);
                    let row = WatchedSource {
                        url: url.clone(),
                        every_seconds: seconds,
                        origin: ORIGIN_FILE.to_string(),
                        added_at: rfc3339(now),
                        last_fetch: last,
                        next_due: None,
                        failures: 0,
                        last_error: None,
                    };
                    store.backend().put_watched_source(&row)?;
                    rows.insert(url.clone(), row);
                }
            }
        }
        let mut watched: Vec<&WatchedSource> = self
            .file
            .iter()
            .filter_map(|(url, _)| rows.get(url))
            .collect();
        let mut api: Vec<&WatchedSource> = rows
            .values()
            .filter(|r| r.origin == ORIGIN_API && !self.file.iter().any(|(u, _)| *u == r.url))
            .collect();
        api.sort_by(|a, b| (&a.added_at, &a.url).cmp(&(&b.added_at, &b.url)));
        watched.extend(api);
        // A source no longer watched (removed through the API) leaves the
        // schedule.
        self.plan
            .retain(|e| watched.iter().any(|row| row.url == e.url));
        for row in watched {
            let interval = row.every_seconds.max(1) as f64;
            match self.plan.entries().iter().position(|e| e.url == row.url) {
                Some(i) => {
                    if self.plan.entries()[i].interval != interval {
                        self.plan.set_interval(i, interval, now);
                    }
                }
                None => {
                    let failures = u32::try_from(row.failures.max(0)).unwrap_or(u32::MAX);
                    match row.next_due.as_deref().and_then(parse_rfc3339) {
                        Some(next) => self.plan.restore(&row.url, interval, next, failures, now),
                        None => {
                            let last = match row.last_fetch.as_deref().and_then(parse_rfc3339) {
                                Some(t) => Some(t),
                                None => store
                                    .backend()
                                    .fetch_record(&row.url)?
                                    .and_then(|r| parse_rfc3339(&r.fetched_at)),
                            };
                            self.plan.add(&row.url, interval, last, now);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// One pass: brings the schedule up to date ([`Watcher::sync`]), then
    /// fetches every source that is due, earliest first, recording each
    /// one's state in the store. Only a store error is an error.
    pub fn pass(&mut self, store: &mut Store, progress: &mut dyn Progress) -> Result<Pass> {
        self.sync(store, unix_now())?;
        let due = self.plan.due(unix_now());
        for &i in &due {
            let url = self.plan.entries()[i].url.clone();
            let failed_before = self.session.failures().len();
            self.session.one(store, progress, &url, None, false)?;
            let new_failures = self.session.failures().get(failed_before..).unwrap_or(&[]);
            let result = if new_failures.is_empty() {
                schedule::Result::Ok
            } else {
                schedule::Result::Failed {
                    retry_after: new_failures
                        .iter()
                        .filter_map(|f| f.retry_after.as_deref())
                        .filter_map(|r| parse_retry_after(r, unix_now()))
                        .max_by(f64::total_cmp),
                }
            };
            let last_error = new_failures.first().map(|f| f.error.clone());
            let now = unix_now();
            self.plan.done(i, now, result);
            self.record(store, i, now, last_error)?;
        }
        Ok(Pass {
            summary: self.session.take_summary(),
            due: due.len(),
            watched: self.plan.entries().len(),
        })
    }

    /// Writes source `i`'s state to its row (read again, so that an
    /// interval changed through the API meanwhile is kept).
    fn record(
        &mut self,
        store: &mut Store,
        i: usize,
        now: f64,
        last_error: Option<String>,
    ) -> Result<()> {
        let Some(entry) = self.plan.entries().get(i) else {
            return Ok(());
        };
        let found = store
            .backend()
            .watched_sources()?
            .into_iter()
            .find(|r| r.url == entry.url);
        let mut row = found.unwrap_or_else(|| WatchedSource {
            url: entry.url.clone(),
            every_seconds: entry.interval.round().max(1.0) as i64,
            origin: ORIGIN_FILE.to_string(),
            added_at: rfc3339(now),
            last_fetch: None,
            next_due: None,
            failures: 0,
            last_error: None,
        });
        row.last_fetch = Some(rfc3339(now));
        row.next_due = Some(rfc3339(entry.next));
        row.failures = i64::from(entry.failures);
        row.last_error = last_error;
        store.backend().put_watched_source(&row)?;
        Ok(())
    }

    /// How long to wait before the next pass: until the next source is
    /// due, at least 50 ms, at most `max` seconds (sources added through
    /// the API are seen at the next pass).
    pub fn wait(&self, max: f64) -> Duration {
        let secs = self
            .plan
            .next_due()
            .map_or(max, |t| (t - unix_now()).clamp(0.05, max.max(0.05)));
        Duration::from_secs_f64(secs)
    }

    /// Passes until `stop` is set: after each pass that fetched something,
    /// `after` is called with it (to resolve the graph, update the index);
    /// between passes it sleeps ([`Watcher::wait`] with `max_sleep`),
    /// looking at `stop` every half second. A store error in a pass is
    /// given to `on_error` and the loop goes on after the sleep.
    pub fn run(
        &mut self,
        store: &mut Store,
        progress: &mut dyn Progress,
        stop: &AtomicBool,
        max_sleep: f64,
        after: &mut dyn FnMut(&mut Store, Pass),
        on_error: &mut dyn FnMut(crate::Error),
    ) {
        while !stop.load(Ordering::Relaxed) {
            match self.pass(store, progress) {
                Ok(pass) if pass.due > 0 => after(store, pass),
                Ok(_) => {}
                Err(e) => on_error(e),
            }
            let until = Instant::now() + self.wait(max_sleep);
            while !stop.load(Ordering::Relaxed) {
                let left = until.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                std::thread::sleep(left.min(Duration::from_millis(500)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vanban_store::Location;

    fn api_row(url: &str, every: i64) -> WatchedSource {
        WatchedSource {
            url: url.into(),
            every_seconds: every,
            origin: ORIGIN_API.into(),
            added_at: "2026-12-06T12:00:00Z".into(),
            last_fetch: None,
            next_due: None,
            failures: 0,
            last_error: None,
        }
    }

    #[test]
    fn the_schedule_is_the_union_of_the_file_and_the_api_with_the_stored_state() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(&Location::Embedded(dir.path().to_path_buf())).expect("store");
        let file = "http://127.0.0.1:9/rss.xml".to_string();
        let added = "http://127.0.0.1:9/tin-moi.html";
        // A source added through the API that failed twice, due in 10 min.
        let now = 1_796_558_400.0;
        let mut row = api_row(added, 600);
        row.failures = 2;
        row.next_due = Some(rfc3339(now + 600.0));
        store.backend().put_watched_source(&row).expect("put");
        let mut watcher = Watcher::new(Config::default(), vec![(file.clone(), 3600.0)]);
        watcher.sync(&mut store, now).expect("sync");
        let entries = watcher.schedule().entries();
        assert_eq!(entries.len(), 2);
        assert_eq!(
            (entries[0].url.as_str(), entries[0].next),
            (file.as_str(), now)
        );
        assert_eq!(entries[1].url, added);
        assert_eq!((entries[1].next, entries[1].failures), (now + 600.0, 2));
        // The file's source is recorded in the store.
        let rows = store.backend().watched_sources().expect("rows");
        let from_file = rows.iter().find(|r| r.url == file).expect("file row");
        assert_eq!(
            (from_file.origin.as_str(), from_file.every_seconds),
            ("file", 3600)
        );

        // A new interval through the API, then the source removed.
        store
            .backend()
            .put_watched_source(&api_row(added, 60))
            .expect("put");
        watcher.sync(&mut store, now).expect("sync");
        assert_eq!(watcher.schedule().entries()[1].interval, 60.0);
        assert!(store
            .backend()
            .remove_watched_source(added)
            .expect("remove"));
        watcher.sync(&mut store, now).expect("sync");
        assert_eq!(watcher.schedule().entries().len(), 1);
        assert_eq!(watcher.schedule().entries()[0].url, file);
    }
}
