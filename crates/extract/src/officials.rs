//! Office-holders named with a title: see ANNOTATION.md §Officials.
use crate::context::Context;
use crate::model::Official;

pub fn extract(_ctx: &Context) -> Vec<Official> {
    Vec::new()
}
