//! The URL scheme (đường dẫn cố định). Stable: pages are linked from
//! outside, so these only ever gain new forms.
//!
//! | page | URL |
//! |---|---|
//! | home | `/` |
//! | search | `/tim-kiem?q=…&kind=…&issuer=…&year=…&province=…&page=N` |
//! | document | `/van-ban/{id}`, the id percent-encoded (`/van-ban/126-Q%C4%90%2FTW@2018-02-28`); any typed reference redirects to it |
//! | provinces | `/tinh`, one province `/tinh/{slug}` (`/tinh/ninh-binh`, old names too: `/tinh/ha-nam`) |
//! | source | `/nguon/{id}` |
//! | coverage across the country | `/trien-khai?van-ban=REF1,REF2&ban-do=truoc-2025` (both optional) |
//! | API | `/api/v1/…`, its description `/api/v1/openapi.json` |
//! | Atom feeds | `/feeds/documents/{id}.atom`, `/feeds/provinces/{slug}.atom`, `/feeds/search.atom?q=…` ([`crate::feeds`]) |

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use vanban_extract::places::{NEW_PROVINCES, OLD_PROVINCES};

/// Everything but unreserved characters and `@` is encoded in a path segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// Everything but unreserved characters is encoded in a query value.
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A value as one path segment.
pub fn segment(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// A value inside a query string.
pub fn query_value(s: &str) -> String {
    utf8_percent_encode(s, QUERY).to_string()
}

/// The permalink of a document.
pub fn document(id: &str) -> String {
    format!("/van-ban/{}", segment(id))
}

/// The permalink of a source.
pub fn source(id: i64) -> String {
    format!("/nguon/{id}")
}

/// The permalink of a province (old or of today).
pub fn province(name: &str) -> String {
    format!("/tinh/{}", province_slug(name))
}

/// The search page for a query.
pub fn search(q: &str) -> String {
    format!("/tim-kiem?q={}", query_value(q))
}

/// `Ninh Bình` → `ninh-binh`, `Bà Rịa – Vũng Tàu` → `ba-ria-vung-tau`.
pub fn province_slug(name: &str) -> String {
    vanban_search::analyzer::fold(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// The canonical province name (old or of today) a slug or typed name
/// stands for.
pub fn province_from_slug(slug: &str) -> Option<&'static str> {
    let slug = slug.trim();
    NEW_PROVINCES
        .iter()
        .chain(OLD_PROVINCES.iter())
        .copied()
        .find(|n| province_slug(n) == slug)
        .or_else(|| vanban_search::provinces::canonical(&slug.replace('-', " ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_ids_become_one_path_segment() {
        assert_eq!(
            document("126-QĐ/TW@2018-02-28"),
            "/van-ban/126-Q%C4%90%2FTW@2018-02-28"
        );
        assert_eq!(
            document("Quy định 58@2022"),
            "/van-ban/Quy%20%C4%91%E1%BB%8Bnh%2058@2022"
        );
    }

    #[test]
    fn every_province_slug_leads_back_to_its_name() {
        for name in NEW_PROVINCES.iter().chain(OLD_PROVINCES.iter()) {
            let back = province_from_slug(&province_slug(name));
            assert!(back.is_some(), "{name}");
        }
        assert_eq!(province_slug("Ninh Bình"), "ninh-binh");
        assert_eq!(province_from_slug("ha-nam"), Some("Hà Nam"));
        assert_eq!(province_from_slug("Đắk Lắk"), Some("Đắk Lắk"));
        assert_eq!(province_from_slug("khong-co-tinh-nay"), None);
    }
}
