//! The vanban extraction engine (trích xuất): reads prepared Vietnamese text
//! and finds the Party and state documents it cites, their dates, issuers,
//! titles and relations, the meetings it reports, and the officials it names.
//!
//! What it is for: turning one text into one [`model::Extraction`], exactly as
//! `docs/extract-json.md` describes.
//!
//! What it must never do: touch the disk or the network, panic on any input,
//! take more than linear time (no backtracking regex engine on input text),
//! or guess: a value the text does not support is `None`.
//!
//! Data flow: [`vanban_text::prepare`] → [`vanban_text::MatchingView`] →
//! documents → relations, events, officials → spans mapped back to the
//! prepared text.

pub mod context;
pub mod dates;
mod documents;
mod events;
mod issuers;
pub mod model;
mod officials;
pub mod places;
mod relations;
mod scan;
mod words;

pub use model::*;
pub use vanban_text::{prepare, prepare_str, Format, Prepared};

use context::Context;

/// Extracts everything from one prepared text. `source` is copied into the
/// result as given.
pub fn extract(source: &str, prepared: &Prepared) -> Extraction {
    let view = prepared.matching();
    let ctx = Context::new(view.text(), prepared.published(), prepared.published_year());
    let documents::Found {
        mut documents,
        title_spans,
    } = documents::extract(&ctx);
    let relations = relations::extract(&ctx, &documents);
    let events = events::extract(&ctx, &documents);
    let officials = officials::extract(&ctx);
    // Extractors work on the matching view; the contract's offsets are into
    // the prepared text.
    let text = prepared.text();
    for (doc, title) in documents.iter_mut().zip(&title_spans) {
        for span in &mut doc.mentions {
            span.start = view.to_text_offset(span.start);
            span.end = view.to_text_offset(span.end);
        }
        // Titles as written: the prepared text, not the matching view
        // (`hoà`, `–` kept); the view's slice when the range does not map.
        if let Some(&(s, e)) = title.as_ref() {
            if let Some(t) = text.get(view.to_text_offset(s)..view.to_text_offset(e)) {
                doc.title = Some(t.to_owned());
            }
        }
    }
    Extraction {
        source: source.to_owned(),
        published: prepared.published(),
        documents,
        relations,
        events,
        officials,
    }
}

/// Prepares `bytes` (plain text or HTML) and extracts from it.
pub fn extract_bytes(source: &str, bytes: &[u8], format: Format) -> Extraction {
    extract(source, &prepare(bytes, format))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_taken_as_written() {
        let t = "Quán triệt Nghị quyết số 12-NQ/TW ngày 16/01/2012 của Ban Chấp hành Trung ương về hoà nhập quốc tế giai đoạn 2021 – 2025, đối ngoại nhân dân. Hết.";
        let e = extract_bytes("x", t.as_bytes(), Format::Text);
        assert_eq!(e.documents.len(), 1);
        assert_eq!(
            e.documents[0].title.as_deref(),
            Some("hoà nhập quốc tế giai đoạn 2021 – 2025, đối ngoại nhân dân")
        );
        let s = e.documents[0].mentions[0];
        assert_eq!(&t[s.start..s.end], "Nghị quyết số 12-NQ/TW");
    }

    #[test]
    fn upper_case_citation_gives_issuer_and_title() {
        let t = "NGHỊ QUYẾT SỐ 57-NQ/TW NGÀY 22/12/2024 CỦA BỘ CHÍNH TRỊ VỀ ĐỘT PHÁ PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ\nNội dung.";
        let e = extract_bytes("x", t.as_bytes(), Format::Text);
        assert_eq!(e.documents[0].issuer.as_deref(), Some("Bộ Chính trị"));
        assert_eq!(
            e.documents[0].title.as_deref(),
            Some("ĐỘT PHÁ PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ")
        );
        let t2 = "QUY ĐỊNH SỐ 22-QĐ/TW NGÀY 28/7/2021 DO BAN BÍ THƯ BAN HÀNH VỀ CÔNG TÁC KIỂM TRA, GIÁM SÁT\nNội dung.";
        let e2 = extract_bytes("x", t2.as_bytes(), Format::Text);
        assert_eq!(e2.documents[0].issuer.as_deref(), Some("Ban Bí thư"));
        assert_eq!(
            e2.documents[0].title.as_deref(),
            Some("CÔNG TÁC KIỂM TRA, GIÁM SÁT")
        );
    }
}
