//! A PostgreSQL server that freezes under connections already open (its
//! processes stopped with `SIGSTOP`, as a frozen machine or a network
//! that drops every packet looks to a client): the kernel still accepts
//! and acknowledges everything, the server answers nothing, and without a
//! watchdog a statement would wait for ever. `vanban serve` answers 503
//! with `Retry-After` within seconds, keeps serving what it holds, and
//! takes writes again within 5 s of the server going on (`SIGCONT`),
//! nothing stored twice; `vanban ingest` stops with exit status 2 and one
//! clear line, and the same command run again finishes the job.
//!
//! Each test starts a PostgreSQL server of its own
//! (`scripts/ci-postgres.sh`). Without PostgreSQL installed they print a
//! notice and pass, except under `CI=true`, where they fail.

mod common;
#[path = "common/postgres.rs"]
mod postgres;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use postgres::Postgres;

/// How soon a request must be answered while the database is frozen.
const ANSWERED_WITHIN: Duration = Duration::from_secs(8);

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_postgres(what: &str) -> Option<Postgres> {
    let pg = Postgres::start();
    if pg.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but no PostgreSQL server could be started for {what}"
        );
        eprintln!("notice: PostgreSQL is not installed: {what} is skipped");
    }
    pg
}

fn vanban(url: &str, data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vanban"));
    cmd.args(["--database", url])
        .arg("--data")
        .arg(data)
        .env_remove("VANBAN_DATA")
        .env_remove("VANBAN_DATABASE_URL")
        .stdin(Stdio::null());
    cmd
}

fn http(port: u16, method: &str, path: &str, token: &str, body: &str) -> (u16, String) {
    common::http(port, method, path, token, body, Duration::from_secs(30))
}

fn upload(n: usize) -> String {
    serde_json::json!({
        "source": format!("tin/dong-bang-{n}.txt"),
        "text": format!(
            "Ngày {}/4/2024, Ban Thường vụ Tỉnh ủy Gia Lai tổ chức hội nghị quán triệt Quy định số 58-QĐ/TW ngày 8/2/2022 của Bộ Chính trị (bản tin số {n}).",
            n % 28 + 1
        ),
    })
    .to_string()
}

/// A request answered 503 with `Retry-After` and one of `codes`, within
/// [`ANSWERED_WITHIN`]: how long it took.
fn assert_503(port: u16, method: &str, path: &str, token: &str, body: &str) -> Duration {
    let asked = Instant::now();
    let (status, answer) = http(port, method, path, token, body);
    let took = asked.elapsed();
    assert_eq!(status, 503, "{method} {path}: {answer}");
    assert!(
        answer.to_ascii_lowercase().contains("retry-after:"),
        "{method} {path}: {answer}"
    );
    if path.starts_with("/api/") {
        assert!(
            answer.contains("store_unavailable") || answer.contains("store_busy"),
            "{method} {path}: {answer}"
        );
    } else {
        assert!(
            answer.contains("Kho dữ liệu tạm thời không truy cập được"),
            "{method} {path}: {answer}"
        );
    }
    assert!(
        took < ANSWERED_WITHIN,
        "{method} {path} answered after {took:?}"
    );
    took
}

#[test]
fn a_frozen_database_is_answered_503_within_seconds_and_writes_resume_after() {
    let Some(pg) = start_postgres("the frozen-database server test") else {
        return;
    };
    let data = tempfile::tempdir().expect("temporary directory");
    let token = vanban(&pg.url, data.path())
        .args(["token", "create", "frozen"])
        .output()
        .expect("token create");
    assert!(
        token.status.success(),
        "{}",
        String::from_utf8_lossy(&token.stderr)
    );
    let token = String::from_utf8_lossy(&token.stdout).trim().to_owned();
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let _server = Server(
        vanban(&pg.url, data.path())
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve"),
    );
    let started = Instant::now();
    while http(port, "GET", "/api/v1/stats", &token, "").0 != 200 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let (status, answer) = http(port, "POST", "/api/v1/sources", &token, &upload(0));
    assert_eq!(status, 201, "{answer}");
    let id = answer
        .split("\"id\":")
        .nth(1)
        .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|s| s.parse::<i64>().ok())
        .expect("the new source's id");
    // The pool's connections are open and in use before the freeze: the
    // requests below meet open connections, not new ones.
    for _ in 0..16 {
        let (status, _) = http(port, "GET", &format!("/nguon/{id}"), &token, "");
        assert_eq!(status, 200);
    }

    let frozen = pg.freeze();
    let mut took = Vec::new();
    // A write, a read that needs the store, then both again (a
    // connection dropped by the watchdog is opened again on its next
    // use, against a server that still does not answer).
    for n in 1..=2 {
        took.push(assert_503(
            port,
            "POST",
            "/api/v1/sources",
            &token,
            &upload(n),
        ));
        took.push(assert_503(port, "GET", &format!("/nguon/{id}"), &token, ""));
        took.push(assert_503(
            port,
            "GET",
            &format!("/api/v1/sources/{id}"),
            &token,
            "",
        ));
    }
    // Several at once: each answered, none waits for the database.
    let clients: Vec<_> = (0..6)
        .map(|k| {
            let token = token.clone();
            std::thread::spawn(move || {
                if k % 2 == 0 {
                    assert_503(port, "POST", "/api/v1/sources", &token, &upload(3 + k))
                } else {
                    assert_503(port, "GET", &format!("/api/v1/sources/{id}"), &token, "")
                }
            })
        })
        .collect();
    for c in clients {
        took.push(c.join().expect("a client"));
    }
    // What the server holds is served meanwhile.
    let asked = Instant::now();
    let (status, answer) = http(port, "GET", "/api/v1/documents/58-QĐ%2FTW", &token, "");
    assert_eq!(status, 200, "reads of the graph go on: {answer}");
    assert!(asked.elapsed() < Duration::from_secs(2));
    eprintln!("while PostgreSQL is frozen, 503 after {took:?}");

    drop(frozen);
    let back = Instant::now();
    for n in 1..=2 {
        loop {
            let (status, answer) = http(port, "POST", "/api/v1/sources", &token, &upload(n));
            if status == 201 || status == 200 {
                break;
            }
            assert!(
                back.elapsed() < Duration::from_secs(5),
                "writes did not come back within 5 s of the database going on: {answer}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    eprintln!("writes back {:?} after SIGCONT", back.elapsed());
    let (status, answer) = http(port, "GET", &format!("/nguon/{id}"), &token, "");
    assert_eq!(status, 200, "{answer}");
    // Each text once, whether or not a write cut off by the freeze had
    // committed: the retries found them stored.
    for n in 1..=2 {
        let (status, answer) = http(port, "POST", "/api/v1/sources", &token, &upload(n));
        assert_eq!(status, 200, "text {n} is stored once: {answer}");
    }
    let (status, answer) = http(port, "GET", "/api/v1/stats", &token, "");
    assert_eq!(status, 200);
    let sources: u64 = answer
        .split("\"sources\":")
        .nth(1)
        .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|s| s.parse().ok())
        .expect("sources in stats");
    // Texts 0, 1 and 2 for sure; those of the concurrent writes (3, 5,
    // 7) only if their commit reached the database before the freeze.
    assert!((3..=6).contains(&sources), "{answer}");
}

/// `psql` of the PostgreSQL installation `ci-postgres.sh` used.
fn psql() -> Option<std::path::PathBuf> {
    let mut found: Vec<std::path::PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin/psql")))
        .filter(|p| p.is_file())
        .collect();
    found.sort();
    found.pop().or_else(|| Some("psql".into()))
}

/// The number of sources stored, read with psql (`None` when it cannot).
fn stored(url: &str) -> Option<u64> {
    let out = Command::new(psql()?)
        .args([url, "-At", "-c", "SELECT count(*) FROM sources"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

#[test]
fn ingest_stops_with_one_clear_line_when_the_database_freezes_and_resumes_after() {
    let Some(pg) = start_postgres("the frozen-database ingest test") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    let texts = dir.path().join("texts");
    std::fs::create_dir(&texts).expect("texts");
    const TEXTS: usize = 1500;
    for n in 0..TEXTS {
        std::fs::write(
            texts.join(format!("{n:05}.txt")),
            format!(
                "Ngày {}/5/2024, Huyện ủy Chư Sê tổ chức hội nghị triển khai Chỉ thị số 35-CT/TW ngày 14/6/2024 của Bộ Chính trị về đại hội đảng bộ các cấp (thông báo số {n}).",
                n % 28 + 1
            ),
        )
        .expect("write a text");
    }
    let data = dir.path().join("data");
    // Killed if the test fails.
    let mut ingest = Server(
        vanban(&pg.url, &data)
            .args(["ingest", "--quiet", "--batch", "10", "-j", "1"])
            .arg(&texts)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("ingest"),
    );
    // Freeze once the first batches are stored: the ingest's connection
    // is open and in use.
    let started = Instant::now();
    loop {
        if stored(&pg.url).is_some_and(|n| n > 0) {
            break;
        }
        assert!(
            ingest.0.try_wait().expect("ingest").is_none(),
            "ingest ended before any text was seen stored"
        );
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "nothing stored after 60 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let frozen = pg.freeze();
    let frozen_at = Instant::now();
    let status = loop {
        if let Some(status) = ingest.0.try_wait().expect("ingest") {
            break status;
        }
        assert!(
            frozen_at.elapsed() < Duration::from_secs(20),
            "ingest still waits {:?} after the database froze",
            frozen_at.elapsed()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let took = frozen_at.elapsed();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut ingest.0.stderr.take().expect("stderr"), &mut err)
        .expect("read stderr");
    eprintln!("ingest stopped {took:?} after the freeze: {err}");
    assert_eq!(status.code(), Some(2), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(err.contains("PostgreSQL không trả lời"), "{err}");
    assert!(err.contains("docs/operations.md"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    drop(frozen);
    // The same command again finishes the job: every text once.
    let out = vanban(&pg.url, &data)
        .args(["ingest", "--format", "json", "--quiet"])
        .arg(&texts)
        .output()
        .expect("ingest again");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("summary");
    assert_eq!(summary["sources"], TEXTS as u64, "{summary}");
    assert_eq!(
        summary["new"].as_u64().unwrap_or(0) + summary["unchanged"].as_u64().unwrap_or(0),
        TEXTS as u64,
        "{summary}"
    );
}
