//! Helpers shared by the server's test binaries.

use axum::http::{header, request::Builder, Request};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

/// A form POST to `uri` (`application/x-www-form-urlencoded`), as a
/// browser sends it: the request (headers may still be added) and its body.
pub fn form_post(uri: &str, fields: &[(&str, &str)]) -> (Builder, String) {
    let body = fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, NON_ALPHANUMERIC),
                utf8_percent_encode(v, NON_ALPHANUMERIC)
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    let request =
        Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    (request, body)
}
