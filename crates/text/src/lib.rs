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

// NOTE: provisional minimal implementation; the text-preparation work
// replaces it with the full pipeline described above.
use chrono::NaiveDate;
use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

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
}

impl Prepared {
    pub fn text(&self) -> &str {
        &self.text
    }
    pub fn published(&self) -> Option<NaiveDate> {
        self.published
    }
    pub fn published_year(&self) -> Option<i32> {
        self.published_year
    }
    pub fn matching(&self) -> MatchingView<'_> {
        MatchingView { text: Cow::Borrowed(&self.text) }
    }
    pub fn to_input_offset(&self, offset: usize) -> usize {
        offset
    }
}

/// The normalised view that extractors match against.
#[derive(Debug, Clone)]
pub struct MatchingView<'a> {
    text: Cow<'a, str>,
}

impl MatchingView<'_> {
    pub fn text(&self) -> &str {
        &self.text
    }
    pub fn to_text_offset(&self, offset: usize) -> usize {
        offset
    }
}

pub fn prepare(bytes: &[u8], _format: Format) -> Prepared {
    let text: String = String::from_utf8_lossy(bytes).nfc().collect();
    Prepared { text, published: None, published_year: None }
}
