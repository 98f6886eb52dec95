//! API tokens (mã truy cập): creation, hashing and checking.
//!
//! A token is 32 random bytes written as 64 hex digits after the prefix
//! `vbt_`; it is shown once, when created, and the store keeps only its
//! SHA-256. Writes need `Authorization: Bearer TOKEN`; with
//! [`crate::Config::private`] reads do too.

use crate::error::ApiError;
use crate::AppState;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// The prefix every token starts with (so that a leaked one is recognisable).
pub const TOKEN_PREFIX: &str = "vbt_";

/// Why no token could be made.
#[derive(Debug, thiserror::Error)]
#[error("the operating system gave no random bytes ({0}); try again")]
pub struct RandomError(String);

/// A new random token (`vbt_` + 64 hex digits).
pub fn generate() -> Result<String, RandomError> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| RandomError(e.to_string()))?;
    let mut token = String::with_capacity(TOKEN_PREFIX.len() + 64);
    token.push_str(TOKEN_PREFIX);
    for b in bytes {
        token.push_str(&format!("{b:02x}"));
    }
    Ok(token)
}

/// SHA-256 of a token, lower-case hex: what the store keeps.
pub fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The token in an `Authorization: Bearer …` header, if any.
fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// Checks the request's bearer token: `Ok(())` for a known token.
async fn check(state: &AppState, parts: &Parts) -> Result<(), ApiError> {
    let Some(token) = bearer(parts) else {
        return Err(ApiError::unauthorized(
            "this request needs an API token: send `Authorization: Bearer TOKEN` (create one with `vanban token create NAME`)",
        ));
    };
    if state.knows_token_hash(&hash(token)).await {
        Ok(())
    } else {
        Err(ApiError::unauthorized(
            "the API token is not valid: check it, or create a new one with `vanban token create NAME`",
        ))
    }
}

/// Extractor for handlers that write: rejects the request with 401 unless
/// it carries a known token.
pub struct WriteToken;

impl FromRequestParts<AppState> for WriteToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        check(state, parts).await.map(|()| WriteToken)
    }
}

/// Middleware: with `--private`, every request but the stylesheet and the
/// script needs a token (a page request without one gets the JSON 401).
pub async fn private_reads(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if !state.config().private
        || request.method() == Method::OPTIONS
        || request.uri().path().starts_with("/static/")
    {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    if let Err(e) = check(&state, &parts).await {
        return e.into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashes_are_sha256_hex() {
        let a = generate().unwrap_or_default();
        let b = generate().unwrap_or_default();
        assert!(a.starts_with(TOKEN_PREFIX) && a.len() == TOKEN_PREFIX.len() + 64);
        assert_ne!(a, b);
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_ne!(hash(&a), a);
    }
}
