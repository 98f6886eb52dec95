//! Provinces for the `--province` filter, before and after the 1/7/2025
//! merger (domain §5), accent-insensitive.
//!
//! The map itself is `vanban_extract::places` (one map for the whole
//! project); this module adds what search needs: lookup of what a person
//! types (`ninh binh`, `TP.HCM`, `Thanh Hoá`) and the list of old provinces a
//! province of today covers, so that `--province "Ninh Bình"` also finds
//! Hà Nam and Nam Định.

use crate::analyzer::fold;
use vanban_extract::places::{self, NEW_PROVINCES, OLD_PROVINCES};

/// The canonical name (as in `vanban_extract::places`) of a province name as
/// typed, old or new, with or without diacritics; `None` when unknown.
pub fn canonical(name: &str) -> Option<&'static str> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    if let Some(c) = places::canonical(name) {
        return Some(c);
    }
    let f = squash(&fold(name));
    let f = f.strip_prefix("tinh ").unwrap_or(&f).to_owned();
    let f = ["thanh pho ", "tp. ", "tp.", "tp "]
        .iter()
        .find_map(|p| f.strip_prefix(p))
        .unwrap_or(&f)
        .to_owned();
    if matches!(f.as_str(), "hcm" | "tphcm" | "sai gon" | "ho chi minh") {
        return Some("Hồ Chí Minh");
    }
    OLD_PROVINCES
        .iter()
        .chain(NEW_PROVINCES.iter())
        .copied()
        .find(|n| squash(&fold(n)) == f || squash(&fold(&n.replace('–', "-"))) == f)
}

/// Folded, hyphens and dashes as spaces, single spaces.
fn squash(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '-' || c == '–')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The province of today that a province (old or new) is part of.
pub fn now(name: &str) -> Option<&'static str> {
    let c = canonical(name)?;
    match places::province_now(c) {
        "" => None,
        n => Some(n),
    }
}

/// True when `name` is a province of today (from 1/7/2025).
pub fn is_current(name: &str) -> bool {
    canonical(name).is_some_and(|c| NEW_PROVINCES.contains(&c))
}

/// Every canonical name a province filter matches: a province of today
/// covers itself and every old province merged into it (`Ninh Bình` →
/// `Ninh Bình`, `Hà Nam`, `Nam Định`); an old, merged-away province
/// (`Hà Nam`) covers only itself. `None` when the name is unknown.
pub fn covered(name: &str) -> Option<Vec<&'static str>> {
    let c = canonical(name)?;
    if !NEW_PROVINCES.contains(&c) {
        return Some(vec![c]);
    }
    let mut out = vec![c];
    for old in OLD_PROVINCES {
        if old != c && places::province_now(old) == c {
            out.push(old);
        }
    }
    Some(out)
}

/// The key a province is indexed under: folded canonical name, or the
/// folded name as given when it is not a known province.
pub fn key(name: &str) -> String {
    match canonical(name) {
        Some(c) => squash(&fold(c)),
        None => squash(&fold(name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ninh_binh_covers_ha_nam_and_nam_dinh() {
        let mut v = covered("Ninh Bình").unwrap_or_default();
        v.sort();
        assert_eq!(v, ["Hà Nam", "Nam Định", "Ninh Bình"]);
        assert_eq!(covered("ninh binh"), covered("Ninh Bình"));
        assert_eq!(covered("Hà Nam"), Some(vec!["Hà Nam"]));
    }

    #[test]
    fn accent_insensitive_and_variants() {
        assert_eq!(canonical("thanh hoa"), Some("Thanh Hóa"));
        assert_eq!(canonical("Thanh Hoá"), Some("Thanh Hóa"));
        assert_eq!(canonical("TP.HCM"), Some("Hồ Chí Minh"));
        assert_eq!(canonical("tp ho chi minh"), Some("Hồ Chí Minh"));
        assert_eq!(canonical("ba ria - vung tau"), Some("Bà Rịa – Vũng Tàu"));
        assert_eq!(canonical("tỉnh Đắk Lắk"), Some("Đắk Lắk"));
        assert_eq!(canonical("Atlantis"), None);
        assert_eq!(canonical(""), None);
    }

    #[test]
    fn now_follows_the_merger() {
        assert_eq!(now("Hà Giang"), Some("Tuyên Quang"));
        assert_eq!(now("ba ria vung tau"), Some("Hồ Chí Minh"));
        assert_eq!(now("Thừa Thiên Huế"), Some("Huế"));
        assert_eq!(now("Hà Nội"), Some("Hà Nội"));
        assert!(is_current("Huế") && !is_current("Hà Nam"));
        let mut v = covered("Hồ Chí Minh").unwrap_or_default();
        v.sort();
        assert_eq!(v, ["Bà Rịa – Vũng Tàu", "Bình Dương", "Hồ Chí Minh"]);
        assert_eq!(covered("Huế"), Some(vec!["Huế", "Thừa Thiên Huế"]));
    }

    #[test]
    fn every_old_province_is_covered_by_exactly_one_new_one() {
        for old in OLD_PROVINCES {
            let n = NEW_PROVINCES
                .iter()
                .filter(|new| covered(new).unwrap_or_default().contains(&old))
                .count();
            assert_eq!(n, 1, "{old}");
        }
        // 34 provinces cover 63 old ones plus Huế (a new name).
        let total: usize = NEW_PROVINCES
            .iter()
            .map(|n| covered(n).unwrap_or_default().len())
            .sum();
        assert_eq!(total, 64);
    }

    #[test]
    fn keys_fold() {
        assert_eq!(key("Nam Định"), "nam dinh");
        assert_eq!(key("nam dinh"), "nam dinh");
        assert_eq!(key("Khánh Hoà"), "khanh hoa");
    }
}
