//! Text preparation (chuẩn hoá văn bản): turns raw input bytes (plain text or
//! HTML) into the one text that extraction reads.
//!
//! What it is for: HTML to visible text, page chrome removed, Unicode NFC,
//! a normalised *matching view* (dashes, quotes, spaces, tone placement) with
//! an offset map back to the prepared text, and the publication date read from
//! page headers.
//!
//! What it must never do: touch the disk or the network, panic on any input,
//! or take more than linear time in the size of its input.
//!
//! API (implemented by the modules below):
//! - [`prepare`]`(bytes, Format) -> Prepared`
//! - [`Prepared::text`]: NFC visible content; every byte offset vanban reports
//!   refers to this string.
//! - [`Prepared::matching`]: a [`MatchingView`] with dashes → `-`, quotes → `"`,
//!   spaces → ` `, tone placement canonical (`hoà` → `hòa`, `thuỷ` → `thủy`),
//!   and [`MatchingView::to_text_offset`] back to `Prepared::text`.
//! - [`Prepared::to_input_offset`]: map back to the input bytes.
//! - [`Prepared::published`] / [`Prepared::published_year`].
//!
//! Pipeline: [`decode`] (UTF-8 with SIMD validation, BOM, U+FFFD) →
//! [`html`] (HTML only: visible text, meta dates) → [`normalize`] (NFC) →
//! [`published`] (header dates) → [`chrome`] (page chrome lines) =
//! `Prepared::text`; [`matching`] builds the view on first use. Each stage
//! that changes the text keeps an [`offsets`] map; stages that change
//! nothing borrow and keep no map.
//!
//! Cost on plain text that is already NFC: one SIMD validation pass, one
//! SIMD NFC check, one line scan (with a hash of each short line for
//! repeats) and one copy into the owned result; the matching view is one
//! more SIMD pass and borrows the text when nothing needs normalising.
//! `benches/prepare.rs` measures it over `shared/corpus`.

pub mod chrome;
pub mod decode;
mod entities;
pub mod html;
pub mod matching;
pub mod normalize;
pub mod offsets;
pub mod published;

use chrono::NaiveDate;
use offsets::OffsetMap;
use std::borrow::Cow;
use std::sync::OnceLock;

pub use matching::normalize_for_matching;

/// How to read the input bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// UTF-8 plain text (invalid bytes replaced).
    Text,
    /// HTML: only visible body text is content.
    Html,
}

impl Format {
    /// `.html` / `.htm` → Html, anything else → Text.
    pub fn from_path(path: &str) -> Self {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".html") || lower.ends_with(".htm") {
            Format::Html
        } else {
            Format::Text
        }
    }
}

/// A prepared text.
#[derive(Debug, Clone)]
pub struct Prepared {
    text: String,
    published: Option<NaiveDate>,
    published_year: Option<i32>,
    /// Stage maps, first stage first; `to_input_offset` applies them last
    /// stage first.
    maps: Vec<OffsetMap>,
    view: OnceLock<matching::ViewData>,
}

impl Prepared {
    /// The prepared text: NFC, visible content only. Every offset vanban
    /// reports is a byte offset into this string.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The publication date from the page header, when a full valid date is
    /// given.
    pub fn published(&self) -> Option<NaiveDate> {
        self.published
    }

    /// The publication year, also when only year and month are given
    /// (`date 2022-10`).
    pub fn published_year(&self) -> Option<i32> {
        self.published_year
    }

    /// The same text with `date` as its publication date when the text
    /// gives none itself (a page fetched from a feed: the feed item's
    /// date). A date the text gives always wins, and so does a year it
    /// gives alone when `date` is of another year.
    pub fn with_published_fallback(mut self, date: Option<NaiveDate>) -> Prepared {
        use chrono::Datelike;
        if let Some(date) = date {
            if self.published.is_none() && self.published_year.is_none_or(|y| y == date.year()) {
                self.published = Some(date);
                self.published_year = Some(date.year());
            }
        }
        self
    }

    /// The matching view (computed on first use, then cached).
    pub fn matching(&self) -> MatchingView<'_> {
        let data = self
            .view
            .get_or_init(|| matching::ViewData::new(&self.text));
        MatchingView {
            text: data.text.as_deref().unwrap_or(&self.text),
            map: &data.map,
            identity: data.text.is_none(),
        }
    }

    /// Maps a byte offset of [`text`](Self::text) to the input byte offset it
    /// came from. Monotone. Exact at the start of every line and, for HTML, at
    /// the start of every word and entity; inside a decoded entity, a
    /// collapsed space or a run that NFC changed it is approximate (an offset
    /// within the same input unit). Offsets past the end map to the end of
    /// the input.
    pub fn to_input_offset(&self, offset: usize) -> usize {
        let mut o = offset.min(self.text.len());
        for m in self.maps.iter().rev() {
            o = m.map(o);
        }
        o
    }
}

/// The normalised view that extractors match against.
#[derive(Debug, Clone)]
pub struct MatchingView<'a> {
    text: &'a str,
    map: &'a matching::ComposedMap,
    identity: bool,
}

impl MatchingView<'_> {
    /// The normalised text (see [`matching`]).
    pub fn text(&self) -> &str {
        self.text
    }

    /// Maps a byte offset of the view to the prepared text: every char
    /// boundary of the view maps to a char boundary of the text (a replaced
    /// character's start and end to the original's start and end; a removed
    /// character's position to its start). Monotone, O(log n).
    pub fn to_text_offset(&self, offset: usize) -> usize {
        self.map.map(offset.min(self.text.len()))
    }

    /// True when the view is the prepared text itself (nothing normalised).
    pub fn is_identity(&self) -> bool {
        self.identity
    }
}

/// Prepares input bytes for extraction (see the crate doc). Never panics.
pub fn prepare(bytes: &[u8], format: Format) -> Prepared {
    let (decoded, decode_map) = decode::decode(bytes);
    prepare_decoded(decoded, decode_map, format)
}

/// [`prepare`] for input the caller has already validated as UTF-8 (one
/// validation instead of two): the same result as `prepare(text.as_bytes(),
/// format)`.
pub fn prepare_str(text: &str, format: Format) -> Prepared {
    let (decoded, decode_map) = decode::decode_valid(text);
    prepare_decoded(Cow::Borrowed(decoded), decode_map, format)
}

fn prepare_decoded(decoded: Cow<'_, str>, decode_map: OffsetMap, format: Format) -> Prepared {
    let mut maps = Vec::with_capacity(4);
    maps.push(decode_map);
    let mut meta: Option<published::Found> = None;
    let stage1: Cow<'_, str> = match format {
        Format::Text => decoded,
        Format::Html => {
            let h = html::to_text(&decoded);
            meta = h.meta_date.or(h.ld_date).or(h.time_date);
            maps.push(h.map);
            Cow::Owned(h.text)
        }
    };
    let stage2: Cow<'_, str> = match normalize::nfc(&stage1) {
        Some((t, m)) => {
            maps.push(m);
            Cow::Owned(t)
        }
        None => stage1,
    };
    let found = meta.or_else(|| published::from_header(&stage2));
    let text = match chrome::remove(&stage2, format == Format::Text) {
        Some((t, m)) => {
            maps.push(m);
            t
        }
        None => stage2.into_owned(),
    };
    maps.retain(|m| !m.is_identity());
    Prepared {
        text,
        published: found.and_then(published::Found::date),
        published_year: found.map(published::Found::year),
        maps,
        view: OnceLock::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_pipeline() {
        let input = "# doc_id = x\n# date = 20191127\nĐắk Lắk quán triệt Quy định số 126–QĐ/TW\nÝ kiến bạn đọc\n";
        let p = prepare(input.as_bytes(), Format::Text);
        assert_eq!(
            p.text(),
            "Đắk Lắk quán triệt Quy định số 126–QĐ/TW\nÝ kiến bạn đọc\n"
                .replace("Ý kiến bạn đọc\n", "")
        );
        assert_eq!(
            p.published().map(|d| d.to_string()),
            Some("2019-11-27".into())
        );
        assert_eq!(p.published_year(), Some(2019));
        let o = p.text().find("Quy").unwrap_or(0);
        assert_eq!(
            &input[p.to_input_offset(o)..p.to_input_offset(o) + 3],
            "Quy"
        );
        let v = p.matching();
        assert!(v.text().contains("126-QĐ/TW"));
        let d = v.text().find('-').unwrap_or(0);
        assert_eq!(&p.text()[v.to_text_offset(d)..v.to_text_offset(d + 1)], "–");
    }

    #[test]
    fn html_pipeline() {
        let input = "<html><head><meta property=\"article:published_time\" content=\"2023-03-31T09:15:00+07:00\">\
                     <script>x</script></head><body><p>Sáng 30/3, Tỉnh ủy Hà Nam tổ chức hội nghị.</p>\
                     <footer><p>Giấy phép xuất bản số 123/GP-BTTTT</p></footer>\
                     <div><p>Ý kiến bạn đọc</p><p>Gửi bình luận</p></div></body></html>";
        let p = prepare(input.as_bytes(), Format::Html);
        assert_eq!(p.text(), "Sáng 30/3, Tỉnh ủy Hà Nam tổ chức hội nghị.");
        assert_eq!(
            p.published().map(|d| d.to_string()),
            Some("2023-03-31".into())
        );
        let o = p.text().find("Tỉnh").unwrap_or(0);
        assert_eq!(
            &input[p.to_input_offset(o)..p.to_input_offset(o) + "Tỉnh".len()],
            "Tỉnh"
        );
    }

    #[test]
    fn publication_date_order_in_html() {
        let ld = r#"<script type="application/ld+json">{"datePublished":"2022-04-01T07:30:00+07:00"}</script>"#;
        let time = r#"<p><time datetime="2021-05-05">5/5</time> Sáng 30/3, hội nghị.</p>"#;
        let meta = r#"<meta property="article:published_time" content="2020-06-06">"#;
        let date = |h: &str| {
            prepare(h.as_bytes(), Format::Html)
                .published()
                .map(|d| d.to_string())
        };
        // JSON-LD before <time>, the <meta> property before both.
        assert_eq!(date(&format!("{ld}{time}")).as_deref(), Some("2022-04-01"));
        assert_eq!(date(&format!("{time}{ld}")).as_deref(), Some("2022-04-01"));
        assert_eq!(
            date(&format!("{ld}{meta}{time}")).as_deref(),
            Some("2020-06-06")
        );
        assert_eq!(date(time).as_deref(), Some("2021-05-05"));
    }

    #[test]
    fn an_outside_date_is_only_a_fallback() {
        let d = NaiveDate::from_ymd_opt(2022, 4, 1);
        let p = prepare("Sáng 30/3, hội nghị.".as_bytes(), Format::Text).with_published_fallback(d);
        assert_eq!(p.published(), d);
        assert_eq!(p.published_year(), Some(2022));
        let p = prepare("# date = 20210505\nNội dung.".as_bytes(), Format::Text)
            .with_published_fallback(d);
        assert_eq!(
            p.published().map(|d| d.to_string()).as_deref(),
            Some("2021-05-05")
        );
        let p =
            prepare(" date 2021-10\nNội dung.".as_bytes(), Format::Text).with_published_fallback(d);
        assert_eq!((p.published(), p.published_year()), (None, Some(2021)));
    }

    #[test]
    fn year_only_header() {
        let p = prepare(" date 2022-10\nNội dung.".as_bytes(), Format::Text);
        assert_eq!(p.published(), None);
        assert_eq!(p.published_year(), Some(2022));
    }

    #[test]
    fn format_from_path() {
        assert_eq!(Format::from_path("a/B.HTML"), Format::Html);
        assert_eq!(Format::from_path("a.htm"), Format::Html);
        assert_eq!(Format::from_path("a.txt"), Format::Text);
    }
}
