//! `vanban extract` as a user runs it: JSON Lines in input order, directories,
//! standard input, text output, and bad inputs reported without stopping the
//! others.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn vanban() -> Command {
    Command::new(env!("CARGO_BIN_EXE_vanban"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vanban-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect()
}

#[test]
fn one_object_per_file_in_the_order_given_even_with_many_workers() {
    let dir = temp_dir("order");
    let mut paths = Vec::new();
    for i in 0..40 {
        let p = dir.join(format!("{i:02}.txt"));
        // Uneven sizes so that workers finish out of order.
        let body = "Văn bản không trích dẫn gì. ".repeat(if i % 7 == 0 { 20_000 } else { 1 });
        std::fs::write(&p, body).expect("write");
        paths.push(p.to_string_lossy().into_owned());
    }
    let mut reversed = paths.clone();
    reversed.reverse();
    let out = vanban()
        .args(["extract", "--jobs", "4"])
        .args(&reversed)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sources: Vec<String> = lines(&out.stdout)
        .iter()
        .map(|v| v["source"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(sources, reversed);
}

#[test]
fn every_contract_field_is_present() {
    let dir = temp_dir("fields");
    let p = dir.join("a.txt");
    std::fs::write(
        &p,
        "Quy định số 58-QĐ/TW ngày 8/2/2022 của Bộ Chính trị thay thế Quy định số 126-QĐ/TW.",
    )
    .expect("write");
    let out = vanban().arg("extract").arg(&p).output().expect("run");
    assert!(out.status.success());
    let v = &lines(&out.stdout)[0];
    for key in [
        "source",
        "published",
        "documents",
        "relations",
        "events",
        "officials",
    ] {
        assert!(v.get(key).is_some(), "missing {key} in {v}");
    }
}

#[test]
fn directories_are_walked_recursively_in_name_order_for_text_and_html_only() {
    let dir = temp_dir("walk");
    std::fs::create_dir_all(dir.join("b/c")).expect("mkdir");
    for name in [
        "z.txt",
        "a.html",
        "b/c/x.htm",
        "b/y.TXT",
        "skip.pdf",
        "b/skip.json",
    ] {
        std::fs::write(dir.join(name), "Nội dung.").expect("write");
    }
    let root = dir.to_string_lossy().into_owned();
    let out = vanban().arg("extract").arg(&root).output().expect("run");
    assert!(out.status.success());
    let sources: Vec<String> = lines(&out.stdout)
        .iter()
        .map(|v| v["source"].as_str().unwrap_or("").to_owned())
        .collect();
    let expected: Vec<String> = ["a.html", "z.txt", "b/y.TXT", "b/c/x.htm"]
        .iter()
        .map(|n| format!("{root}/{n}"))
        .collect();
    assert_eq!(sources, expected);
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let mut child = vanban()
        .args(["extract", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all("Nghị định số 30/2020/NĐ-CP về công tác văn thư.".as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success());
    let v = &lines(&out.stdout)[0];
    assert_eq!(v["source"], "-");
}

#[test]
fn bad_inputs_are_named_on_stderr_and_the_rest_still_processed() {
    let dir = temp_dir("bad");
    let good = dir.join("good.txt");
    std::fs::write(&good, "Văn bản.").expect("write");
    let binary = dir.join("image.txt");
    std::fs::write(&binary, [0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0xfe]).expect("write");
    let invalid = dir.join("latin1.txt");
    std::fs::write(
        &invalid,
        b"Quy \xe1nh s\xf3 126-Q\xd0/TW, phi\xean b\xe1n c\xfa",
    )
    .expect("write");
    let missing = dir.join("missing.txt");
    let out = vanban()
        .arg("extract")
        .args([&good, &binary, &missing, &invalid])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("image.txt") && stderr.contains("not a text file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("missing.txt") && stderr.contains("no such file"),
        "{stderr}"
    );
    let sources: Vec<String> = lines(&out.stdout)
        .iter()
        .map(|v| v["source"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(
        sources.len(),
        2,
        "good and latin1 (invalid bytes replaced) are processed: {sources:?}"
    );
    assert!(!stderr.contains("panicked"));
}

#[test]
fn text_format_is_a_readable_summary() {
    let dir = temp_dir("text");
    let p = dir.join("a.txt");
    std::fs::write(&p, "Thể thao: đội nhà thắng 2-1.").expect("write");
    let out = vanban()
        .args(["extract", "--format", "text"])
        .arg(&p)
        .output()
        .expect("run");
    assert!(out.status.success());
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.starts_with("== "), "{s}");
    assert!(s.contains("Không tìm thấy"), "{s}");
}

#[test]
fn no_path_is_a_usage_error() {
    let out = vanban().arg("extract").output().expect("run");
    assert_eq!(out.status.code(), Some(2));
}
