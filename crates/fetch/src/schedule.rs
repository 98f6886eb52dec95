//! When each watched source is due (`vanban watch`): a pure scheduler on
//! a clock the caller gives (seconds since any epoch), so that it is
//! tested with a fake clock and never sleeps itself.
//!
//! A source is due at its last fetch plus its interval (at once when never
//! fetched). After a failure it waits its interval times 2, 4, 8, … (at most
//! 64 times, and never more than a day), or until the server's
//! `Retry-After` when that is later; a success resets the back-off.

/// The longest back-off, in seconds.
pub const MAX_BACKOFF: f64 = 24.0 * 3600.0;

/// One watched source's schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub url: String,
    /// Seconds between two fetches.
    pub interval: f64,
    /// When it is next due (clock seconds).
    pub next: f64,
    /// Failures in a row.
    pub failures: u32,
}

/// Every watched source's schedule.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schedule {
    entries: Vec<Entry>,
}

/// How a fetch of a source went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Result {
    Ok,
    /// Failed; `retry_after` seconds from now when the server said so.
    Failed {
        retry_after: Option<f64>,
    },
}

impl Schedule {
    pub fn new() -> Schedule {
        Schedule::default()
    }

    /// Adds a source last fetched at `last` (clock seconds), if ever.
    pub fn add(&mut self, url: &str, interval: f64, last: Option<f64>, now: f64) {
        let interval = if interval.is_finite() && interval > 0.0 {
            interval
        } else {
            1.0
        };
        let next = last.map_or(now, |l| (l + interval).min(now + interval));
        self.entries.push(Entry {
            url: url.to_string(),
            interval,
            next,
            failures: 0,
        });
    }

    /// Adds a source with the state a watcher saved: due at `next`, after
    /// `failures` failures in a row (`next` is kept within its back-off of
    /// `now`, so a clock set back cannot starve it).
    pub fn restore(&mut self, url: &str, interval: f64, next: f64, failures: u32, now: f64) {
        self.add(url, interval, None, now);
        if let Some(e) = self.entries.last_mut() {
            let bound = now + backoff(e.interval, failures).max(e.interval);
            e.next = if next.is_finite() {
                next.min(bound)
            } else {
                now
            };
            e.failures = failures;
        }
    }

    /// Changes the interval of source `i` (its next due time is kept
    /// within one new interval of `now`).
    pub fn set_interval(&mut self, i: usize, interval: f64, now: f64) {
        let Some(e) = self.entries.get_mut(i) else {
            return;
        };
        if interval.is_finite() && interval > 0.0 {
            e.interval = interval;
            e.next = e
                .next
                .min(now + backoff(interval, e.failures).max(interval));
        }
    }

    /// Keeps only the sources for which `keep` is true (indexes change).
    pub fn retain(&mut self, keep: impl FnMut(&Entry) -> bool) {
        self.entries.retain(keep);
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The indexes of the sources due at `now`, earliest first.
    pub fn due(&self, now: f64) -> Vec<usize> {
        let mut due: Vec<usize> = (0..self.entries.len())
            .filter(|&i| self.entries[i].next <= now)
            .collect();
        due.sort_by(|&a, &b| self.entries[a].next.total_cmp(&self.entries[b].next));
        due
    }

    /// When the next source is due (`None` without sources).
    pub fn next_due(&self) -> Option<f64> {
        self.entries.iter().map(|e| e.next).min_by(f64::total_cmp)
    }

    /// Records how the fetch of source `i` at `now` went.
    pub fn done(&mut self, i: usize, now: f64, result: Result) {
        let Some(e) = self.entries.get_mut(i) else {
            return;
        };
        match result {
            Result::Ok => {
                e.failures = 0;
                e.next = now + e.interval;
            }
            Result::Failed { retry_after } => {
                e.failures = e.failures.saturating_add(1);
                let backoff = backoff(e.interval, e.failures);
                let wait = match retry_after.filter(|r| r.is_finite() && *r > 0.0) {
                    Some(r) => backoff.max(r.min(MAX_BACKOFF)),
                    None => backoff,
                };
                e.next = now + wait;
            }
        }
    }
}

/// The wait after `failures` failures in a row of a source fetched every
/// `interval` seconds: the interval itself without failures, else the
/// interval times 2, 4, 8, … (at most 64 times), never more than a day
/// (unless the interval itself is longer).
pub fn backoff(interval: f64, failures: u32) -> f64 {
    if failures == 0 {
        return interval;
    }
    let factor = f64::from(1u32 << failures.min(6));
    (interval * factor).min(MAX_BACKOFF.max(interval))
}

/// An interval as written in SOURCES.toml: seconds (`90`), or a number
/// with `s`, `m`, `h` or `d` (`90s`, `15m`, `2h`, `1d`).
pub fn parse_interval(text: &str) -> Option<f64> {
    let t = text.trim();
    let (number, unit) = match t.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((i, _)) => (&t[..i], &t[i..]),
        None => (t, "s"),
    };
    let n: f64 = number.trim().parse().ok()?;
    let factor = match unit.trim() {
        "s" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        "d" => 86400.0,
        _ => return None,
    };
    let secs = n * factor;
    (secs.is_finite() && secs > 0.0).then_some(secs)
}

/// A `Retry-After` value as seconds from `now_unix` (Unix seconds): a
/// number of seconds, or an HTTP date.
pub fn parse_retry_after(value: &str, now_unix: f64) -> Option<f64> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(secs as f64);
    }
    let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    Some((at.timestamp() as f64 - now_unix).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restored_source_keeps_its_back_off() {
        let mut plan = Schedule::new();
        plan.restore("http://127.0.0.1/rss.xml", 600.0, 3_000.0, 2, 1_000.0);
        assert_eq!(plan.entries()[0].next, 3_000.0);
        assert_eq!(plan.entries()[0].failures, 2);
        // The next failure waits 8 intervals.
        plan.done(0, 3_000.0, Result::Failed { retry_after: None });
        assert_eq!(plan.entries()[0].next, 3_000.0 + 4_800.0);
        // A due time far in the future (a clock set back) is brought in.
        plan.restore("http://127.0.0.1/a", 600.0, 1e12, 0, 1_000.0);
        assert_eq!(plan.entries()[1].next, 1_600.0);
        plan.set_interval(1, 60.0, 1_000.0);
        assert_eq!(plan.entries()[1].next, 1_060.0);
        plan.retain(|e| e.url != "http://127.0.0.1/rss.xml");
        assert_eq!(plan.entries().len(), 1);
        assert_eq!(plan.entries()[0].url, "http://127.0.0.1/a");
        assert_eq!(backoff(600.0, 0), 600.0);
        assert_eq!(backoff(7200.0, 10), MAX_BACKOFF);
        assert_eq!(backoff(600.0, 10), 600.0 * 64.0);
    }

    #[test]
    fn intervals() {
        assert_eq!(parse_interval("90"), Some(90.0));
        assert_eq!(parse_interval("15m"), Some(900.0));
        assert_eq!(parse_interval("2h"), Some(7200.0));
        assert_eq!(parse_interval("1d"), Some(86400.0));
        assert_eq!(parse_interval("1.5 h"), Some(5400.0));
        assert_eq!(parse_interval("0"), None);
        assert_eq!(parse_interval("mười phút"), None);
        assert_eq!(parse_interval("5w"), None);
    }

    #[test]
    fn retry_after_in_seconds_or_a_date() {
        assert_eq!(parse_retry_after("120", 0.0), Some(120.0));
        let now = 784_111_777.0 - 60.0; // a minute before that date
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(60.0)
        );
        assert_eq!(parse_retry_after("sớm thôi", 0.0), None);
    }

    /// A fake clock: every time is a number the test moves.
    #[test]
    fn a_fake_clock_drives_due_times_back_off_and_retry_after() {
        let mut s = Schedule::new();
        let mut now = 1000.0;
        s.add("http://127.0.0.1/a.xml", 60.0, None, now); // never fetched
        s.add("http://127.0.0.1/b.xml", 600.0, Some(900.0), now); // fetched 100 s ago
        s.add("http://127.0.0.1/c.xml", 60.0, Some(10.0), now); // long overdue
        assert_eq!(s.due(now), vec![2, 0]);
        s.done(0, now, Result::Ok);
        s.done(2, now, Result::Failed { retry_after: None });
        assert_eq!(s.entries()[0].next, 1060.0);
        assert_eq!(s.entries()[2].next, 1120.0); // 60 × 2
        assert!(s.due(now).is_empty());
        assert_eq!(s.next_due(), Some(1060.0));

        now = 1120.0;
        assert_eq!(s.due(now), vec![0, 2]);
        s.done(0, now, Result::Ok);
        s.done(2, now, Result::Failed { retry_after: None });
        assert_eq!(s.entries()[2].next, 1120.0 + 240.0); // 60 × 4
                                                         // Retry-After longer than the back-off wins.
        now = 1360.0;
        s.done(
            2,
            now,
            Result::Failed {
                retry_after: Some(3600.0),
            },
        );
        assert_eq!(s.entries()[2].next, now + 3600.0);
        // A success resets the back-off.
        now += 3600.0;
        s.done(2, now, Result::Ok);
        assert_eq!(
            (s.entries()[2].failures, s.entries()[2].next),
            (0, now + 60.0)
        );
        // Many failures: capped (64 × the interval, at most a day).
        for _ in 0..20 {
            s.done(1, now, Result::Failed { retry_after: None });
        }
        assert_eq!(s.entries()[1].next, now + 600.0 * 64.0);
        let mut daily = Schedule::new();
        daily.add("d", 3600.0, None, 0.0);
        for _ in 0..10 {
            daily.done(0, 0.0, Result::Failed { retry_after: None });
        }
        assert_eq!(daily.entries()[0].next, MAX_BACKOFF);
        assert_eq!(s.entries()[1].failures, 20);
        assert_eq!(s.entries()[1].url, "http://127.0.0.1/b.xml");
        // b was fetched at 900 with an interval of 600: due at 1500 before
        // its failures.
        let mut t = Schedule::new();
        t.add("b", 600.0, Some(900.0), 1000.0);
        assert_eq!(t.next_due(), Some(1500.0));
    }

    /// A day on a fake clock: 12 sources on 3 hosts, intervals from one
    /// minute to an hour, one host failing every third request (and once
    /// asking for a Retry-After of 10 minutes). The watcher's loop is
    /// played as it runs: the due sources in order, each request waiting
    /// for its host's delay. No two requests to one host come closer than
    /// the delay, and no source is starved: a healthy one is never left
    /// more than its interval plus one pass of the others, a failing one
    /// never more than its back-off bound.
    #[test]
    fn a_simulated_day_keeps_the_host_delay_and_starves_no_source() {
        const DELAY: f64 = 1.0;
        const REQUEST: f64 = 0.4;
        let hosts = ["a.test", "b.test", "c.test"];
        let intervals = [60.0, 300.0, 900.0, 3600.0];
        let mut s = Schedule::new();
        let mut host_of = Vec::new();
        for (h, host) in hosts.iter().enumerate() {
            for (k, every) in intervals.iter().enumerate() {
                s.add(&format!("http://{host}/{k}.xml"), *every, None, 0.0);
                host_of.push(h);
            }
        }
        let n = host_of.len();
        let mut last_request = vec![f64::NEG_INFINITY; hosts.len()];
        let mut fetched_at: Vec<Vec<f64>> = vec![Vec::new(); n];
        let mut requests_to_c = 0u32;
        let mut now = 0.0;
        let day = 24.0 * 3600.0;
        while now < day {
            let due = s.due(now);
            if due.is_empty() {
                now = s.next_due().unwrap_or(day).max(now + 0.001);
                continue;
            }
            for i in due {
                let h = host_of[i];
                // One request at a time per host, at least DELAY apart.
                now = now.max(last_request[h] + DELAY);
                assert!(now - last_request[h] >= DELAY - 1e-9);
                last_request[h] = now;
                fetched_at[i].push(now);
                let result = if h == 2 {
                    requests_to_c += 1;
                    match requests_to_c {
                        7 => Result::Failed {
                            retry_after: Some(600.0),
                        },
                        k if k % 3 == 0 => Result::Failed { retry_after: None },
                        _ => Result::Ok,
                    }
                } else {
                    Result::Ok
                };
                now += REQUEST;
                s.done(i, now, result);
            }
        }
        // One pass over every other source, at worst.
        let pass = n as f64 * (DELAY + REQUEST);
        for (i, times) in fetched_at.iter().enumerate() {
            let every = s.entries()[i].interval;
            assert!(!times.is_empty(), "source {i} never fetched");
            let bound = if host_of[i] == 2 {
                every.max(600.0) * 64.0_f64.min(MAX_BACKOFF / every) + pass
            } else {
                every + pass
            };
            let mut prev = 0.0;
            for &t in times.iter().chain(std::iter::once(&day)) {
                assert!(t - prev <= bound, "source {i}: {prev} → {t}, bound {bound}");
                prev = t;
            }
            if host_of[i] != 2 {
                // A healthy source runs at its interval all day long.
                let expected = (day / (every + REQUEST + DELAY)).floor() as usize;
                assert!(
                    times.len() >= expected,
                    "source {i}: {} < {expected}",
                    times.len()
                );
            }
        }
    }
}
