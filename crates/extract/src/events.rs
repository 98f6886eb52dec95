//! Meetings the text reports: see ANNOTATION.md §Events.
use crate::context::Context;
use crate::model::{Document, Event};

pub fn extract(_ctx: &Context, _documents: &[Document]) -> Vec<Event> {
    Vec::new()
}
