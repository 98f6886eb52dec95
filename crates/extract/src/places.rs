//! Provinces (tỉnh, thành phố) before and after the 2025 merger: names,
//! variants, and which new province each old one became (domain §5).
//!
//! Canonical names use old-style tone placement (`Thanh Hóa`, `Khánh Hòa`,
//! `Hòa Bình`), as the matching view does. `Hồ Chí Minh` is a place only with a
//! city prefix (`TP. Hồ Chí Minh`, `Thành phố Hồ Chí Minh`, `TP.HCM`): the bare
//! name is the President's (`tư tưởng Hồ Chí Minh`, `Chủ tịch Hồ Chí Minh`).
//! The finder uses one aho-corasick automaton (leftmost-longest) and checks
//! word boundaries; it is linear in the text length.

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};
use std::sync::OnceLock;

mod gazetteer;
pub use gazetteer::{district_at, district_provinces, find_districts, DistrictMatch, LocalKind};

/// The 63 provinces and centrally-run cities until 30/6/2025.
pub const OLD_PROVINCES: [&str; 63] = [
    "Hà Nội",
    "Hồ Chí Minh",
    "Hải Phòng",
    "Đà Nẵng",
    "Cần Thơ",
    "An Giang",
    "Bà Rịa – Vũng Tàu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bạc Liêu",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Định",
    "Bình Dương",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Tĩnh",
    "Hải Dương",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lâm Đồng",
    "Lạng Sơn",
    "Lào Cai",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thừa Thiên Huế",
    "Tiền Giang",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
];

/// The 34 provinces and cities from 1/7/2025 (Nghị quyết 202/2025/QH15).
pub const NEW_PROVINCES: [&str; 34] = [
    "Hà Nội",
    "Huế",
    "Lai Châu",
    "Điện Biên",
    "Sơn La",
    "Lạng Sơn",
    "Quảng Ninh",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Cao Bằng",
    "Tuyên Quang",
    "Lào Cai",
    "Thái Nguyên",
    "Phú Thọ",
    "Bắc Ninh",
    "Hưng Yên",
    "Hải Phòng",
    "Ninh Bình",
    "Quảng Trị",
    "Đà Nẵng",
    "Quảng Ngãi",
    "Gia Lai",
    "Khánh Hòa",
    "Lâm Đồng",
    "Đắk Lắk",
    "Hồ Chí Minh",
    "Đồng Nai",
    "Tây Ninh",
    "Cần Thơ",
    "Vĩnh Long",
    "Đồng Tháp",
    "Cà Mau",
    "An Giang",
];

/// Old province → the new province it is part of (only the merged-away ones;
/// every other name maps to itself).
const MERGED_INTO: &[(&str, &str)] = &[
    ("Thừa Thiên Huế", "Huế"),
    ("Hà Giang", "Tuyên Quang"),
    ("Yên Bái", "Lào Cai"),
    ("Bắc Kạn", "Thái Nguyên"),
    ("Vĩnh Phúc", "Phú Thọ"),
    ("Hòa Bình", "Phú Thọ"),
    ("Bắc Giang", "Bắc Ninh"),
    ("Thái Bình", "Hưng Yên"),
    ("Hải Dương", "Hải Phòng"),
    ("Hà Nam", "Ninh Bình"),
    ("Nam Định", "Ninh Bình"),
    ("Quảng Bình", "Quảng Trị"),
    ("Quảng Nam", "Đà Nẵng"),
    ("Kon Tum", "Quảng Ngãi"),
    ("Bình Định", "Gia Lai"),
    ("Ninh Thuận", "Khánh Hòa"),
    ("Đắk Nông", "Lâm Đồng"),
    ("Bình Thuận", "Lâm Đồng"),
    ("Phú Yên", "Đắk Lắk"),
    ("Bình Dương", "Hồ Chí Minh"),
    ("Bà Rịa – Vũng Tàu", "Hồ Chí Minh"),
    ("Bình Phước", "Đồng Nai"),
    ("Long An", "Tây Ninh"),
    ("Sóc Trăng", "Cần Thơ"),
    ("Hậu Giang", "Cần Thơ"),
    ("Bến Tre", "Vĩnh Long"),
    ("Trà Vinh", "Vĩnh Long"),
    ("Tiền Giang", "Đồng Tháp"),
    ("Bạc Liêu", "Cà Mau"),
    ("Kiên Giang", "An Giang"),
];

/// Accepted spellings that differ from the canonical name (besides the
/// canonical name itself and its upper-case form).
const VARIANTS: &[(&str, &str)] = &[
    ("Thanh Hoá", "Thanh Hóa"),
    ("Khánh Hoà", "Khánh Hòa"),
    ("Hoà Bình", "Hòa Bình"),
    ("Đăk Lăk", "Đắk Lắk"),
    ("Đắc Lắc", "Đắk Lắk"),
    ("Đắk Lăk", "Đắk Lắk"),
    ("Daklak", "Đắk Lắk"),
    ("Đăk Nông", "Đắk Nông"),
    ("Đắc Nông", "Đắk Nông"),
    ("Kon Tum", "Kon Tum"),
    ("Bắc Cạn", "Bắc Kạn"),
    ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
    ("TP.Hồ Chí Minh", "Hồ Chí Minh"),
    ("TP Hồ Chí Minh", "Hồ Chí Minh"),
    ("Tp. Hồ Chí Minh", "Hồ Chí Minh"),
    ("Tp Hồ Chí Minh", "Hồ Chí Minh"),
    ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
    ("thành phố Hồ Chí Minh", "Hồ Chí Minh"),
    ("THÀNH PHỐ HỒ CHÍ MINH", "Hồ Chí Minh"),
    ("TP. HỒ CHÍ MINH", "Hồ Chí Minh"),
    ("TP.HCM", "Hồ Chí Minh"),
    ("TP. HCM", "Hồ Chí Minh"),
    ("TP HCM", "Hồ Chí Minh"),
    ("TPHCM", "Hồ Chí Minh"),
    ("Tp.HCM", "Hồ Chí Minh"),
    ("Tp. HCM", "Hồ Chí Minh"),
    ("Bà Rịa - Vũng Tàu", "Bà Rịa – Vũng Tàu"),
    ("Bà Rịa-Vũng Tàu", "Bà Rịa – Vũng Tàu"),
    ("Bà Rịa Vũng Tàu", "Bà Rịa – Vũng Tàu"),
    ("BR-VT", "Bà Rịa – Vũng Tàu"),
    ("TT-Huế", "Thừa Thiên Huế"),
    ("TT - Huế", "Thừa Thiên Huế"),
    ("Thừa Thiên - Huế", "Thừa Thiên Huế"),
    ("Thừa Thiên-Huế", "Thừa Thiên Huế"),
];

struct Gazetteer {
    ac: AhoCorasick,
    /// Canonical name per pattern id.
    names: Vec<&'static str>,
}

fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| {
        let mut pats: Vec<String> = Vec::new();
        let mut names: Vec<&'static str> = Vec::new();
        let mut add = |p: String, n: &'static str| {
            if !pats.contains(&p) {
                pats.push(p);
                names.push(n);
            }
        };
        for &n in OLD_PROVINCES.iter().chain(NEW_PROVINCES.iter()) {
            if n == "Hồ Chí Minh" {
                continue; // only with a city prefix (VARIANTS)
            }
            add(n.to_owned(), n);
            add(n.to_uppercase(), n);
            if n.contains('–') {
                add(n.replace('–', "-"), n);
            }
        }
        for &(v, n) in VARIANTS {
            add(v.to_owned(), n);
            add(v.to_uppercase(), n);
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Both)
            .build(&pats)
            .unwrap_or_else(|_| AhoCorasick::new(Vec::<String>::new()).expect("empty automaton"));
        Gazetteer { ac, names }
    })
}

/// A province name found in text: byte span and canonical name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaceMatch {
    pub start: usize,
    pub end: usize,
    /// Canonical name as at the time (old province names kept).
    pub name: &'static str,
}

/// The canonical name of a written province name or variant
/// (`Thanh Hoá` → `Thanh Hóa`, `TP.HCM` → `Hồ Chí Minh`); `None` when unknown.
pub fn canonical(name: &str) -> Option<&'static str> {
    let name = name.trim();
    if name == "Hồ Chí Minh" {
        return Some("Hồ Chí Minh");
    }
    let g = gazetteer();
    let m = g.ac.find(Input::new(name).anchored(Anchored::Yes))?;
    (m.end() == name.len()).then(|| g.names[m.pattern().as_usize()])
}

/// The post-2025 province that a province (old or new, any accepted
/// spelling) is part of now; `""` when the name is not a province.
pub fn province_now(name: &str) -> &'static str {
    let Some(c) = canonical(name) else { return "" };
    MERGED_INTO
        .iter()
        .find(|(old, _)| *old == c)
        .map(|(_, new)| *new)
        .unwrap_or(c)
}

/// True for a letter or digit char (word boundary check).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn boundary_ok(text: &str, start: usize, end: usize) -> bool {
    if text[..start].chars().next_back().is_some_and(is_word_char) {
        return false;
    }
    let rest = &text[end..];
    if rest.chars().next().is_some_and(is_word_char) {
        return false;
    }
    // Longer names: `Hà Nam Ninh` (old province), `Thái Bình Dương` (the Pacific).
    !(rest.starts_with(" Ninh") || rest.starts_with(" Dương") || rest.starts_with(" DƯƠNG"))
}

/// The province name starting exactly at `pos`, if any.
pub fn province_at(text: &str, pos: usize) -> Option<PlaceMatch> {
    if pos > text.len() || !text.is_char_boundary(pos) {
        return None;
    }
    let g = gazetteer();
    let m =
        g.ac.find(Input::new(text).range(pos..).anchored(Anchored::Yes))?;
    boundary_ok(text, m.start(), m.end()).then(|| PlaceMatch {
        start: m.start(),
        end: m.end(),
        name: g.names[m.pattern().as_usize()],
    })
}

/// Every province name in `text[range]`, left to right.
pub fn find_provinces(text: &str, range: std::ops::Range<usize>) -> Vec<PlaceMatch> {
    let end = crate::context::floor_char(text, range.end.min(text.len()));
    let start = crate::context::floor_char(text, range.start.min(end));
    let g = gazetteer();
    g.ac.find_iter(Input::new(text).range(start..end))
        .filter(|m| boundary_ok(text, m.start(), m.end()))
        .map(|m| PlaceMatch {
            start: m.start(),
            end: m.end(),
            name: g.names[m.pattern().as_usize()],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(t: &str) -> Vec<&'static str> {
        find_provinces(t, 0..t.len())
            .into_iter()
            .map(|m| m.name)
            .collect()
    }

    #[test]
    fn counts() {
        let mut o = OLD_PROVINCES.to_vec();
        o.sort();
        o.dedup();
        assert_eq!(o.len(), 63);
        let mut n = NEW_PROVINCES.to_vec();
        n.sort();
        n.dedup();
        assert_eq!(n.len(), 34);
        for old in OLD_PROVINCES {
            assert!(NEW_PROVINCES.contains(&province_now(old)), "{old}");
        }
    }

    #[test]
    fn variants_and_merger() {
        assert_eq!(canonical("Thanh Hoá"), Some("Thanh Hóa"));
        assert_eq!(canonical("TP.HCM"), Some("Hồ Chí Minh"));
        assert_eq!(canonical("Bà Rịa - Vũng Tàu"), Some("Bà Rịa – Vũng Tàu"));
        assert_eq!(canonical("TT-Huế"), Some("Thừa Thiên Huế"));
        assert_eq!(canonical("Đắc Lắc"), Some("Đắk Lắk"));
        assert_eq!(province_now("Hà Nam"), "Ninh Bình");
        assert_eq!(province_now("Bình Dương"), "Hồ Chí Minh");
        assert_eq!(province_now("Thanh Hóa"), "Thanh Hóa");
        assert_eq!(province_now("Thừa Thiên - Huế"), "Huế");
        assert_eq!(province_now("Nam"), "");
    }

    #[test]
    fn finder_respects_words_and_the_president() {
        assert_eq!(
            names("Hội nghị tại Hà Nội và TP. Hồ Chí Minh"),
            ["Hà Nội", "Hồ Chí Minh"]
        );
        assert!(names("học tập và làm theo tư tưởng, đạo đức Hồ Chí Minh").is_empty());
        assert!(names("Chủ tịch Hồ Chí Minh; Bác Hồ").is_empty());
        assert!(names("tỉnh Hà Nam Ninh cũ; miền Nam; Thái Bình Dương").is_empty());
        assert!(names("xHà Nộiy").is_empty());
        assert_eq!(names("TỈNH ỦY THANH HÓA"), ["Thanh Hóa"]);
        assert_eq!(
            names("Tỉnh ủy Đăk Lăk, tỉnh Bà Rịa - Vũng Tàu"),
            ["Đắk Lắk", "Bà Rịa – Vũng Tàu"]
        );
        let t = "Tỉnh ủy Hà Nam tổ chức";
        assert_eq!(
            province_at(t, "Tỉnh ủy ".len()).map(|m| m.name),
            Some("Hà Nam")
        );
        assert_eq!(province_at(t, 0), None);
    }
}
