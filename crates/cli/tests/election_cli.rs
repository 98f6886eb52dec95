//! `vanban election count` end to end, running the built binary.

use std::path::PathBuf;
use std::process::Command;

fn ex(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../election/tests/examples")
        .join(name)
}

fn vanban(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn json_matches_contract() {
    let out = vanban(&[
        "election".as_ref(),
        "count".as_ref(),
        ex("tie_at_last_seat.toml").as_os_str(),
        ex("tie_at_last_seat.csv").as_os_str(),
    ]);
    assert!(out.status.success());
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let want: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ex("tie_at_last_seat.json")).unwrap()).unwrap();
    assert_eq!(got, want);
    let s = String::from_utf8(out.stdout).unwrap();
    let keys = [
        "\"base\"",
        "\"threshold\"",
        "\"ballots\"",
        "\"candidates\"",
        "\"elected\"",
        "\"seats_filled\"",
        "\"next_round\"",
    ];
    let pos: Vec<usize> = keys.iter().map(|k| s.find(k).unwrap()).collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "field order");
}

#[test]
fn text_table() {
    let out = vanban(&[
        "election".as_ref(),
        "count".as_ref(),
        ex("basic.toml").as_os_str(),
        ex("basic.csv").as_os_str(),
        "--format".as_ref(),
        "text".as_ref(),
    ]);
    assert!(out.status.success());
    let s = String::from_utf8(out.stdout).unwrap();
    for w in [
        "Họ và tên",
        "Số phiếu",
        "% so với tổng số",
        "% so với phiếu hợp lệ",
        "Trúng cử",
        "Nguyễn Văn An",
        "33.33",
    ] {
        assert!(s.contains(w), "missing {w} in {s}");
    }
}

#[test]
fn bad_file_exit_2_names_row_and_column() {
    let out = vanban(&[
        "election".as_ref(),
        "count".as_ref(),
        ex("bad_cell.toml").as_os_str(),
        ex("bad_cell.csv").as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("bad_cell.csv") && err.contains("row 3, column 4"),
        "{err}"
    );
}

#[test]
fn minutes_pdf_written() {
    let dir = std::env::temp_dir().join(format!("vanban-cli-minutes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = dir.join("bien-ban.pdf");
    let out = vanban(&[
        "election".as_ref(),
        "count".as_ref(),
        ex("basic.toml").as_os_str(),
        ex("basic.csv").as_os_str(),
        "--minutes".as_ref(),
        pdf.as_os_str(),
    ]);
    assert!(out.status.success());
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-") && bytes.windows(5).any(|w| w == b"%%EOF"));
    std::fs::remove_dir_all(&dir).unwrap();
}
