//! Coverage from texts through a real store, on both backends (SQLite
//! always; PostgreSQL with `VANBAN_TEST_POSTGRES_URL`, required under
//! `CI=true`), and the acceptance check on the five seed reports of
//! `../shared/dev/texts` (third-party text, read there, never copied here).

use chrono::NaiveDate;
use std::path::PathBuf;
use vanban_store::coverage::{coverage, RowKind, Stage, View};
use vanban_store::{Location, NewSource, Store};

/// A fresh store: SQLite in a temporary directory, or a fresh schema on the
/// PostgreSQL test server (`None` when none is configured outside CI).
fn stores(test: &str) -> Vec<(Store, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().expect("tempdir");
    let sqlite = Store::open(&Location::Embedded(dir.path().join("kho"))).expect("sqlite store");
    let mut out = vec![(sqlite, Some(dir))];
    match std::env::var("VANBAN_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(base) => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0);
            let schema = format!("t_{test}_{}_{nanos}", std::process::id());
            let mut client = ::postgres::Client::connect(&base, ::postgres::NoTls)
                .unwrap_or_else(|e| panic!("cannot reach VANBAN_TEST_POSTGRES_URL: {e}"));
            client
                .batch_execute(&format!("CREATE SCHEMA {schema}"))
                .expect("schema");
            let sep = if base.contains('?') { '&' } else { '?' };
            let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
            out.push((
                Store::open(&Location::Postgres(url)).expect("postgres store"),
                None,
            ));
        }
        None => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but VANBAN_TEST_POSTGRES_URL is unset: CI must test the PostgreSQL backend"
            );
            eprintln!(
                "notice: VANBAN_TEST_POSTGRES_URL is unset, PostgreSQL part of `{test}` skipped"
            );
        }
    }
    out
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
}

const QUANG_TRI: &str = "# date = 20210520
Quảng Trị quán triệt Chỉ thị về công tác cán bộ
Ngày 18/5/2021, Ban Thường vụ Tỉnh ủy Quảng Trị tổ chức hội nghị quán triệt Chỉ thị số 07-CT/TW ngày 10/3/2021 của Ban Bí thư về tăng cường công tác cán bộ cơ sở cho cán bộ chủ chốt của tỉnh.
";

const BINH_DINH_PLAN: &str = "# date = 20210415
Bình Định ban hành kế hoạch thực hiện Chỉ thị 07
Ban Thường vụ Tỉnh ủy Bình Định ban hành Kế hoạch số 12-KH/TU ngày 2/4/2021 thực hiện Chỉ thị số 07-CT/TW ngày 10/3/2021 của Ban Bí thư về tăng cường công tác cán bộ cơ sở.
";

const QUANG_TRI_REVIEW: &str = "# date = 20230612
Quảng Trị sơ kết 2 năm thực hiện Chỉ thị 07
Ngày 9/6/2023, Ban Thường vụ Tỉnh ủy Quảng Trị tổ chức hội nghị sơ kết 2 năm thực hiện Chỉ thị số 07-CT/TW ngày 10/3/2021 của Ban Bí thư về tăng cường công tác cán bộ cơ sở.
";

#[test]
fn texts_give_stages_per_province_on_both_backends() {
    for (mut store, _dir) in stores("coverage_texts") {
        let batch: Vec<NewSource> = [
            ("tin/quang-tri.txt", QUANG_TRI),
            ("tin/binh-dinh.txt", BINH_DINH_PLAN),
            ("tin/quang-tri-so-ket.txt", QUANG_TRI_REVIEW),
        ]
        .iter()
        .map(|(name, text)| NewSource::from_input(name, text.as_bytes()))
        .collect();
        store.insert(&batch).expect("insert");
        let g = store.graph().expect("graph");
        let id = "07-CT/TW@2021-03-10";
        let then = coverage(&g, id, View::AtTheTime).expect("coverage");
        let qt = then.row("Quảng Trị").expect("Quảng Trị");
        let d = qt.stage(Stage::Disseminated).expect("disseminated");
        assert_eq!((d.date, d.lag_days), (Some(date("2021-05-18")), Some(69)));
        assert_eq!(d.sources.len(), 1);
        assert_eq!(d.sources[0].source, "tin/quang-tri.txt");
        let review = qt.stage(Stage::InterimReview).expect("sơ kết");
        assert_eq!(review.date, Some(date("2023-06-09")));
        assert_eq!(qt.reached, Some(Stage::InterimReview));
        let plan = then
            .row("Bình Định")
            .and_then(|r| r.stage(Stage::PlanIssued))
            .expect("plan of Bình Định");
        assert_eq!(plan.date, Some(date("2021-04-02")));
        assert_eq!(
            plan.plan.as_ref().and_then(|p| p.number.as_deref()),
            Some("12")
        );
        // Today Bình Định is part of Gia Lai.
        let today = coverage(&g, id, View::Today).expect("coverage");
        assert!(today
            .row("Gia Lai")
            .and_then(|r| r.stage(Stage::PlanIssued))
            .is_some());
        let reached: Vec<&str> = then
            .rows
            .iter()
            .filter(|r| r.reached.is_some())
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(reached, ["Bình Định", "Quảng Trị"]);
    }
}

/// The acceptance check of issue 14: after the five seed reports, 126-QĐ/TW
/// has Hà Nam (Ninh Bình today), Bắc Ninh and Đắk Lắk with their dates and
/// sources, and no other place has a stage. Outside CI a machine without
/// `../shared/dev` skips it; under `CI=true` it fails.
#[test]
fn the_seed_reports_give_the_coverage_of_126() {
    let dev = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/dev/texts");
    let Ok(entries) = std::fs::read_dir(&dev) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is missing under CI",
            dev.display()
        );
        eprintln!("skipped: {} not found", dev.display());
        return;
    };
    let mut seeds: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("seed_"))
        })
        .collect();
    seeds.sort();
    assert_eq!(seeds.len(), 5, "five seed reports in {}", dev.display());
    let name = |p: &PathBuf| {
        p.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned()
    };
    for (mut store, _dir) in stores("coverage_seed") {
        let batch: Vec<NewSource> = seeds
            .iter()
            .map(|p| {
                let bytes = std::fs::read(p).expect("seed text");
                NewSource::from_input(&name(p), &bytes)
            })
            .collect();
        store.insert(&batch).expect("insert");
        let g = store.graph().expect("graph");
        let id = "126-QĐ/TW@2018-02-28";
        let source_of = |s: &str| {
            seeds
                .iter()
                .map(name)
                .find(|n| n.starts_with(s))
                .unwrap_or_default()
        };
        let then = coverage(&g, id, View::AtTheTime).expect("coverage of 126");
        let stage_of = |c: &vanban_store::coverage::Coverage, place: &str, stage: Stage| {
            c.row(place).and_then(|r| r.stage(stage)).map(|e| {
                (
                    e.date,
                    e.sources
                        .iter()
                        .map(|s| s.source.clone())
                        .collect::<Vec<_>>(),
                )
            })
        };
        assert_eq!(
            stage_of(&then, "Hà Nam", Stage::Disseminated),
            Some((Some(date("2018-03-30")), vec![source_of("seed_000")]))
        );
        assert_eq!(
            stage_of(&then, "Bắc Ninh", Stage::Trained),
            Some((Some(date("2019-11-09")), vec![source_of("seed_001")]))
        );
        assert_eq!(
            stage_of(&then, "Đắk Lắk", Stage::Disseminated),
            Some((Some(date("2019-11-27")), vec![source_of("seed_003")]))
        );
        let reached = |c: &vanban_store::coverage::Coverage| {
            c.rows
                .iter()
                .filter(|r| r.reached.is_some())
                .map(|r| (r.kind, r.name.clone()))
                .collect::<Vec<_>>()
        };
        let p = |n: &str| (RowKind::Province, n.to_owned());
        // Official order: Bắc Ninh, Đắk Lắk, Hà Nam among the 63.
        assert_eq!(reached(&then), [p("Bắc Ninh"), p("Đắk Lắk"), p("Hà Nam")]);
        let today = coverage(&g, id, View::Today).expect("coverage of 126");
        assert_eq!(
            stage_of(&today, "Ninh Bình", Stage::Disseminated),
            Some((Some(date("2018-03-30")), vec![source_of("seed_000")]))
        );
        assert_eq!(
            today.row("Ninh Bình").map(|r| r.names.clone()),
            Some(vec!["Hà Nam".to_owned()])
        );
        assert_eq!(
            reached(&today),
            [p("Bắc Ninh"), p("Ninh Bình"), p("Đắk Lắk")]
        );
        // Lags from 28/2/2018.
        assert_eq!(
            today
                .row("Đắk Lắk")
                .and_then(|r| r.stage(Stage::Disseminated))
                .and_then(|e| e.lag_days),
            Some(637)
        );
    }
}
