//! Ballot entry in the web application, through the router (no network):
//! a counting session with two clerks, comparison, resolution, counting,
//! minutes, the log, tokens and a restart over the same data directory.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use serde_json::Value;
use std::path::Path;
use tower::ServiceExt;
use vanban_election::{count, count_csv, parse_election, Ballot, Mark};
use vanban_server::{auth, router, AppState, Config};
use vanban_store::{Location, Store};

const TOKEN: &str = "vbt_test-token-for-the-ballot-tests";

const ELECTION: &str = r#"title = "Bầu Ban Chấp hành Chi bộ thôn Đông Hòa, nhiệm kỳ 2025 – 2030"
office = "ban_chap_hanh"
seats = 2
congress = "members"
convened = 6
ballots_issued = 5
ballot_form = "strike_out"
candidates = ["Lê Văn Ánh", "Phạm Thị Hoa", "Đỗ Minh Tú"]
place = "Nhà văn hóa thôn Đông Hòa"
counting_committee = ["Nguyễn Thị Lan", "Trần Quốc Bảo"]

[deductions]
absent_with_leave = 1
"#;

fn app_over(dir: &Path) -> Router {
    let mut store = Store::open(&Location::Embedded(dir.to_path_buf())).expect("store");
    store
        .backend()
        .put_token("ballots", &auth::hash(TOKEN))
        .expect("token");
    let state = AppState::new(store, None, None, Config::default()).expect("state");
    router(state).expect("router")
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    bytes: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    }
}

async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
        .await
        .expect("body")
        .to_vec();
    Answer {
        status,
        headers,
        bytes,
    }
}

async fn get(app: &Router, uri: &str) -> Answer {
    send(app, Request::get(uri).body(Body::empty()).expect("request")).await
}

/// How a write carries its token.
#[derive(Clone, Copy)]
enum Auth {
    None,
    Bearer,
    Cookie,
}

async fn form(app: &Router, uri: &str, fields: &[(&str, &str)], auth: Auth) -> Answer {
    let (mut r, body) = common::form_post(uri, fields);
    match auth {
        Auth::None => {}
        Auth::Bearer => r = r.header(header::AUTHORIZATION, format!("Bearer {TOKEN}")),
        Auth::Cookie => r = r.header(header::COOKIE, format!("theme=x; vanban_token={TOKEN}")),
    }
    send(app, r.body(Body::from(body)).expect("request")).await
}

async fn post_json(app: &Router, uri: &str, body: Value, token: bool) -> Answer {
    let mut r = Request::post(uri).header(header::CONTENT_TYPE, "application/json");
    if token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {TOKEN}"));
    }
    send(app, r.body(Body::from(body.to_string())).expect("request")).await
}

/// One clerk's reading of a strike-out ballot: the struck names' indexes.
async fn enter(
    app: &Router,
    id: &str,
    clerk: u8,
    ballot: u64,
    sealed: bool,
    struck: &[usize],
    reason: Option<&str>,
) -> Answer {
    let number = ballot.to_string();
    let names: Vec<String> = struck.iter().map(|i| format!("m{i}")).collect();
    let mut fields: Vec<(&str, &str)> = vec![("ballot", &number)];
    if sealed {
        fields.push(("sealed", "true"));
    }
    for n in &names {
        fields.push((n, "strike"));
    }
    if let Some(r) = reason {
        fields.push(("reason", r));
    }
    form(
        app,
        &format!("/bau-cu/{id}/nhap/{clerk}"),
        &fields,
        Auth::Cookie,
    )
    .await
}

fn ballot(id: u64, sealed: bool, struck: &[usize]) -> Ballot {
    Ballot {
        id: id.to_string(),
        sealed,
        marks: (0..3)
            .map(|i| {
                if struck.contains(&i) {
                    Mark::Strike
                } else {
                    Mark::Keep
                }
            })
            .collect(),
    }
}

fn log_lines(dir: &Path, id: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(dir.join("elections").join(format!("{id}.jsonl")))
        .expect("log file");
    text.lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

#[tokio::test]
async fn two_clerks_compare_resolve_count_and_the_log_survives_a_restart() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let app = app_over(dir.path());

    // Writes without a valid token are refused and write nothing.
    let a = form(&app, "/bau-cu", &[("election_toml", ELECTION)], Auth::None).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(a.text().contains("Mã truy cập"), "{}", a.text());
    let a = post_json(
        &app,
        "/api/v1/elections",
        serde_json::json!({"election_toml": ELECTION}),
        false,
    )
    .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.json()["error"]["code"], "unauthorized");
    assert!(!dir.path().join("elections").exists());

    // A bad ELECTION.toml is refused with the reason.
    let a = form(
        &app,
        "/bau-cu",
        &[("election_toml", &ELECTION.replace("seats = 2", "seats = 9"))],
        Auth::Bearer,
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(
        a.text().contains("9 seats but only 3 candidates"),
        "{}",
        a.text()
    );

    // The token form sets the cookie only for a known token.
    let a = form(
        &app,
        "/bau-cu/ma-truy-cap",
        &[("token", "vbt_wrong"), ("next", "/bau-cu")],
        Auth::None,
    )
    .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(a.headers.get(header::SET_COOKIE).is_none());
    let a = form(
        &app,
        "/bau-cu/ma-truy-cap",
        &[("token", TOKEN), ("next", "https://example.org/")],
        Auth::None,
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.location(), "/bau-cu", "no redirect off the site");
    let cookie = a
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(cookie.starts_with(&format!("vanban_token={TOKEN};")) && cookie.contains("HttpOnly"));

    // Create the session.
    let a = form(
        &app,
        "/bau-cu",
        &[("election_toml", ELECTION)],
        Auth::Cookie,
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    let id = a
        .location()
        .strip_prefix("/bau-cu/")
        .expect("a session URL")
        .to_owned();
    let overview = get(&app, &format!("/bau-cu/{id}")).await;
    assert_eq!(overview.status, StatusCode::OK);
    assert!(overview.text().contains("Đông Hòa, nhiệm kỳ 2025 – 2030"));
    assert!(get(&app, "/bau-cu")
        .await
        .text()
        .contains(&format!("/bau-cu/{id}")));

    // Clerk 1 enters ballots 1–5 (ballot 2 first wrongly, then corrected).
    for (n, sealed, struck) in [
        (1, true, &[2usize][..]),
        (2, true, &[1, 2][..]),
        (3, true, &[0][..]),
        (4, false, &[][..]),
        (5, true, &[1][..]),
    ] {
        let a = enter(&app, &id, 1, n, sealed, struck, None).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "ballot {n}: {}", a.text());
        assert_eq!(a.location(), format!("/bau-cu/{id}/nhap/1?saved={n}"));
    }
    // Entering ballot 2 again is a correction: it needs a reason.
    let a = enter(&app, &id, 1, 2, true, &[2], None).await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert!(a.text().contains("đã nhập phiếu số 2"), "{}", a.text());
    let a = enter(&app, &id, 1, 2, true, &[2], Some("đọc nhầm tên thứ hai")).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    // Out of range and without a token: refused.
    assert_eq!(
        enter(&app, &id, 1, 7, true, &[], None).await.status,
        StatusCode::BAD_REQUEST
    );
    let a = form(
        &app,
        &format!("/bau-cu/{id}/nhap/1"),
        &[("ballot", "ba"), ("sealed", "true")],
        Auth::Cookie,
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(
        a.text().contains("số phiếu `ba` không phải là một số"),
        "{}",
        a.text()
    );
    let lines_before = log_lines(dir.path(), &id).len();
    let a = form(
        &app,
        &format!("/bau-cu/{id}/nhap/2"),
        &[("ballot", "1"), ("sealed", "true"), ("m2", "strike")],
        Auth::None,
    )
    .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(log_lines(dir.path(), &id).len(), lines_before);

    // Clerk 2 enters 1–4; ballot 3 differs, ballot 5 is missing.
    for (n, sealed, struck) in [
        (1, true, &[2usize][..]),
        (2, true, &[2][..]),
        (3, true, &[0, 1][..]),
        (4, false, &[][..]),
    ] {
        let a = enter(&app, &id, 2, n, sealed, struck, None).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "ballot {n}: {}", a.text());
    }
    // Each clerk sees only their own entries.
    let page = get(&app, &format!("/bau-cu/{id}/nhap/2")).await.text();
    assert!(
        page.contains("Các phiếu người nhập 2 đã nhập (4)"),
        "{page}"
    );
    let page = get(&app, &format!("/bau-cu/{id}/nhap/1")).await.text();
    assert!(
        page.contains("Các phiếu người nhập 1 đã nhập (5)"),
        "{page}"
    );

    // The comparison lists ballot 3 (differs) and 5 (one clerk only).
    let cmp = get(&app, &format!("/bau-cu/{id}/doi-chieu")).await;
    assert_eq!(cmp.status, StatusCode::OK);
    let cmp = cmp.text();
    assert!(cmp.contains("id=\"phieu-3\"") && cmp.contains("hai bản nhập khác nhau"));
    assert!(cmp.contains("id=\"phieu-5\"") && cmp.contains("chỉ người nhập 1 đã nhập"));
    for agreed in [1, 2, 4] {
        assert!(!cmp.contains(&format!("id=\"phieu-{agreed}\"")), "{agreed}");
    }
    assert!(cmp.contains("Còn 2 phiếu cần đối chiếu"));

    // Live totals over the three agreed ballots (1, 2, 4).
    let live = get(&app, &format!("/api/v1/elections/{id}")).await.json();
    assert_eq!(live["pending"], 2);
    let election = parse_election(ELECTION).expect("valid election");
    let so_far = count(
        &election,
        [
            ballot(1, true, &[2]),
            ballot(2, true, &[2]),
            ballot(4, false, &[]),
        ],
    )
    .expect("count");
    assert_eq!(live["live"], serde_json::to_value(&so_far).expect("json"));
    let totals = get(&app, &format!("/bau-cu/{id}/tam-tinh")).await.text();
    assert!(totals.contains("Tạm tính trên 3 phiếu"), "{totals}");

    // Counting is refused until every ballot is settled.
    let a = form(&app, &format!("/bau-cu/{id}/kiem-phieu"), &[], Auth::Cookie).await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert!(a.text().contains("còn 2 phiếu"), "{}", a.text());
    let a = post_json(
        &app,
        &format!("/api/v1/elections/{id}/close"),
        serde_json::json!({}),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert_eq!(
        get(&app, &format!("/bau-cu/{id}/ket-qua")).await.status,
        StatusCode::CONFLICT
    );

    // Resolve: ballot 3 as clerk 1 read it; ballot 5 looked at again.
    let a = form(
        &app,
        &format!("/bau-cu/{id}/doi-chieu"),
        &[("ballot", "3"), ("by", "entry1")],
        Auth::Cookie,
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    let a = form(
        &app,
        &format!("/bau-cu/{id}/doi-chieu"),
        &[("ballot", "5"), ("by", "entry2")],
        Auth::Cookie,
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "clerk 2 has no ballot 5");
    let a = form(
        &app,
        &format!("/bau-cu/{id}/doi-chieu"),
        &[
            ("ballot", "5"),
            ("by", "re_entered"),
            ("sealed", "true"),
            ("m1", "strike"),
        ],
        Auth::Cookie,
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    let a = form(
        &app,
        &format!("/bau-cu/{id}/doi-chieu"),
        &[("ballot", "1"), ("by", "entry1")],
        Auth::Cookie,
    )
    .await;
    assert_eq!(
        a.status,
        StatusCode::CONFLICT,
        "an agreed ballot needs nothing"
    );
    assert!(get(&app, &format!("/bau-cu/{id}/doi-chieu"))
        .await
        .text()
        .contains("Không còn phiếu nào cần đối chiếu"));

    // Count: the result is vanban-election's count of the same ballots.
    let a = form(&app, &format!("/bau-cu/{id}/kiem-phieu"), &[], Auth::Bearer).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    assert_eq!(a.location(), format!("/bau-cu/{id}/ket-qua"));
    let expected = count(
        &election,
        [
            ballot(1, true, &[2]),
            ballot(2, true, &[2]),
            ballot(3, true, &[0]),
            ballot(4, false, &[]),
            ballot(5, true, &[1]),
        ],
    )
    .expect("count");
    let shown = get(&app, &format!("/api/v1/elections/{id}")).await.json();
    assert_eq!(shown["closed"], true);
    assert_eq!(
        shown["result"],
        serde_json::to_value(&expected).expect("json")
    );
    assert_eq!(expected.ballots.returned, 5);
    assert_eq!(expected.ballots.invalid_reasons.not_sealed, 1);

    let csv = get(&app, &format!("/bau-cu/{id}/BALLOTS.csv")).await.bytes;
    assert_eq!(
        count_csv(&election, &csv).expect("the CSV counts"),
        expected
    );
    let sha = vanban_minutes::inputs_sha256(ELECTION.as_bytes(), &csv);
    assert_eq!(shown["inputs_sha256"], sha.as_str());
    let result = get(&app, &format!("/bau-cu/{id}/ket-qua")).await;
    assert_eq!(result.status, StatusCode::OK);
    let result = result.text();
    assert!(result.contains(&sha), "the page shows the SHA-256");
    assert!(result.contains(&format!("href=\"/bau-cu/{id}/bien-ban.pdf\"")));
    let winners = expected.elected.join(", ");
    assert!(!winners.is_empty() && result.contains(&winners), "{result}");

    let pdf = get(&app, &format!("/bau-cu/{id}/bien-ban.pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.bytes.starts_with(b"%PDF"));
    assert_eq!(
        pdf.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );

    // After counting nothing more is accepted.
    let a = enter(&app, &id, 2, 6, true, &[], None).await;
    assert_eq!(a.status, StatusCode::CONFLICT);

    // The log: every entry, correction, resolution and the close, in order.
    let lines = log_lines(dir.path(), &id);
    let events: Vec<&str> = lines
        .iter()
        .map(|l| l["event"].as_str().unwrap_or(""))
        .collect();
    let mut want = vec!["created"];
    want.extend(["entry"; 5]);
    want.push("correction");
    want.extend(["entry"; 4]);
    want.extend(["resolution", "resolution", "closed"]);
    assert_eq!(events, want);
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["seq"], i as u64 + 1);
    }
    assert_eq!(lines[6]["reason"], "đọc nhầm tên thứ hai");
    assert_eq!(lines[11]["by"], "entry1");
    assert_eq!(lines[12]["by"], "re_entered");
    assert_eq!(
        lines[12]["marks"],
        serde_json::json!(["keep", "strike", "keep"])
    );
    let log_page = get(&app, &format!("/bau-cu/{id}/nhat-ky")).await.text();
    assert_eq!(log_page.matches("<li><code>").count(), lines.len());
    let api_log = get(&app, &format!("/api/v1/elections/{id}/log"))
        .await
        .json();
    assert_eq!(api_log, Value::Array(lines.clone()));

    // A restart: a new router over the same data directory recomputes the
    // same session from the log.
    drop(app);
    let again = app_over(dir.path());
    let after = get(&again, &format!("/api/v1/elections/{id}")).await.json();
    assert_eq!(after, shown);
    assert_eq!(
        get(&again, &format!("/bau-cu/{id}/bien-ban.pdf"))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_json_api_takes_entries_and_refuses_a_tampered_log() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let app = app_over(dir.path());
    let agree = ELECTION
        .replace("strike_out", "agree_disagree")
        .replace(", \"Đỗ Minh Tú\"", "");
    let a = post_json(
        &app,
        "/api/v1/elections",
        serde_json::json!({"election_toml": agree}),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let id = a.json()["id"].as_str().expect("id").to_owned();
    let url = format!("/api/v1/elections/{id}/entries");
    for clerk in [1, 2] {
        let a = post_json(
            &app,
            &url,
            serde_json::json!({"clerk": clerk, "ballot": 1, "sealed": true, "marks": ["agree", "both"]}),
            true,
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    }
    let a = post_json(
        &app,
        &url,
        serde_json::json!({"clerk": 1, "ballot": 2, "sealed": true, "marks": ["agree", "strike"]}),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.json()["error"]["message"]
        .as_str()
        .unwrap_or("")
        .contains("Phạm Thị Hoa"));
    let a = post_json(
        &app,
        &url,
        serde_json::json!({"clerk": 1, "ballot": 1, "sealed": true, "marks": ["agree", "agree"]}),
        false,
    )
    .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let shown = get(&app, &format!("/api/v1/elections/{id}")).await.json();
    assert_eq!(shown["ballots"][0]["state"], "agreed");
    assert_eq!(shown["live"]["candidates"][0]["votes"], 1);

    // A log changed by hand into something impossible is refused, not counted.
    let path = dir.path().join("elections").join(format!("{id}.jsonl"));
    let text = std::fs::read_to_string(&path).expect("log");
    std::fs::write(&path, text.replace("\"seq\":3", "\"seq\":9")).expect("write");
    let a = get(&app, &format!("/api/v1/elections/{id}")).await;
    assert_eq!(a.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(a.json()["error"]["message"]
        .as_str()
        .unwrap_or("")
        .contains("dòng 3"));
    // Unknown and malformed ids are 404s, never paths.
    assert_eq!(
        get(&app, "/api/v1/elections/..%2F..%2Fetc").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, "/bau-cu/0123456789abcdef").await.status,
        StatusCode::NOT_FOUND
    );
}
