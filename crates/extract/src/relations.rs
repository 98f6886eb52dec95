//! Relations between documents of one text: see ANNOTATION.md §Relations.
use crate::context::Context;
use crate::model::{Document, Relation};

pub fn extract(_ctx: &Context, _documents: &[Document]) -> Vec<Relation> {
    Vec::new()
}
