//! Router-level tests (no network): every API endpoint and every page,
//! 404s, tokens, limits and hostile texts, against a real embedded store
//! filled from texts written for these tests.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use serde_json::Value;
use tower::ServiceExt;
use vanban_search::SearchIndex;
use vanban_server::{auth, router, AppState, Config};
use vanban_store::{Location, NewSource, Store};

const TOKEN: &str = "vbt_test-token-for-the-router-tests";

const DAK_LAK: &str = "# date = 20191127
Đắk Lắk quán triệt Quy định về bảo vệ chính trị nội bộ Đảng
Trong hai ngày 27 và 28-11, Ban Thường vụ Tỉnh ủy Đắk Lắk tổ chức hội nghị học tập, quán triệt Quy định số 126-QĐ/TW, ngày 28-2-2018 của Bộ Chính trị về \"Một số vấn đề bảo vệ chính trị nội bộ Đảng\" cho cán bộ chủ chốt của tỉnh.
Hội nghị yêu cầu các cấp ủy xây dựng kế hoạch thực hiện nghiêm túc.
";

const REPLACED: &str = "# date = 20220215
Bộ Chính trị ban hành quy định mới về bảo vệ chính trị nội bộ Đảng
Ngày 8/2/2022, Bộ Chính trị ban hành Quy định số 58-QĐ/TW về một số vấn đề bảo vệ chính trị nội bộ Đảng.
Quy định số 58-QĐ/TW thay thế Quy định số 126-QĐ/TW ngày 28/2/2018 của Bộ Chính trị.
";

const HA_NAM: &str = "# date = 20180518
Hà Nam học tập Quy định 126-QĐ/TW
Ngày 17/5/2018, Ban Thường vụ Tỉnh ủy Hà Nam tổ chức hội nghị quán triệt Quy định số 126-QĐ/TW ngày 28/2/2018 của Bộ Chính trị về một số vấn đề bảo vệ chính trị nội bộ Đảng.
";

/// Two different documents with the same number-symbol (domain §1).
const CHI_THI_35_A: &str = "# date = 20190715
Yên Bái triển khai Chỉ thị 35
Ngày 10/7/2019, Ban Thường vụ Tỉnh ủy Yên Bái tổ chức hội nghị quán triệt Chỉ thị số 35-CT/TW ngày 30/5/2019 của Bộ Chính trị về đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIII của Đảng.
";
const CHI_THI_35_B: &str = "# date = 20240720
Nghệ An triển khai Chỉ thị 35
Ngày 15/7/2024, Ban Thường vụ Tỉnh ủy Nghệ An tổ chức hội nghị quán triệt Chỉ thị số 35-CT/TW ngày 14/6/2024 của Bộ Chính trị về đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIV của Đảng.
";

/// Hostile: markup, attribute injection and a `javascript:` link in the
/// title, the body and the source's name.
const HOSTILE: &str = "# date = 20230301
<script>alert('xss')</script> Tin \"><img src=x onerror=alert(1)> về Quy định 58-QĐ/TW
Bấm vào javascript:alert(document.cookie) để xem. \" onmouseover=\"alert(2)\" <a href=\"javascript:alert(3)\">link</a>
Ngày 1/3/2023, Ban Thường vụ Tỉnh ủy Gia Lai tổ chức hội nghị quán triệt Quy định số 58-QĐ/TW ngày 8/2/2022 của Bộ Chính trị <script>alert(4)</script>.
";
const HOSTILE_SOURCE: &str = "javascript:alert(5)//\"><script>alert(6)</script>.txt";

struct TestApp {
    app: Router,
    state: AppState,
    _dir: tempfile::TempDir,
}

fn build(texts: &[(&str, &str)], config: Config) -> TestApp {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut store = Store::open(&Location::Embedded(dir.path().to_path_buf())).expect("store");
    let batch: Vec<NewSource> = texts
        .iter()
        .map(|(name, text)| NewSource::from_input(name, text.as_bytes()))
        .collect();
    store.insert(&batch).expect("insert");
    store
        .backend()
        .put_token("tests", &auth::hash(TOKEN))
        .expect("token");
    let index = SearchIndex::in_memory().expect("index");
    vanban_store::indexing::rebuild(&mut store, &index, &mut |_| {}).expect("indexing");
    let state = AppState::new(store, Some(index), None, config).expect("state");
    let app = router(state.clone()).expect("router");
    TestApp {
        app,
        state,
        _dir: dir,
    }
}

fn corpus() -> Vec<(&'static str, &'static str)> {
    vec![
        ("tin/dak-lak.txt", DAK_LAK),
        ("tin/quy-dinh-58.txt", REPLACED),
        ("tin/ha-nam.txt", HA_NAM),
        ("tin/yen-bai.txt", CHI_THI_35_A),
        ("tin/nghe-an.txt", CHI_THI_35_B),
        (HOSTILE_SOURCE, HOSTILE),
    ]
}

fn standard() -> TestApp {
    build(&corpus(), Config::default())
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
        .await
        .expect("body");
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(app: &Router, uri: &str) -> Answer {
    send(app, Request::get(uri).body(Body::empty()).expect("request")).await
}

async fn post(app: &Router, uri: &str, body: String, token: Option<&str>) -> Answer {
    let mut r = Request::post(uri).header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    send(app, r.body(Body::from(body)).expect("request")).await
}

const DOC_126: &str = "126-QĐ/TW@2018-02-28";
const DOC_126_URL: &str = "/van-ban/126-Q%C4%90%2FTW@2018-02-28";

/// No markup or script from a source survives unescaped.
fn assert_safe(html: &str, page: &str) {
    for bad in [
        "<script>alert",
        "<img",
        "onmouseover=\"alert",
        "href=\"javascript:",
        "src=\"javascript:",
    ] {
        assert!(!html.contains(bad), "{page} contains `{bad}`");
    }
}

// ------------------------------------------------------------------ pages

#[tokio::test]
async fn home_shows_counts_latest_events_and_most_cited() {
    let t = standard();
    let a = get(&t.app, "/").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body.matches("id=\"q\"").count(), 1, "one #q");
    let stats = t.state.snapshot().stats().clone();
    assert!(stats.sources == 6 && stats.documents >= 4, "{stats:?}");
    assert!(a
        .body
        .contains(&format!("<strong>{}</strong>bài viết nguồn", stats.sources)));
    assert!(a.body.contains("class=\"timeline\""));
    assert!(
        a.body.contains("href=\"/tinh/dak-lak\""),
        "latest events link their province"
    );
    assert!(
        a.body.contains(DOC_126_URL),
        "126-QĐ/TW is among the most cited"
    );
    assert_safe(&a.body, "home");
    assert!(a.headers.get(header::CONTENT_SECURITY_POLICY).is_some());
}

#[tokio::test]
async fn search_page_marks_matches_and_offers_facets_and_keeps_hostile_queries_as_text() {
    let t = standard();
    let a = get(&t.app, "/tim-kiem?q=bao+ve+chinh+tri+noi+bo").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        a.body.matches("class=\"search-hit").count() >= 2,
        "{}",
        a.body
    );
    assert!(a.body.contains("<mark>"));
    assert!(a.body.contains("class=\"facets\""));
    assert!(a.body.contains("kind=quy_dinh"), "a kind facet link");
    assert_safe(&a.body, "search");

    let filtered = get(
        &t.app,
        "/tim-kiem?q=bao+ve+chinh+tri+noi+bo&province=Ninh+B%C3%ACnh",
    )
    .await;
    assert_eq!(filtered.status, StatusCode::OK);
    assert!(
        filtered.body.contains("ha-nam") || filtered.body.contains("Hà Nam"),
        "Ninh Bình covers Hà Nam"
    );

    let hostile = get(
        &t.app,
        "/tim-kiem?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%3E%3Cimg+src%3Dx%3E",
    )
    .await;
    assert_eq!(hostile.status, StatusCode::OK);
    assert!(hostile
        .body
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_safe(&hostile.body, "hostile search");

    let empty = get(&t.app, "/tim-kiem").await;
    assert_eq!(empty.status, StatusCode::OK);
    let past = get(&t.app, "/tim-kiem?q=bao+ve&page=999").await;
    assert_eq!(past.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn document_page_puts_the_status_first_and_draws_relations_events_and_provinces() {
    let t = standard();
    let a = get(&t.app, DOC_126_URL).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let main = a.body.split("<main>").nth(1).unwrap_or_default();
    assert!(
        main.starts_with("<p class=\"status-badge status-replaced\""),
        "{main}"
    );
    let badge = main.split("</p>").next().unwrap_or_default();
    assert!(badge.contains("Đã bị thay thế"));
    assert!(
        badge.contains("/van-ban/58-Q%C4%90%2FTW@2022-02-08"),
        "{badge}"
    );
    assert!(main.contains("<svg class=\"relation-graph\""));
    assert!(main.contains("class=\"timeline\""));
    assert!(main.contains("href=\"/tinh/dak-lak\""));
    assert!(main.contains("href=\"/tinh/ha-nam\""));
    let table = main
        .split("class=\"province-table\"")
        .nth(1)
        .unwrap_or_default();
    let table = table.split("</table>").next().unwrap_or_default();
    assert_eq!(
        table.matches("<tr class=").count(),
        34,
        "all 34 provinces of today"
    );
    assert!(
        table.contains("gồm Hà Nam, Nam Định"),
        "old names under Ninh Bình"
    );
    assert_eq!(
        table.matches("<tr class=\"held\"").count(),
        2,
        "Đắk Lắk and Ninh Bình"
    );
    assert!(
        main.contains("<link rel=\"canonical\"")
            || a.body.contains(&format!("href=\"{DOC_126_URL}\""))
    );
    assert_safe(&a.body, "document 126");

    // The hostile source's excerpt on 58's page is escaped.
    let b = get(&t.app, "/van-ban/58-Q%C4%90%2FTW@2022-02-08").await;
    assert_eq!(b.status, StatusCode::OK);
    assert!(b.body.contains("status-in_force"), "58 is in force");
    assert_safe(&b.body, "document 58");
}

#[tokio::test]
async fn typed_references_redirect_to_the_permalink_and_ambiguous_ones_list_candidates() {
    let t = standard();
    for typed in [
        "/van-ban/126-QĐ%2FTW",
        "/van-ban/126-qd%2Ftw",
        "/van-ban/quy%20dinh%20126",
        "/van-ban/126-QĐ/TW",
    ] {
        let a = get(&t.app, typed).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{typed}");
        assert_eq!(a.location(), DOC_126_URL, "{typed}");
    }
    let a = get(&t.app, "/van-ban/35-CT%2FTW").await;
    assert_eq!(a.status, StatusCode::MULTIPLE_CHOICES);
    assert!(a.body.contains("/van-ban/35-CT%2FTW@2019-05-30"));
    assert!(a.body.contains("/van-ban/35-CT%2FTW@2024-06-14"));
}

#[tokio::test]
async fn not_found_pages_are_useful() {
    let t = standard();
    for uri in [
        "/van-ban/khong-co-van-ban-nay-999",
        "/tinh/khong-co-tinh-nay",
        "/nguon/99999",
        "/nguon/abc",
        "/mot/duong/dan/la",
        "/van-ban/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    ] {
        let a = get(&t.app, uri).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(a.body.contains("class=\"not-found\""), "{uri}");
        assert_eq!(a.body.matches("id=\"q\"").count(), 1, "{uri}: a search box");
        assert!(a.body.contains("href=\"/\""), "{uri}: a way home");
        assert_safe(&a.body, uri);
    }
    let a = get(&t.app, "/van-ban/quy-dinh-bao-ve-chinh-tri").await;
    assert!(
        a.body.contains("class=\"search-hit"),
        "suggestions from the search"
    );
}

#[tokio::test]
async fn province_pages_show_both_names_of_merged_provinces() {
    let t = standard();
    let old = get(&t.app, "/tinh/ha-nam").await;
    assert_eq!(old.status, StatusCode::OK);
    assert!(old.body.contains("class=\"notice\""));
    assert!(old.body.contains("href=\"/tinh/ninh-binh\""));
    assert!(old.body.contains("17/05/2018"));
    let new = get(&t.app, "/tinh/ninh-binh").await;
    assert_eq!(new.status, StatusCode::OK);
    assert!(
        new.body.contains("17/05/2018"),
        "Hà Nam's event under Ninh Bình"
    );
    assert!(new.body.contains("href=\"/tinh/nam-dinh\""));
    let typed = get(&t.app, "/tinh/Ninh%20B%C3%ACnh").await;
    assert_eq!(typed.status, StatusCode::SEE_OTHER);
    assert_eq!(typed.location(), "/tinh/ninh-binh");
    let all = get(&t.app, "/tinh").await;
    assert_eq!(all.status, StatusCode::OK);
    let rows = all.body.split("<tbody>").nth(1).unwrap_or_default();
    assert_eq!(rows.matches("<tr class=").count(), 34);
    let gia_lai = get(&t.app, "/tinh/gia-lai").await;
    assert_safe(&gia_lai.body, "province with a hostile source");
}

#[tokio::test]
async fn source_page_links_every_citation_and_escapes_the_text() {
    let t = standard();
    let snap = t.state.snapshot();
    let hostile_id = snap
        .source_id_by_path(HOSTILE_SOURCE)
        .expect("hostile source stored");
    let a = get(&t.app, &format!("/nguon/{hostile_id}")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_safe(&a.body, "hostile source page");
    assert!(
        a.body.contains("&lt;script&gt;alert(4)&lt;/script&gt;"),
        "shown as text"
    );
    assert!(a.body.contains("class=\"citation\""));
    assert!(a
        .body
        .contains("href=\"/van-ban/58-Q%C4%90%2FTW@2022-02-08\""));
    assert!(
        !a.body.contains("href=\"javascript"),
        "a javascript: source is not a link"
    );

    let id = snap.source_id_by_path("tin/dak-lak.txt").expect("stored");
    let b = get(&t.app, &format!("/nguon/{id}")).await;
    let cites = b.body.matches("class=\"citation\"").count();
    let facts = snap.graph.source(id).expect("facts");
    let mentions: usize = facts
        .extraction
        .documents
        .iter()
        .map(|d| d.mentions.len())
        .sum();
    assert!(cites >= 1 && cites <= mentions, "{cites} of {mentions}");
    assert!(b.body.contains(&format!("href=\"{DOC_126_URL}\"")));
}

#[tokio::test]
async fn static_files_are_served_with_types() {
    let t = standard();
    let css = get(&t.app, "/static/app.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap_or("")
        .starts_with("text/css"));
    assert!(css.body.contains(".status-badge"));
    let js = get(&t.app, "/static/app.js").await;
    assert_eq!(js.status, StatusCode::OK);
}

// -------------------------------------------------------------------- API

#[tokio::test]
async fn api_search_answers_the_contract_shape_with_facets() {
    let t = standard();
    let a = get(&t.app, "/api/v1/search?q=126-QĐ%2FTW&limit=5").await;
    assert_eq!(a.status, StatusCode::OK);
    let v = a.json();
    assert!(v["total"].as_u64().unwrap_or(0) >= 1);
    assert!(v["took_ms"].is_number());
    let first = &v["hits"][0];
    assert_eq!(first["type"], "document");
    assert_eq!(first["id"], DOC_126);
    assert!(v["hits"].as_array().map_or(0, Vec::len) <= 5);
    assert!(v["facets"]["kind"]
        .as_array()
        .is_some_and(|k| !k.is_empty()));
    // Facets count every match, not only the hits returned: each value's
    // count is the total that choosing it as a filter gives.
    let one = get(&t.app, "/api/v1/search?q=bao+ve+chinh+tri&limit=1")
        .await
        .json();
    assert_eq!(one["hits"].as_array().map_or(0, Vec::len), 1);
    let mut checked = 0;
    for (facet, param) in [
        ("kind", "kind"),
        ("issuer", "issuer"),
        ("year", "year"),
        ("province", "province"),
    ] {
        for value in one["facets"][facet].as_array().into_iter().flatten() {
            let v = value["value"].as_str().unwrap_or("");
            let url = format!(
                "/api/v1/search?q=bao+ve+chinh+tri&limit=1&{param}={}",
                percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
            );
            let filtered = get(&t.app, &url).await.json();
            assert_eq!(filtered["total"], value["count"], "{facet}={v}");
            checked += 1;
        }
    }
    assert!(checked >= 4, "{one}");
    assert!(
        one["facets"]["year"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|y| y["count"].as_u64() > Some(1)),
        "a count beyond the one hit returned: {one}"
    );
    let bad = get(&t.app, "/api/v1/search?q=x&kind=khong_co").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["error"]["code"], "bad_request");
    let bad_year = get(&t.app, "/api/v1/search?q=x&year=abc").await;
    assert_eq!(bad_year.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn api_document_is_the_contract_object_for_any_typed_reference() {
    let t = standard();
    let view = t
        .state
        .snapshot()
        .graph
        .view(DOC_126, vanban_server::today())
        .expect("view");
    let mut expected = serde_json::to_value(&view).expect("json");
    // Under 100 items each: the first page is everything, and the totals
    // say so.
    expected["totals"] = serde_json::json!({
        "relations": view.relations.len(),
        "events": view.events.len(),
        "sources": view.sources.len(),
    });
    for r in [
        "126-QĐ%2FTW@2018-02-28",
        "126-qd%2Ftw",
        "quy%20dinh%20126",
        "126-QĐ/TW",
    ] {
        let a = get(&t.app, &format!("/api/v1/documents/{r}")).await;
        assert_eq!(a.status, StatusCode::OK, "{r}: {}", a.body);
        assert_eq!(a.json(), expected, "{r}");
    }
    let v = get(&t.app, "/api/v1/documents/126-qd%2Ftw").await.json();
    assert_eq!(v["status"]["state"], "replaced");
    assert_eq!(v["status"]["by"][0], "58-QĐ/TW@2022-02-08");
    let before = get(&t.app, "/api/v1/documents/126-qd%2Ftw?as_of=2020-01-01")
        .await
        .json();
    assert_eq!(before["status"]["state"], "in_force");
    let bad_date = get(&t.app, "/api/v1/documents/126-qd%2Ftw?as_of=28-02-2018").await;
    assert_eq!(bad_date.status, StatusCode::BAD_REQUEST);

    let ambiguous = get(&t.app, "/api/v1/documents/35-CT%2FTW").await;
    assert_eq!(ambiguous.status, StatusCode::MULTIPLE_CHOICES);
    let e = ambiguous.json();
    assert_eq!(e["error"]["code"], "ambiguous_reference");
    assert_eq!(e["error"]["candidates"].as_array().map_or(0, Vec::len), 2);
    let missing = get(&t.app, "/api/v1/documents/999-QĐ%2FTW").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["error"]["code"], "not_found");
    assert!(missing.json()["error"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
}

/// 130 texts, each reporting one conference on Quy định 58 on its own day.
fn many_conferences() -> Vec<(String, String)> {
    (0..130)
        .map(|k| {
            let day = 1 + k % 28;
            let month = 1 + (k / 28) % 12;
            (
                format!("tin/hoi-nghi-{k:03}.txt"),
                format!(
                    "Ngày {day}/{month}/2023, Ban Thường vụ Tỉnh ủy Hà Nam tổ chức hội nghị quán triệt Quy định số 58-QĐ/TW ngày 8/2/2022 của Bộ Chính trị (đợt {k})."
                ),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_document_with_many_events_answers_in_pages_with_exact_totals() {
    let texts = many_conferences();
    let borrowed: Vec<(&str, &str)> = texts
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let t = build(&borrowed, Config::default());
    let doc = "/api/v1/documents/58-QĐ%2FTW";
    let first = get(&t.app, &format!("{doc}?limit=50")).await.json();
    assert_eq!(first["totals"]["events"], 130, "{first}");
    assert_eq!(first["totals"]["sources"], 130);
    assert_eq!(first["events"].as_array().map_or(0, Vec::len), 50);
    assert_eq!(first["sources"].as_array().map_or(0, Vec::len), 50);
    // The default page is 100; pages put together are the whole list, in
    // one stable order (by date).
    let default = get(&t.app, doc).await.json();
    assert_eq!(default["events"].as_array().map_or(0, Vec::len), 100);
    let mut joined: Vec<Value> = Vec::new();
    for offset in [0, 50, 100] {
        let page = get(&t.app, &format!("{doc}?limit=50&offset={offset}"))
            .await
            .json();
        joined.extend(page["events"].as_array().cloned().unwrap_or_default());
    }
    assert_eq!(joined.len(), 130);
    let dates: Vec<&str> = joined.iter().filter_map(|e| e["date"].as_str()).collect();
    assert_eq!(dates.len(), 130);
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    let past = get(&t.app, &format!("{doc}?offset=500")).await.json();
    assert_eq!(past["events"].as_array().map_or(1, Vec::len), 0);
    assert_eq!(past["totals"]["events"], 130);
    let too_many = get(&t.app, &format!("{doc}?limit=100000")).await.json();
    assert_eq!(too_many["events"].as_array().map_or(0, Vec::len), 130);
    let relations = get(&t.app, "/api/v1/relations?document=58-QĐ%2FTW&limit=1")
        .await
        .json();
    assert_eq!(relations["total"], 0);

    // The page: 60 events and 30 sources a page, so five pages for the
    // sources; the last page keeps the pager and the counts.
    let page1 = get(&t.app, "/van-ban/58-QĐ%2FTW@2022-02-08").await;
    assert_eq!(page1.status, StatusCode::OK);
    assert!(page1.body.contains("Trang 1 / 5"), "{}", page1.body);
    assert!(page1.body.contains("Sự kiện 1–60 trên 130"));
    assert!(page1.body.contains("rel=\"next\""));
    let page3 = get(&t.app, "/van-ban/58-QĐ%2FTW@2022-02-08?trang=3").await;
    assert!(page3.body.contains("Trang 3 / 5"));
    assert!(
        page3.body.contains("Sự kiện 121–130 trên 130"),
        "{}",
        page3.body
    );
    assert!(page3.body.contains("Nguồn 61–90 trên 130"));
    assert!(page3.body.contains("<ol class=\"timeline\" start=\"121\">"));
    // Out of range or not a number: clamped, never an error.
    let far = get(&t.app, "/van-ban/58-QĐ%2FTW@2022-02-08?trang=999").await;
    assert!(far.body.contains("Trang 5 / 5"));
    let junk = get(&t.app, "/van-ban/58-QĐ%2FTW@2022-02-08?trang=abc").await;
    assert_eq!(junk.status, StatusCode::OK);
    assert!(junk.body.contains("Trang 1 / 5"));
}

#[tokio::test]
async fn api_lists_documents_sources_and_stats() {
    let t = standard();
    let snap = t.state.snapshot();
    let docs = get(&t.app, "/api/v1/documents?limit=2").await.json();
    assert_eq!(
        docs["total"].as_u64(),
        Some(snap.graph.documents().len() as u64)
    );
    assert_eq!(docs["documents"].as_array().map_or(0, Vec::len), 2);
    let sources = get(&t.app, "/api/v1/sources").await.json();
    assert_eq!(sources["total"], 6);
    let one = get(&t.app, "/api/v1/sources/1").await;
    assert_eq!(one.status, StatusCode::OK);
    let one = one.json();
    assert_eq!(one["id"], 1);
    assert!(one["text"].as_str().is_some_and(|s| s.contains("Đắk Lắk")));
    assert_eq!(
        one["resolved"].as_array().map(Vec::len),
        one["extraction"]["documents"].as_array().map(Vec::len)
    );
    assert_eq!(
        get(&t.app, "/api/v1/sources/999").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&t.app, "/api/v1/sources/abc").await.status,
        StatusCode::BAD_REQUEST
    );
    let stats = get(&t.app, "/api/v1/stats").await.json();
    assert_eq!(stats["sources"], 6);
    assert_eq!(
        stats["documents"].as_u64(),
        Some(snap.stats().documents as u64)
    );
    let provinces = get(&t.app, "/api/v1/provinces").await.json();
    let list = provinces.as_array().cloned().unwrap_or_default();
    assert_eq!(list.len(), 34);
    let ninh_binh = list
        .iter()
        .find(|p| p["name"] == "Ninh Bình")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        ninh_binh["events"], 1,
        "Hà Nam's event counts for Ninh Bình"
    );
}

#[tokio::test]
async fn api_relations_and_events_filter() {
    let t = standard();
    let r = get(&t.app, "/api/v1/relations?document=quy%20dinh%20126").await;
    assert_eq!(r.status, StatusCode::OK);
    let r = r.json();
    assert_eq!(r["document"], DOC_126);
    assert!(r["relations"].as_array().is_some_and(|v| v
        .iter()
        .any(|x| x["type"] == "replaces" && x["direction"] == "incoming")));
    let only = get(&t.app, "/api/v1/relations?document=126-QĐ/TW&type=guides")
        .await
        .json();
    assert_eq!(only["relations"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        get(&t.app, "/api/v1/relations?document=126-QĐ/TW&type=x")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(&t.app, "/api/v1/relations").await.status,
        StatusCode::BAD_REQUEST
    );

    let all = get(&t.app, "/api/v1/events").await.json();
    let total = all["total"].as_u64().unwrap_or(0);
    assert!(total >= 4, "{all}");
    let ninh_binh = get(&t.app, "/api/v1/events?province=Ninh%20B%C3%ACnh")
        .await
        .json();
    assert_eq!(ninh_binh["total"], 1);
    assert_eq!(ninh_binh["events"][0]["province"], "Hà Nam");
    assert_eq!(ninh_binh["events"][0]["province_now"], "Ninh Bình");
    let about = get(
        &t.app,
        "/api/v1/events?document=126-qd%2Ftw&from=2019-01-01&to=2019-12-31&type=dissemination",
    )
    .await
    .json();
    assert_eq!(about["total"], 1, "only Đắk Lắk 2019");
    assert_eq!(
        get(&t.app, "/api/v1/events?from=2019-13-01").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(&t.app, "/api/v1/events?province=Atlantis").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(&t.app, "/api/v1/events?type=party").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn openapi_document_is_generated_and_lists_every_endpoint() {
    let t = standard();
    let a = get(&t.app, "/api/v1/openapi.json").await;
    assert_eq!(a.status, StatusCode::OK);
    let v = a.json();
    assert!(v["openapi"].as_str().is_some_and(|s| s.starts_with("3.")));
    for path in [
        "/api/v1/search",
        "/api/v1/documents",
        "/api/v1/documents/{reference}",
        "/api/v1/relations",
        "/api/v1/events",
        "/api/v1/sources",
        "/api/v1/sources/{id}",
        "/api/v1/stats",
        "/api/v1/provinces",
        "/api/v1/openapi.json",
        "/api/v1/elections",
        "/api/v1/elections/{id}",
        "/api/v1/elections/{id}/entries",
        "/api/v1/elections/{id}/resolutions",
        "/api/v1/elections/{id}/close",
        "/api/v1/elections/{id}/log",
    ] {
        assert!(v["paths"][path].is_object(), "{path} missing");
    }
    assert!(v["paths"]["/api/v1/elections/{id}/entries"]["post"]["security"].is_array());
    assert!(v["components"]["schemas"]["EntryBody"].is_object());
    assert!(v["paths"]["/api/v1/sources"]["post"]["security"].is_array());
    assert!(v["components"]["schemas"]["DocumentDto"].is_object());
    let unknown = get(&t.app, "/api/v1/nope").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.json()["error"]["code"], "not_found");
}

// ----------------------------------------------------------------- writes

fn upload_body(source: &str, text: &str) -> String {
    serde_json::json!({"source": source, "text": text}).to_string()
}

const NEW_TEXT: &str = "# date = 20230405
Lâm Đồng học tập Quy định 58-QĐ/TW
Ngày 4/4/2023, Ban Thường vụ Tỉnh ủy Lâm Đồng tổ chức hội nghị quán triệt Quy định số 58-QĐ/TW ngày 8/2/2022 của Bộ Chính trị về một số vấn đề bảo vệ chính trị nội bộ Đảng.
";

#[tokio::test]
async fn writes_need_a_valid_token() {
    let t = standard();
    let body = upload_body("tin/lam-dong.txt", NEW_TEXT);
    let none = post(&t.app, "/api/v1/sources", body.clone(), None).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.json()["error"]["code"], "unauthorized");
    let bad = post(&t.app, "/api/v1/sources", body.clone(), Some("vbt_wrong")).await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert_eq!(t.state.snapshot().stats().sources, 6, "nothing written");

    let good = post(&t.app, "/api/v1/sources", body.clone(), Some(TOKEN)).await;
    assert_eq!(good.status, StatusCode::CREATED, "{}", good.body);
    let v = good.json();
    assert_eq!(v["new"], true);
    let id = v["id"].as_i64().expect("id");
    assert_eq!(good.location(), format!("/api/v1/sources/{id}"));
    assert_eq!(t.state.snapshot().stats().sources, 7);
    // The new text is in the graph, the pages and the search index.
    let events = get(
        &t.app,
        "/api/v1/events?province=L%C3%A2m%20%C4%90%E1%BB%93ng",
    )
    .await
    .json();
    assert_eq!(events["total"], 1);
    let page = get(&t.app, &format!("/nguon/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let found = get(&t.app, "/api/v1/search?q=L%C3%A2m%20%C4%90%E1%BB%93ng")
        .await
        .json();
    assert!(
        found["hits"]
            .as_array()
            .is_some_and(|h| h.iter().any(|x| x["source"] == "tin/lam-dong.txt")),
        "{found}"
    );

    let again = post(&t.app, "/api/v1/sources", body, Some(TOKEN)).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["new"], false);
    assert_eq!(t.state.snapshot().stats().sources, 7);
}

#[tokio::test]
async fn tokens_created_while_running_are_accepted() {
    let t = standard();
    let token = auth::generate().expect("token");
    t.state
        .with_store({
            let h = auth::hash(&token);
            move |s| Ok(s.backend().put_token("later", &h)?)
        })
        .await
        .expect("stored");
    let a = post(
        &t.app,
        "/api/v1/sources",
        upload_body("tin/lam-dong.txt", NEW_TEXT),
        Some(&token),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED);
}

#[tokio::test]
async fn wrong_tokens_read_the_token_list_at_most_once_a_second() {
    let t = standard();
    let wrong = post(
        &t.app,
        "/api/v1/sources",
        upload_body("tin/a.txt", NEW_TEXT),
        Some("vbt_wrong"),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    // A token stored right after is not looked for again at once…
    let token = auth::generate().expect("token");
    t.state
        .with_store({
            let h = auth::hash(&token);
            move |s| Ok(s.backend().put_token("later", &h)?)
        })
        .await
        .expect("stored");
    let soon = post(
        &t.app,
        "/api/v1/sources",
        upload_body("tin/lam-dong.txt", NEW_TEXT),
        Some(&token),
    )
    .await;
    assert_eq!(soon.status, StatusCode::UNAUTHORIZED);
    // …but is accepted once the second has passed.
    tokio::time::sleep(vanban_server::TOKEN_RELOAD_EVERY + std::time::Duration::from_millis(100))
        .await;
    let later = post(
        &t.app,
        "/api/v1/sources",
        upload_body("tin/lam-dong.txt", NEW_TEXT),
        Some(&token),
    )
    .await;
    assert_eq!(later.status, StatusCode::CREATED);
}

#[tokio::test]
async fn bad_uploads_are_refused_with_json_errors() {
    let t = build(
        &corpus(),
        Config {
            body_limit: 4096,
            ..Config::default()
        },
    );
    let big = upload_body("tin/dai.txt", &"Quy định số 58-QĐ/TW. ".repeat(400));
    let a = post(&t.app, "/api/v1/sources", big, Some(TOKEN)).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(a.json()["error"]["code"], "payload_too_large");
    let not_json = post(
        &t.app,
        "/api/v1/sources",
        "{\"source\":".into(),
        Some(TOKEN),
    )
    .await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
    assert_eq!(not_json.json()["error"]["code"], "bad_request");
    let empty = post(
        &t.app,
        "/api/v1/sources",
        upload_body("x.txt", "  "),
        Some(TOKEN),
    )
    .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    let no_name = post(
        &t.app,
        "/api/v1/sources",
        upload_body("", NEW_TEXT),
        Some(TOKEN),
    )
    .await;
    assert_eq!(no_name.status, StatusCode::BAD_REQUEST);
    let plain = send(
        &t.app,
        Request::post("/api/v1/sources")
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from(NEW_TEXT))
            .expect("request"),
    )
    .await;
    assert_eq!(plain.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(t.state.snapshot().stats().sources, 6);
}

#[tokio::test]
async fn private_mode_closes_reads() {
    let t = build(
        &corpus(),
        Config {
            private: true,
            ..Config::default()
        },
    );
    let api = get(&t.app, "/api/v1/stats").await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    assert_eq!(api.json()["error"]["code"], "unauthorized");
    // Pages send a browser to the login page.
    for uri in ["/", DOC_126_URL, "/khong-co"] {
        let a = get(&t.app, uri).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{uri}");
        assert!(a.location().starts_with("/dang-nhap?next=/"), "{uri}");
    }
    let ok = send(
        &t.app,
        Request::get("/api/v1/stats")
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(get(&t.app, "/static/app.css").await.status, StatusCode::OK);
}

#[tokio::test]
async fn cors_is_off_unless_an_origin_is_configured() {
    let preflight = |app: Router| async move {
        send(
            &app,
            Request::options("/api/v1/stats")
                .header(header::ORIGIN, "https://vi-du.vn")
                .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
                .body(Body::empty())
                .expect("request"),
        )
        .await
    };
    let off = standard();
    let a = get(&off.app, "/api/v1/stats").await;
    assert!(a.headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    assert!(preflight(off.app.clone())
        .await
        .headers
        .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .is_none());
    let on = build(
        &corpus(),
        Config {
            cors_origin: Some("https://vi-du.vn".into()),
            ..Config::default()
        },
    );
    let b = preflight(on.app.clone()).await;
    assert_eq!(
        b.headers
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .and_then(|v| v.to_str().ok()),
        Some("https://vi-du.vn")
    );
}

#[tokio::test]
async fn texts_stored_by_another_process_are_picked_up() {
    let t = standard();
    assert!(
        !t.state.refresh_if_changed().await.expect("refresh"),
        "nothing new yet"
    );
    t.state
        .with_store(|s| {
            s.insert(&[NewSource::from_input(
                "tin/lam-dong.txt",
                NEW_TEXT.as_bytes(),
            )])?;
            Ok(())
        })
        .await
        .expect("stored");
    assert_eq!(t.state.snapshot().stats().sources, 6);
    assert!(t.state.refresh_if_changed().await.expect("refresh"));
    assert_eq!(t.state.snapshot().stats().sources, 7);
    let page = get(&t.app, "/tinh/lam-dong").await;
    assert!(page.body.contains("04/04/2023"), "the new event is shown");
}

#[tokio::test]
async fn every_document_page_agrees_with_the_document_view() {
    let t = standard();
    let snap = t.state.snapshot();
    for doc in snap.graph.documents() {
        let view = snap
            .graph
            .view(&doc.id, vanban_server::today())
            .expect("view");
        let a = get(&t.app, &vanban_server::urls::document(&doc.id)).await;
        assert_eq!(a.status, StatusCode::OK, "{}", doc.id);
        let (code, _) = vanban_server::templates::state_code(view.status.state);
        assert!(
            a.body.contains(&format!("status-badge status-{code}")),
            "{}",
            doc.id
        );
        let timeline = a
            .body
            .split("<ol class=\"timeline\">")
            .nth(1)
            .and_then(|s| s.split("</ol>").next())
            .unwrap_or("");
        assert_eq!(
            timeline.matches("<li>").count(),
            view.events.len(),
            "{}",
            doc.id
        );
        for src in &view.sources {
            assert!(
                a.body
                    .contains(&format!("href=\"/nguon/{}\"", src.source_id)),
                "{}: source {}",
                doc.id,
                src.source_id
            );
        }
        for r in &view.relations {
            assert!(
                a.body.contains(&vanban_server::urls::document(&r.other)),
                "{}: relation to {}",
                doc.id,
                r.other
            );
        }
    }
}

// ------------------------------------------------------------ cookie login

fn private() -> TestApp {
    build(
        &corpus(),
        Config {
            private: true,
            ..Config::default()
        },
    )
}

/// A form POST (`application/x-www-form-urlencoded`) with an optional
/// `Cookie` header.
async fn form(app: &Router, uri: &str, fields: &[(&str, &str)], cookie: Option<&str>) -> Answer {
    let (mut r, body) = common::form_post(uri, fields);
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    send(app, r.body(Body::from(body)).expect("request")).await
}

async fn get_with_cookie(app: &Router, uri: &str, cookie: &str) -> Answer {
    send(
        app,
        Request::get(uri)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .expect("request"),
    )
    .await
}

fn set_cookies(a: &Answer) -> Vec<String> {
    a.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_owned)
        .collect()
}

fn cookie() -> String {
    format!("theme=x; vanban_token={TOKEN}")
}

#[tokio::test]
async fn private_pages_redirect_to_the_login_page_with_the_way_back() {
    let t = private();
    let a = get(&t.app, "/tim-kiem?q=bao+ve&kind=quy_dinh").await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(
        a.location(),
        "/dang-nhap?next=/tim-kiem%3Fq%3Dbao%2Bve%26kind%3Dquy_dinh"
    );
    assert!(
        a.body.is_empty() || !a.body.contains("Quy định"),
        "no content before login"
    );
    let head = send(
        &t.app,
        Request::head(DOC_126_URL)
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(head.status, StatusCode::SEE_OTHER);
    // The login page gives the original address back, decoded once.
    let login = get(&t.app, head.location()).await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(
        login
            .body
            .contains(&format!("name=\"next\" value=\"{DOC_126_URL}\"")),
        "{}",
        login.body
    );
    assert!(login.body.contains("<h1>Đăng nhập</h1>"));
    assert!(login.body.contains("Mã truy cập"));
    assert!(login.body.contains("type=\"password\""));
    assert!(login.body.contains("vanban token create TÊN"));
    assert!(login.body.contains("action=\"/dang-nhap\" method=\"post\""));
    assert!(login.body.contains("class=\"site\""), "the usual layout");
    assert_eq!(
        login
            .headers
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    // Still open: the stylesheet, the script, login and logout.
    assert_eq!(get(&t.app, "/static/app.js").await.status, StatusCode::OK);
    // A bad cookie is no login.
    let bad = get_with_cookie(&t.app, "/tinh", "vanban_token=vbt_wrong").await;
    assert_eq!(bad.status, StatusCode::SEE_OTHER);
    assert_eq!(bad.location(), "/dang-nhap?next=/tinh");
    // A form sent without a token gets the login form, not a JSON error.
    let post_form = form(&t.app, "/bau-cu", &[("election_toml", "x")], None).await;
    assert_eq!(post_form.status, StatusCode::UNAUTHORIZED);
    assert!(post_form.body.contains("action=\"/dang-nhap\""));
}

#[tokio::test]
async fn login_with_a_wrong_token_is_refused_with_the_form_again() {
    let t = private();
    for token in [
        "vbt_wrong",
        "",
        "a; Path=/; Domain=evil.example",
        "vbt_\u{0111}",
    ] {
        let a = form(
            &t.app,
            "/dang-nhap",
            &[("token", token), ("next", "/tinh")],
            None,
        )
        .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert!(set_cookies(&a).is_empty(), "{token:?}");
        assert!(a.body.contains("Mã truy cập không đúng"), "{}", a.body);
        assert!(a.body.contains("role=\"alert\""));
        assert!(a.body.contains("name=\"next\" value=\"/tinh\""));
        assert!(a.body.contains("type=\"password\""));
    }
}

#[tokio::test]
async fn a_login_posted_from_another_site_is_refused_without_a_cookie() {
    let t = private();
    let (r, body) = common::form_post("/dang-nhap", &[("token", TOKEN), ("next", "/")]);
    let r = r
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from(body))
        .expect("request");
    let a = send(&t.app, r).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(set_cookies(&a).is_empty());
    // Nor through the ballot pages' own token form (open without --private).
    let open = standard();
    let (r, body) = common::form_post("/bau-cu/ma-truy-cap", &[("token", TOKEN)]);
    let r = r
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(body))
        .expect("request");
    let a = send(&open.app, r).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(set_cookies(&a).is_empty());
    // The same form from the server's own page signs in.
    let (r, body) = common::form_post("/dang-nhap", &[("token", TOKEN), ("next", "/")]);
    let r = r
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, "http://127.0.0.1:8080")
        .body(Body::from(body))
        .expect("request");
    let a = send(&t.app, r).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(set_cookies(&a).len(), 1);
}

#[tokio::test]
async fn login_sets_one_strict_cookie_that_opens_pages_but_not_api_writes() {
    let t = private();
    let a = form(
        &t.app,
        "/dang-nhap",
        &[("token", &format!(" {TOKEN} ")), ("next", DOC_126_URL)],
        None,
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.location(), DOC_126_URL);
    let cookies = set_cookies(&a);
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    let c = &cookies[0];
    assert!(c.starts_with(&format!("vanban_token={TOKEN};")), "{c}");
    for attribute in ["Path=/;", "HttpOnly", "SameSite=Strict", "Max-Age=43200"] {
        assert!(c.contains(attribute), "{c} lacks {attribute}");
    }

    // Pages open with the cookie; the header offers logout.
    let page = get_with_cookie(&t.app, DOC_126_URL, &cookie()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("class=\"status-badge"));
    assert!(page.body.contains("action=\"/dang-xuat\""));
    assert!(page.body.contains("Đăng xuất"));
    let home = get_with_cookie(&t.app, "/", &cookie()).await;
    assert_eq!(home.status, StatusCode::OK);
    // API reads too.
    let stats = get_with_cookie(&t.app, "/api/v1/stats", &cookie()).await;
    assert_eq!(stats.status, StatusCode::OK);

    // But no write through the JSON API with the cookie alone.
    let upload = send(
        &t.app,
        Request::post("/api/v1/sources")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, cookie())
            .body(Body::from(upload_body("tin/lam-dong.txt", NEW_TEXT)))
            .expect("request"),
    )
    .await;
    assert_eq!(upload.status, StatusCode::UNAUTHORIZED);
    assert_eq!(upload.json()["error"]["code"], "unauthorized");
    let election = send(
        &t.app,
        Request::post("/api/v1/elections")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, cookie())
            .body(Body::from(
                serde_json::json!({"election_toml": "x"}).to_string(),
            ))
            .expect("request"),
    )
    .await;
    assert_eq!(election.status, StatusCode::UNAUTHORIZED);
    assert_eq!(t.state.snapshot().stats().sources, 6);

    // The ballot forms take the cookie as before (a bad ELECTION.toml is a
    // 400, not a 401).
    let ballots = get_with_cookie(&t.app, "/bau-cu", &cookie()).await;
    assert_eq!(ballots.status, StatusCode::OK);
    assert!(
        !ballots.body.contains("action=\"/bau-cu/ma-truy-cap\""),
        "no token form once logged in"
    );
    let create = form(
        &t.app,
        "/bau-cu",
        &[("election_toml", "không phải TOML")],
        Some(&cookie()),
    )
    .await;
    assert_eq!(create.status, StatusCode::BAD_REQUEST, "{}", create.body);
}

#[tokio::test]
async fn login_never_sends_anyone_off_the_site() {
    let t = private();
    for next in [
        "//evil.example",
        "//evil.example/van-ban",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "",
    ] {
        let a = form(
            &t.app,
            "/dang-nhap",
            &[("token", TOKEN), ("next", next)],
            None,
        )
        .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(a.location(), "/", "{next:?}");
    }
    let page = get(&t.app, "/dang-nhap?next=//evil.example").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("name=\"next\" value=\"/\""));
    assert!(!page.body.contains("evil.example"));
}

#[tokio::test]
async fn logout_clears_the_cookie() {
    let t = private();
    let a = form(&t.app, "/dang-xuat", &[], Some(&cookie())).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.location(), "/");
    let cookies = set_cookies(&a);
    assert!(
        cookies.iter().any(|c| c.starts_with("vanban_token=;")
            && c.contains("Path=/;")
            && c.contains("Max-Age=0")),
        "{cookies:?}"
    );
    assert!(cookies.iter().all(|c| c.contains("Max-Age=0")));
}

#[tokio::test]
async fn without_private_the_login_page_renders_and_pages_stay_open() {
    let t = standard();
    let login = get(&t.app, "/dang-nhap").await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(login.body.contains("type=\"password\""));
    assert!(login.body.contains("name=\"next\" value=\"/\""));
    let home = get(&t.app, "/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        !home.body.contains("Đăng xuất"),
        "no logout without a cookie"
    );
    assert_eq!(get(&t.app, DOC_126_URL).await.status, StatusCode::OK);
    let a = form(
        &t.app,
        "/dang-nhap",
        &[("token", TOKEN), ("next", "/bau-cu")],
        None,
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.location(), "/bau-cu");
    assert_eq!(set_cookies(&a).len(), 1);
    let wrong = form(&t.app, "/dang-nhap", &[("token", "vbt_wrong")], None).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
}

/// A full disk (here: the store's file at its quota) refuses the write
/// with 507 and a message saying what to do, stores nothing of it, and
/// every read goes on being answered.
#[tokio::test]
async fn a_full_disk_refuses_writes_with_507_and_reads_go_on() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut store = Store::open(&Location::Embedded(dir.path().to_path_buf())).expect("store");
    let batch: Vec<NewSource> = corpus()
        .iter()
        .map(|(name, text)| NewSource::from_input(name, text.as_bytes()))
        .collect();
    store.insert(&batch).expect("insert");
    store
        .backend()
        .put_token("tests", &auth::hash(TOKEN))
        .expect("token");
    drop(store);
    let pages: u64 = rusqlite_pages(dir.path());
    // Room for one more page only.
    let store = Store::open_embedded_with_max_pages(dir.path(), pages + 1).expect("store");
    let index = SearchIndex::in_memory().expect("index");
    let state = AppState::new(store, Some(index), None, Config::default()).expect("state");
    let app = router(state.clone()).expect("router");

    let long = format!(
        "{NEW_TEXT}{}",
        "Các cấp ủy quán triệt sâu rộng nội dung quy định. ".repeat(400)
    );
    let full = post(
        &app,
        "/api/v1/sources",
        upload_body("tin/lam-dong.txt", &long),
        Some(TOKEN),
    )
    .await;
    assert_eq!(
        full.status,
        StatusCode::INSUFFICIENT_STORAGE,
        "{}",
        full.body
    );
    let v = full.json();
    assert_eq!(v["error"]["code"], "insufficient_storage");
    let message = v["error"]["message"].as_str().unwrap_or("");
    assert!(message.contains("disk full"), "{message}");
    assert!(message.contains("giải phóng dung lượng"), "{message}");

    let read = get(&app, "/api/v1/documents/58-QĐ%2FTW").await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert_eq!(get(&app, "/").await.status, StatusCode::OK);
    assert_eq!(state.snapshot().stats().sources, 6, "nothing half-stored");
}

fn rusqlite_pages(dir: &std::path::Path) -> u64 {
    let mut store = Store::open(&Location::Embedded(dir.to_path_buf())).expect("store");
    // The file's size in 4 KiB pages, after a checkpoint (the WAL merged).
    drop(store.counts());
    drop(store);
    let size = std::fs::metadata(dir.join("vanban.sqlite3"))
        .expect("db")
        .len();
    size.div_ceil(4096)
}

/// Beyond its limits the server sheds at once with 503, `Retry-After` and
/// the `overloaded` code instead of queueing without bound; a request that
/// waited too long for its turn is refused the same way; and once the load
/// drops it answers normally again.
#[tokio::test]
async fn an_overloaded_server_sheds_with_503_and_recovers() {
    let t = build(
        &corpus(),
        Config {
            max_concurrent: 1,
            max_queue: 1,
            queue_wait: std::time::Duration::from_millis(300),
            write_wait: std::time::Duration::from_secs(30),
            ..Config::default()
        },
    );
    // A write holds the only turn while the writer lock is held here.
    let lock = t.state.write_lock().await;
    let app = t.app.clone();
    let first = tokio::spawn(async move {
        post(
            &app,
            "/api/v1/sources",
            upload_body("tin/lam-dong.txt", NEW_TEXT),
            Some(TOKEN),
        )
        .await
    });
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    // One may wait, and is refused when its wait runs out.
    let app = t.app.clone();
    let queued = tokio::spawn(async move { get(&app, "/api/v1/stats").await });
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    // The queue is full: refused at once.
    let started = std::time::Instant::now();
    let shed = get(&t.app, "/api/v1/stats").await;
    assert!(started.elapsed() < std::time::Duration::from_millis(100));
    assert_eq!(
        shed.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        shed.body
    );
    assert_eq!(shed.json()["error"]["code"], "overloaded");
    assert!(shed.headers.contains_key(header::RETRY_AFTER));
    let queued = queued.await.expect("task");
    assert_eq!(
        queued.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        queued.body
    );

    drop(lock);
    let first = first.await.expect("task");
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(get(&t.app, "/api/v1/stats").await.status, StatusCode::OK);
    assert_eq!(get(&t.app, "/").await.status, StatusCode::OK);
}

/// A write that cannot have the one writer within `write_wait` is shed
/// with 503 `overloaded` and `Retry-After` (instead of holding a request
/// slot in an unbounded line behind the writer), and goes through once the
/// writer is free.
#[tokio::test]
async fn a_write_that_waits_too_long_for_the_writer_is_shed_with_503() {
    let t = build(
        &corpus(),
        Config {
            write_wait: std::time::Duration::from_millis(200),
            ..Config::default()
        },
    );
    let lock = t.state.write_lock().await;
    let started = std::time::Instant::now();
    let shed = post(
        &t.app,
        "/api/v1/sources",
        upload_body("tin/lam-dong.txt", NEW_TEXT),
        Some(TOKEN),
    )
    .await;
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(
        shed.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        shed.body
    );
    assert_eq!(shed.json()["error"]["code"], "overloaded");
    assert!(shed.headers.contains_key(header::RETRY_AFTER));
    assert_eq!(get(&t.app, "/api/v1/stats").await.status, StatusCode::OK);
    drop(lock);
    let stored = post(
        &t.app,
        "/api/v1/sources",
        upload_body("tin/lam-dong.txt", NEW_TEXT),
        Some(TOKEN),
    )
    .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
}

// ------------------------------------------- the snapshot after a write

/// What a graph says, for comparing two of them.
fn graph_facts(g: &vanban_store::graph::Graph) -> String {
    serde_json::json!({
        "documents": g.documents(),
        "relations": g.relations(),
        "events": g.all_events(),
        "sources": g.sources().iter().map(|s| (s.id, g.resolved_ids(s.id))).collect::<Vec<_>>(),
        "stats": g.stats(),
    })
    .to_string()
}

/// What the pages read from a snapshot beyond its graph.
fn snapshot_facts(s: &vanban_server::snapshot::Snapshot) -> String {
    let g = &s.graph;
    let docs: Vec<serde_json::Value> = g
        .documents()
        .iter()
        .map(|d| {
            let id = d.id.as_str();
            serde_json::json!({
                "id": id,
                "events": s.document_events_from(id, 1, 3),
                "event_count": s.document_event_count(id),
                "provinces": s.document_provinces(id),
                "provinces_of": s.provinces_of_document(id).collect::<Vec<_>>(),
                "citations": s.citations(id),
                "relations": s.relations(id),
                "sources": s.document_sources_from(id, 0, 5),
                "issuer": d.issuer.as_deref().map(|i| s.issuer_name(&vanban_search::issuer_key(i))),
            })
        })
        .collect();
    let sources: Vec<_> = g
        .sources()
        .iter()
        .map(|f| {
            (
                s.source_id_by_path(&f.extraction.source),
                s.source_id_by_hash(&f.hash),
            )
        })
        .collect();
    let provinces: Vec<_> = ["Lâm Đồng", "Hà Nội", "Nghệ An", "Hà Tĩnh", "Ninh Bình"]
        .iter()
        .map(|p| {
            (
                s.event_count_in_province_now(p),
                s.events_in_province_now(p),
            )
        })
        .collect();
    serde_json::json!({
        "latest": s.latest_events(50),
        "most_cited": s.most_cited(50).map(|(d, n)| (d.id.clone(), n)).collect::<Vec<_>>(),
        "stats": s.stats(),
        "events": s.events(),
        "docs": docs,
        "sources": sources,
        "provinces": provinces,
    })
    .to_string()
}

/// Each write is applied to the snapshot from its facts in memory and the
/// new source's, not reloaded: the snapshot must be exactly the graph a
/// fresh build from the store gives, after every write (new numbers, a
/// text that re-resolves earlier short mentions, one citing nothing, one
/// already stored); and the search index on disk, fed only what each write
/// touched, answers as one rebuilt from the store.
#[test]
fn a_write_applied_to_the_snapshot_equals_a_fresh_build() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let location = Location::Embedded(dir.path().join("kho"));
    write_applied_equals_a_fresh_build(location, dir.path());
}

/// The same on PostgreSQL (a fresh schema on the test server).
#[test]
fn a_write_applied_to_the_snapshot_equals_a_fresh_build_on_postgres() {
    let Some(base) = std::env::var("VANBAN_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but VANBAN_TEST_POSTGRES_URL is unset: run scripts/ci-postgres.sh first"
        );
        eprintln!("notice: VANBAN_TEST_POSTGRES_URL is unset, PostgreSQL test skipped");
        return;
    };
    let schema = format!(
        "router_snapshot_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos())
    );
    let mut client = ::postgres::Client::connect(&base, ::postgres::NoTls).expect("test server");
    client
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .expect("schema");
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
    let dir = tempfile::tempdir().expect("temporary directory");
    write_applied_equals_a_fresh_build(Location::Postgres(url), dir.path());
    let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
}

/// Posts texts one by one to a server on `location` (its index in `dir`)
/// and compares its snapshot with a fresh build after each.
fn write_applied_equals_a_fresh_build(location: Location, dir: &std::path::Path) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut store = Store::open(&location).expect("store");
    let batch: Vec<NewSource> = corpus()
        .iter()
        .map(|(name, text)| NewSource::from_input(name, text.as_bytes()))
        .collect();
    store.insert(&batch).expect("insert");
    store
        .backend()
        .put_token("tests", &auth::hash(TOKEN))
        .expect("token");
    let index_dir = dir.join("index");
    let index = SearchIndex::create(&index_dir).expect("index");
    let (_, state) =
        vanban_store::indexing::rebuild(&mut store, &index, &mut |_| {}).expect("indexing");
    state.save(&index_dir).expect("state");
    let state = AppState::new(
        store,
        Some(index),
        Some(index_dir.clone()),
        Config::default(),
    )
    .expect("state");
    let app = router(state.clone()).expect("router");
    let texts = [
        ("tin/lam-dong.txt", NEW_TEXT),
        (
            "tin/ngan.txt",
            "# date = 20230601\nTin ngắn\nTỉnh ủy quán triệt Quy định 58 và Chỉ thị số 35-CT/TW.\n",
        ),
        (
            "tin/moi.txt",
            "# date = 20240102\nQuy định số 58-QĐ/TW ngày 8/2/2022 được sửa đổi bởi Quy định số 200-QĐ/TW ngày 1/1/2024 của Bộ Chính trị.\n",
        ),
        ("tin/the-thao.txt", "Đội bóng Hà Nội thắng 2-0 trong trận đấu tối qua.\n"),
        ("tin/lam-dong-lai.txt", NEW_TEXT),
    ];
    let mut check = Store::open(&location).expect("second handle");
    for (name, text) in texts {
        let a = rt.block_on(post(
            &app,
            "/api/v1/sources",
            upload_body(name, text),
            Some(TOKEN),
        ));
        assert!(a.status.is_success(), "{name}: {}", a.body);
        let fresh = check.graph().expect("graph");
        assert_eq!(
            graph_facts(&state.snapshot().graph),
            graph_facts(&fresh),
            "after {name}"
        );
        assert_eq!(
            snapshot_facts(&state.snapshot()),
            snapshot_facts(&vanban_server::snapshot::Snapshot::new(fresh)),
            "after {name}"
        );
    }
    let rebuilt = SearchIndex::in_memory().expect("index");
    let (_, rebuilt_state) =
        vanban_store::indexing::rebuild(&mut check, &rebuilt, &mut |_| {}).expect("rebuild");
    let kept = vanban_store::indexing::IndexState::load(&index_dir);
    let mut expected = rebuilt_state;
    expected.version = kept.version;
    assert_eq!(kept, expected);
    let live = state.search().expect("index");
    for q in ["quy định 58", "200-QĐ/TW", "chỉ thị 35", "Lâm Đồng", "bóng"] {
        let query = vanban_search::Query::new(q);
        // The same hits; the scores of the live index differ from a
        // rebuild's by under 1 % here (known: see BENCHMARKS.md, issue 12),
        // so equal-looking scores may swap: the hits are compared as sets,
        // and their scores within 2 %.
        let hits = |i: &SearchIndex| {
            let r = i.search(&query).expect("search");
            let mut hits: Vec<(String, f64)> = r
                .hits
                .iter()
                .map(|h| (h.key().to_owned(), h.score()))
                .collect();
            hits.sort_by(|a, b| a.0.cmp(&b.0));
            (r.total, hits)
        };
        let (live_total, live_hits) = hits(live);
        let (total, expected) = hits(&rebuilt);
        assert_eq!(live_total, total, "{q}");
        assert_eq!(live_hits.len(), expected.len(), "{q}");
        for ((k, s), (ek, es)) in live_hits.iter().zip(&expected) {
            assert_eq!(k, ek, "{q}");
            assert!(
                (s - es).abs() <= 0.02 * es.abs(),
                "{q}: {k} scored {s}, rebuilt {es}"
            );
        }
    }
}
