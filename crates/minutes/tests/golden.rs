//! Golden test: the text of the minutes PDF carries the result.

#[test]
fn minutes_text_matches_result() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../election/tests/examples");
    let toml = std::fs::read(dir.join("basic.toml")).unwrap();
    let csv = std::fs::read(dir.join("basic.csv")).unwrap();
    let e = vanban_election::parse_election(std::str::from_utf8(&toml).unwrap()).unwrap();
    let o = vanban_election::count_csv(&e, &csv).unwrap();
    let pdf = vanban_minutes::minutes_pdf(&e, &o, &toml, &csv).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // pdf-extract 0.7 panics on printpdf's ToUnicode CMap, so the text is
    // extracted with poppler's pdftotext (Debian poppler-utils) when present.
    let dir = std::env::temp_dir().join(format!("vanban-minutes-golden-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("m.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output();
    std::fs::remove_dir_all(&dir).unwrap();
    let Ok(out) = out else {
        // CI installs poppler-utils (.ci/run); there the check must run.
        assert!(
            std::env::var_os("CI").is_none(),
            "pdftotext is missing in CI: .ci/run must install poppler-utils"
        );
        eprintln!("pdftotext not installed (apt-get install poppler-utils): text check skipped");
        return;
    };
    let text = String::from_utf8(out.stdout).unwrap();
    let squash: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "BIÊN BẢN KIỂM PHIẾU",
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Văn Cường",
        "33.33%",
        "66.67%",
        "TRƯỞNG BAN KIỂM PHIẾU",
        "Phạm Văn Dũng",
        &vanban_minutes::inputs_sha256(&toml, &csv),
    ] {
        assert!(squash.contains(want), "missing `{want}` in:\n{squash}");
    }
}
