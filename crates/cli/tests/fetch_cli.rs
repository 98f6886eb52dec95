//! `vanban fetch` as a user runs it, against a local HTTP server started by
//! each test on 127.0.0.1 (no test reaches any other address; host names
//! resolve only through `--resolve-only`, never through DNS).
//!
//! The server serves fixtures written for these tests (`site` below): a
//! robots.txt, an RSS feed of 50 items with an ETag, Atom and JSON feeds,
//! pages dated only by their metadata or their feed item, gzip, redirects
//! and a redirect loop, 404 and 500, a page over the size cap, a malformed
//! feed, an unknown charset, a Windows-1258 page, a path robots.txt
//! disallows, and slow answers. It records when each request arrived, so
//! that the tests measure the spacing between requests.

mod common;

use serde_json::Value;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------- server

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Duration,
    /// Send the body one byte at a time, this long apart.
    trickle: Option<Duration>,
}

impl Reply {
    fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            delay: Duration::ZERO,
            trickle: None,
        }
    }
    fn html(body: &str) -> Reply {
        Reply::new(200, "text/html; charset=utf-8", body)
    }
    fn header(mut self, k: &str, v: &str) -> Reply {
        self.headers.push((k.into(), v.into()));
        self
    }
    fn redirect(to: &str) -> Reply {
        Reply::new(301, "text/plain", "").header("Location", to)
    }
}

#[derive(Clone, Debug)]
struct Hit {
    path: String,
    at: Instant,
    headers: Vec<(String, String)>,
}

impl Hit {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Routes = dyn Fn(&str, &Hit) -> Reply + Send + Sync;

struct Server {
    port: u16,
    hits: Arc<Mutex<Vec<Hit>>>,
}

impl Server {
    fn start(routes: impl Fn(&str, &Hit) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local addr").port();
        let hits = Arc::new(Mutex::new(Vec::new()));
        let routes: Arc<Routes> = Arc::new(routes);
        let shared = Arc::clone(&hits);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                // When the connection arrived, before anything else.
                let at = Instant::now();
                let routes = Arc::clone(&routes);
                let hits = Arc::clone(&shared);
                std::thread::spawn(move || handle(stream, at, &*routes, &hits));
            }
        });
        Server { port, hits }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn hits(&self) -> Vec<Hit> {
        self.hits.lock().expect("hits").clone()
    }
}

fn handle(mut stream: TcpStream, at: Instant, routes: &Routes, hits: &Mutex<Vec<Hit>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 65536 {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        // A TLS ClientHello (record type 22): answer in plain HTTP at
        // once, as a server without HTTPS on that port would.
        if buf.first() == Some(&0x16) {
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
            return;
        }
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    let mut lines = head.split("\r\n");
    let path = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("")
        .to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let hit = Hit { path, at, headers };
    hits.lock().expect("hits").push(hit.clone());
    let reply = routes(&hit.path, &hit);
    std::thread::sleep(reply.delay);
    let mut out = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (k, v) in &reply.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let _ = stream.write_all(out.as_bytes());
    match reply.trickle {
        Some(pause) => {
            for b in &reply.body {
                if stream
                    .write_all(&[*b])
                    .and_then(|()| stream.flush())
                    .is_err()
                {
                    return;
                }
                std::thread::sleep(pause);
            }
        }
        None => {
            let _ = stream.write_all(&reply.body);
        }
    }
    let _ = stream.flush();
}

// ---------------------------------------------------------------- fixtures

/// A page of our own writing about a conference; `n` makes each distinct.
fn item_page(n: usize) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>Hội nghị số {n}</title></head><body><article>\
         <h1>Huyện ủy số {n} quán triệt Kết luận số {k}-KL/TW</h1>\
         <p>Ngày 12/4/2023, Huyện ủy tổ chức hội nghị quán triệt Kết luận số {k}-KL/TW \
         của Bộ Chính trị cho cán bộ chủ chốt; đợt {n} có hơn {m} đảng viên tham dự.</p>\
         </article></body></html>",
        k = 100 + n,
        m = 50 + n
    )
}

fn rss(port: u16, items: usize) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Tin địa phương</title>\
         <link>http://127.0.0.1/</link><description>Tin thử nghiệm</description>\n",
    );
    for n in 0..items {
        s.push_str(&format!(
            "<item><title>Hội nghị số {n}</title><link>http://127.0.0.1:{port}/tin/{n}.html</link>\
             <pubDate>Wed, 12 Apr 2023 08:00:00 +0700</pubDate></item>\n"
        ));
    }
    s.push_str("</channel></rss>\n");
    s
}

/// Ours: the conference in Hà Nam, dated only by `article:published_time`.
const HA_NAM: &str = "<!DOCTYPE html><html><head>\
    <meta property=\"article:published_time\" content=\"2022-04-01T09:00:00+07:00\">\
    <link rel=\"canonical\" href=\"/bai-viet/ha-nam-quan-triet-quy-dinh-58\">\
    <title>Hà Nam quán triệt Quy định 58</title></head><body><article>\
    <h1>Hà Nam quán triệt Quy định số 58-QĐ/TW</h1>\
    <p>Sáng 30/3, Tỉnh ủy Hà Nam tổ chức hội nghị quán triệt Quy định số 58-QĐ/TW ngày 8/2/2022 \
    của Bộ Chính trị về một số vấn đề bảo vệ chính trị nội bộ Đảng đến cán bộ chủ chốt trong tỉnh.</p>\
    </article></body></html>";

/// Ours: a page with no date at all; its feed item gives one.
const NINH_BINH: &str = "<!DOCTYPE html><html><head><title>Ninh Bình</title></head><body><article>\
    <h1>Ninh Bình quán triệt Quy định số 58-QĐ/TW</h1>\
    <p>Chiều 30/3, Tỉnh ủy Ninh Bình tổ chức hội nghị quán triệt Quy định số 58-QĐ/TW ngày 8/2/2022 \
    của Bộ Chính trị đến cán bộ chủ chốt.</p></article></body></html>";

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default()
}

/// Our text in Windows-1258: tones as combining marks, as that code page
/// writes them.
fn cp1258_page() -> Vec<u8> {
    let text = "<html><head><meta charset=\"windows-1258\"><title>Lai Châu</title></head><body>\
        <p>Sa\u{301}ng 5/6/2023, Ti\u{309}nh u\u{309}y Lai Châu tô\u{309} ch\u{1b0}\u{301}c hô\u{323}i nghi\u{323} \
        qua\u{301}n triê\u{323}t Kê\u{301}t luâ\u{323}n sô\u{301} 21-KL/TW cu\u{309}a Ban Châ\u{301}p ha\u{300}nh Trung \u{1b0}\u{1a1}ng.</p></body></html>";
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1258.encode(text);
    assert!(!unmappable, "the fixture must be pure Windows-1258");
    bytes.into_owned()
}

fn feed_etag_reply(hit: &Hit, etag: &str, reply: Reply) -> Reply {
    if hit.header("If-None-Match") == Some(etag) {
        return Reply::new(304, "text/plain", "");
    }
    reply.header("ETag", etag)
}

/// Every fixture, by path.
fn site(port: u16, path: &str, hit: &Hit) -> Reply {
    match path {
        "/robots.txt" => Reply::new(
            200,
            "text/plain",
            "User-agent: *\nDisallow: /rieng/\n\nUser-agent: khac\nDisallow: /\n",
        ),
        "/feed.xml" => feed_etag_reply(
            hit,
            "\"rss-50\"",
            Reply::new(200, "application/rss+xml; charset=utf-8", rss(port, 50)),
        ),
        "/hai.xml" => Reply::new(200, "application/rss+xml", rss(port, 2)),
        "/ha-nam.html" => Reply::html(HA_NAM),
        "/json-ld.html" => Reply::html(
            "<html><head><script type=\"application/ld+json\">\
             {\"@type\":\"NewsArticle\",\"datePublished\":\"2021-11-20T08:00:00+07:00\"}</script></head>\
             <body><p>Sáng 18/11, Tỉnh ủy Nam Định tổ chức hội nghị quán triệt Nghị quyết số 21-NQ/TW \
             ngày 16/6/2021 của Ban Chấp hành Trung ương cho cán bộ chủ chốt.</p></body></html>",
        ),
        "/time.html" => Reply::html(
            "<html><body><p><time datetime=\"2023-09-10\">10/9/2023</time></p>\
             <p>Chiều 8/9, Tỉnh ủy Thái Bình tổ chức hội nghị quán triệt Kết luận số 57-KL/TW \
             của Bộ Chính trị cho cán bộ chủ chốt.</p></body></html>",
        ),
        "/atom.xml" => Reply::new(
            200,
            "application/atom+xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">\
                 <title>Tin</title><id>urn:tin</id><updated>2022-04-01T00:00:00Z</updated>\
                 <entry><title>Ninh Bình</title><id>urn:nb</id>\
                 <link rel=\"alternate\" href=\"http://127.0.0.1:{port}/ninh-binh.html\"/>\
                 <published>2022-04-01T08:00:00+07:00</published><updated>2022-04-01T08:00:00+07:00</updated></entry></feed>"
            ),
        ),
        "/feed.json" => Reply::new(
            200,
            "application/feed+json",
            format!(
                "{{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"Tin\",\"items\":[\
                 {{\"id\":\"1\",\"url\":\"http://127.0.0.1:{port}/tin/7.html\",\"date_published\":\"2023-04-12T08:00:00+07:00\"}}]}}"
            ),
        ),
        "/ninh-binh.html" => Reply::html(NINH_BINH),
        "/nen.html" => {
            let page = item_page(900);
            if hit
                .header("Accept-Encoding")
                .is_some_and(|a| a.contains("gzip"))
            {
                Reply::new(200, "text/html; charset=utf-8", gzip(page.as_bytes()))
                    .header("Content-Encoding", "gzip")
            } else {
                Reply::html(&page)
            }
        }
        "/cu.html" => Reply::redirect("/moi.html"),
        "/moi.html" => Reply::html(&item_page(901)),
        "/vong-a" => Reply::redirect("/vong-b"),
        "/vong-b" => Reply::redirect("/vong-a"),
        "/loi-may-chu" => Reply::new(500, "text/plain", "lỗi"),
        "/ban" => Reply::new(503, "text/plain", "bận").header("Retry-After", "120"),
        "/sang-rieng" => Reply::redirect("/rieng/bai.html"),
        "/lon.html" => Reply::html(&format!(
            "<html><body><p>{}</p></body></html>",
            "Nội dung rất dài. ".repeat(5000)
        )),
        "/hong.xml" => Reply::new(
            200,
            "application/rss+xml",
            "<rss version=\"2.0\"><channel><item><title>Thiếu</ti",
        ),
        "/bang-ma-la.html" => Reply::new(
            200,
            "text/html; charset=x-bang-ma-la",
            "<html><body>Nội dung</body></html>",
        ),
        "/cp1258.html" => Reply::new(200, "text/html", cp1258_page()),
        "/rieng/bai.html" => Reply::html(&item_page(902)),
        "/anh.png" => Reply::new(200, "image/png", b"\x89PNG\r\n\x1a\n".to_vec()),
        "/cham.html" => {
            let mut r = Reply::html(&item_page(903));
            r.delay = Duration::from_secs(4);
            r
        }
        "/nho-giot.html" => {
            let mut r = Reply::html(&item_page(905));
            r.trickle = Some(Duration::from_millis(400));
            r
        }
        "/hoi-cham.html" => {
            let mut r = Reply::html(&item_page(904));
            r.delay = Duration::from_millis(400);
            r
        }
        p if p.starts_with("/chuoi/") => {
            let n: usize = p.trim_start_matches("/chuoi/").parse().unwrap_or(0);
            Reply::redirect(&format!("/chuoi/{}", n + 1))
        }
        p if p.starts_with("/tin/") => {
            let n: usize = p
                .trim_start_matches("/tin/")
                .trim_end_matches(".html")
                .parse()
                .unwrap_or(0);
            Reply::html(&item_page(n))
        }
        _ => Reply::new(404, "text/plain", "không có"),
    }
}

fn site_server() -> Server {
    let port = Arc::new(Mutex::new(0u16));
    let p = Arc::clone(&port);
    let server = Server::start(move |path, hit| site(*p.lock().expect("port"), path, hit));
    *port.lock().expect("port") = server.port;
    server
}

// ---------------------------------------------------------------- runs

fn vanban(data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vanban"));
    cmd.arg("--data")
        .arg(data)
        .env_remove("VANBAN_DATABASE_URL")
        .env_remove("VANBAN_DATA")
        .env_remove("VANBAN_CONTACT")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .stdin(Stdio::null());
    cmd
}

fn fetch(data: &Path, args: &[&str]) -> (i32, Value, String) {
    let out = vanban(data)
        .args([
            "fetch",
            "--format",
            "json",
            "--resolve-only",
            "localhost=127.0.0.1",
        ])
        .args(args)
        .output()
        .expect("run vanban fetch");
    parse(&out)
}

fn parse(out: &Output) -> (i32, Value, String) {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {stderr}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (out.status.code().unwrap_or(-1), json, stderr)
}

fn doc(data: &Path, reference: &str) -> Value {
    let out = vanban(data)
        .args(["doc", reference, "--format", "json"])
        .output()
        .expect("run vanban doc");
    assert!(
        out.status.success(),
        "doc {reference}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("doc JSON")
}

fn n(v: &Value, field: &str) -> u64 {
    v[field]
        .as_u64()
        .unwrap_or_else(|| panic!("`{field}` is not a count in {v}"))
}

/// The smallest gap between two consecutive requests.
fn min_gap(hits: &[Hit]) -> Duration {
    hits.windows(2)
        .map(|w| w[1].at.saturating_duration_since(w[0].at))
        .min()
        .unwrap_or(Duration::MAX)
}

// ---------------------------------------------------------------- tests

#[test]
fn a_feed_of_50_items_is_stored_politely_and_the_second_run_is_answered_304() {
    let server = site_server();
    let data = tempfile::tempdir().expect("tempdir");
    let (code, summary, stderr) = fetch(
        data.path(),
        &[
            "--delay",
            "0.1",
            "--contact",
            "https://vanban.example/lien-he",
            &server.url("/feed.xml"),
        ],
    );
    assert_eq!(code, 0, "{summary}\n{stderr}");
    assert_eq!(n(&summary, "new"), 50, "{summary}");
    assert_eq!(n(&summary, "failed"), 0, "{summary}");
    assert_eq!(n(&summary, "feeds"), 1);
    assert_eq!(n(&summary, "sources"), 50);

    let hits = server.hits();
    // robots.txt once, first; then the feed; then each item once.
    assert_eq!(
        hits.len(),
        52,
        "{:?}",
        hits.iter().map(|h| &h.path).collect::<Vec<_>>()
    );
    assert_eq!(hits[0].path, "/robots.txt");
    assert_eq!(hits[1].path, "/feed.xml");
    assert_eq!(hits.iter().filter(|h| h.path == "/robots.txt").count(), 1);
    // One request at a time, at least the configured 100 ms apart (the
    // gap measured where the requests arrive, less 10 ms of jitter).
    let gap = min_gap(&hits);
    assert!(gap >= Duration::from_millis(90), "requests {gap:?} apart");
    let ua = hits[1].header("User-Agent").unwrap_or("");
    assert!(
        ua.starts_with("vanban/") && ua.contains("(+https://vanban.example/lien-he)"),
        "{ua}"
    );

    // The second run: one conditional GET, answered 304; nothing fetched.
    let (code, again, stderr) = fetch(data.path(), &["--delay", "0.1", &server.url("/feed.xml")]);
    assert_eq!(code, 0, "{again}\n{stderr}");
    assert_eq!(n(&again, "new"), 0, "{again}");
    assert_eq!(n(&again, "not_modified"), 1, "{again}");
    assert_eq!(n(&again, "sources"), 50);
    let second = &server.hits()[52..];
    let paths: Vec<&str> = second.iter().map(|h| h.path.as_str()).collect();
    assert_eq!(paths, ["/robots.txt", "/feed.xml"]);
    assert_eq!(second[1].header("If-None-Match"), Some("\"rss-50\""));
}

#[test]
fn the_default_delay_is_one_second_per_host() {
    let server = site_server();
    let data = tempfile::tempdir().expect("tempdir");
    let (code, summary, stderr) = fetch(data.path(), &[&server.url("/hai.xml")]);
    assert_eq!(code, 0, "{summary}\n{stderr}");
    assert_eq!(n(&summary, "new"), 2);
    let hits = server.hits();
    assert_eq!(hits.len(), 4);
    let gap = min_gap(&hits);
    assert!(gap >= Duration::from_millis(990), "requests {gap:?} apart");
}

#[test]
fn the_page_metadata_dates_the_event_and_the_canonical_link_is_the_source() {
    let server = site_server();
    let data = tempfile::tempdir().expect("tempdir");
    let (code, summary, stderr) =
        fetch(data.path(), &["--delay", "0", &server.url("/ha-nam.html")]);
    assert_eq!(code, 0, "{summary}\n{stderr}");
    assert_eq!(n(&summary, "new"), 1);
    let d = doc(data.path(), "58-QĐ/TW");
    let events = d["events"].as_array().expect("events");
    assert_eq!(events.len(), 1, "{d}");
    // "Sáng 30/3" has no year: the page's article:published_time gives it.
    assert_eq!(events[0]["date"], "2022-03-30", "{d}");
    assert_eq!(events[0]["province"], "Hà Nam", "{d}");
    let canonical = server.url("/bai-viet/ha-nam-quan-triet-quy-dinh-58");
    assert_eq!(events[0]["source"], canonical.as_str(), "{d}");
    assert_eq!(d["sources"][0]["published"], "2022-04-01", "{d}");
}

#[test]
fn json_ld_and_time_datetime_date_the_events_too() {
    let server = site_server();
    let data = tempfile::tempdir().expect("tempdir");
    let (code, summary, stderr) = fetch(
        data.path(),
        &[
            "--delay",
            "0",
            &server.url("/json-ld.html"),
            &server.url("/time.html"),
        ],
    );
    assert_eq!(code, 0, "{summary}\n{stderr}");
    assert_eq!(n(&summary, "new"), 2);
    let d = doc(data.path(), "21-NQ/TW");
    assert_eq!(d["sources"][0]["published"], "2021-11-20", "{d}");
    assert_eq!(d["events"][0]["date"], "2021-11-18", "{d}");
    let d = doc(data.path(), "57-KL/TW");
    assert_eq!(d["sources"][0]["published"], "2023-09-10", "{d}");
    assert_eq!(d["events"][0]["date"], "2023-09-08", "{d}");
}

#[test]
fn atom_and_json_feeds_and_the_feed_item_date_as_the_fallback() {
    let server = site_server();
    let data = tempfile::tempdir().expect("tempdir");
    let (code, summary, stderr) = fetch(
        data.path(),
        &[
            "--delay",
            "0",
            &server.url("/atom.xml"),
            &server.url("/feed.json"),
        ],
    );
    assert_eq!(code, 0, "{summary}\n{stderr}");
    assert_eq!(n(&summary, "feeds"), 2, "{summary}");
    assert_eq!(n(&summary, "new"), 2, "{summary}");
    // The Ninh Bình page has no date; its Atom entry's does.
    let d = doc(data.path(), "58-QĐ/TW");
    assert_eq!(d["events"][0]["date"], "2022-03-30", "{d}");
    assert_eq!(d["sources"][0]["published"], "2022-04-01", "{d}");
    let d = doc(data.path(), "107-KL/TW");
    assert_eq!(
        d["sources"][0]["source"],
        server.url("/tin/7.html").as_str()
    );
}

#[test]
fn gzip_redirects_and_a_windows_1258_page_are_read() {
    let server = site_server();
    let data = tempfile::tempdir().expect("tempdir");
    let (code, summary, stderr) = fetch(
        data.path(),
        &[
            "--delay",
            "0",
            &server.url("/nen.html"),
            &server.url("/cu.html"),
            &server.url("/cp1258.html"),
            &server.url("/hoi-cham.html"),
        ],
    );
    assert_eq!(code, 0, "{summary}\n{stderr}");
    assert_eq!(n(&summary, "new"), 4, "{summary}");
    let gz = server.hits().into_iter().find(|h| h.path == "/nen.html");
    assert!(gz
        .and_then(|h| h.header("Accept-Encoding").map(|a| a.contains("gzip")))
        .unwrap_or(false));
    assert!(doc(data.path(), "1000-KL/TW")["sources"][0]["excerpt"]
        .as_str()
        .unwrap_or("")
        .contains("Huyện ủy"));
    // A redirect: the source is where it led.
    let d = doc(data.path(), "1001-KL/TW");
    assert_eq!(d["sources"][0]["source"], server.url("/moi.html").as_str());
    // Windows-1258, combining tones, composed (NFC) in the stored text.
    let d = doc(data.path(), "21-KL/TW");
    let excerpt = d["sources"][0]["excerpt"].as_str().unwrap_or("");
    assert!(excerpt.contains("Tỉnh ủy Lai Châu"), "{d}");
    assert_eq!(d["events"][0]["date"], "2023-06-05", "{d}");
}

#[test]
fn every_failure_is_named_and_the_others_go_on() {
    let server = site_server();
    // Nothing listens there once the listener is dropped.
    let closed = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let data = tempfile::tempdir().expect("tempdir");
    let cases: Vec<(String, &str)> = vec![
        (server.url("/khong-co.html"), "status"),
        (server.url("/loi-may-chu"), "status"),
        (server.url("/vong-a"), "redirect_loop"),
        (server.url("/lon.html"), "too_large"),
        (server.url("/hong.xml"), "malformed_feed"),
        (server.url("/bang-ma-la.html"), "unknown_charset"),
        (server.url("/rieng/bai.html"), "robots_disallowed"),
        (server.url("/sang-rieng"), "robots_disallowed"),
        (server.url("/chuoi/0"), "too_many_redirects"),
        (server.url("/ban"), "status"),
        (server.url("/anh.png"), "not_text"),
        (server.url("/cham.html"), "timeout"),
        (server.url("/nho-giot.html"), "timeout"),
        ("http://khong-ton-tai.invalid/bai.html".into(), "dns"),
        (format!("http://127.0.0.1:{closed}/bai.html"), "refused"),
        (format!("https://127.0.0.1:{}/bai.html", server.port), "tls"),
        ("ftp://127.0.0.1/bai.txt".into(), "invalid_url"),
    ];
    let mut args: Vec<String> = ["--delay", "0", "--timeout", "1", "--max-bytes", "20000"]
        .map(String::from)
        .to_vec();
    args.extend(cases.iter().map(|(u, _)| u.clone()));
    args.push(server.url("/ha-nam.html"));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, summary, stderr) = fetch(data.path(), &refs);
    assert_eq!(code, 1, "{summary}\n{stderr}");
    assert_eq!(n(&summary, "new"), 1, "{summary}");
    assert_eq!(
        n(&summary, "failed"),
        cases.len() as u64,
        "{summary}\n{stderr}"
    );
    let failures = summary["failures"].as_array().expect("failures");
    for (i, (url, kind)) in cases.iter().enumerate() {
        let f = &failures[i];
        assert_eq!(f["kind"], *kind, "{url}: {f}");
        assert!(
            f["url"].as_str().unwrap_or("").starts_with(url.as_str()),
            "{url}: {f}"
        );
        // One line on stderr naming the URL and the cause.
        let line = stderr
            .lines()
            .find(|l| l.contains(url.as_str()))
            .unwrap_or_else(|| panic!("no line for {url} in\n{stderr}"));
        assert!(line.starts_with("vanban: "), "{line}");
    }
    assert_eq!(stderr.lines().count(), cases.len(), "{stderr}");
    assert!(stderr.contains("HTTP 404"), "{stderr}");
    assert!(stderr.contains("HTTP 500"), "{stderr}");
    assert!(
        stderr.contains("HTTP 503") && stderr.contains("120"),
        "{stderr}"
    );
    let retry = failures
        .iter()
        .find(|f| f["url"] == server.url("/ban").as_str());
    assert_eq!(
        retry.map(|f| f["retry_after"].clone()),
        Some(Value::from("120"))
    );
    // robots.txt is checked at every redirect hop.
    assert!(!server.hits().iter().any(|h| h.path == "/rieng/bai.html"));
    // Nothing of a failed URL is stored or recorded: the next run tries
    // them again (and stores nothing twice).
    let (code, again, _) = fetch(data.path(), &refs);
    assert_eq!(code, 1);
    assert_eq!(n(&again, "failed"), cases.len() as u64);
    assert_eq!(n(&again, "new"), 0);
    assert_eq!(n(&again, "sources"), 1);
}

/// A fresh schema on the PostgreSQL test server, or `None` (skip) outside
/// CI when none is configured.
fn postgres_url(test: &str) -> Option<String> {
    let Ok(base) = std::env::var("VANBAN_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but VANBAN_TEST_POSTGRES_URL is unset: CI must test the PostgreSQL store (see scripts/ci-postgres.sh)"
        );
        eprintln!("notice: VANBAN_TEST_POSTGRES_URL is unset, PostgreSQL test `{test}` skipped");
        return None;
    };
    let schema = format!("fetch_cli_{test}_{}", std::process::id());
    let mut client = postgres::Client::connect(&base, postgres::NoTls)
        .unwrap_or_else(|e| panic!("cannot reach VANBAN_TEST_POSTGRES_URL: {e}"));
    client
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))
        .expect("create schema");
    let sep = if base.contains('?') { '&' } else { '?' };
    Some(format!("{base}{sep}options=-c%20search_path%3D{schema}"))
}

#[test]
fn on_postgresql_the_second_run_is_answered_304_too() {
    let Some(db) = postgres_url("again") else {
        return;
    };
    let server = site_server();
    let data = tempfile::tempdir().expect("tempdir");
    let args = ["--database", db.as_str(), "--delay", "0"];
    let feed = server.url("/feed.xml");
    let mut first: Vec<&str> = args.to_vec();
    first.push(&feed);
    let (code, summary, stderr) = fetch(data.path(), &first);
    assert_eq!(code, 0, "{summary}\n{stderr}");
    assert_eq!(n(&summary, "new"), 50);
    let (code, again, stderr) = fetch(data.path(), &first);
    assert_eq!(code, 0, "{again}\n{stderr}");
    assert_eq!(
        (n(&again, "new"), n(&again, "not_modified")),
        (0, 1),
        "{again}"
    );
    assert!(
        !data.path().join("vanban.sqlite3").exists(),
        "with --database nothing is stored in --data but the index"
    );
}

fn watch_once(data: &Path, sources: &Path) -> (i32, Value, String) {
    let out = vanban(data)
        .args(["watch", "--once", "--format", "json", "--delay", "0"])
        .args(["--resolve-only", "localhost=127.0.0.1"])
        .arg(sources)
        .output()
        .expect("run vanban watch");
    parse(&out)
}

#[test]
fn watch_once_fetches_what_is_due_and_nothing_twice() {
    let server = site_server();
    let data = tempfile::tempdir().expect("tempdir");
    let sources = data.path().join("nguon-tin.toml");
    std::fs::write(
        &sources,
        format!(
            "every = \"1h\"\n\n[[source]]\nurl = \"{}\"\n\n[[source]]\nurl = \"{}\"\nevery = \"5s\"\n\n\
             [[source]]\nurl = \"{}\"\n",
            server.url("/hai.xml"),
            server.url("/ha-nam.html"),
            server.url("/hai.xml"),
        ),
    )
    .expect("write SOURCES.toml");
    let (code, first, stderr) = watch_once(data.path(), &sources);
    assert_eq!(code, 0, "{first}\n{stderr}");
    assert_eq!((n(&first, "new"), n(&first, "not_due")), (3, 0), "{first}");
    let hits = server.hits().len();
    assert_eq!(hits, 5, "robots.txt, the feed, its two items, the page");

    // At once again: nothing is due, nothing is fetched.
    let (code, second, stderr) = watch_once(data.path(), &sources);
    assert_eq!(code, 0, "{second}\n{stderr}");
    assert_eq!(
        (n(&second, "urls"), n(&second, "not_due")),
        (0, 2),
        "{second}"
    );
    assert_eq!(server.hits().len(), hits);

    // Five seconds later the page (every 5 s) is due; the feed (every 1 h)
    // is not. (The interval leaves room for a slow start on a loaded machine.)
    std::thread::sleep(Duration::from_millis(5100));
    let (code, third, stderr) = watch_once(data.path(), &sources);
    assert_eq!(code, 0, "{third}\n{stderr}");
    assert_eq!(
        (
            n(&third, "urls"),
            n(&third, "unchanged"),
            n(&third, "not_due")
        ),
        (1, 1, 1),
        "{third}"
    );
    let paths: Vec<String> = server.hits()[hits..]
        .iter()
        .map(|h| h.path.clone())
        .collect();
    assert_eq!(paths, ["/robots.txt", "/ha-nam.html"]);

    // A malformed SOURCES.toml is a usage error naming the file.
    std::fs::write(
        &sources,
        "[[source]]\nurl = \"http://127.0.0.1/\"\nevery = \"mãi mãi\"\n",
    )
    .expect("write");
    let out = vanban(data.path())
        .args(["watch", "--once"])
        .arg(&sources)
        .output()
        .expect("run vanban watch");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("nguon-tin.toml") && err.contains("not an interval"),
        "{err}"
    );
}

#[test]
fn a_back_off_survives_once_runs_and_status_shows_it() {
    let server = site_server();
    let data = tempfile::tempdir().expect("tempdir");
    let sources = data.path().join("nguon-tin.toml");
    std::fs::write(
        &sources,
        format!(
            "[[source]]\nurl = \"{}\"\nevery = \"2s\"\n\n[[source]]\nurl = \"{}\"\nevery = \"1h\"\n",
            server.url("/loi-may-chu"),
            server.url("/ha-nam.html"),
        ),
    )
    .expect("write SOURCES.toml");
    let (code, first, stderr) = watch_once(data.path(), &sources);
    assert_eq!(code, 1, "{first}\n{stderr}");
    assert_eq!((n(&first, "new"), n(&first, "failed")), (1, 1), "{first}");
    let hits = server.hits().len();
    // 2.1 s later the failing source's interval (2 s) has passed, but not
    // its back-off (4 s), which the store kept: nothing is fetched.
    std::thread::sleep(Duration::from_millis(2100));
    let (code, second, stderr) = watch_once(data.path(), &sources);
    assert_eq!(code, 0, "{second}\n{stderr}");
    assert_eq!(
        (n(&second, "urls"), n(&second, "not_due")),
        (0, 2),
        "{second}"
    );
    assert_eq!(server.hits().len(), hits);

    let out = vanban(data.path())
        .args(["watch", "--status"])
        .output()
        .expect("run vanban watch --status");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Nguồn đang theo dõi (watched sources): 2"),
        "{text}"
    );
    assert!(text.contains("lỗi 1 lần liên tiếp"), "{text}");
    assert!(text.contains("chờ lùi (back-off) 4s"), "{text}");
    assert!(text.contains("HTTP 500"), "{text}");
    assert!(text.contains("bình thường (ok)"), "{text}");
    let out = vanban(data.path())
        .args(["watch", "--status", "--format", "json"])
        .output()
        .expect("run vanban watch --status");
    let list: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let list = list.as_array().expect("an array");
    assert_eq!(list.len(), 2);
    let bad = list
        .iter()
        .find(|r| r["url"] == server.url("/loi-may-chu").as_str())
        .expect("listed");
    assert_eq!(
        (&bad["failures"], &bad["backoff_seconds"], &bad["origin"]),
        (&Value::from(1), &Value::from(4), &Value::from("file"))
    );
    assert!(bad["last_fetch"].is_string() && bad["next_due"].is_string());
}

#[test]
fn a_killed_fetch_is_finished_by_the_next_run_and_nothing_stored_is_fetched_twice() {
    let server = site_server();
    let data = tempfile::tempdir().expect("tempdir");
    let feed = server.url("/feed.xml");
    let mut child = vanban(data.path())
        .args(["fetch", "--quiet", "--delay", "0.05", &feed])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start vanban fetch");
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.hits().len() < 15 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    let killed_at = server.hits().len();
    assert!(killed_at < 52, "the run ended before it was killed");

    let (code, summary, stderr) = fetch(data.path(), &["--delay", "0", &feed]);
    assert_eq!(code, 0, "{summary}\n{stderr}");
    assert_eq!(n(&summary, "sources"), 50, "{summary}");
    // The feed's validators were not kept by the killed run: no 304 that
    // would hide the items it had not reached.
    assert_eq!(n(&summary, "not_modified"), 0);
    let mut per_item = std::collections::HashMap::new();
    for h in server.hits() {
        if h.path.starts_with("/tin/") {
            *per_item.entry(h.path).or_insert(0) += 1;
        }
    }
    assert_eq!(per_item.len(), 50);
    // At most the one page in flight when the kill came is fetched again.
    let twice: Vec<_> = per_item.iter().filter(|(_, c)| **c > 1).collect();
    assert!(twice.len() <= 1, "fetched twice: {twice:?}");
}

#[test]
fn a_robots_crawl_delay_longer_than_the_delay_is_honoured() {
    let server = Server::start(|path, _| match path {
        "/robots.txt" => Reply::new(200, "text/plain", "User-agent: *\nCrawl-delay: 0.3\n"),
        p => Reply::html(&item_page(p.len())),
    });
    let data = tempfile::tempdir().expect("tempdir");
    let (code, summary, stderr) = fetch(
        data.path(),
        &[
            "--delay",
            "0",
            &server.url("/a.html"),
            &server.url("/bb.html"),
            &server.url("/ccc.html"),
        ],
    );
    assert_eq!(code, 0, "{summary}\n{stderr}");
    assert_eq!(n(&summary, "new"), 3);
    let hits = server.hits();
    assert_eq!(hits.len(), 4);
    let gap = min_gap(&hits);
    assert!(gap >= Duration::from_millis(290), "requests {gap:?} apart");
}

#[test]
fn watch_without_once_fetches_again_at_each_interval_until_stopped() {
    let server = site_server();
    let data = tempfile::tempdir().expect("tempdir");
    let sources = data.path().join("nguon.toml");
    std::fs::write(
        &sources,
        format!(
            "[[source]]\nurl = \"{}\"\nevery = \"1s\"\n",
            server.url("/ha-nam.html")
        ),
    )
    .expect("write");
    let mut child = vanban(data.path())
        .args(["watch", "--format", "json", "--delay", "0"])
        .arg(&sources)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start vanban watch");
    let deadline = Instant::now() + Duration::from_secs(20);
    while server
        .hits()
        .iter()
        .filter(|h| h.path == "/ha-nam.html")
        .count()
        < 3
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let out = child.wait_with_output().expect("wait");
    let pages: Vec<Instant> = server
        .hits()
        .iter()
        .filter(|h| h.path == "/ha-nam.html")
        .map(|h| h.at)
        .collect();
    assert!(pages.len() >= 3, "fetched {} times", pages.len());
    for w in pages.windows(2) {
        let gap = w[1].saturating_duration_since(w[0]);
        assert!(
            gap >= Duration::from_millis(950),
            "fetched again after {gap:?}"
        );
    }
    // One JSON summary per pass: the first stored the page, the next found
    // it unchanged.
    let text = String::from_utf8_lossy(&out.stdout);
    let passes: Vec<Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert!(passes.len() >= 2, "{text}");
    assert_eq!(n(&passes[0], "new"), 1);
    assert_eq!(n(&passes[1], "unchanged"), 1);
    // robots.txt is read once per run, not once per pass.
    assert_eq!(
        server
            .hits()
            .iter()
            .filter(|h| h.path == "/robots.txt")
            .count(),
        1
    );
}

/// One HTTP/1.1 request to the vanban server: (status, body).
fn api(port: u16, method: &str, path: &str, token: &str, body: &str) -> (u16, String) {
    let (status, answer) = common::http(port, method, path, token, body, Duration::from_secs(30));
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_watch_fetches_the_file_and_the_sources_added_through_the_api() {
    let server = site_server();
    let data = tempfile::tempdir().expect("tempdir");
    let token = vanban(data.path())
        .args(["token", "create", "theo-doi"])
        .output()
        .expect("token create");
    assert!(
        token.status.success(),
        "{}",
        String::from_utf8_lossy(&token.stderr)
    );
    let token = String::from_utf8_lossy(&token.stdout).trim().to_owned();
    let sources = data.path().join("nguon-tin.toml");
    std::fs::write(
        &sources,
        format!(
            "[[source]]\nurl = \"{}\"\nevery = \"1h\"\n",
            server.url("/ha-nam.html")
        ),
    )
    .expect("write SOURCES.toml");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let _serve = Child(
        vanban(data.path())
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .arg("--watch")
            .arg(&sources)
            .args(["--watch-delay", "0"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve --watch"),
    );
    let sources_now = || -> u64 {
        let (status, body) = api(port, "GET", "/api/v1/stats", "", "");
        if status != 200 {
            return 0;
        }
        serde_json::from_str::<Value>(&body)
            .ok()
            .and_then(|v| v["sources"].as_u64())
            .unwrap_or(0)
    };
    let wait_for = |n: u64| {
        let started = Instant::now();
        while sources_now() < n {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the server never showed {n} sources"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    // The file's page is fetched at once and shown.
    wait_for(1);
    let body = serde_json::json!({"url": server.url("/json-ld.html"), "every": "1h"}).to_string();
    let (status, answer) = api(port, "POST", "/api/v1/watch", &token, &body);
    assert_eq!(status, 201, "{answer}");
    let (status, _) = api(port, "POST", "/api/v1/watch", "vbt_sai", &body);
    assert_eq!(status, 401);
    // The source added through the API is fetched within a poll.
    wait_for(2);
    let (status, listed) = api(port, "GET", "/api/v1/watch", "", "");
    assert_eq!(status, 200, "{listed}");
    let listed: Value = serde_json::from_str(&listed).expect("JSON");
    let list = listed.as_array().expect("a list");
    assert_eq!(list.len(), 2, "{listed}");
    assert!(
        list.iter()
            .all(|r| r["last_fetch"].is_string() && r["failures"] == 0),
        "{listed}"
    );
    let origins: Vec<&str> = list.iter().filter_map(|r| r["origin"].as_str()).collect();
    assert_eq!(origins, ["file", "api"]);
    // The API-added page's event (dated by its JSON-LD) is in the store.
    let d = doc(data.path(), "21-NQ/TW");
    assert!(d["events"].as_array().is_some_and(|e| !e.is_empty()), "{d}");
}
