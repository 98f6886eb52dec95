//! `vanban track`: set, list and remove expectations on a document, with
//! the provinces overdue, late and on time, through the real binary and a
//! real store filled from texts written for this test.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};

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

fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vanban"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("VANBAN_DATABASE_URL")
        .env_remove("VANBAN_DATA")
        .stdin(Stdio::null())
        .output()
        .expect("run vanban")
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn err(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", text(out), err(out)))
}

fn provinces(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p["province"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn track_sets_lists_and_removes_expectations() {
    let data = tempfile::tempdir().expect("tempdir");
    let texts = tempfile::tempdir().expect("tempdir");
    for (name, body) in [
        ("ha-nam.txt", HA_NAM),
        ("dak-lak.txt", DAK_LAK),
        ("ha-tinh.txt", HA_TINH_PLAN),
    ] {
        std::fs::write(texts.path().join(name), body).expect("write");
    }
    let texts_dir = texts.path().to_string_lossy().into_owned();
    let ingest = run(data.path(), &["ingest", &texts_dir]);
    assert_eq!(code(&ingest), 0, "{}", err(&ingest));

    let set = run(
        data.path(),
        &[
            "track",
            "126-QĐ/TW",
            "--stage",
            "disseminated",
            "--by",
            "2018-06-30",
            "--note",
            "Theo chỉ đạo của Ban Bí thư",
            "--set-by",
            "ban-tuyen-giao",
        ],
    );
    assert_eq!(code(&set), 0, "{}", err(&set));
    let page = text(&set);
    for words in [
        "126-QĐ/TW@2018-02-28 — Đã quán triệt, triển khai trước ngày 30/6/2018",
        "Phạm vi: mọi tỉnh, thành phố",
        "Đặt bởi: ban-tuyen-giao",
        "Ghi chú: Theo chỉ đạo của Ban Bí thư",
        "Quá hạn (overdue): 32",
        "Hoàn thành muộn (late): 1 — Đắk Lắk (515 ngày muộn)",
        "Đúng hạn (on time): 1",
    ] {
        assert!(page.contains(words), "{words:?} not in\n{page}");
    }

    let within = run(
        data.path(),
        &[
            "track",
            "quy dinh 126",
            "--stage",
            "plan_issued",
            "--within",
            "60",
            "--provinces",
            "Hà Tĩnh, Thừa Thiên Huế",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&within), 0, "{}", err(&within));
    let v = json(&within);
    let e = &v["expectations"][0];
    assert_eq!(e["provinces"], serde_json::json!(["Hà Tĩnh", "Huế"]));
    assert_eq!(e["due"], "2018-04-29");
    assert_eq!(provinces(&e["on_time"]), vec!["Hà Tĩnh"]);
    assert_eq!(provinces(&e["overdue"]), vec!["Huế"]);
    assert!(e["set_by"].as_str().is_some_and(|s| s.starts_with("cli")));

    let all = json(&run(data.path(), &["track", "--list", "--format", "json"]));
    let list = all["expectations"].as_array().expect("list");
    assert_eq!(list.len(), 2);
    assert_eq!(provinces(&list[0]["on_time"]), vec!["Ninh Bình"]);
    let first = list[0]["id"].as_i64().expect("id").to_string();

    // Refused input names the problem; nothing is stored.
    let bad = run(
        data.path(),
        &[
            "track",
            "126-QĐ/TW",
            "--stage",
            "reviewed",
            "--by",
            "2018-06-30",
        ],
    );
    assert_eq!(code(&bad), 2);
    assert!(err(&bad).contains("unknown stage"), "{}", err(&bad));
    let both = run(
        data.path(),
        &[
            "track",
            "126-QĐ/TW",
            "--stage",
            "trained",
            "--by",
            "2018-06-30",
            "--within",
            "3",
        ],
    );
    assert_eq!(code(&both), 2);
    let place = run(
        data.path(),
        &[
            "track",
            "126-QĐ/TW",
            "--stage",
            "trained",
            "--within",
            "3",
            "--provinces",
            "Xứ Sở Thần Tiên",
        ],
    );
    assert_eq!(code(&place), 2);
    assert!(err(&place).contains("is not a province"), "{}", err(&place));
    let unknown = run(
        data.path(),
        &["track", "999-QĐ/TW", "--stage", "trained", "--within", "3"],
    );
    assert_eq!(code(&unknown), 4);

    // Removing one by id; again finds nothing.
    let rm = run(data.path(), &["track", "--remove", &first]);
    assert_eq!(code(&rm), 0, "{}", err(&rm));
    assert_eq!(code(&run(data.path(), &["track", "--remove", &first])), 4);
    let left = run(data.path(), &["track", "--list", "126-QĐ/TW"]);
    assert_eq!(code(&left), 0);
    let page = text(&left);
    assert!(
        page.contains("Đã ban hành kế hoạch trong 60 ngày kể từ ngày ban hành (đến 29/4/2018)"),
        "{page}"
    );
    assert!(page.contains("Phạm vi: Hà Tĩnh, Huế"), "{page}");
    assert!(!page.contains("Đã quán triệt"), "{page}");
}
