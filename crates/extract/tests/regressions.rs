//! Inputs that once broke the pipeline (found by `cargo fuzz` or by hand),
//! kept in `fuzz/regressions/`: each must go through prepare + extract, as
//! text and as HTML, without a panic and with consistent output. The fuzz
//! seed corpus (`fuzz/corpus/pipeline/`) runs here too.

use std::path::Path;
use vanban_extract::{extract, prepare, Format};

fn check(name: &str, data: &[u8]) {
    for format in [Format::Text, Format::Html] {
        let prepared = prepare(data, format);
        let text = prepared.text();
        let result = extract(name, &prepared);
        for doc in &result.documents {
            for m in &doc.mentions {
                assert!(
                    m.start <= m.end && m.end <= text.len(),
                    "{name}: span out of range"
                );
                assert!(
                    text.is_char_boundary(m.start) && text.is_char_boundary(m.end),
                    "{name}: span not on a char boundary"
                );
            }
        }
        for rel in &result.relations {
            assert!(
                rel.from < result.documents.len() && rel.to < result.documents.len(),
                "{name}: relation index"
            );
        }
        for ev in &result.events {
            assert!(
                ev.documents.iter().all(|&i| i < result.documents.len()),
                "{name}: event index"
            );
        }
        serde_json::to_string(&result).expect("serialisable");
    }
}

#[test]
fn fuzz_regressions_and_seeds_do_not_break_the_pipeline() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut ran = 0;
    for dir in ["regressions", "corpus/pipeline"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if let Ok(data) = std::fs::read(&path) {
                check(&path.to_string_lossy(), &data);
                ran += 1;
            }
        }
    }
    assert!(ran > 0, "no fuzz seeds or regressions found under fuzz/");
}

#[test]
fn hostile_shapes_do_not_break_the_pipeline() {
    let deep = "<div>".repeat(100_000) + "Quy định số 58-QĐ/TW" + &"</div>".repeat(100_000);
    check("deep-html", deep.as_bytes());
    let long_attr = format!(
        "<p title=\"{}\">Nghị quyết 18-NQ/TW</p>",
        "x".repeat(1 << 20)
    );
    check("long-attribute", long_attr.as_bytes());
    check("slashes", "/".repeat(200_000).as_bytes());
    check("digits", "1-".repeat(100_000).as_bytes());
    check("kind-words", "Quy định số ".repeat(50_000).as_bytes());
    check("dates", "30/3 ".repeat(50_000).as_bytes());
    check("combining", "a\u{0301}\u{0323}".repeat(50_000).as_bytes());
    // Pointers back to a document (`Chỉ thị này`, a bare `Quy định …`
    // opening a sentence) after many citations, in one sentence and in many.
    let pointers = "Chỉ thị số 5-CT/TW, Chỉ thị này và Văn bản này thực hiện ".repeat(20_000);
    check("pointers-one-sentence", pointers.as_bytes());
    let sentences =
        "Quy định số 58-QĐ/TW. Quy định mới thay thế Quy định số 126-QĐ/TW. ".repeat(20_000);
    check("pointers-many-sentences", sentences.as_bytes());
    check(
        "courses-and-tallies",
        "Sở Nội vụ tổ chức khai giảng lớp 6 hội nghị Trong 5 ngày, "
            .repeat(20_000)
            .as_bytes(),
    );
    // A document's own text whose articles act on many citations, and a
    // plan's purpose clause listing many after long titles, then issuing
    // itself.
    let articles = "Số: 31/2023/QĐ-UBND\n\n".to_owned()
        + &"Điều 3. Bãi bỏ Quyết định số 22/2017/QĐ-UBND và \n".repeat(20_000);
    check("self-articles", articles.as_bytes());
    let purpose = "Số: 594/KH-UBND\n\nKẾ HOẠCH\n\n\nThực hiện ".to_owned()
        + &"Chỉ thị số 19/CT-TTG về việc phát động thi đua (2021 - 2025) theo Nghị quyết và "
            .repeat(10_000)
        + ", Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:";
    check("self-plan-purpose", purpose.as_bytes());
    // Names: many `Y` syllables and highland clans before a title.
    check(
        "highland-names",
        "Chủ tịch UBND huyện Ea Kar Y Y Niê Ksor Rơ, "
            .repeat(20_000)
            .as_bytes(),
    );
    // A number and a bare subject before a passive, many times in one
    // sentence; and many course closings each followed by its span.
    check(
        "bare-subject-passive",
        "Quyết định 12/2015/QĐ-UBND Quy chế được bị được thay thế "
            .repeat(20_000)
            .as_bytes(),
    );
    check(
        "course-closings",
        "Chiều 15/11, Sở Nội vụ tổ chức bế giảng lớp bồi dưỡng. Lớp bồi dưỡng cho học viên được tổ chức từ ngày 11 đến 15/11. "
            .repeat(10_000)
            .as_bytes(),
    );
    check(
        "abbreviations-in-organisers",
        "Ban Chấp hành (BCH) (BCH (ĐT) Đảng bộ tỉnh (X) tổ chức hội nghị quán triệt "
            .repeat(20_000)
            .as_bytes(),
    );
    // Mass organisations' bodies and symbols without end, and time adverbs
    // before leading dates.
    check(
        "mass-organisations",
        "Ban Bí thư Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh 1 - QĐ/TWĐTN-VP-VP Trung ương Hội Nông dân "
            .repeat(10_000)
            .as_bytes(),
    );
    check(
        "adverb-before-leading-date",
        "Trước đó, vào ngày 3/3, Trước đó, ngày Ban Bí thư ban hành Chỉ thị số 1-CT/TW. "
            .repeat(10_000)
            .as_bytes(),
    );
    check(
        "replaced-in-parentheses",
        "Quy định số 1-QĐ/TW (thay thế (thay thế Quy định số 2-QĐ/TW) về về "
            .repeat(10_000)
            .as_bytes(),
    );
    check(
        "invalid-utf8",
        &[0xff, 0xc3, 0x28, 0xe2, 0x82, 0x00, 0xf0, 0x9f],
    );
    check("empty", b"");
}
