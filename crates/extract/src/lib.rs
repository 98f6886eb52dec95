//! The vanban extraction engine (trích xuất): reads prepared Vietnamese text
//! and finds the Party and state documents it cites, their dates, issuers,
//! titles and relations, the meetings it reports, and the officials it names.
//!
//! What it is for: turning one text into one [`model::Extraction`], exactly as
//! `shared/contract/extract.md` describes.
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

pub use model::*;
pub use vanban_text::{prepare, Format, Prepared};

use context::Context;

/// Extracts everything from one prepared text. `source` is copied into the
/// result as given.
pub fn extract(source: &str, prepared: &Prepared) -> Extraction {
    let view = prepared.matching();
    let ctx = Context::new(view.text(), prepared.published(), prepared.published_year());
    let mut documents = documents::extract(&ctx);
    let relations = relations::extract(&ctx, &documents);
    let events = events::extract(&ctx, &documents);
    let officials = officials::extract(&ctx);
    // Extractors work on the matching view; the contract's offsets are into
    // the prepared text.
    for doc in &mut documents {
        for span in &mut doc.mentions {
            span.start = view.to_text_offset(span.start);
            span.end = view.to_text_offset(span.end);
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
