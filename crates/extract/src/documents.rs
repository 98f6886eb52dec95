//! Document citations (trích dẫn văn bản): see ANNOTATION.md §Documents.
use crate::context::Context;
use crate::model::Document;

/// All distinct documents of the text, merged, in order of first mention.
/// Mention spans are offsets into `ctx.text`.
pub fn extract(_ctx: &Context) -> Vec<Document> {
    Vec::new()
}
