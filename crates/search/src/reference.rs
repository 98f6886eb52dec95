//! Document references in a query (`126-QĐ/TW`, `126-qd/tw`, `quy dinh 126`,
//! `QĐ 126`, `30/2020/NĐ-CP`, `nghị định 30/2020`) and the keys they are
//! indexed under. Hand-written, accent-insensitive, linear; never panics.
//!
//! Keys (all folded, lower case):
//! - full number-symbol: `126-qd/tw`, `30/2020/nd-cp`, `281/qd-ttg`, `22/2008/qh12`;
//! - type code + number: `code:qd:126`, `code:nd:30/2020`, `code:nd:30`;
//! - kind + number: `kind:quy_dinh:126`, `kind:nghi_dinh:30/2020`.

use crate::analyzer::fold;
use unicode_normalization::UnicodeNormalization;
use vanban_extract::DocumentKind;

/// Kind words (folded) and their kinds, longest first where they overlap.
const KIND_WORDS: &[(&[&str], DocumentKind)] = &[
    (&["nghi", "quyet"], DocumentKind::NghiQuyet),
    (&["quy", "dinh"], DocumentKind::QuyDinh),
    (&["quyet", "dinh"], DocumentKind::QuyetDinh),
    (&["chi", "thi"], DocumentKind::ChiThi),
    (&["ket", "luan"], DocumentKind::KetLuan),
    (&["huong", "dan"], DocumentKind::HuongDan),
    (&["quy", "che"], DocumentKind::QuyChe),
    (&["thong", "bao"], DocumentKind::ThongBao),
    (&["ke", "hoach"], DocumentKind::KeHoach),
    (&["chuong", "trinh"], DocumentKind::ChuongTrinh),
    (&["bao", "cao"], DocumentKind::BaoCao),
    (&["cong", "van"], DocumentKind::CongVan),
    (&["phap", "lenh"], DocumentKind::PhapLenh),
    (&["nghi", "dinh"], DocumentKind::NghiDinh),
    (&["thong", "tu"], DocumentKind::ThongTu),
    (&["luat"], DocumentKind::Luat),
];

/// Type codes a person may type before a number (`QĐ 126`).
const CODES: &[&str] = &[
    "nq", "qd", "qdi", "ct", "kl", "qc", "hd", "tb", "bc", "kh", "ctr", "cv", "bs", "nd", "tt",
];

/// Every document kind, for parsing `--kind`.
pub const KINDS: [DocumentKind; 18] = [
    DocumentKind::NghiQuyet,
    DocumentKind::QuyDinh,
    DocumentKind::QuyetDinh,
    DocumentKind::ChiThi,
    DocumentKind::KetLuan,
    DocumentKind::HuongDan,
    DocumentKind::QuyChe,
    DocumentKind::ThongBao,
    DocumentKind::KeHoach,
    DocumentKind::ChuongTrinh,
    DocumentKind::BaoCao,
    DocumentKind::CongVan,
    DocumentKind::HienPhap,
    DocumentKind::Luat,
    DocumentKind::PhapLenh,
    DocumentKind::NghiDinh,
    DocumentKind::ThongTu,
    DocumentKind::Other,
];

/// A kind as typed: its code (`quy_dinh`) or its Vietnamese name with or
/// without diacritics (`Quy định`, `quy dinh`).
pub fn parse_kind(s: &str) -> Option<DocumentKind> {
    let f = fold(s.trim()).replace(['_', '-'], " ");
    let f = f.split_whitespace().collect::<Vec<_>>().join(" ");
    KINDS
        .iter()
        .copied()
        .find(|k| k.code().replace('_', " ") == f || fold(k.label_vi()) == f)
}

/// A query split into the references it contains and the rest of its words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// The index keys of each reference found, in query order.
    pub references: Vec<Vec<String>>,
    /// The words that were not part of a reference, as typed.
    pub rest: String,
}

fn is_number(w: &str) -> bool {
    !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit())
}

/// `126` or `30/2020`.
fn number_and_year(w: &str) -> Option<(&str, Option<&str>)> {
    if is_number(w) {
        return Some((w, None));
    }
    let (n, y) = w.split_once('/')?;
    (is_number(n) && y.len() == 4 && is_number(y)).then_some((n, Some(y)))
}

fn split_code(s: &str) -> Option<(&str, &str)> {
    let i = s.find('-')?;
    let (t, iss) = (&s[..i], &s[i + 1..]);
    let ok = |x: &str| !x.is_empty() && x.chars().all(|c| c.is_ascii_alphanumeric());
    (ok(t) && ok(iss) && t.chars().all(|c| c.is_ascii_alphabetic())).then_some((t, iss))
}

/// Keys of one folded compound like `126-qd/tw`; empty when it is not a
/// document number-symbol.
pub fn compound_keys(f: &str) -> Vec<String> {
    let f = f.trim_matches(|c: char| !c.is_alphanumeric());
    let has_digit = f.bytes().any(|b| b.is_ascii_digit());
    let has_alpha = f.chars().any(char::is_alphabetic);
    if !has_digit || !has_alpha || !(f.contains('/') || f.contains('-')) {
        return Vec::new();
    }
    let mut keys = vec![f.to_owned()];
    let parts: Vec<&str> = f.split('/').collect();
    match parts.as_slice() {
        // Party: 126-qd/tw
        [a, _issuer] if a.contains('-') => {
            if let Some((n, t)) = a.split_once('-') {
                if is_number(n) && t.chars().all(char::is_alphabetic) {
                    keys.push(format!("code:{t}:{n}"));
                }
            }
        }
        // Administrative: 281/qd-ttg
        [n, sym] if is_number(n) => {
            if let Some((t, _)) = split_code(sym) {
                keys.push(format!("code:{t}:{n}"));
            }
        }
        // Legal: 30/2020/nd-cp, 22/2008/qh12
        [n, y, sym] if is_number(n) && is_number(y) && y.len() == 4 => {
            let t = split_code(sym)
                .map(|(t, _)| t.to_owned())
                .unwrap_or_else(|| {
                    sym.chars()
                        .take_while(|c| c.is_alphabetic())
                        .collect::<String>()
                });
            if !t.is_empty() {
                keys.push(format!("code:{t}:{n}/{y}"));
                keys.push(format!("code:{t}:{n}"));
            }
        }
        _ => {}
    }
    keys
}

/// Keys of a kind and a number (`kind:quy_dinh:126`, and with a year).
pub fn kind_keys(kind: DocumentKind, number: &str, year: Option<&str>) -> Vec<String> {
    let n = fold(number);
    let mut v = vec![format!("kind:{}:{n}", kind.code())];
    if let Some(y) = year {
        v.push(format!("kind:{}:{n}/{y}", kind.code()));
    }
    v
}

/// Joins `126 - QĐ/ TW` into `126-QĐ/TW`: white space next to `-` or `/` is dropped.
fn tighten(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = chars[..i].iter().rev().find(|c| !c.is_whitespace());
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(prev, Some('-' | '/')) || matches!(next, Some('-' | '/')) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Finds the references in a query (see the module doc).
pub fn parse(query: &str) -> ParsedQuery {
    let nfc: String = query.nfc().collect();
    let tight = tighten(&nfc);
    let words: Vec<&str> = tight
        .split(|c: char| {
            c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '"' | '“' | '”' | ':')
        })
        .map(|w| w.trim_matches(|c: char| matches!(c, '.' | '-' | '/' | '?' | '!')))
        .filter(|w| !w.is_empty())
        .collect();
    let folded: Vec<String> = words
        .iter()
        .map(|w| {
            let lower = w.to_lowercase().replace("/tư", "/tw");
            let f = fold(&lower);
            // `số126` → `126`
            match f.strip_prefix("so") {
                Some(r) if r.starts_with(|c: char| c.is_ascii_digit()) => r.to_owned(),
                _ => f,
            }
        })
        .collect();
    let mut used = vec![false; words.len()];
    let mut references = Vec::new();
    let mut i = 0;
    while i < words.len() {
        // A kind word, optional `số`, then a number or a compound.
        let kind = KIND_WORDS.iter().find(|(ws, _)| {
            ws.len() + i <= folded.len() && ws.iter().zip(&folded[i..]).all(|(a, b)| a == b)
        });
        if let Some((ws, kind)) = kind {
            let mut j = i + ws.len();
            if folded.get(j).is_some_and(|w| w == "so") {
                j += 1;
            }
            if let Some(w) = folded.get(j) {
                if let Some((n, y)) = number_and_year(w) {
                    references.push(kind_keys(*kind, n, y));
                    used[i..=j].iter_mut().for_each(|u| *u = true);
                    i = j + 1;
                    continue;
                }
                let mut keys = compound_keys(w);
                if !keys.is_empty() {
                    if let Some(n) = w.split(['-', '/']).next() {
                        keys.extend(kind_keys(*kind, n, None));
                    }
                    references.push(keys);
                    used[i..=j].iter_mut().for_each(|u| *u = true);
                    i = j + 1;
                    continue;
                }
            }
        }
        // A type code then a number: `QĐ 126`.
        if CODES.contains(&folded[i].as_str()) {
            let mut j = i + 1;
            if folded.get(j).is_some_and(|w| w == "so") {
                j += 1;
            }
            if let Some((n, y)) = folded.get(j).and_then(|w| number_and_year(w)) {
                let t = &folded[i];
                let mut keys = vec![format!("code:{t}:{n}")];
                if let Some(y) = y {
                    keys.insert(0, format!("code:{t}:{n}/{y}"));
                }
                references.push(keys);
                used[i..=j].iter_mut().for_each(|u| *u = true);
                i = j + 1;
                continue;
            }
        }
        let keys = compound_keys(&folded[i]);
        if !keys.is_empty() {
            references.push(keys);
            used[i] = true;
        }
        i += 1;
    }
    let rest = words
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(w, _)| *w)
        .collect::<Vec<_>>()
        .join(" ");
    ParsedQuery { references, rest }
}

/// The keys a document is indexed under, from its kind, number, symbol
/// and year (the same keys [`parse`] produces for every way of writing it).
pub fn document_keys(
    kind: DocumentKind,
    number: Option<&str>,
    symbol: Option<&str>,
    year: Option<i32>,
) -> Vec<String> {
    let mut keys = Vec::new();
    let Some(number) = number.map(str::trim).filter(|n| !n.is_empty()) else {
        return keys;
    };
    let y = year.map(|y| y.to_string());
    if let Some(sym) = symbol.map(str::trim).filter(|s| !s.is_empty()) {
        let sym = fold(&sym.to_lowercase().replace("tư", "tw")).replace(' ', "");
        let n = fold(number);
        let forms = if sym.contains('/') {
            vec![format!("{n}-{sym}")]
        } else {
            let mut v = Vec::new();
            if let Some(y) = &y {
                v.push(format!("{n}/{y}/{sym}"));
            }
            if sym.contains('-') {
                v.push(format!("{n}/{sym}"));
            }
            v
        };
        for f in forms {
            for k in compound_keys(&f) {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
    }
    for k in kind_keys(kind, number, y.as_deref()) {
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys
}

/// The keys of a document id like `58-QĐ/TW@2022-02-08` (as cited by a source).
pub fn id_keys(id: &str) -> Vec<String> {
    let r = id.split('@').next().unwrap_or(id);
    let f = fold(&r.to_lowercase().replace("/tư", "/tw")).replace(' ', "");
    compound_keys(&f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn first(q: &str) -> Vec<String> {
        parse(q).references.into_iter().next().unwrap_or_default()
    }

    #[test]
    fn party_references() {
        for q in ["126-QĐ/TW", "126-qd/tw", "126 - QĐ/TW", "số 126-QĐ/TƯ"] {
            assert!(
                first(q).contains(&"126-qd/tw".to_owned()),
                "{q}: {:?}",
                parse(q)
            );
        }
        assert_eq!(first("quy dinh 126"), ["kind:quy_dinh:126"]);
        assert_eq!(first("Quy định số 126"), ["kind:quy_dinh:126"]);
        assert_eq!(first("QĐ 126"), ["code:qd:126"]);
        assert!(first("Quy định 126-QĐ/TW").contains(&"kind:quy_dinh:126".to_owned()));
    }

    #[test]
    fn state_references() {
        assert_eq!(
            first("30/2020/NĐ-CP"),
            ["30/2020/nd-cp", "code:nd:30/2020", "code:nd:30"]
        );
        assert_eq!(
            first("nghị định 30/2020"),
            ["kind:nghi_dinh:30", "kind:nghi_dinh:30/2020"]
        );
        assert!(first("281/QĐ-TTg").contains(&"code:qd:281".to_owned()));
    }

    #[test]
    fn rest_keeps_other_words() {
        let p = parse("bảo vệ chính trị nội bộ quy định 126");
        assert_eq!(p.rest, "bảo vệ chính trị nội bộ");
        assert_eq!(parse("chuyển đổi số").references.len(), 0);
        assert_eq!(parse("chuyển đổi số").rest, "chuyển đổi số");
        assert!(parse("28/02/2018").references.is_empty());
    }

    #[test]
    fn document_keys_meet_query_keys() {
        let d = document_keys(
            DocumentKind::QuyDinh,
            Some("126"),
            Some("QĐ/TW"),
            Some(2018),
        );
        for q in ["126-QĐ/TW", "quy dinh 126", "QĐ 126"] {
            assert!(first(q).iter().any(|k| d.contains(k)), "{q}");
        }
        let d = document_keys(
            DocumentKind::NghiDinh,
            Some("30"),
            Some("NĐ-CP"),
            Some(2020),
        );
        for q in [
            "30/2020/NĐ-CP",
            "nghị định 30/2020",
            "nghi dinh 30",
            "NĐ 30",
        ] {
            assert!(first(q).iter().any(|k| d.contains(k)), "{q}: {d:?}");
        }
        assert!(id_keys("58-QĐ/TW@2022-02-08").contains(&"58-qd/tw".to_owned()));
    }

    #[test]
    fn kinds() {
        assert_eq!(parse_kind("quy_dinh"), Some(DocumentKind::QuyDinh));
        assert_eq!(parse_kind("Quyết định"), Some(DocumentKind::QuyetDinh));
        assert_eq!(parse_kind("nghi quyet"), Some(DocumentKind::NghiQuyet));
        assert_eq!(parse_kind("bogus"), None);
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = parse(&s);
            let _ = id_keys(&s);
        }

        #[test]
        fn never_panics_on_reference_like(s in "[0-9QĐqđ/TWƯ \\-NCP.số]{0,30}") {
            let _ = parse(&s);
        }
    }
}
