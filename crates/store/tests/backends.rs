//! One suite, run against both backends: the embedded SQLite store (always)
//! and a PostgreSQL server (`VANBAN_TEST_POSTGRES_URL`; each test in its own
//! fresh schema, so tests run in parallel). Without that variable the
//! PostgreSQL tests print a notice and pass, except under `CI=true`, where
//! they fail: CI must test both backends.

use chrono::NaiveDate;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use vanban_extract::{
    Document, DocumentKind, Event, EventKind, Extraction, Official, Relation, RelationKind, Span,
};
use vanban_store::{Counts, Error, Location, NewSource, SourceFacts, Store};

// ---------------------------------------------------------------- targets

/// A fresh, empty store location for one test, and raw access to it for
/// what a test must do by hand (an old schema, a newer stamp).
struct Target {
    location: Location,
    raw: Raw,
    _dir: Option<tempfile::TempDir>,
}

enum Raw {
    Sqlite(PathBuf),
    Postgres { url: String, schema: String },
}

impl Target {
    fn sqlite() -> Target {
        let dir = tempfile::tempdir().unwrap();
        let store_dir = dir.path().join("kho");
        Target {
            location: Location::Embedded(store_dir.clone()),
            raw: Raw::Sqlite(store_dir.join("vanban.sqlite3")),
            _dir: Some(dir),
        }
    }

    /// A fresh schema on the test server, or `None` (skip) when none is
    /// configured outside CI.
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
                "notice: VANBAN_TEST_POSTGRES_URL is unset, PostgreSQL test `{test}` skipped \
                 (eval \"$(bash scripts/ci-postgres.sh)\" to run it)"
            );
            return None;
        };
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let schema = format!("t_{}_{}_{}", test, std::process::id(), nanos);
        let mut client = ::postgres::Client::connect(&base, ::postgres::NoTls)
            .unwrap_or_else(|e| panic!("cannot reach VANBAN_TEST_POSTGRES_URL: {e}"));
        client
            .batch_execute(&format!("CREATE SCHEMA {schema}"))
            .unwrap();
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
        Some(Target {
            location: Location::Postgres(url.clone()),
            raw: Raw::Postgres { url, schema },
            _dir: None,
        })
    }

    fn open(&self) -> Store {
        Store::open(&self.location).unwrap_or_else(|e| panic!("open {:?}: {e}", self.location))
    }

    fn is_postgres(&self) -> bool {
        matches!(self.raw, Raw::Postgres { .. })
    }

    /// Runs SQL on the store directly, bypassing vanban.
    fn exec(&self, sql: &str) {
        match &self.raw {
            Raw::Sqlite(path) => {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                rusqlite::Connection::open(path)
                    .unwrap()
                    .execute_batch(sql)
                    .unwrap()
            }
            Raw::Postgres { url, .. } => ::postgres::Client::connect(url, ::postgres::NoTls)
                .unwrap()
                .batch_execute(sql)
                .unwrap(),
        }
    }

    /// One integer, read directly.
    fn query_i64(&self, sql: &str) -> i64 {
        match &self.raw {
            Raw::Sqlite(path) => rusqlite::Connection::open(path)
                .unwrap()
                .query_row(sql, [], |r| r.get(0))
                .unwrap(),
            Raw::Postgres { url, .. } => ::postgres::Client::connect(url, ::postgres::NoTls)
                .unwrap()
                .query_one(sql, &[])
                .unwrap()
                .get(0),
        }
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Raw::Postgres { url, schema } = &self.raw {
            if let Ok(mut c) = ::postgres::Client::connect(url, ::postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
            }
        }
    }
}

/// Each test once per backend.
macro_rules! on_both_backends {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $test() { super::$test(super::Target::sqlite()) })*
        }
        mod postgres {
            $(#[test] fn $test() {
                if let Some(target) = super::Target::postgres(stringify!($test)) {
                    super::$test(target)
                }
            })*
        }
    };
}

on_both_backends!(
    facts_round_trip_exactly,
    a_large_store_round_trips,
    real_extraction_round_trips,
    ingesting_twice_stores_once,
    a_failing_batch_leaves_nothing,
    counts_follow_inserts,
    for_each_source_streams_in_id_order,
    source_text_by_id,
    ingest_times_by_id,
    tokens_are_replaced_by_name,
    fetch_records_are_replaced_by_url,
    watched_sources_keep_their_back_off,
    expectations_are_kept_with_who_set_them,
    an_older_store_is_upgraded,
    a_newer_store_is_refused_and_left_untouched,
    the_change_feed_records_each_stored_batch,
);

// ---------------------------------------------------------------- data

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn span_of(text: &str, needle: &str) -> Span {
    let start = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    Span {
        start,
        end: start + needle.len(),
    }
}

/// A source written by hand with every kind of fact; `n` varies it.
fn sample(n: usize) -> NewSource {
    let number = 100 + n;
    let text = format!(
        "Tỉnh ủy Đắk Lắk tổ chức hội nghị quán triệt (lần {n})\n\n\
         Ngày 27-11-2019, Ban Thường vụ Tỉnh ủy tổ chức hội nghị quán triệt Quy định số \
         {number}-QĐ/TW ngày 28-2-2018 của Bộ Chính trị về một số vấn đề bảo vệ chính trị nội bộ \
         Đảng, thay thế Quy định số 57-QĐ/TW. Đồng chí Nguyễn Văn A, Phó Bí thư Tỉnh ủy,\tchủ trì \
         hội nghị.\nTài liệu kèm theo: Hướng dẫn số 19-HD/BTCTW \\ bản chụp."
    );
    let main = span_of(&text, &format!("Quy định số {number}-QĐ/TW"));
    let old = span_of(&text, "Quy định số 57-QĐ/TW");
    let guide = span_of(&text, "Hướng dẫn số 19-HD/BTCTW");
    let extraction = Extraction {
        source: format!("tin/dak-lak/{n:05}.txt"),
        published: (!n.is_multiple_of(3)).then(|| date(2019, 11, 27 + (n % 3) as u32)),
        documents: vec![
            Document {
                kind: DocumentKind::QuyDinh,
                number: Some(number.to_string()),
                symbol: Some("QĐ/TW".into()),
                year: Some(2018),
                date: Some(date(2018, 2, 28)),
                issuer: Some("Bộ Chính trị".into()),
                title: Some("một số vấn đề bảo vệ chính trị nội bộ Đảng".into()),
                mentions: vec![
                    main,
                    Span {
                        start: main.start,
                        end: main.start + 11,
                    },
                ],
            },
            Document {
                kind: DocumentKind::QuyDinh,
                number: Some("57".into()),
                symbol: Some("QĐ/TW".into()),
                year: None,
                date: None,
                issuer: None,
                title: None,
                mentions: vec![old],
            },
            Document {
                kind: DocumentKind::HuongDan,
                number: Some("19".into()),
                symbol: Some("HD/BTCTW".into()),
                year: None,
                date: None,
                issuer: Some("Ban Tổ chức Trung ương".into()),
                // Separators that a text transfer format must escape.
                title: Some("tab\there, newline\nhere, backslash \\ here".into()),
                mentions: vec![guide],
            },
            Document {
                kind: DocumentKind::Other,
                number: None,
                symbol: None,
                year: Some(2019),
                date: None,
                issuer: None,
                title: None,
                mentions: vec![],
            },
        ],
        relations: vec![
            Relation {
                kind: RelationKind::Replaces,
                from: 0,
                to: 1,
            },
            Relation {
                kind: RelationKind::Guides,
                from: 2,
                to: 0,
            },
        ],
        events: vec![Event {
            kind: if n.is_multiple_of(2) {
                EventKind::Dissemination
            } else {
                EventKind::Training
            },
            date: Some(date(2019, 11, 27)),
            end_date: (n % 2 == 1).then(|| date(2019, 11, 28)),
            province: Some("Đắk Lắk".into()),
            organizer: (!n.is_multiple_of(4)).then(|| "Ban Thường vụ Tỉnh ủy".to_string()),
            documents: vec![0, 2],
        }],
        officials: vec![
            Official {
                name: "Nguyễn Văn A".into(),
                positions: vec!["Phó Bí thư Tỉnh ủy".into()],
            },
            Official {
                name: "Trần Thị B".into(),
                positions: vec![],
            },
        ],
    };
    NewSource {
        hash: format!("{:064x}", 0xabc000 + n),
        bytes: text.len() as u64,
        title: text.lines().next().unwrap().to_string(),
        text,
        extraction,
    }
}

/// A source with no facts at all.
fn bare(n: usize) -> NewSource {
    let text = format!("Bản tin thời tiết số {n}: trời nắng, không có văn bản nào được nhắc đến.");
    NewSource {
        hash: format!("{:064x}", 0xdef000 + n),
        bytes: text.len() as u64,
        title: text.clone(),
        text,
        extraction: Extraction {
            source: format!("https://example.vn/thoi-tiet/{n}"),
            published: None,
            documents: vec![],
            relations: vec![],
            events: vec![],
            officials: vec![],
        },
    }
}

/// What the store must give back for `new` stored under `id`.
fn expected(id: i64, new: &NewSource) -> SourceFacts {
    SourceFacts {
        id,
        hash: new.hash.clone(),
        title: new.title.clone(),
        extraction: new.extraction.clone(),
        excerpts: new
            .extraction
            .documents
            .iter()
            .map(|d| {
                d.mentions
                    .first()
                    .map(|s| vanban_store::excerpt(&new.text, *s))
                    .unwrap_or_default()
            })
            .collect(),
    }
}

fn counts_of(batch: &[NewSource]) -> Counts {
    let mut c = Counts::default();
    for s in batch {
        c.sources += 1;
        c.documents += s.extraction.documents.len() as u64;
        c.relations += s.extraction.relations.len() as u64;
        c.events += s.extraction.events.len() as u64;
        c.officials += s.extraction.officials.len() as u64;
    }
    c
}

fn ids(store: &mut Store) -> Vec<i64> {
    store
        .backend()
        .load_facts()
        .unwrap()
        .iter()
        .map(|f| f.id)
        .collect()
}

// ---------------------------------------------------------------- tests

fn facts_round_trip_exactly(t: Target) {
    let mut store = t.open();
    let batch: Vec<NewSource> = (0..5).map(sample).chain((0..2).map(bare)).collect();
    let done = store.insert(&batch).unwrap();
    assert_eq!((done.new, done.unchanged), (7, 0));

    let facts = store.backend().load_facts().unwrap();
    assert_eq!(facts.len(), batch.len());
    assert!(
        facts.windows(2).all(|w| w[0].id < w[1].id),
        "ids increase in ingest order"
    );
    for (got, new) in facts.iter().zip(&batch) {
        assert_eq!(got, &expected(got.id, new));
    }
    // The excerpt quotes the first mention; a document without one has "".
    assert!(facts[0].excerpts[0].contains("Quy định số 100-QĐ/TW"));
    assert_eq!(facts[0].excerpts[3], "");

    // And again after reopening the store.
    drop(store);
    let mut store = t.open();
    assert_eq!(store.backend().load_facts().unwrap(), facts);
}

/// Enough sources for the embedded store to read mentions on a second
/// connection in parallel.
fn a_large_store_round_trips(t: Target) {
    let mut store = t.open();
    let all: Vec<NewSource> = (0..2100)
        .map(|n| if n % 7 == 0 { bare(n) } else { sample(n) })
        .collect();
    for chunk in all.chunks(700) {
        store.insert(chunk).unwrap();
    }
    let facts = store.backend().load_facts().unwrap();
    assert_eq!(facts.len(), all.len());
    for (got, new) in facts.iter().zip(&all) {
        assert_eq!(got, &expected(got.id, new));
    }
}

fn real_extraction_round_trips(t: Target) {
    let text = "Sáng 5-10-2022, Thành ủy Hà Nội tổ chức hội nghị học tập, quán triệt Quy định số \
                58-QĐ/TW ngày 8-2-2022 của Bộ Chính trị về một số vấn đề bảo vệ chính trị nội bộ \
                Đảng. Quy định số 58-QĐ/TW thay thế Quy định số 126-QĐ/TW ngày 28-2-2018 của Bộ \
                Chính trị. Đồng chí Đinh Tiến Dũng, Ủy viên Bộ Chính trị, Bí thư Thành ủy Hà Nội \
                chủ trì hội nghị.\n";
    let new = NewSource::from_input("tin/ha-noi/2022-10-05.txt", text.as_bytes());
    assert!(
        new.extraction.documents.len() >= 2,
        "the extractor finds the two Quy định: {:?}",
        new.extraction.documents
    );
    let mut store = t.open();
    store.insert(std::slice::from_ref(&new)).unwrap();
    let facts = store.backend().load_facts().unwrap();
    assert_eq!(facts, vec![expected(facts[0].id, &new)]);
}

fn ingesting_twice_stores_once(t: Target) {
    let mut store = t.open();
    let batch: Vec<NewSource> = (0..4).map(sample).collect();
    assert_eq!(store.insert(&batch).unwrap().new, 4);
    let before = store.backend().load_facts().unwrap();

    let again = store.insert(&batch).unwrap();
    assert_eq!((again.new, again.unchanged), (0, 4));
    // Duplicates inside one batch, and a mix of old and new.
    let mixed = vec![sample(9), sample(9), sample(1), sample(10), sample(9)];
    let done = store.insert(&mixed).unwrap();
    assert_eq!((done.new, done.unchanged), (2, 3));

    let after = store.backend().load_facts().unwrap();
    assert_eq!(after.len(), 6);
    assert_eq!(after[..4], before[..]);
    assert_eq!(after[4].hash, sample(9).hash);
    assert_eq!(after[5].hash, sample(10).hash);

    let hashes = vec![sample(1).hash, sample(9).hash, bare(1).hash];
    let known = store.known_hashes(&hashes).unwrap();
    assert_eq!(known.len(), 2);
    assert!(known.contains(&sample(1).hash) && !known.contains(&bare(1).hash));
}

fn a_failing_batch_leaves_nothing(t: Target) {
    let mut store = t.open();
    store.insert(&[sample(0)]).unwrap();
    let before = store.backend().load_facts().unwrap();

    // The third source's relation names a document that does not exist:
    // the store refuses it after the first two were written.
    let mut broken = sample(2);
    broken.extraction.relations.push(Relation {
        kind: RelationKind::Amends,
        from: 0,
        to: 7,
    });
    let batch = vec![sample(1), bare(1), broken, sample(3)];
    let err = store.insert(&batch).unwrap_err();
    assert!(
        matches!(err, Error::Sqlite { .. } | Error::Postgres(_)),
        "unexpected error {err:?}"
    );
    assert!(
        err.to_string().contains("nothing half-written is kept"),
        "{err}"
    );

    assert_eq!(store.backend().load_facts().unwrap(), before);
    assert_eq!(store.counts().unwrap(), counts_of(&[sample(0)]));
    let hashes: Vec<String> = batch.iter().map(|s| s.hash.clone()).collect();
    assert!(store.known_hashes(&hashes).unwrap().is_empty());

    // The store still works, and the good sources go in.
    let good = vec![sample(1), bare(1), sample(3)];
    assert_eq!(store.insert(&good).unwrap().new, 3);
    assert_eq!(store.counts().unwrap().sources, 4);
}

fn counts_follow_inserts(t: Target) {
    let mut store = t.open();
    assert_eq!(store.counts().unwrap(), Counts::default());
    let batch: Vec<NewSource> = (0..3).map(sample).chain((0..2).map(bare)).collect();
    store.insert(&batch).unwrap();
    let c = store.counts().unwrap();
    assert_eq!(c, counts_of(&batch));
    assert_eq!(
        (c.sources, c.documents, c.relations, c.events, c.officials),
        (5, 12, 6, 3, 6)
    );
    store.insert(&batch).unwrap();
    assert_eq!(store.counts().unwrap(), c);
}

fn for_each_source_streams_in_id_order(t: Target) {
    let mut store = t.open();
    // More than one page of sources, in several batches.
    let all: Vec<NewSource> = (0..600)
        .map(|n| if n % 5 == 0 { bare(n) } else { sample(n) })
        .collect();
    for chunk in all.chunks(250) {
        store.insert(chunk).unwrap();
    }
    let ids = ids(&mut store);
    let mut seen = Vec::new();
    store
        .backend()
        .for_each_source(&mut |s| {
            let n = seen.len();
            assert_eq!(s.text, all[n].text);
            assert_eq!(s.facts, expected(s.facts.id, &all[n]));
            seen.push(s.facts.id);
            Ok(())
        })
        .unwrap();
    assert_eq!(seen, ids);

    // A callback's error stops the walk and names the source.
    let mut calls = 0;
    let err = store
        .backend()
        .for_each_source(&mut |_| {
            calls += 1;
            if calls == 3 {
                Err("chỉ mục đầy".into())
            } else {
                Ok(())
            }
        })
        .unwrap_err();
    assert_eq!(calls, 3);
    match err {
        Error::Callback { id, message } => {
            assert_eq!((id, message.as_str()), (ids[2], "chỉ mục đầy"))
        }
        other => panic!("unexpected {other:?}"),
    }
}

fn source_text_by_id(t: Target) {
    let mut store = t.open();
    let batch = vec![sample(0), bare(0), sample(1)];
    store.insert(&batch).unwrap();
    let ids = ids(&mut store);
    for (id, new) in ids.iter().zip(&batch) {
        let got = store.source_text(*id).unwrap().expect("stored source");
        assert_eq!(got.text, new.text);
        assert_eq!(got.facts, expected(*id, new));
    }
    assert_eq!(store.source_text(ids[2] + 1000).unwrap(), None);
    assert_eq!(store.source_text(-1).unwrap(), None);
}

/// When each source was stored: RFC 3339 UTC, within the test's run, the
/// same when read again (feeds date their entries by it).
fn ingest_times_by_id(t: Target) {
    let now = || {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        chrono::DateTime::from_timestamp(secs as i64, 0).unwrap()
    };
    let before = now() - chrono::Duration::seconds(2);
    let mut store = t.open();
    store.insert(&[sample(0), sample(1)]).unwrap();
    let ids = ids(&mut store);
    let mut asked = ids.clone();
    asked.push(ids[1] + 1000);
    let times = store.ingested_at(&asked).unwrap();
    assert_eq!(times.len(), 2, "unknown ids are left out: {times:?}");
    let after = now() + chrono::Duration::seconds(2);
    for id in &ids {
        let text = &times[id];
        assert!(text.ends_with('Z') && text.len() == 20, "{text}");
        let at = chrono::DateTime::parse_from_rfc3339(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .with_timezone(&chrono::Utc);
        assert!(
            before <= at && at <= after,
            "{at} not within {before}..{after}"
        );
    }
    drop(store);
    let mut again = t.open();
    assert_eq!(again.ingested_at(&ids).unwrap(), times);
    assert!(again.ingested_at(&[]).unwrap().is_empty());
}

fn tokens_are_replaced_by_name(t: Target) {
    let mut store = t.open();
    assert!(store.backend().tokens().unwrap().is_empty());
    store
        .backend()
        .put_token("toa-soan", &"a".repeat(64))
        .unwrap();
    store
        .backend()
        .put_token("bien-tap", &"b".repeat(64))
        .unwrap();
    store
        .backend()
        .put_token("toa-soan", &"c".repeat(64))
        .unwrap();
    let tokens = store.backend().tokens().unwrap();
    let pairs: Vec<(&str, &str)> = tokens
        .iter()
        .map(|t| (t.name.as_str(), t.hash.as_str()))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("bien-tap", "b".repeat(64).as_str()),
            ("toa-soan", "c".repeat(64).as_str())
        ]
    );
    for t in &tokens {
        // RFC 3339, UTC, whole seconds.
        assert_eq!(t.created.len(), 20, "{}", t.created);
        assert!(t.created.ends_with('Z') && t.created.as_bytes()[10] == b'T');
    }
    drop(store);
    assert_eq!(t.open().backend().tokens().unwrap(), tokens);
}

fn fetch_records_are_replaced_by_url(t: Target) {
    use vanban_store::FetchRecord;
    let mut store = t.open();
    let url = "http://127.0.0.1:8000/tin/hoi-nghi.html";
    assert_eq!(store.backend().fetch_record(url).unwrap(), None);
    let mut record = FetchRecord {
        url: url.into(),
        source: "http://127.0.0.1:8000/tin/hoi-nghi".into(),
        hash: Some("ab".repeat(32)),
        etag: Some("\"v1\"".into()),
        last_modified: Some("Fri, 01 Apr 2022 00:00:00 GMT".into()),
        published: Some(date(2022, 4, 1)),
        fetched_at: "2026-12-06T12:00:00Z".into(),
    };
    store.backend().put_fetch_record(&record).unwrap();
    assert_eq!(
        store.backend().fetch_record(url).unwrap().as_ref(),
        Some(&record)
    );
    record.etag = None;
    record.hash = None;
    record.published = None;
    record.fetched_at = "2026-12-06T13:00:00Z".into();
    store.backend().put_fetch_record(&record).unwrap();
    drop(store);
    assert_eq!(t.open().backend().fetch_record(url).unwrap(), Some(record));
}

fn watched_sources_keep_their_back_off(t: Target) {
    use vanban_store::WatchedSource;
    let mut store = t.open();
    assert_eq!(store.backend().watched_sources().unwrap(), vec![]);
    let mut tinh = WatchedSource {
        url: "http://127.0.0.1:8000/tinh-uy/rss.xml".into(),
        every_seconds: 900,
        origin: "api".into(),
        added_at: "2026-12-06T12:00:00Z".into(),
        last_fetch: None,
        next_due: None,
        failures: 0,
        last_error: None,
    };
    let bao = WatchedSource {
        url: "http://127.0.0.1:8000/bao/tin-moi.html".into(),
        every_seconds: 3600,
        origin: "file".into(),
        added_at: "2026-12-06T12:30:00Z".into(),
        ..tinh.clone()
    };
    store.backend().put_watched_source(&bao).unwrap();
    store.backend().put_watched_source(&tinh).unwrap();
    // Oldest first.
    assert_eq!(
        store.backend().watched_sources().unwrap(),
        vec![tinh.clone(), bao.clone()]
    );
    // A failure's back-off replaces the row, and survives a reopening.
    tinh.last_fetch = Some("2026-12-06T13:00:00Z".into());
    tinh.next_due = Some("2026-12-06T13:30:00Z".into());
    tinh.failures = 1;
    tinh.last_error = Some("http://127.0.0.1:8000/tinh-uy/rss.xml: 503".into());
    store.backend().put_watched_source(&tinh).unwrap();
    drop(store);
    let mut store = t.open();
    assert_eq!(
        store.backend().watched_sources().unwrap(),
        vec![tinh.clone(), bao.clone()]
    );
    assert!(store.backend().remove_watched_source(&bao.url).unwrap());
    assert!(!store.backend().remove_watched_source(&bao.url).unwrap());
    assert_eq!(store.backend().watched_sources().unwrap(), vec![tinh]);
}

/// Version 1 as it was first released, applied by hand.
fn expectations_are_kept_with_who_set_them(t: Target) {
    use vanban_store::coverage::Stage;
    use vanban_store::expectations::{Deadline, NewExpectation};
    let mut store = t.open();
    assert_eq!(store.backend().expectations(None).unwrap(), vec![]);
    let by_date = NewExpectation {
        document: "quy-dinh-58-qd-tw-2022".into(),
        stage: Stage::Disseminated,
        deadline: Deadline::By(date(2022, 6, 30)),
        provinces: vec![],
        set_by: "ban-tuyen-giao".into(),
        set_at: "2026-12-07T02:00:00Z".into(),
        note: Some("Theo kế hoạch của Ban Bí thư".into()),
    };
    let within = NewExpectation {
        document: "chi-thi-07-ct-tw-2021".into(),
        stage: Stage::PlanIssued,
        deadline: Deadline::WithinDays(30),
        provinces: vec!["Quảng Trị".into(), "Hồ Chí Minh".into()],
        note: None,
        ..by_date.clone()
    };
    let review = NewExpectation {
        stage: Stage::InterimReview,
        deadline: Deadline::By(date(2024, 12, 31)),
        ..by_date.clone()
    };
    let a = store.backend().add_expectation(&by_date).unwrap();
    let b = store.backend().add_expectation(&within).unwrap();
    let c = store.backend().add_expectation(&review).unwrap();
    assert!(a < b && b < c, "{a} {b} {c}");
    drop(store);
    // They survive a reopening, exactly as given, oldest first.
    let mut store = t.open();
    let all = store.backend().expectations(None).unwrap();
    let got: Vec<_> = all.iter().map(|e| (e.id, e.fields.clone())).collect();
    assert_eq!(
        got,
        vec![
            (a, by_date.clone()),
            (b, within.clone()),
            (c, review.clone())
        ]
    );
    let one = store
        .backend()
        .expectations(Some("quy-dinh-58-qd-tw-2022"))
        .unwrap();
    assert_eq!(one.iter().map(|e| e.id).collect::<Vec<_>>(), vec![a, c]);
    assert_eq!(
        store.backend().expectations(Some("khong-co")).unwrap(),
        vec![]
    );
    // Removing one leaves the others; removing it again finds nothing.
    assert!(store.backend().remove_expectation(a).unwrap());
    assert!(!store.backend().remove_expectation(a).unwrap());
    let left: Vec<_> = store
        .backend()
        .expectations(None)
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(left, vec![b, c]);
    // Ids are never reused, even the newest one's once removed.
    assert!(store.backend().remove_expectation(c).unwrap());
    let d = store.backend().add_expectation(&by_date).unwrap();
    assert!(d > c, "{d} {c}");
}

fn create_v1_store(t: &Target) {
    if t.is_postgres() {
        t.exec(include_str!("../migrations/postgres/0001_initial.sql"));
        t.exec(
            "CREATE TABLE schema_version (version BIGINT PRIMARY KEY, name TEXT NOT NULL,
                 applied_at TIMESTAMPTZ NOT NULL DEFAULT now());
             INSERT INTO schema_version (version, name) VALUES (1, 'initial');
             INSERT INTO sources (hash, source, published, title, text, bytes)
                 VALUES ('v1hash', 'cu/1.txt', '2020-05-01', 'Tin cũ', 'Kết luận số 21-KL/TW.', 27);
             INSERT INTO documents (source_id, idx, kind, number, symbol, year, date, issuer,
                                    title, spans, excerpt)
                 SELECT id, 0, 'ket_luan', '21', 'KL/TW', 2021, '2021-10-25', NULL, NULL,
                        '[[0, 23]]', 'Kết luận số 21-KL/TW.' FROM sources;",
        );
    } else {
        t.exec(include_str!("../migrations/sqlite/0001_initial.sql"));
        t.exec(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
                 applied_at TEXT NOT NULL);
             INSERT INTO schema_version VALUES (1, 'initial', '2026-01-01T00:00:00Z');
             INSERT INTO sources (hash, source, published, title, text, bytes, ingested_at)
                 VALUES ('v1hash', 'cu/1.txt', '2020-05-01', 'Tin cũ', 'Kết luận số 21-KL/TW.', 27,
                         '2026-01-01T00:00:00Z');
             INSERT INTO documents (source_id, idx, kind, number, symbol, year, date, issuer,
                                    title, spans, excerpt)
                 SELECT id, 0, 'ket_luan', '21', 'KL/TW', 2021, '2021-10-25', NULL, NULL,
                        '[[0, 23]]', 'Kết luận số 21-KL/TW.' FROM sources;",
        );
    }
}

fn an_older_store_is_upgraded(t: Target) {
    create_v1_store(&t);
    let mut store = t.open();
    assert_eq!(store.backend().schema_version().unwrap(), 8);
    assert_eq!(t.query_i64("SELECT count(*) FROM schema_version"), 8);
    // The derived state of the facts stored before version 7 was rebuilt
    // on the upgrade: Kết luận 21-KL/TW is resolved.
    assert_eq!(t.query_i64("SELECT count(*) FROM derived_documents"), 1);
    assert_eq!(t.query_i64("SELECT count(*) FROM derived_resolution"), 1);

    // The version-1 data reads back…
    let facts = store.backend().load_facts().unwrap();
    assert_eq!(facts.len(), 1);
    let doc = &facts[0].extraction.documents[0];
    assert_eq!(doc.kind, DocumentKind::KetLuan);
    assert_eq!(doc.symbol.as_deref(), Some("KL/TW"));
    assert_eq!(doc.date, Some(date(2021, 10, 25)));
    assert_eq!(doc.mentions, vec![Span { start: 0, end: 23 }]);
    assert_eq!(facts[0].extraction.published, Some(date(2020, 5, 1)));
    // …and what version 2 added works.
    store.backend().put_token("moi", "f00d").unwrap();
    assert_eq!(store.backend().tokens().unwrap().len(), 1);
    assert_eq!(store.insert(&[sample(0)]).unwrap().new, 1);
    drop(store);
    // Opening again migrates nothing more.
    assert_eq!(t.open().backend().schema_version().unwrap(), 8);
    assert_eq!(t.query_i64("SELECT count(*) FROM schema_version"), 8);
}

fn a_newer_store_is_refused_and_left_untouched(t: Target) {
    let mut store = t.open();
    store.insert(&[sample(0), bare(0)]).unwrap();
    drop(store);
    t.exec(
        "INSERT INTO schema_version (version, name, applied_at)
         VALUES (99, 'from the future', '2030-01-01 00:00:00+00')",
    );
    let file_before = match &t.raw {
        Raw::Sqlite(path) => Some(std::fs::read(path).unwrap()),
        Raw::Postgres { .. } => None,
    };

    let err = Store::open(&t.location)
        .err()
        .expect("a newer store is refused");
    match &err {
        Error::TooNew { found, known } => assert_eq!((*found, *known), (99, 8)),
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.to_string().contains("nâng cấp vanban"), "{err}");

    assert_eq!(t.query_i64("SELECT max(version) FROM schema_version"), 99);
    assert_eq!(t.query_i64("SELECT count(*) FROM sources"), 2);
    if let (Raw::Sqlite(path), Some(before)) = (&t.raw, file_before) {
        assert!(
            std::fs::read(path).unwrap() == before,
            "the store file changed"
        );
    }
}

// ---------------------------------------------------------------- one backend

#[test]
fn unreachable_postgres_is_a_connect_error_without_the_password() {
    // Nothing listens on port 1.
    let url = "postgres://vanban:mat-khau-bi-mat@127.0.0.1:1/vanban";
    let started = Instant::now();
    let err = Store::open(&Location::Postgres(url.into()))
        .err()
        .expect("nothing listens there");
    assert!(started.elapsed() < Duration::from_secs(6));
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    let message = err.to_string();
    assert!(!message.contains("mat-khau-bi-mat"), "{message}");
    assert!(message.contains("127.0.0.1:1"), "{message}");
    assert!(
        message.contains("kiểm tra máy chủ có đang chạy"),
        "{message}"
    );

    // A server that accepts the connection and never answers (the kernel
    // completes the handshake; nothing reads): given up after the timeout.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let started = Instant::now();
    let err = Store::open_postgres_with_timeout(
        &format!("postgres://vanban:mat-khau-bi-mat@127.0.0.1:{port}/vanban"),
        Duration::from_millis(500),
    )
    .err()
    .expect("nothing answers there");
    drop(silent);
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(!err.to_string().contains("mat-khau-bi-mat"));

    // A URL that is not one.
    let err = Store::open(&Location::Postgres("postgres://[::1".into()))
        .err()
        .expect("bad URL");
    assert!(matches!(err, Error::BadUrl { .. }), "{err:?}");
}

#[test]
fn a_full_disk_fails_the_batch_and_keeps_earlier_data() {
    let t = Target::sqlite();
    let Location::Embedded(dir) = &t.location else {
        unreachable!()
    };
    let mut store = t.open();
    let first: Vec<NewSource> = (0..3).map(sample).collect();
    store.insert(&first).unwrap();
    let before = store.backend().load_facts().unwrap();
    drop(store);
    let pages = t.query_i64("PRAGMA page_count") as u64;

    // Room for two more pages only; this batch needs far more.
    let mut store = Store::open_embedded_with_max_pages(dir, pages + 2).unwrap();
    let big: Vec<NewSource> = (10..20)
        .map(|n| {
            let mut s = sample(n);
            s.text.push_str(&"Nội dung dài của bản tin. ".repeat(2000));
            s
        })
        .collect();
    let err = store.insert(&big).unwrap_err();
    let message = err.to_string();
    assert!(err.is_disk_full(), "{err:?}");
    assert!(message.contains("disk full"), "{message}");
    assert!(message.contains(&dir.display().to_string()), "{message}");
    assert!(message.contains("giải phóng dung lượng"), "{message}");
    drop(store);

    let mut store = t.open();
    assert_eq!(store.backend().load_facts().unwrap(), before);
    assert_eq!(store.counts().unwrap(), counts_of(&first));
    // With room again, the same batch goes in.
    assert_eq!(store.insert(&big).unwrap().new, 10);
}

#[test]
fn an_unusable_data_directory_is_a_data_dir_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("khong-phai-thu-muc");
    std::fs::write(&file, "x").unwrap();
    let err = Store::open(&Location::Embedded(file.join("kho")))
        .err()
        .expect("a file is in the way");
    assert!(matches!(err, Error::DataDir { .. }), "{err:?}");
    assert!(err.to_string().contains("--data"));
}

/// Throughput at the knowledge base's target size:
/// `cargo test --release -p vanban-store --test backends -- --ignored --nocapture`
/// (`VANBAN_BENCH_SOURCES` sources of about 9.5 KB each, default 100,000).
/// `VANBAN_BENCH_DIR` keeps the embedded store there (and reuses it when it
/// is already filled, to time the reads alone).
#[test]
#[ignore = "benchmark: run on demand in release mode"]
fn sqlite_insert_and_load_throughput() {
    let mut t = Target::sqlite();
    if let Some(dir) = std::env::var_os("VANBAN_BENCH_DIR") {
        let dir = PathBuf::from(dir);
        t.raw = Raw::Sqlite(dir.join("vanban.sqlite3"));
        t.location = Location::Embedded(dir);
    }
    throughput(t, "sqlite");
}

/// CPU time of this process so far (all threads) (user + system), which unlike wall time
/// does not depend on what else the machine runs.
fn thread_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of stat (11 and 12 after the name), in ticks.
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|f| f.parse::<u64>().ok()))
        .sum();
    Duration::from_millis(ticks * 10)
}

/// The same on the PostgreSQL test server.
#[test]
#[ignore = "benchmark: run on demand in release mode"]
fn postgres_insert_and_load_throughput() {
    if let Some(t) = Target::postgres("throughput") {
        throughput(t, "postgres");
    }
}

fn throughput(t: Target, label: &str) {
    let sources: usize = std::env::var("VANBAN_BENCH_SOURCES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let mut store = t.open();
    let filler =
        "Ban Tuyên giáo Tỉnh ủy hướng dẫn các chi bộ tổ chức học tập nghị quyết. ".repeat(95);
    let mut bytes = 0usize;
    let (mut insert_wall, mut insert_cpu) = (Duration::ZERO, Duration::ZERO);
    let already = store.counts().unwrap().sources as usize;
    for chunk in (already..sources).collect::<Vec<_>>().chunks(1000) {
        let batch: Vec<NewSource> = chunk
            .iter()
            .map(|&n| {
                let mut s = sample(n);
                s.hash = format!("{n:064x}");
                s.text.push_str(&filler);
                bytes += s.text.len();
                s
            })
            .collect();
        let (wall, cpu) = (Instant::now(), thread_cpu());
        store.insert(&batch).unwrap();
        insert_wall += wall.elapsed();
        insert_cpu += thread_cpu() - cpu;
    }
    if bytes > 0 {
        eprintln!(
            "{label}: inserted {} sources, {:.0} MB of text: {:.1} s wall ({:.0} MB/s), {:.1} s CPU ({:.0} MB/s)",
            sources - already,
            bytes as f64 / 1e6,
            insert_wall.as_secs_f64(),
            bytes as f64 / 1e6 / insert_wall.as_secs_f64(),
            insert_cpu.as_secs_f64(),
            bytes as f64 / 1e6 / insert_cpu.as_secs_f64(),
        );
    }
    for _ in 0..3 {
        let (wall, cpu) = (Instant::now(), thread_cpu());
        let facts = store.backend().load_facts().unwrap();
        let (wall, cpu) = (wall.elapsed(), thread_cpu() - cpu);
        assert_eq!(facts.len(), sources);
        eprintln!(
            "{label}: load_facts of {} sources: {:.2} s wall, {:.2} s CPU",
            facts.len(),
            wall.as_secs_f64(),
            cpu.as_secs_f64()
        );
    }
    let (wall, cpu) = (Instant::now(), thread_cpu());
    let mut streamed = 0usize;
    store
        .backend()
        .for_each_source(&mut |s| {
            streamed += s.text.len();
            Ok(())
        })
        .unwrap();
    eprintln!(
        "{label}: for_each_source over {:.0} MB: {:.1} s wall, {:.1} s CPU",
        streamed as f64 / 1e6,
        wall.elapsed().as_secs_f64(),
        (thread_cpu() - cpu).as_secs_f64()
    );
}

/// A PostgreSQL server that drops vanban's connection (a restart, a
/// fail-over, an administrator's `pg_terminate_backend`) costs no write:
/// the store reconnects by itself, the next insert lands exactly once, and
/// a second store on the same database sees it.
#[test]
fn postgres_reconnects_after_its_connection_is_dropped() {
    let Some(t) = Target::postgres("reconnect") else {
        return;
    };
    let Location::Postgres(url) = &t.location else {
        unreachable!()
    };
    // A name of its own, so that only this test's connection is dropped.
    let name = format!("vanban_reconnect_{}", std::process::id());
    let mut store = Store::open(&Location::Postgres(format!(
        "{url}&application_name={name}"
    )))
    .unwrap();
    store.insert(&[sample(1)]).unwrap();
    for round in 0..3 {
        t.exec(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{name}'"
        ));
        let batch = [sample(10 + round)];
        let done = store.insert(&batch).unwrap_or_else(|e| {
            panic!("round {round}: the insert after a dropped connection failed: {e}")
        });
        assert_eq!(done.new, 1, "round {round}");
    }
    assert_eq!(t.query_i64("SELECT count(*) FROM sources"), 4);
    let mut other = t.open();
    assert_eq!(other.counts().unwrap().sources, 4);
}

/// While the server cannot be reached, a store error says so and is
/// classified as "unavailable" (the web server answers 503 with
/// `Retry-After`), not as an internal failure.
#[test]
fn an_unreachable_postgres_is_unavailable_not_internal() {
    let err = match Store::open_postgres_with_timeout(
        "postgres://vanban@127.0.0.1:1/vanban",
        std::time::Duration::from_secs(2),
    ) {
        Ok(_) => panic!("nothing listens on port 1"),
        Err(e) => e,
    };
    assert!(err.is_unavailable(), "{err:?}");
    assert!(!err.is_disk_full());
}

fn the_change_feed_records_each_stored_batch(t: Target) {
    let mut store = t.open();
    assert_eq!(store.backend().latest_change().unwrap(), 0);
    assert!(store.backend().changes_since(0, 10).unwrap().is_empty());
    let mut listener = match &t.location {
        Location::Postgres(url) => Some(
            vanban_store::listen::ChangeListener::connect(url, std::time::Duration::from_secs(5))
                .unwrap(),
        ),
        Location::Embedded(_) => None,
    };

    let first = store.insert(&[sample(0), bare(0)]).unwrap();
    let seq = first.change.expect("a batch that stored texts is a change");
    assert_eq!(store.backend().latest_change().unwrap(), seq);
    let ids: Vec<i64> = store
        .backend()
        .load_facts()
        .unwrap()
        .iter()
        .map(|f| f.id)
        .collect();
    let changes = store.backend().changes_since(0, 10).unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].seq, seq);
    assert_eq!(changes[0].kind, vanban_store::CHANGE_SOURCES);
    assert_eq!(
        (changes[0].first_id, changes[0].last_id),
        (Some(ids[0]), Some(ids[1]))
    );
    if let Some(listener) = &mut listener {
        assert!(
            listener.wait(std::time::Duration::from_secs(5)).unwrap(),
            "the commit notifies the listeners"
        );
    }

    // Nothing new stored: no change. (That no notification came cannot be
    // told here: notifications are per database, and the other tests write
    // to other schemas of it meanwhile; a notification only says "look".)
    let again = store.insert(&[sample(0)]).unwrap();
    assert_eq!((again.new, again.change), (0, None));
    assert_eq!(store.backend().latest_change().unwrap(), seq);

    let next = store
        .insert(&[sample(1)])
        .unwrap()
        .change
        .expect("a change");
    assert!(next > seq);
    let after = store.backend().changes_since(seq, 10).unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].seq, next);
    assert_eq!(after[0].first_id, after[0].last_id);
    assert!(after[0].first_id > Some(ids[1]));
    assert_eq!(store.backend().changes_since(0, 1).unwrap()[0].seq, seq);
    assert!(store.backend().changes_since(next, 10).unwrap().is_empty());
}
