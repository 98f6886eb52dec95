//! Overload (issue 15, item 4), on the real binary: the server's capacity
//! on a read+write mix is measured with closed-loop clients, then it is
//! offered 4× that rate open-loop (requests sent on a schedule, whatever
//! the answers). It must shed with 503 and `Retry-After` quickly instead of
//! queueing without bound: every answer is 2xx or 503, the p99 of the
//! answered requests stays under 1 s, no request waits much beyond the
//! queue wait, and once the load drops requests succeed again.
//!
//! At test scale the limits are small (`--max-concurrent 2 --max-queue 4`)
//! and each phase lasts `VANBAN_OVERLOAD_SECONDS` (default 3). With
//! `VANBAN_OVERLOAD_DEFAULTS=1` the server runs with its default limits
//! (the measurement in BENCHMARKS.md), and `VANBAN_OVERLOAD_CLIENTS` sets
//! the closed-loop clients of the capacity run. The figures are printed.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn vanban(data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vanban"));
    cmd.arg("--data")
        .arg(data)
        .env_remove("VANBAN_DATA")
        .env_remove("VANBAN_DATABASE_URL")
        .stdin(Stdio::null());
    cmd
}

/// One answer: status (0: none), whether it carried `Retry-After`.
struct Answer {
    status: u16,
    retry_after: bool,
    latency: Duration,
}

fn http(port: u16, method: &str, path: &str, token: &str, body: &str) -> (u16, String) {
    common::http(port, method, path, token, body, Duration::from_secs(60))
}

/// The mix: request `n` of the run. Nine in ten are reads (a document by
/// its reference, a search, the sources, the stats), one in ten a new text.
fn request(port: u16, token: &str, n: usize) -> Answer {
    let started = Instant::now();
    let (status, answer) = match n % 10 {
        0 => {
            let body = serde_json::json!({
                "source": format!("tai/tin-{n}-{}.txt", std::process::id()),
                "text": format!(
                    "Chiều {}/4/2024, Đảng ủy Khối cơ quan tỉnh Nghệ An tổ chức hội nghị quán triệt Quy định số {}-QĐ/TW ngày 8/2/2022 của Bộ Chính trị (tin số {n}).",
                    n % 28 + 1, n % 30 + 1
                ),
            })
            .to_string();
            http(port, "POST", "/api/v1/sources", token, &body)
        }
        1 | 4 | 7 => http(port, "GET", "/api/v1/search?q=quan+triet", token, ""),
        2 | 5 => http(port, "GET", "/api/v1/documents/58-Q%C4%90%2FTW", token, ""),
        3 | 8 => http(port, "GET", "/api/v1/sources?limit=20", token, ""),
        _ => http(port, "GET", "/api/v1/stats", token, ""),
    };
    Answer {
        status,
        retry_after: answer.to_ascii_lowercase().contains("\r\nretry-after:"),
        latency: started.elapsed(),
    }
}

fn p(latencies: &mut [Duration], q: f64) -> Duration {
    if latencies.is_empty() {
        return Duration::ZERO;
    }
    latencies.sort_unstable();
    let i = ((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len()) - 1;
    latencies[i]
}

/// `clients` closed-loop clients for `seconds`: the answers.
fn closed_loop(port: u16, token: &str, clients: usize, seconds: f64) -> Vec<Answer> {
    let next = Arc::new(AtomicUsize::new(1_000_000));
    let answers = Arc::new(Mutex::new(Vec::new()));
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    std::thread::scope(|s| {
        for _ in 0..clients {
            let (next, answers) = (Arc::clone(&next), Arc::clone(&answers));
            s.spawn(move || {
                while Instant::now() < until {
                    let a = request(port, token, next.fetch_add(1, Ordering::Relaxed));
                    answers.lock().unwrap_or_else(|p| p.into_inner()).push(a);
                }
            });
        }
    });
    Arc::try_unwrap(answers)
        .map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner()))
        .unwrap_or_default()
}

/// Open loop: `rate` requests a second for `seconds`, each sent on its
/// schedule on a thread of its own; latency counts from the scheduled time.
fn open_loop(port: u16, token: &str, rate: f64, seconds: f64) -> Vec<Answer> {
    let answers = Arc::new(Mutex::new(Vec::new()));
    let start = Instant::now();
    let total = (rate * seconds) as usize;
    std::thread::scope(|s| {
        for i in 0..total {
            let at = start + Duration::from_secs_f64(i as f64 / rate);
            if let Some(wait) = at.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
            let answers = Arc::clone(&answers);
            s.spawn(move || {
                let mut a = request(port, token, 2_000_000 + i);
                a.latency = at.elapsed();
                answers.lock().unwrap_or_else(|p| p.into_inner()).push(a);
            });
        }
    });
    Arc::try_unwrap(answers)
        .map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner()))
        .unwrap_or_default()
}

struct Summary {
    sent: usize,
    answered: usize,
    refused: usize,
    other: Vec<u16>,
    refused_without_retry_after: usize,
    p50: Duration,
    p99: Duration,
    max_answered: Duration,
    max_refused: Duration,
}

fn summarize(answers: &[Answer]) -> Summary {
    let ok = |s: u16| (200..300).contains(&s);
    let answered: Vec<Duration> = answers
        .iter()
        .filter(|a| ok(a.status))
        .map(|a| a.latency)
        .collect();
    let refused: Vec<&Answer> = answers.iter().filter(|a| a.status == 503).collect();
    Summary {
        sent: answers.len(),
        answered: answered.len(),
        refused: refused.len(),
        other: answers
            .iter()
            .filter(|a| !ok(a.status) && a.status != 503)
            .map(|a| a.status)
            .collect(),
        refused_without_retry_after: refused.iter().filter(|a| !a.retry_after).count(),
        p50: p(&mut answered.clone(), 0.50),
        p99: p(&mut answered.clone(), 0.99),
        max_answered: answered.iter().copied().max().unwrap_or_default(),
        max_refused: refused.iter().map(|a| a.latency).max().unwrap_or_default(),
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "sent={} answered={} refused_503={} ({:.0} %) other={:?} 503_without_retry_after={} p50={:.0} ms p99={:.0} ms max_answered={:.0} ms max_refused={:.0} ms",
            self.sent,
            self.answered,
            self.refused,
            100.0 * self.refused as f64 / self.sent.max(1) as f64,
            self.other,
            self.refused_without_retry_after,
            self.p50.as_secs_f64() * 1e3,
            self.p99.as_secs_f64() * 1e3,
            self.max_answered.as_secs_f64() * 1e3,
            self.max_refused.as_secs_f64() * 1e3,
        )
    }
}

#[test]
fn at_four_times_its_capacity_the_server_sheds_with_503_and_recovers() {
    let seconds: f64 = std::env::var("VANBAN_OVERLOAD_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3.0);
    let defaults = std::env::var("VANBAN_OVERLOAD_DEFAULTS").as_deref() == Ok("1");
    let data = tempfile::tempdir().expect("tempdir");
    let texts = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/kb");
    let out = vanban(data.path())
        .args(["ingest", "--quiet"])
        .arg(&texts)
        .output()
        .expect("ingest");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = vanban(data.path())
        .args(["token", "create", "tai"])
        .output()
        .expect("token");
    let token = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let mut serve = vanban(data.path());
    serve.args(["serve", "--listen", &format!("127.0.0.1:{port}")]);
    if !defaults {
        serve.args(["--max-concurrent", "2", "--max-queue", "4"]);
    }
    let _server = Server(
        serve
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve"),
    );
    let started = Instant::now();
    while http(port, "GET", "/api/v1/stats", &token, "").0 != 200 {
        assert!(started.elapsed() < Duration::from_secs(30), "no server");
        std::thread::sleep(Duration::from_millis(50));
    }

    // Same run: unloaded (one client), then capacity (closed loop).
    let unloaded = summarize(&closed_loop(port, &token, 1, seconds));
    let clients = std::env::var("VANBAN_OVERLOAD_CLIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if defaults { 16 } else { 4 });
    let capacity_run = closed_loop(port, &token, clients, seconds);
    let capacity = summarize(&capacity_run);
    let rate = capacity.answered as f64 / seconds;
    eprintln!("unloaded (1 client): {unloaded}");
    eprintln!("capacity ({clients} closed-loop clients): {rate:.0} answered/s; {capacity}");
    assert!(rate > 0.0, "{capacity}");

    let overload = summarize(&open_loop(port, &token, 4.0 * rate, seconds));
    eprintln!(
        "4× capacity ({:.0} req/s open loop): {overload}",
        4.0 * rate
    );

    std::thread::sleep(Duration::from_secs(1));
    let after = summarize(&closed_loop(port, &token, 1, seconds.min(2.0)));
    eprintln!("after the load dropped (1 client): {after}");

    assert!(overload.other.is_empty(), "only 2xx or 503: {overload}");
    assert!(overload.refused > 0, "4× capacity must shed: {overload}");
    assert_eq!(overload.refused_without_retry_after, 0, "{overload}");
    assert!(overload.p99 < Duration::from_secs(1), "{overload}");
    assert!(
        overload.max_refused < Duration::from_millis(2500),
        "a refusal waits at most the queue wait: {overload}"
    );
    assert!(
        after.other.is_empty() && after.refused == 0 && after.answered > 0,
        "{after}"
    );
}
