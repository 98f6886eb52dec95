//! Expectations on a document (`POST`/`DELETE
//! /api/v1/documents/{reference}/expectations`) and the overdue, late and
//! on-time provinces the coverage endpoint lists, against a real embedded
//! store filled from texts written for these tests.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use serde_json::{json, Value};
use tower::ServiceExt;
use vanban_server::{router, AppState, Config};
use vanban_store::{Location, NewSource, Store};

const HA_NAM: &str = "# date = 20180518
Hà Nam học tập Quy định 126-QĐ/TW
Ngày 17/5/2018, Ban Thường vụ Tỉnh ủy Hà Nam tổ chức hội nghị quán triệt Quy định số 126-QĐ/TW ngày 28/2/2018 của Bộ Chính trị về một số vấn đề bảo vệ chính trị nội bộ Đảng.
";

const DAK_LAK: &str = "# date = 20191127
Đắk Lắk quán triệt Quy định về bảo vệ chính trị nội bộ Đảng
Trong hai ngày 27 và 28-11, Ban Thường vụ Tỉnh ủy Đắk Lắk tổ chức hội nghị học tập, quán triệt Quy định số 126-QĐ/TW, ngày 28-2-2018 của Bộ Chính trị về \"Một số vấn đề bảo vệ chính trị nội bộ Đảng\" cho cán bộ chủ chốt của tỉnh.
";

const HA_TINH_PLAN: &str = "# date = 20180420
Hà Tĩnh ban hành kế hoạch thực hiện Quy định 126
Ban Thường vụ Tỉnh ủy Hà Tĩnh ban hành Kế hoạch số 45-KH/TU ngày 10/4/2018 thực hiện Quy định số 126-QĐ/TW ngày 28/2/2018 của Bộ Chính trị về một số vấn đề bảo vệ chính trị nội bộ Đảng.
";

const TOKEN: &str = "vbt_thu-nghiem-theo-doi-tien-do";

fn app() -> (Router, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut store = Store::open(&Location::Embedded(dir.path().to_path_buf())).expect("store");
    let batch: Vec<NewSource> = [
        ("tin/ha-nam.txt", HA_NAM),
        ("tin/dak-lak.txt", DAK_LAK),
        ("tin/ha-tinh.txt", HA_TINH_PLAN),
    ]
    .iter()
    .map(|(name, text)| NewSource::from_input(name, text.as_bytes()))
    .collect();
    store.insert(&batch).expect("insert");
    store
        .backend()
        .put_token("ban-tuyen-giao", &vanban_server::auth::hash(TOKEN))
        .expect("token");
    let state = AppState::new(store, None, None, Config::default()).expect("state");
    (router(state).expect("router"), dir)
}

struct Answer {
    status: StatusCode,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
        .await
        .expect("body");
    Answer {
        status,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(app: &Router, uri: &str) -> Answer {
    send(app, Request::get(uri).body(Body::empty()).expect("request")).await
}

async fn post(app: &Router, uri: &str, token: Option<&str>, body: Value) -> Answer {
    let mut r = Request::post(uri).header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    send(app, r.body(Body::from(body.to_string())).expect("request")).await
}

async fn delete(app: &Router, uri: &str, token: Option<&str>) -> Answer {
    let mut r = Request::delete(uri);
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    send(app, r.body(Body::empty()).expect("request")).await
}

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p["province"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

const EXPECT: &str = "/api/v1/documents/126-QĐ/TW/expectations";
const COVERAGE: &str = "/api/v1/documents/126-QĐ/TW/coverage";

#[tokio::test]
async fn an_expectation_lists_the_provinces_overdue_late_and_on_time() {
    let (app, _dir) = app();
    // Nothing expected yet.
    let v = get(&app, COVERAGE).await.json();
    assert_eq!(v["expectations"], json!([]));

    let by_date = post(
        &app,
        EXPECT,
        Some(TOKEN),
        json!({"stage": "disseminated", "by": "2018-06-30", "note": "Theo chỉ đạo của Ban Bí thư"}),
    )
    .await;
    assert_eq!(by_date.status, StatusCode::CREATED, "{}", by_date.body);
    let created = by_date.json();
    assert_eq!(created["document"], "126-QĐ/TW@2018-02-28");
    assert_eq!(created["set_by"], "ban-tuyen-giao");
    assert_eq!(created["by"], "2018-06-30");
    assert!(created["set_at"].as_str().is_some_and(|s| s.ends_with('Z')));

    let within = post(
        &app,
        EXPECT,
        Some(TOKEN),
        json!({"stage": "plan_issued", "within_days": 60, "provinces": ["Hà Tĩnh", "Thừa Thiên Huế"]}),
    )
    .await;
    assert_eq!(within.status, StatusCode::CREATED, "{}", within.body);
    // An old province name is kept as the province it became.
    assert_eq!(within.json()["provinces"], json!(["Hà Tĩnh", "Huế"]));

    let v = get(&app, COVERAGE).await.json();
    let list = v["expectations"].as_array().expect("expectations");
    assert_eq!(list.len(), 2);
    let e = &list[0];
    assert_eq!(e["id"], created["id"]);
    assert_eq!(e["note"], "Theo chỉ đạo của Ban Bí thư");
    // Hà Nam (Ninh Bình today) on 17/5/2018: 44 days to spare.
    assert_eq!(names(&e["on_time"]), vec!["Ninh Bình"]);
    assert_eq!(e["on_time"][0]["reached"], "2018-05-17");
    assert_eq!(e["on_time"][0]["days"], 44);
    // Đắk Lắk on 27/11/2019: 515 days late.
    assert_eq!(names(&e["late"]), vec!["Đắk Lắk"]);
    assert_eq!(e["late"][0]["days"], 515);
    // Every other province of today is overdue, Hà Tĩnh's plan does not
    // count as its dissemination.
    let overdue = names(&e["overdue"]);
    assert_eq!(overdue.len(), 32);
    assert!(overdue.contains(&"Hà Tĩnh".to_owned()));
    assert!(!overdue.contains(&"Ninh Bình".to_owned()));
    assert!(e["overdue"][0]["days"].as_i64().is_some_and(|d| d > 3000));
    assert_eq!(e["overdue"][0]["url"], "/tinh/ha-noi");

    // Within 60 days of 28/2/2018: by 29/4/2018.
    let e = &list[1];
    assert_eq!(e["due"], "2018-04-29");
    assert_eq!(names(&e["on_time"]), vec!["Hà Tĩnh"]);
    assert_eq!(e["on_time"][0]["days"], 19);
    assert_eq!(names(&e["overdue"]), vec!["Huế"]);
    assert_eq!(e["late"], json!([]));

    // The at-the-time view lists the same expectations (measured on the
    // provinces of today).
    let old = get(&app, &format!("{COVERAGE}?view=at_the_time"))
        .await
        .json();
    assert_eq!(old["expectations"], v["expectations"]);

    // Removing one leaves the other.
    let id = created["id"].as_i64().expect("id");
    let gone = delete(&app, &format!("{EXPECT}/{id}"), Some(TOKEN)).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{}", gone.body);
    let again = delete(&app, &format!("{EXPECT}/{id}"), Some(TOKEN)).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(again.json()["error"]["code"], "not_found");
    let v = get(&app, COVERAGE).await.json();
    assert_eq!(v["expectations"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["expectations"][0]["stage"], "plan_issued");
}

#[tokio::test]
async fn writes_need_a_token_and_valid_input() {
    let (app, _dir) = app();
    let ok = json!({"stage": "disseminated", "by": "2018-06-30"});
    let none = post(&app, EXPECT, None, ok.clone()).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    let wrong = post(&app, EXPECT, Some("vbt_sai"), ok.clone()).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let del = delete(&app, &format!("{EXPECT}/1"), None).await;
    assert_eq!(del.status, StatusCode::UNAUTHORIZED);

    for (body, words) in [
        (
            json!({"stage": "reviewed", "by": "2018-06-30"}),
            "unknown stage",
        ),
        (json!({"stage": "disseminated"}), "a deadline is needed"),
        (
            json!({"stage": "disseminated", "by": "2018-06-30", "within_days": 30}),
            "not both",
        ),
        (
            json!({"stage": "disseminated", "by": "30/6/2018"}),
            "YYYY-MM-DD",
        ),
        (
            json!({"stage": "disseminated", "within_days": 0}),
            "between 1 and",
        ),
        (
            json!({"stage": "trained", "by": "2018-06-30", "provinces": ["Xứ Sở Thần Tiên"]}),
            "is not a province",
        ),
        (
            json!({"stage": "trained", "by": "2018-06-30", "deadline": "x"}),
            "",
        ),
        (json!({"by": "2018-06-30"}), ""),
    ] {
        let a = post(&app, EXPECT, Some(TOKEN), body.clone()).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{body}: {}", a.body);
        let v = a.json();
        assert_eq!(v["error"]["code"], "bad_request", "{body}");
        let message = v["error"]["message"].as_str().unwrap_or("");
        assert!(message.contains(words), "{body}: {message}");
    }
    let unknown = post(
        &app,
        "/api/v1/documents/999-QĐ/TW/expectations",
        Some(TOKEN),
        ok,
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let bad_id = delete(&app, &format!("{EXPECT}/mot"), Some(TOKEN)).await;
    assert_eq!(bad_id.status, StatusCode::BAD_REQUEST);
    // Nothing was stored by the refused requests.
    let v = get(&app, COVERAGE).await.json();
    assert_eq!(v["expectations"], json!([]));
}

#[tokio::test]
async fn the_openapi_document_lists_the_expectation_endpoints() {
    let (app, _dir) = app();
    let v = get(&app, "/api/v1/openapi.json").await.json();
    let path = &v["paths"]["/api/v1/documents/{reference}/expectations"];
    assert!(path["post"].is_object(), "post missing");
    assert!(v["paths"]["/api/v1/documents/{reference}/expectations/{id}"]["delete"].is_object());
    for schema in ["ExpectationRequest", "ExpectationDto", "ProvinceDueDto"] {
        assert!(v["components"]["schemas"][schema].is_object(), "{schema}");
    }
}

#[tokio::test]
async fn the_document_page_lists_the_expectations_and_the_overdue_provinces() {
    let (app, _dir) = app();
    let page = "/van-ban/126-Q%C4%90%2FTW@2018-02-28";
    let before = get(&app, page).await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(!before.body.contains("id=\"ky-vong\""));
    let set = post(
        &app,
        EXPECT,
        Some(TOKEN),
        json!({"stage": "disseminated", "by": "2018-06-30", "note": "Hội nghị trực tuyến toàn quốc"}),
    )
    .await;
    assert_eq!(set.status, StatusCode::CREATED, "{}", set.body);
    let html = get(&app, page).await.body;
    let start = html.find("id=\"ky-vong\"").expect("the section");
    let section = &html[start..];
    let section = &section[..section.find("</section>").unwrap_or(section.len())];
    for words in [
        "Yêu cầu về tiến độ (1)",
        "Đã quán triệt, triển khai trước ngày 30/06/2018",
        "đặt bởi ban-tuyen-giao",
        "Ghi chú: Hội nghị trực tuyến toàn quốc",
        "Quá hạn: 32",
        "Hoàn thành muộn: 1",
        "Đúng hạn: 1",
        "<a href=\"/tinh/ha-tinh\">Hà Tĩnh</a> — quá hạn",
        "<a href=\"/tinh/dak-lak\">Đắk Lắk</a> — 27/11/2019, muộn 515 ngày",
    ] {
        assert!(section.contains(words), "{words:?} not in {section}");
    }
    // Ninh Bình met it on time: not listed as overdue.
    assert!(!section.contains("Ninh Bình</a> — quá hạn"), "{section}");
}

#[tokio::test]
async fn the_document_feed_has_an_entry_per_overdue_province() {
    let (app, _dir) = app();
    let feed = vanban_server::feeds::document_path("126-QĐ/TW@2018-02-28");
    let before = get(&app, &feed).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.body);
    assert!(!before.body.contains("overdue/"));
    let set = post(
        &app,
        EXPECT,
        Some(TOKEN),
        json!({"stage": "plan_issued", "by": "2018-04-30", "provinces": ["Hà Tĩnh", "Quảng Trị", "Đắk Lắk"]}),
    )
    .await;
    assert_eq!(set.status, StatusCode::CREATED, "{}", set.body);
    let id = set.json()["id"].as_i64().expect("id");
    let xml = get(&app, &feed).await.body;
    // Hà Tĩnh issued its plan on 10/4/2018: on time, no entry.
    assert!(!xml.contains(&format!("overdue/{id}/ha-tinh")), "{xml}");
    for p in ["quang-tri", "dak-lak"] {
        let entry_id = format!("<id>tag:vanban,2026:overdue/{id}/{p}</id>");
        assert_eq!(xml.matches(&entry_id).count(), 1, "{entry_id} in {xml}");
    }
    assert!(
        xml.contains(
            "<title>Quảng Trị quá hạn: Đã ban hành kế hoạch trước ngày 30/04/2018</title>"
        ),
        "{xml}"
    );
    assert!(xml.contains("term=\"overdue\""), "{xml}");
    // The same entries (same ids) on the next read.
    let again = get(&app, &feed).await.body;
    let ids = |x: &str| -> Vec<String> {
        x.match_indices("overdue/")
            .map(|(i, _)| x[i..i + 20].to_owned())
            .collect()
    };
    assert_eq!(ids(&xml), ids(&again));
}
