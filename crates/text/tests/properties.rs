//! Property tests: preparation never panics, its text is NFC, the matching
//! view's offset map is monotone and maps char boundaries to char
//! boundaries, tone canonicalisation is idempotent, and plain text escaped
//! into `<p>` comes back unchanged.

use proptest::prelude::*;
use unicode_normalization::{is_nfc, UnicodeNormalization};
use vanban_text::{normalize_for_matching, prepare, Format};

/// Strings biased towards the characters the pipeline cares about.
fn vietnamese_string() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        "o",
        "u",
        "y",
        "q",
        "h",
        "O",
        "U",
        " ",
        "\n",
        "\t",
        "à",
        "á",
        "ả",
        "ã",
        "ạ",
        "è",
        "ẻ",
        "ẽ",
        "ỳ",
        "ý",
        "ỷ",
        "ỹ",
        "ỵ",
        "À",
        "Ẻ",
        "Ỷ",
        "Ý",
        "ơ",
        "ư",
        "đ",
        "Đ",
        "\u{0300}",
        "\u{0301}",
        "\u{0323}",
        "\u{00A0}",
        "\u{200B}",
        "\u{00AD}",
        "\u{FEFF}",
        "–",
        "—",
        "“",
        "”",
        "‘",
        "’",
        "«",
        "»",
        "…",
        "126-QĐ/TW",
        "30/2020/NĐ-CP",
        "Ý kiến bạn đọc",
        "Bình luận",
        "Tổng Biên tập: A",
        "# date = 20201001",
        "Cập nhật: 02/04/2018",
        "<",
        ">",
        "&",
        "&amp;",
        "&agrave;",
        "&#7897;",
        "&#x1EA1;",
        "<p>",
        "</p>",
        "<br>",
        "<script>",
        "</script>",
        "<!--",
        "-->",
        "\"",
        "'",
        "=",
        "<div class=\"x\">",
        "한",
        "\u{11A8}",
        "\r",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

fn check_view(text: &str, view: &str, map: impl Fn(usize) -> usize) -> Result<(), TestCaseError> {
    let mut prev = 0usize;
    for (i, _) in view
        .char_indices()
        .chain(std::iter::once((view.len(), ' ')))
    {
        let t = map(i);
        prop_assert!(t >= prev, "not monotone at {i}: {t} < {prev}");
        prop_assert!(t <= text.len());
        prop_assert!(
            text.is_char_boundary(t),
            "view {i} -> text {t} not a boundary"
        );
        prev = t;
    }
    prop_assert_eq!(map(0), 0);
    // Only removed (zero-width) characters may follow the view's end.
    let rest = &text[map(view.len())..];
    prop_assert!(
        rest.chars().all(|c| matches!(
            c,
            '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
        )),
        "{:?}",
        rest
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        for f in [Format::Text, Format::Html] {
            let p = prepare(&bytes, f);
            prop_assert!(is_nfc(p.text()));
            let v = p.matching();
            prop_assert!(v.text().len() <= p.text().len());
            let mut prev = 0;
            for o in 0..=p.text().len() + 2 {
                let i = p.to_input_offset(o);
                prop_assert!(i >= prev && i <= bytes.len());
                prev = i;
            }
        }
    }

    #[test]
    fn text_output_is_nfc_and_view_is_sane(s in vietnamese_string()) {
        for f in [Format::Text, Format::Html] {
            let p = prepare(s.as_bytes(), f);
            prop_assert!(is_nfc(p.text()), "{:?}", p.text());
            let v = p.matching();
            prop_assert!(v.text().len() <= p.text().len());
            check_view(p.text(), v.text(), |o| v.to_text_offset(o))?;
        }
    }

    #[test]
    fn input_offsets_monotone(s in vietnamese_string()) {
        for f in [Format::Text, Format::Html] {
            let p = prepare(s.as_bytes(), f);
            let mut prev = 0;
            for (o, _) in p.text().char_indices() {
                let i = p.to_input_offset(o);
                prop_assert!(i >= prev && i <= s.len());
                prev = i;
            }
        }
    }

    #[test]
    fn canonicalisation_is_idempotent(s in vietnamese_string()) {
        let nfc: String = s.nfc().collect();
        let once = normalize_for_matching(&nfc).into_owned();
        let twice = normalize_for_matching(&once).into_owned();
        prop_assert_eq!(once, twice);
    }

    #[test]
    fn plain_text_in_p_round_trips(words in prop::collection::vec("[a-zA-Zàáảãạăâđêôơư0-9<>&\"'/.,-]{1,12}", 1..20)) {
        let text = words.join(" ");
        let nfc: String = text.nfc().collect();
        let escaped = nfc.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
        let html = format!("<html><body><p>{escaped}</p></body></html>");
        let p = prepare(html.as_bytes(), Format::Html);
        prop_assert_eq!(p.text(), nfc.as_str());
    }

    #[test]
    fn plain_text_unchanged_without_chrome(words in prop::collection::vec("[a-zà-ỹ]{1,8}", 1..30)) {
        let text: String = words.join(" ").nfc().collect();
        let p = prepare(text.as_bytes(), Format::Text);
        prop_assert_eq!(p.text(), text.as_str());
        for (o, _) in text.char_indices() {
            prop_assert_eq!(p.to_input_offset(o), o);
        }
    }
}
