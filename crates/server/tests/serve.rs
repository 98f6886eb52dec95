//! The server on a real socket (loopback only): a normal request, a client
//! that never finishes its headers (slowloris), and stopping.

use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use vanban_server::{router, serve_until, AppState, Config};
use vanban_store::{Location, Store};

const HEADER_TIMEOUT: Duration = Duration::from_secs(1);

struct Running {
    addr: std::net::SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<vanban_server::Result<()>>,
    _dir: tempfile::TempDir,
}

/// The whole application over an empty store, on a free loopback port.
async fn start() -> Running {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::open(&Location::Embedded(dir.path().to_path_buf())).expect("store");
    let config = Config {
        header_timeout: HEADER_TIMEOUT,
        ..Config::default()
    };
    let state = AppState::new(store, None, None, config).expect("state");
    let app = router(state).expect("router");
    let listener = vanban_server::bind("127.0.0.1:0".parse().expect("address"))
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(serve_until(listener, app, HEADER_TIMEOUT, async {
        let _ = stopped.await;
    }));
    Running {
        addr,
        stop: Some(stop),
        task,
        _dir: dir,
    }
}

/// Reads until the server closes the connection (or `limit` passes).
async fn read_to_close(stream: &mut TcpStream, limit: Duration) -> (String, bool) {
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Err(_) => return (String::from_utf8_lossy(&out).into_owned(), false),
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&out).into_owned(), true),
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
        }
    }
}

/// Reads one whole response (with `Content-Length` or chunked).
async fn read_response(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = stream.read(&mut buf).await.expect("read");
        assert!(n > 0, "closed early: {}", String::from_utf8_lossy(&out));
        out.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&out).into_owned();
        let Some(end) = text.find("\r\n\r\n") else {
            continue;
        };
        let head = text[..end].to_ascii_lowercase();
        let length = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok());
        let done = match length {
            Some(len) => out.len() >= end + 4 + len,
            None => text.ends_with("\r\n0\r\n\r\n"),
        };
        if done {
            return text;
        }
    }
}

#[tokio::test]
async fn a_normal_request_is_answered_through_serve() {
    let mut running = start().await;
    let mut stream = TcpStream::connect(running.addr).await.expect("connect");
    stream
        .write_all(b"GET /static/app.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    let (answer, closed) = read_to_close(&mut stream, Duration::from_secs(10)).await;
    assert!(closed, "the server closes after `Connection: close`");
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.contains("text/css"), "{answer}");
    assert!(answer
        .to_ascii_lowercase()
        .contains("x-content-type-options: nosniff"));

    // A page, on a kept-alive connection: two requests, one connection.
    let mut stream = TcpStream::connect(running.addr).await.expect("connect");
    for _ in 0..2 {
        stream
            .write_all(b"GET /dang-nhap HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .expect("write");
        let answer = tokio::time::timeout(Duration::from_secs(10), read_response(&mut stream))
            .await
            .expect("an answer in time");
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
        assert!(answer.contains("Mã truy cập"), "{answer}");
    }

    if let Some(stop) = running.stop.take() {
        let _ = stop.send(());
    }
    let finished = tokio::time::timeout(
        vanban_server::SHUTDOWN_GRACE + Duration::from_secs(2),
        &mut running.task,
    )
    .await;
    assert!(
        matches!(finished, Ok(Ok(Ok(())))),
        "serve stops after the signal even with a connection open"
    );
    assert!(
        TcpStream::connect(running.addr).await.is_err(),
        "no longer accepting"
    );
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let running = start().await;
    let mut stream = TcpStream::connect(running.addr).await.expect("connect");
    let started = Instant::now();
    // No final blank line: the request's headers never end.
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    let (answer, closed) =
        read_to_close(&mut stream, HEADER_TIMEOUT + Duration::from_secs(2)).await;
    assert!(
        closed,
        "still open after {:?} (answer so far: {answer:?})",
        started.elapsed()
    );
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    assert!(started.elapsed() >= HEADER_TIMEOUT - Duration::from_millis(100));

    // A connection that sends nothing at all is closed too.
    let mut silent = TcpStream::connect(running.addr).await.expect("connect");
    let (_, closed) = read_to_close(&mut silent, HEADER_TIMEOUT + Duration::from_secs(2)).await;
    assert!(
        closed,
        "an idle connection is closed after the header timeout"
    );

    // The server still answers others.
    let mut stream = TcpStream::connect(running.addr).await.expect("connect");
    stream
        .write_all(b"GET /static/app.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    let (answer, _) = read_to_close(&mut stream, Duration::from_secs(10)).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
}
