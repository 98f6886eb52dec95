//! Several servers, one PostgreSQL, on the real binary: two `vanban serve`
//! processes with data folders (search indexes) of their own share one
//! database. A write accepted by one is in the other's API, pages and
//! search within 2 s (the store's change feed, LISTEN/NOTIFY); while the
//! database restarts both answer writes 503 with `Retry-After`, and within
//! 5 s of its return both accept writes again, seen by the other; a
//! restarted server catches up on what the other stored meanwhile.
//!
//! The test starts a PostgreSQL server of its own (`scripts/ci-postgres.sh`),
//! so that stopping it disturbs no other test. Without PostgreSQL installed
//! it prints a notice and passes, except under `CI=true`, where it fails.
//! `VANBAN_CLUSTER_WRITES=N` sets how many writes the visibility latency is
//! measured over (default 20; BENCHMARKS.md).

mod common;
#[path = "common/postgres.rs"]
mod postgres;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use postgres::Postgres;

/// How soon a write on one server must be visible on the other.
const VISIBLE_WITHIN: Duration = Duration::from_secs(2);

/// One `vanban serve` on a port of its own; killed on drop.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn vanban(url: &str, data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vanban"));
    cmd.args(["--database", url])
        .arg("--data")
        .arg(data)
        .env_remove("VANBAN_DATA")
        .env_remove("VANBAN_DATABASE_URL");
    cmd
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

fn serve(url: &str, data: &Path, token: &str) -> Server {
    let port = free_port();
    let child = vanban(url, data)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("serve");
    let server = Server { child, port };
    let started = Instant::now();
    while http(port, "GET", "/api/v1/stats", token, "").0 != 200 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server on {port} did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    server
}

fn http(port: u16, method: &str, path: &str, token: &str, body: &str) -> (u16, String) {
    common::http(port, method, path, token, body, Duration::from_secs(30))
}

/// A place name of two or three syllables that no other text of the test
/// has: the digits of `n`, one syllable each.
fn place(n: usize) -> String {
    const SYLLABLES: [&str; 10] = [
        "Xuân", "Bình", "Cường", "Dũng", "Giang", "Hòa", "Khánh", "Lộc", "Minh", "Phú",
    ];
    format!("{n:03}")
        .bytes()
        .map(|b| SYLLABLES[usize::from(b - b'0')])
        .collect::<Vec<_>>()
        .join(" ")
}

fn upload(n: usize) -> String {
    serde_json::json!({
        "source": format!("tin/cum-{n}.txt"),
        "text": format!(
            "Ngày {}/3/2023, Ban Thường vụ Huyện ủy tổ chức hội nghị tại thôn {} quán triệt Quy định số 58-QĐ/TW ngày 8/2/2022 của Bộ Chính trị về bảo vệ chính trị nội bộ Đảng.",
            n % 28 + 1,
            place(n)
        ),
    })
    .to_string()
}

fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Writes text `n` on `server`: the new source's id.
fn write(server: &Server, token: &str, n: usize) -> i64 {
    let (status, answer) = http(server.port, "POST", "/api/v1/sources", token, &upload(n));
    assert_eq!(status, 201, "{answer}");
    source_id(&answer)
}

fn source_id(answer: &str) -> i64 {
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    let json: serde_json::Value = serde_json::from_str(body).expect("a JSON answer");
    json["id"].as_i64().expect("the source's id")
}

/// Whether text `n` (source `id`) is in `server`'s API and search.
fn api_shows(server: &Server, id: i64) -> bool {
    http(server.port, "GET", &format!("/api/v1/sources/{id}"), "", "").0 == 200
}

fn search_shows(server: &Server, n: usize) -> bool {
    let path = format!("/api/v1/search?limit=100&q={}", percent_encode(&place(n)));
    let (status, answer) = http(server.port, "GET", &path, "", "");
    status == 200 && answer.contains(&format!("\"tin/cum-{n}.txt\""))
}

/// Waits until `server` shows text `n` (source `id`) in its API and its
/// search; the time that took.
fn time_until_seen(server: &Server, id: i64, n: usize, limit: Duration) -> Duration {
    let from = Instant::now();
    while !(api_shows(server, id) && search_shows(server, n)) {
        assert!(
            from.elapsed() < limit,
            "text {n} (source {id}) not visible on the server on {} after {limit:?}",
            server.port
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    from.elapsed()
}

/// A write answered 503 with `Retry-After`, the store unavailable.
fn assert_unavailable(server: &Server, token: &str, n: usize) {
    let (status, answer) = http(server.port, "POST", "/api/v1/sources", token, &upload(n));
    assert_eq!(status, 503, "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("retry-after:"),
        "{answer}"
    );
    assert!(answer.contains("store_unavailable"), "{answer}");
}

/// Retries writing text `n` on `server` until it is stored (201), at most
/// until `deadline`: its id.
fn write_when_back(server: &Server, token: &str, n: usize, deadline: Instant) -> i64 {
    loop {
        let (status, answer) = http(server.port, "POST", "/api/v1/sources", token, &upload(n));
        if status == 201 {
            return source_id(&answer);
        }
        assert!(
            Instant::now() < deadline,
            "writes on {} did not come back within 5 s: {answer}",
            server.port
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn two_servers_on_one_postgresql_see_each_others_writes() {
    let Some(pg) = Postgres::start() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but no PostgreSQL server could be started for the two-server test"
        );
        eprintln!("notice: PostgreSQL is not installed: the two-server test is skipped");
        return;
    };
    let dirs = tempfile::tempdir().expect("temporary directory");
    let (data_a, data_b) = (dirs.path().join("a"), dirs.path().join("b"));
    let token = vanban(&pg.url, &data_a)
        .args(["token", "create", "cluster"])
        .output()
        .expect("token create");
    assert!(
        token.status.success(),
        "{}",
        String::from_utf8_lossy(&token.stderr)
    );
    let token = String::from_utf8_lossy(&token.stdout).trim().to_owned();
    let a = serve(&pg.url, &data_a, &token);
    let mut b = serve(&pg.url, &data_b, &token);
    assert!(
        data_a.join("index/meta.json").exists() && data_b.join("index/meta.json").exists(),
        "each server keeps its own search index"
    );

    // A write on A: on B's document answer, source page and search.
    let (status, _) = http(b.port, "GET", "/api/v1/documents/58-QĐ%2FTW", "", "");
    assert_eq!(status, 404, "nothing stored yet");
    let id = write(&a, &token, 0);
    let seen = time_until_seen(&b, id, 0, VISIBLE_WITHIN);
    let (status, answer) = http(b.port, "GET", "/api/v1/documents/58-QĐ%2FTW", "", "");
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("tin/cum-0.txt"), "{answer}");
    let (status, page) = http(b.port, "GET", &format!("/nguon/{id}"), "", "");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(&place(0)), "{page}");
    eprintln!("A → B: visible after {seen:?}");

    // The visibility latency, both ways.
    let writes: usize = std::env::var("VANBAN_CLUSTER_WRITES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    // The same-run baseline: how long the write itself takes to answer.
    let mut times = Vec::with_capacity(writes);
    let mut posts = Vec::with_capacity(writes);
    for n in 1..=writes {
        let (from, to) = if n % 2 == 1 { (&a, &b) } else { (&b, &a) };
        let posted = Instant::now();
        let id = write(from, &token, n);
        posts.push(posted.elapsed());
        times.push(time_until_seen(to, id, n, VISIBLE_WITHIN));
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let summary = |what: &str, mut v: Vec<Duration>| {
        v.sort();
        eprintln!(
            "{what} over {writes} writes: median {:.0} ms, p95 {:.0} ms, max {:.0} ms",
            ms(v[v.len() / 2]),
            ms(v[(v.len() * 95 / 100).min(v.len() - 1)]),
            ms(v[v.len() - 1])
        );
    };
    summary("POST answered by the writing server", posts);
    summary("then visible on the other server (API and search)", times);
    let mut n = writes + 1;

    // The database restarts: both servers refuse writes with 503, then
    // take them again within 5 s of its return, and see each other's.
    pg.control("pause");
    assert_unavailable(&a, &token, n);
    assert_unavailable(&b, &token, n + 1);
    let (status, answer) = http(b.port, "GET", "/api/v1/documents/58-QĐ%2FTW", "", "");
    assert_eq!(
        status, 200,
        "reads of the graph go on while the database is down: {answer}"
    );
    pg.control("resume");
    let deadline = Instant::now() + Duration::from_secs(5);
    let on_a = write_when_back(&a, &token, n, deadline);
    let on_b = write_when_back(&b, &token, n + 1, deadline);
    time_until_seen(&b, on_a, n, VISIBLE_WITHIN);
    time_until_seen(&a, on_b, n + 1, VISIBLE_WITHIN);
    n += 2;
    // Writes made after the return are seen as before.
    let id = write(&a, &token, n);
    time_until_seen(&b, id, n, VISIBLE_WITHIN);
    n += 1;

    // B stops; A stores texts meanwhile; B restarted has them, in its
    // search too, from its first answer.
    drop(b);
    let mut missed = Vec::new();
    for k in n..n + 3 {
        missed.push((k, write(&a, &token, k)));
    }
    b = serve(&pg.url, &data_b, &token);
    for (k, id) in &missed {
        assert!(api_shows(&b, *id), "source {id} on the restarted server");
        assert!(
            search_shows(&b, *k),
            "text {k} in the restarted server's search"
        );
    }
    let (status, answer) = http(b.port, "GET", "/api/v1/stats", "", "");
    assert_eq!(status, 200);
    let total = n + 3;
    assert!(answer.contains(&format!("\"sources\":{total}")), "{answer}");
}
