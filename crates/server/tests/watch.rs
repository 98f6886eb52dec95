//! Watched sources in the server: `GET`/`POST /api/v1/watch` (token,
//! validation, duplicates) and the watcher thread of `vanban serve
//! --watch`, against a local HTTP server on 127.0.0.1 only: a text it
//! fetches is in the API and search at the end of its pass, and a failing
//! source shows its back-off.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;
use vanban_search::SearchIndex;
use vanban_server::{auth, router, AppState, Config};
use vanban_store::{Location, NewSource, Store};

const TOKEN: &str = "vbt_test-token-for-the-watch-tests";

const KNOWN: &str = "# date = 20240310
Tỉnh ủy Quảng Trị học tập Chỉ thị 35
Ngày 8/3/2024, Ban Thường vụ Tỉnh ủy Quảng Trị tổ chức hội nghị quán triệt Chỉ thị số 35-CT/TW ngày 14/6/2024 của Bộ Chính trị.
";

/// The page the local site serves (written for this test).
const PAGE: &str = "<html><head><title>Lâm Đồng quán triệt Quy định 189</title>\
<meta property=\"article:published_time\" content=\"2025-04-02T08:00:00+07:00\"></head><body>\
<h1>Lâm Đồng quán triệt Quy định 189</h1>\
<p>Sáng 1/4, Ban Thường vụ Tỉnh ủy Lâm Đồng tổ chức hội nghị học tập, quán triệt Quy định số 189-QĐ/TW ngày 8/10/2024 của Bộ Chính trị về kiểm soát quyền lực trong quản lý, sử dụng tài chính, tài sản công.</p>\
</body></html>";

struct TestApp {
    app: Router,
    state: AppState,
    location: Location,
    _dir: tempfile::TempDir,
}

fn build() -> TestApp {
    let dir = tempfile::tempdir().expect("temporary directory");
    let location = Location::Embedded(dir.path().to_path_buf());
    let mut store = Store::open(&location).expect("store");
    store
        .insert(&[NewSource::from_input("tin/quang-tri.txt", KNOWN.as_bytes())])
        .expect("insert");
    store
        .backend()
        .put_token("tests", &auth::hash(TOKEN))
        .expect("token");
    let index = SearchIndex::in_memory().expect("index");
    vanban_store::indexing::rebuild(&mut store, &index, &mut |_| {}).expect("indexing");
    let state = AppState::new(store, Some(index), None, Config::default()).expect("state");
    let app = router(state.clone()).expect("router");
    TestApp {
        app,
        state,
        location,
        _dir: dir,
    }
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
        .await
        .expect("body");
    let v = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, v)
}

async fn get(app: &Router, uri: &str) -> (StatusCode, Value) {
    send(app, Request::get(uri).body(Body::empty()).expect("request")).await
}

async fn post_watch(app: &Router, body: Value, token: Option<&str>) -> (StatusCode, Value) {
    let mut r = Request::post("/api/v1/watch").header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    send(app, r.body(Body::from(body.to_string())).expect("request")).await
}

#[tokio::test]
async fn sources_are_added_with_a_token_validated_and_listed() {
    let t = build();
    let url = "http://127.0.0.1:9/tinh-uy/rss.xml";
    let body = serde_json::json!({"url": url, "every": "15m"});
    let (status, v) = post_watch(&t.app, body.clone(), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{v}");
    let (status, v) = post_watch(&t.app, body.clone(), Some("vbt_wrong")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{v}");
    for bad in [
        serde_json::json!({"url": "ftp://127.0.0.1/rss.xml"}),
        serde_json::json!({"url": "không phải địa chỉ"}),
        serde_json::json!({"url": ""}),
        serde_json::json!({"url": url, "every": "mãi mãi"}),
        serde_json::json!({"url": url, "every": "0s"}),
        serde_json::json!({"url": url, "moi": 1}),
    ] {
        let (status, v) = post_watch(&t.app, bad.clone(), Some(TOKEN)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {v}");
        assert_eq!(v["error"]["code"], "bad_request", "{v}");
    }
    let (_, listed) = get(&t.app, "/api/v1/watch").await;
    assert_eq!(listed, serde_json::json!([]));

    let (status, v) = post_watch(&t.app, body, Some(TOKEN)).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["url"], url);
    assert_eq!(v["every"], "15m");
    assert_eq!(v["every_seconds"], 900);
    assert_eq!(v["origin"], "api");
    // A duplicate updates the interval.
    let again = serde_json::json!({"url": url, "every": "2h"});
    let (status, v) = post_watch(&t.app, again, Some(TOKEN)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["every_seconds"], 7200);
    // Without `every`: one hour.
    let page = "https://127.0.0.1:9/tin-moi.html";
    let (status, v) = post_watch(&t.app, serde_json::json!({"url": page}), Some(TOKEN)).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["every"], "1h");

    let (status, listed) = get(&t.app, "/api/v1/watch").await;
    assert_eq!(status, StatusCode::OK);
    let list = listed.as_array().expect("a list");
    assert_eq!(list.len(), 2, "{listed}");
    let first = &list[0];
    assert_eq!(first["url"], url);
    assert_eq!(first["every"], "2h");
    assert!(first["last_fetch"].is_null() && first["next_due"].is_null());
    assert_eq!(first["failures"], 0);
    assert!(first["backoff_seconds"].is_null() && first["last_error"].is_null());
    // Kept in the store.
    let mut store = Store::open(&t.location).expect("store");
    assert_eq!(store.backend().watched_sources().expect("rows").len(), 2);

    // Removed with a token; a second time it is not watched.
    let delete = |token: Option<&str>| {
        let mut r = Request::delete(format!(
            "/api/v1/watch?url={}",
            "https%3A%2F%2F127.0.0.1%3A9%2Ftin-moi.html"
        ));
        if let Some(t) = token {
            r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        r.body(Body::empty()).expect("request")
    };
    let (status, _) = send(&t.app, delete(None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = send(&t.app, delete(Some(TOKEN))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, v) = send(&t.app, delete(Some(TOKEN))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{v}");
    let (_, listed) = get(&t.app, "/api/v1/watch").await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(store.backend().watched_sources().expect("rows").len(), 1);

    let (_, doc) = get(&t.app, "/api/v1/openapi.json").await;
    assert!(doc["paths"]["/api/v1/watch"]["delete"]["security"].is_array());
    assert!(doc["paths"]["/api/v1/watch"]["get"].is_object(), "{doc}");
    assert!(doc["paths"]["/api/v1/watch"]["post"]["security"].is_array());
    assert!(doc["components"]["schemas"]["WatchRequest"].is_object());
    assert!(doc["components"]["schemas"]["WatchedDto"].is_object());
}

/// A site on 127.0.0.1: `/robots.txt` 404, `/tin/lam-dong.html` the page,
/// `/hong.html` always 503.
fn site() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                    break;
                }
            }
            let (status, kind, body) = match path.as_str() {
                "/tin/lam-dong.html" => ("200 OK", "text/html; charset=utf-8", PAGE),
                "/hong.html" => ("503 Service Unavailable", "text/plain", "bảo trì"),
                _ => ("404 Not Found", "text/plain", "không có"),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_watcher_makes_fetched_texts_visible_and_keeps_a_failing_source_backed_off() {
    let t = build();
    let port = site();
    let page = format!("http://127.0.0.1:{port}/tin/lam-dong.html");
    let broken = format!("http://127.0.0.1:{port}/hong.html");
    let (_, before) = get(&t.app, "/api/v1/stats").await;
    assert_eq!(before["sources"], 1);
    let (_, found) = get(&t.app, "/api/v1/search?q=L%C3%A2m+%C4%90%E1%BB%93ng").await;
    assert_eq!(found["total"], 0, "{found}");

    // The SOURCES.toml's source (the broken one) and one added through the API.
    let config = vanban_fetch::Config {
        delay: Duration::ZERO,
        timeout: Duration::from_secs(10),
        total_timeout: Duration::from_secs(20),
        ..vanban_fetch::Config::default()
    };
    let stop = Arc::new(AtomicBool::new(false));
    let thread = vanban_server::watch::spawn(
        t.state.clone(),
        Store::open(&t.location).expect("watcher's store"),
        vec![(broken.clone(), 600.0)],
        config,
        tokio::runtime::Handle::current(),
        Arc::clone(&stop),
    )
    .expect("watcher");
    let (status, _) = post_watch(
        &t.app,
        serde_json::json!({"url": page, "every": "1h"}),
        Some(TOKEN),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);

    // In search (the last step of the pass's publication), then in the graph.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (_, found) = get(&t.app, "/api/v1/search?q=L%C3%A2m+%C4%90%E1%BB%93ng").await;
        if found["total"].as_u64().unwrap_or(0) >= 1 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the page never appeared: {found}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (_, stats) = get(&t.app, "/api/v1/stats").await;
    assert_eq!(stats["sources"], 2, "{stats}");
    let (status, doc) = get(&t.app, "/api/v1/documents/189-Q%C4%90%2FTW").await;
    assert_eq!(status, StatusCode::OK, "{doc}");

    let (_, listed) = get(&t.app, "/api/v1/watch").await;
    let list = listed.as_array().expect("list");
    let row = |url: &str| {
        list.iter()
            .find(|r| r["url"] == url)
            .cloned()
            .unwrap_or_else(|| panic!("{url} not listed: {listed}"))
    };
    let ok = row(&page);
    assert!(
        ok["last_fetch"].is_string() && ok["next_due"].is_string(),
        "{ok}"
    );
    assert_eq!(ok["failures"], 0);
    let bad = row(&broken);
    assert_eq!(bad["origin"], "file");
    assert_eq!(bad["failures"], 1, "{bad}");
    // 10 minutes times 2 after the first failure.
    assert_eq!(bad["backoff_seconds"], 1200, "{bad}");
    assert!(
        bad["last_error"].as_str().unwrap_or("").contains("503"),
        "{bad}"
    );
    // A SOURCES.toml source is not removed through the API.
    let r = Request::delete(format!("/api/v1/watch?url={port}"))
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(Body::empty())
        .expect("request");
    let (status, _) = send(&t.app, r).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let encoded = broken.replace(':', "%3A").replace('/', "%2F");
    let r = Request::delete(format!("/api/v1/watch?url={encoded}"))
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(Body::empty())
        .expect("request");
    let (status, v) = send(&t.app, r).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    tokio::task::spawn_blocking(move || thread.join())
        .await
        .expect("join")
        .expect("the watcher thread ended cleanly");
}
