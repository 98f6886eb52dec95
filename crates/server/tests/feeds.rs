//! The Atom feeds (`/feeds/…`) through the whole router, on a real store
//! (SQLite always; PostgreSQL too when `VANBAN_TEST_POSTGRES_URL` is set,
//! and required under `CI=true`, as in the store's tests):
//! every feed is valid Atom that `feed-rs` reads, entry ids stay the same
//! across requests and restarts, a new text adds its entry at the top, and
//! the pages link their feeds.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use std::collections::HashSet;
use tower::ServiceExt;
use vanban_search::SearchIndex;
use vanban_server::{auth, router, AppState, Config};
use vanban_store::{Location, NewSource, Store};

const TOKEN: &str = "vbt_test-token-for-the-feed-tests";

const DAK_LAK: &str = "# date = 20191127
Đắk Lắk quán triệt Quy định về bảo vệ chính trị nội bộ Đảng
Trong hai ngày 27 và 28-11, Ban Thường vụ Tỉnh ủy Đắk Lắk tổ chức hội nghị học tập, quán triệt Quy định số 126-QĐ/TW, ngày 28-2-2018 của Bộ Chính trị về \"Một số vấn đề bảo vệ chính trị nội bộ Đảng\" cho cán bộ chủ chốt của tỉnh.
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

/// Markup, an attribute break-out and control characters in the title and
/// the source's name.
const HOSTILE: &str = "# date = 20230301
<script>alert('x')</script> Tin \"><img src=x> về Quy định 126-QĐ/TW \u{1b}[31m &amp; ]]>
Ngày 1/3/2023, Ban Thường vụ Tỉnh ủy Đắk Lắk tổ chức hội nghị quán triệt Quy định số 126-QĐ/TW ngày 28/2/2018 của Bộ Chính trị <script>alert(4)</script>.
";
const HOSTILE_SOURCE: &str = "tin/\"><script>alert(6)</script>\u{7}.txt";

/// A new text about Quy định 126 in Ninh Bình, on the same search words.
const NINH_BINH: &str = "# date = 20181010
Ninh Bình quán triệt Quy định 126-QĐ/TW về bảo vệ chính trị nội bộ
Ngày 9/10/2018, Ban Thường vụ Tỉnh ủy Ninh Bình tổ chức hội nghị quán triệt Quy định số 126-QĐ/TW ngày 28/2/2018 của Bộ Chính trị về một số vấn đề bảo vệ chính trị nội bộ Đảng.
";

/// Another new text, stored by another process (`vanban ingest`).
const DAK_LAK_AGAIN: &str = "# date = 20240110
Đắk Lắk sơ kết thực hiện quy định về bảo vệ chính trị nội bộ
Ngày 9/1/2024, Ban Thường vụ Tỉnh ủy Đắk Lắk tổ chức hội nghị sơ kết thực hiện Quy định số 126-QĐ/TW ngày 28/2/2018 của Bộ Chính trị về bảo vệ chính trị nội bộ Đảng.
";

const DOC_126_FEED: &str = "/feeds/documents/126-Q%C4%90%2FTW@2018-02-28.atom";
const SEARCH_FEED: &str =
    "/feeds/search.atom?q=b%E1%BA%A3o%20v%E1%BB%87%20ch%C3%ADnh%20tr%E1%BB%8B%20n%E1%BB%99i%20b%E1%BB%99";

fn corpus() -> Vec<(&'static str, &'static str)> {
    vec![
        ("tin/dak-lak.txt", DAK_LAK),
        ("tin/quy-dinh-58.txt", REPLACED),
        ("tin/ha-nam.txt", HA_NAM),
        (HOSTILE_SOURCE, HOSTILE),
    ]
}

// ---------------------------------------------------------------- stores

/// Where a test's store lives: a temporary directory, or a fresh schema
/// on the PostgreSQL test server.
enum Target {
    Sqlite(tempfile::TempDir),
    Postgres {
        url: String,
        base: String,
        schema: String,
    },
}

impl Target {
    fn sqlite() -> Target {
        Target::Sqlite(tempfile::tempdir().expect("temporary directory"))
    }

    fn postgres(test: &str) -> Option<Target> {
        let Some(base) = std::env::var("VANBAN_TEST_POSTGRES_URL")
            .ok()
            .filter(|u| !u.is_empty())
        else {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!(
                    "CI=true but VANBAN_TEST_POSTGRES_URL is unset: CI must test the PostgreSQL \
                     backend (eval \"$(bash scripts/ci-postgres.sh)\" first)"
                );
            }
            eprintln!(
                "notice: VANBAN_TEST_POSTGRES_URL is unset, PostgreSQL test `{test}` skipped"
            );
            return None;
        };
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .subsec_nanos();
        let schema = format!("feeds_{test}_{}_{nanos}", std::process::id());
        let mut client =
            postgres_client(&base).unwrap_or_else(|e| panic!("cannot reach the test server: {e}"));
        client
            .batch_execute(&format!("CREATE SCHEMA {schema}"))
            .expect("schema");
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
        Some(Target::Postgres { url, base, schema })
    }

    fn location(&self) -> Location {
        match self {
            Target::Sqlite(dir) => Location::Embedded(dir.path().to_path_buf()),
            Target::Postgres { url, .. } => Location::Postgres(url.clone()),
        }
    }
}

fn postgres_client(url: &str) -> Result<::postgres::Client, ::postgres::Error> {
    ::postgres::Client::connect(url, ::postgres::NoTls)
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Target::Postgres { base, schema, .. } = self {
            if let Ok(mut c) = postgres_client(base) {
                let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
            }
        }
    }
}

fn fill(target: &Target, texts: &[(&str, &str)]) {
    let mut store = Store::open(&target.location()).expect("store");
    let batch: Vec<NewSource> = texts
        .iter()
        .map(|(name, text)| NewSource::from_input(name, text.as_bytes()))
        .collect();
    store.insert(&batch).expect("insert");
    store
        .backend()
        .put_token("tests", &auth::hash(TOKEN))
        .expect("token");
}

/// A server on the target's store (as `vanban serve` starts one: the graph
/// loaded from the store, a search index built from it).
fn start(target: &Target) -> (Router, AppState) {
    let mut store = Store::open(&target.location()).expect("store");
    let index = SearchIndex::in_memory().expect("index");
    vanban_store::indexing::rebuild(&mut store, &index, &mut |_| {}).expect("indexing");
    let state = AppState::new(store, Some(index), None, Config::default()).expect("state");
    (router(state.clone()).expect("router"), state)
}

// ---------------------------------------------------------------- requests

struct Answer {
    status: StatusCode,
    content_type: String,
    location: String,
    body: String,
}

async fn get(app: &Router, uri: &str) -> Answer {
    let request = Request::get(uri)
        .header(header::HOST, "vanban.test")
        .body(Body::empty())
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let h = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let (content_type, location) = (h(header::CONTENT_TYPE), h(header::LOCATION));
    let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
        .await
        .expect("body");
    Answer {
        status,
        content_type,
        location,
        body: String::from_utf8(bytes.to_vec()).expect("UTF-8"),
    }
}

/// Reads every event of `xml` with a strict XML reader (fails on anything
/// not well-formed) and returns the names of the elements, in order.
fn elements(xml: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut names = Vec::new();
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e)) | Ok(quick_xml::events::Event::Empty(e)) => {
                names.push(e.name().0.to_owned());
            }
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!(
                "not well-formed XML at {}: {e}\n{xml}",
                reader.error_position()
            ),
        }
    }
    names
}

/// The feed at `uri`: checked to be Atom 1.0 as RFC 4287 asks, then read
/// by `feed-rs`.
async fn feed(app: &Router, uri: &str) -> feed_rs::model::Feed {
    let a = get(app, uri).await;
    assert_eq!(a.status, StatusCode::OK, "{uri}: {}", a.body);
    assert_eq!(
        a.content_type, "application/atom+xml; charset=utf-8",
        "{uri}"
    );
    assert!(
        a.body
            .starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"),
        "{uri}"
    );
    assert!(
        a.body
            .contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""),
        "{uri}"
    );
    let names = elements(&a.body);
    let count = |n: &str| names.iter().filter(|x| *x == n).count();
    let entries = count("entry");
    assert!(entries <= 50, "{uri}: {entries} entries");
    // One id, title and updated per entry plus the feed's own.
    assert_eq!(count("id"), entries + 1, "{uri}");
    assert_eq!(count("title"), entries + 1, "{uri}");
    assert_eq!(count("updated"), entries + 1, "{uri}");
    assert_eq!(count("summary"), entries, "{uri}");
    assert_eq!(count("author"), 1, "{uri}: the feed's author");
    for bad in ["<script", "<img"] {
        assert!(!a.body.contains(bad), "{uri} contains `{bad}`");
    }
    let parsed = feed_rs::parser::parse(a.body.as_bytes())
        .unwrap_or_else(|e| panic!("{uri}: feed-rs cannot read it: {e}\n{}", a.body));
    assert_eq!(parsed.feed_type, feed_rs::model::FeedType::Atom);
    assert!(
        parsed.id.starts_with("tag:vanban,2026:feed/"),
        "{}",
        parsed.id
    );
    assert!(parsed.title.as_ref().is_some_and(|t| !t.content.is_empty()));
    assert!(parsed.updated.is_some(), "{uri}: feed updated");
    let rel = |r: &str| {
        parsed
            .links
            .iter()
            .find(|l| l.rel.as_deref() == Some(r))
            .map(|l| l.href.clone())
    };
    let self_link = rel("self").unwrap_or_else(|| panic!("{uri}: no rel=self"));
    assert!(
        self_link.starts_with("http://vanban.test/feeds/"),
        "{self_link}"
    );
    let alternate = rel("alternate").unwrap_or_else(|| panic!("{uri}: no rel=alternate"));
    assert!(alternate.starts_with("http://vanban.test/"), "{alternate}");
    let mut seen = HashSet::new();
    let mut previous = None;
    for e in &parsed.entries {
        assert!(
            e.id.starts_with("tag:vanban,2026:"),
            "{uri}: entry id {}",
            e.id
        );
        assert!(seen.insert(e.id.clone()), "{uri}: entry id {} twice", e.id);
        assert!(e
            .title
            .as_ref()
            .is_some_and(|t| !t.content.trim().is_empty()));
        assert!(e
            .summary
            .as_ref()
            .is_some_and(|t| !t.content.trim().is_empty()));
        let updated = e
            .updated
            .unwrap_or_else(|| panic!("{uri}: entry {} undated", e.id));
        if let Some(p) = previous {
            assert!(updated <= p, "{uri}: not newest first");
        }
        previous = Some(updated);
        assert!(
            e.links
                .iter()
                .any(|l| l.href.starts_with("http://vanban.test/nguon/")),
            "{uri}: entry {} does not link its source",
            e.id
        );
    }
    parsed
}

fn ids(f: &feed_rs::model::Feed) -> Vec<String> {
    f.entries.iter().map(|e| e.id.clone()).collect()
}

fn titles(f: &feed_rs::model::Feed) -> Vec<String> {
    f.entries
        .iter()
        .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
        .collect()
}

// ---------------------------------------------------------------- tests

#[tokio::test]
async fn each_feed_is_atom_with_its_facts_in_vietnamese() {
    let target = Target::sqlite();
    fill(&target, &corpus());
    let (app, _state) = start(&target);

    let doc = feed(&app, DOC_126_FEED).await;
    assert_eq!(
        doc.title.as_ref().map(|t| t.content.as_str()),
        Some("Quy định 126-QĐ/TW: sự kiện, quan hệ và thay đổi hiệu lực")
    );
    let t = titles(&doc);
    assert!(
        t.iter()
            .any(|x| x == "Thay đổi hiệu lực: Quy định 126-QĐ/TW bị thay thế bởi Quy định 58-QĐ/TW"),
        "{t:?}"
    );
    assert!(
        t.iter().any(|x| x.starts_with(
            "Học tập, quán triệt, triển khai Quy định 126-QĐ/TW tại Đắk Lắk (27/11/2019"
        )),
        "{t:?}"
    );
    assert!(
        t.iter().any(|x| x.contains("tại Hà Nam (17/05/2018)")),
        "{t:?}"
    );
    let status = doc
        .entries
        .iter()
        .find(|e| e.categories.iter().any(|c| c.term == "status"))
        .expect("a status change");
    assert!(status.id.starts_with("tag:vanban,2026:relation/"));
    assert!(
        status
            .links
            .iter()
            .any(|l| l.href == "http://vanban.test/van-ban/58-Q%C4%90%2FTW@2022-02-08"),
        "the replacement is linked"
    );
    let alternate = doc
        .links
        .iter()
        .find(|l| l.rel.as_deref() == Some("alternate"));
    assert_eq!(
        alternate.map(|l| l.href.as_str()),
        Some("http://vanban.test/van-ban/126-Q%C4%90%2FTW@2018-02-28")
    );

    // The replacement's feed sees the same relation from its side.
    let q58 = feed(&app, "/feeds/documents/58-Q%C4%90%2FTW@2022-02-08.atom").await;
    assert!(
        titles(&q58).contains(&"Quy định 58-QĐ/TW thay thế Quy định 126-QĐ/TW".to_owned()),
        "{:?}",
        titles(&q58)
    );
    assert_eq!(ids(&q58)[0], status.id, "one fact, one id in every feed");

    let province = feed(&app, "/feeds/provinces/dak-lak.atom").await;
    assert_eq!(
        province.title.as_ref().map(|t| t.content.as_str()),
        Some("Sự kiện tại Đắk Lắk")
    );
    assert_eq!(province.entries.len(), 2, "{:?}", titles(&province));
    assert!(province
        .entries
        .iter()
        .all(|e| e.id.starts_with("tag:vanban,2026:event/")));
    // Old provinces have their own feed, of the events under that name.
    let ha_nam = feed(&app, "/feeds/provinces/ha-nam.atom").await;
    assert_eq!(ha_nam.entries.len(), 1);
    assert!(ha_nam
        .title
        .as_ref()
        .is_some_and(|t| t.content.ends_with("(tỉnh cũ)")));

    let search = feed(&app, SEARCH_FEED).await;
    assert_eq!(
        search.title.as_ref().map(|t| t.content.as_str()),
        Some("Bài viết mới: “bảo vệ chính trị nội bộ”")
    );
    assert!(search.entries.len() >= 3, "{:?}", titles(&search));
    assert!(search
        .entries
        .iter()
        .all(|e| e.id.starts_with("tag:vanban,2026:source/")));
    // Filters narrow it, as on the search page.
    let filtered = feed(&app, &format!("{SEARCH_FEED}&year=2022")).await;
    assert!(filtered.entries.len() < search.entries.len());
    // A filter alone selects too.
    let in_dak_lak = feed(
        &app,
        "/feeds/search.atom?province=%C4%90%E1%BA%AFk%20L%E1%BA%AFk",
    )
    .await;
    assert_eq!(in_dak_lak.entries.len(), 2, "{:?}", titles(&in_dak_lak));
    assert_eq!(
        in_dak_lak.title.as_ref().map(|t| t.content.as_str()),
        Some("Bài viết mới (Đắk Lắk)")
    );
    // No query: every text, newest first.
    let all = feed(&app, "/feeds/search.atom").await;
    assert_eq!(all.entries.len(), 4);

    // A hostile text's markup and control characters are text in the feed.
    let hostile = search
        .entries
        .iter()
        .chain(&all.entries)
        .find(|e| {
            e.title
                .as_ref()
                .is_some_and(|t| t.content.contains("alert('x')"))
        })
        .expect("the hostile text's entry");
    let title = &hostile.title.as_ref().expect("title").content;
    assert!(
        title.contains("<script>") && !title.contains('\u{1b}'),
        "{title}"
    );
}

#[tokio::test]
async fn a_feed_holds_at_most_50_entries_newest_first() {
    let texts: Vec<(String, String)> = (0..70)
        .map(|k| {
            (
                format!("tin/binh-phuoc-{k:03}.txt"),
                format!(
                    "Ngày {}/{}/2019, Ban Thường vụ Tỉnh ủy Bình Phước tổ chức hội nghị quán triệt Quy định số 126-QĐ/TW ngày 28/2/2018 của Bộ Chính trị (đợt {k}).",
                    1 + k % 28,
                    1 + k / 28
                ),
            )
        })
        .collect();
    let borrowed: Vec<(&str, &str)> = texts
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let target = Target::sqlite();
    fill(&target, &borrowed);
    let (app, state) = start(&target);
    let newest = state
        .snapshot()
        .graph
        .sources()
        .iter()
        .map(|s| s.id)
        .max()
        .expect("sources");
    for uri in [
        DOC_126_FEED,
        "/feeds/provinces/dong-nai.atom",
        "/feeds/provinces/binh-phuoc.atom",
        "/feeds/search.atom?q=B%C3%ACnh%20Ph%C6%B0%E1%BB%9Bc",
    ] {
        let f = feed(&app, uri).await;
        assert_eq!(f.entries.len(), 50, "{uri}");
        let first = &f.entries[0];
        assert!(
            first
                .links
                .iter()
                .any(|l| l.href == format!("http://vanban.test/nguon/{newest}")),
            "{uri}: the newest text comes first"
        );
    }
}

// The PostgreSQL client blocks (it runs a runtime of its own): stores are
// opened, filled and dropped outside the test's runtime, as `vanban serve`
// does, and only the requests run on it.

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

#[test]
fn entry_ids_are_stable_across_requests_and_restarts_on_sqlite() {
    stable_across_restarts(Target::sqlite());
}

#[test]
fn entry_ids_are_stable_across_requests_and_restarts_on_postgres() {
    if let Some(target) = Target::postgres("stable") {
        stable_across_restarts(target);
    }
}

const STABLE_URIS: [&str; 3] = [DOC_126_FEED, "/feeds/provinces/dak-lak.atom", SEARCH_FEED];

fn stable_across_restarts(target: Target) {
    let rt = runtime();
    fill(&target, &corpus());
    let (app, state) = start(&target);
    let first = rt.block_on(async {
        let mut first = Vec::new();
        for uri in STABLE_URIS {
            let a = feed(&app, uri).await;
            let b = feed(&app, uri).await;
            assert!(!a.entries.is_empty(), "{uri}");
            assert_eq!(ids(&a), ids(&b), "{uri}: two requests");
            assert_eq!(a.updated, b.updated);
            first.push(a);
        }
        first
    });
    drop(app);
    drop(state);
    // The same store, a new server process.
    let (app, _state) = start(&target);
    rt.block_on(async {
        for (uri, before) in STABLE_URIS.iter().zip(&first) {
            let after = feed(&app, uri).await;
            assert_eq!(ids(&after), ids(before), "{uri}: after a restart");
            assert_eq!(after.id, before.id, "{uri}");
            let dates =
                |f: &feed_rs::model::Feed| f.entries.iter().map(|e| e.updated).collect::<Vec<_>>();
            assert_eq!(dates(&after), dates(before), "{uri}: entry dates");
        }
    });
}

#[test]
fn each_feed_gains_an_entry_for_a_new_text_on_sqlite() {
    gains_entries(Target::sqlite());
}

#[test]
fn each_feed_gains_an_entry_for_a_new_text_on_postgres() {
    if let Some(target) = Target::postgres("gains") {
        gains_entries(target);
    }
}

fn gains_entries(target: Target) {
    let rt = runtime();
    fill(&target, &corpus());
    let (app, state) = start(&target);
    let doc = rt.block_on(async {
        let doc_before = feed(&app, DOC_126_FEED).await;
        let ninh_binh_before = feed(&app, "/feeds/provinces/ninh-binh.atom").await;
        let search_before = feed(&app, SEARCH_FEED).await;
        // Ninh Bình of today includes Hà Nam, whose event is there already.
        assert_eq!(ninh_binh_before.entries.len(), 1);
        let empty = feed(&app, "/feeds/provinces/lai-chau.atom").await;
        assert!(empty.entries.is_empty());
        assert!(empty.updated.is_some(), "an empty feed is dated too");

        // Uploaded through the API: the server rebuilds its snapshot.
        let body =
            serde_json::json!({"source": "tin/ninh-binh.txt", "text": NINH_BINH}).to_string();
        let request = Request::post("/api/v1/sources")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .body(Body::from(body))
            .expect("request");
        let response = app.clone().oneshot(request).await.expect("response");
        assert_eq!(response.status(), StatusCode::CREATED);

        let doc = feed(&app, DOC_126_FEED).await;
        assert_eq!(doc.entries.len(), doc_before.entries.len() + 1);
        assert!(
            !ids(&doc_before).contains(&doc.entries[0].id),
            "the new entry comes first"
        );
        assert!(
            titles(&doc)[0].contains("tại Ninh Bình"),
            "{:?}",
            titles(&doc)
        );
        assert_eq!(
            &ids(&doc)[1..],
            &ids(&doc_before)[..],
            "the others keep their ids"
        );
        let ninh_binh = feed(&app, "/feeds/provinces/ninh-binh.atom").await;
        assert_eq!(ninh_binh.entries.len(), 2);
        assert_eq!(
            ninh_binh.entries[0].id, doc.entries[0].id,
            "one event, one id"
        );
        assert_eq!(ninh_binh.entries[1].id, ninh_binh_before.entries[0].id);
        let search = feed(&app, SEARCH_FEED).await;
        assert_eq!(search.entries.len(), search_before.entries.len() + 1);
        assert_eq!(
            titles(&search)[0],
            "Ninh Bình quán triệt Quy định 126-QĐ/TW về bảo vệ chính trị nội bộ"
        );
        doc
    });

    // Stored by another process, picked up by the server's refresh.
    let mut other = Store::open(&target.location()).expect("store");
    other
        .insert(&[NewSource::from_input(
            "tin/dak-lak-2024.txt",
            DAK_LAK_AGAIN.as_bytes(),
        )])
        .expect("insert");
    drop(other);
    rt.block_on(async {
        assert!(state.refresh_if_changed().await.expect("refresh"));
        let province = feed(&app, "/feeds/provinces/dak-lak.atom").await;
        assert_eq!(province.entries.len(), 3);
        assert!(
            titles(&province)[0].starts_with("Sơ kết, tổng kết Quy định 126-QĐ/TW tại Đắk Lắk"),
            "{:?}",
            titles(&province)
        );
        let doc_again = feed(&app, DOC_126_FEED).await;
        assert_eq!(doc_again.entries.len(), doc.entries.len() + 1);
        assert_eq!(&ids(&doc_again)[1..], &ids(&doc)[..]);
    });
}

#[tokio::test]
async fn unknown_documents_and_provinces_are_404_in_vietnamese() {
    let target = Target::sqlite();
    fill(&target, &corpus());
    let (app, _state) = start(&target);
    let doc = get(&app, "/feeds/documents/999-Q%C4%90%2FTW@2001-01-01.atom").await;
    assert_eq!(doc.status, StatusCode::NOT_FOUND);
    assert!(
        doc.content_type.starts_with("text/plain"),
        "{}",
        doc.content_type
    );
    assert!(
        doc.body
            .contains("Không tìm thấy văn bản “999-QĐ/TW@2001-01-01”"),
        "{}",
        doc.body
    );
    let province = get(&app, "/feeds/provinces/khong-co-tinh-nay.atom").await;
    assert_eq!(province.status, StatusCode::NOT_FOUND);
    assert!(
        province
            .body
            .contains("Không có tỉnh, thành “khong-co-tinh-nay”"),
        "{}",
        province.body
    );
    let no_suffix = get(&app, "/feeds/documents/126-Q%C4%90%2FTW@2018-02-28").await;
    assert_eq!(no_suffix.status, StatusCode::NOT_FOUND);
    assert!(no_suffix.body.contains(".atom"));
    assert_eq!(
        get(&app, "/feeds/provinces/dak-lak").await.status,
        StatusCode::NOT_FOUND
    );

    // A typed reference leads to the document's feed, as to its page.
    let typed = get(&app, "/feeds/documents/quy%20dinh%20126.atom").await;
    assert_eq!(
        typed.status,
        StatusCode::TEMPORARY_REDIRECT,
        "{}",
        typed.body
    );
    assert_eq!(typed.location, DOC_126_FEED);
    // A province typed another way leads to its feed's one address.
    let named = get(&app, "/feeds/provinces/%C4%90%E1%BA%AFk%20L%E1%BA%AFk.atom").await;
    assert_eq!(named.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(named.location, "/feeds/provinces/dak-lak.atom");
}

#[tokio::test]
async fn pages_link_their_feeds_in_the_head_and_visibly() {
    let target = Target::sqlite();
    fill(&target, &corpus());
    let (app, _state) = start(&target);
    let search_feed = "/feeds/search.atom?q=b%E1%BA%A3o%20v%E1%BB%87&amp;year=2018";
    for (page, href, title) in [
        (
            "/van-ban/126-Q%C4%90%2FTW@2018-02-28",
            DOC_126_FEED.to_owned(),
            "Quy định 126-QĐ/TW: sự kiện, quan hệ và thay đổi hiệu lực",
        ),
        (
            "/tinh/dak-lak",
            "/feeds/provinces/dak-lak.atom".to_owned(),
            "Sự kiện tại Đắk Lắk",
        ),
        (
            "/tim-kiem?q=b%E1%BA%A3o%20v%E1%BB%87&year=2018&page=1",
            search_feed.to_owned(),
            "Bài viết mới: “bảo vệ” (2018)",
        ),
    ] {
        let a = get(&app, page).await;
        assert_eq!(a.status, StatusCode::OK, "{page}");
        let head = a.body.split("</head>").next().unwrap_or("");
        let link = format!(
            "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"{title}\" href=\"{href}\">"
        );
        assert!(head.contains(&link), "{page}: no {link} in\n{head}");
        let visible = format!("<a class=\"feed-link\" href=\"{href}\"");
        assert!(a.body.contains(&visible), "{page}: no visible Atom link");
        // And the linked feed answers.
        let feed_uri = href.replace("&amp;", "&");
        feed(&app, &feed_uri).await;
    }
}
