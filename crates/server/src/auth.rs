//! API tokens (mã truy cập): creation, hashing and checking, and the cookie
//! login of the pages (đăng nhập).
//!
//! A token is 32 random bytes written as 64 hex digits after the prefix
//! `vbt_`; it is shown once, when created, and the store keeps only its
//! SHA-256. Writes through the JSON API need `Authorization: Bearer TOKEN`;
//! with [`crate::Config::private`] reads do too.
//!
//! People in a browser enter the token once on `/dang-nhap`; it is then kept
//! in one cookie ([`TOKEN_COOKIE`]: `Path=/; HttpOnly; SameSite=Strict`,
//! 12 hours) that opens the pages in private mode and authorises the
//! ballot-entry forms. The cookie never authorises a write to `/api/v1`
//! (those need the header, so that no other site can make a browser
//! write). `POST /dang-xuat` forgets it.

use crate::error::ApiError;
use crate::AppState;
use axum::extract::{FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::{Digest, Sha256};

/// The prefix every token starts with (so that a leaked one is recognisable).
pub const TOKEN_PREFIX: &str = "vbt_";

/// The cookie that carries the token for the pages and the HTML forms.
pub const TOKEN_COOKIE: &str = "vanban_token";

/// How long the cookie lives, in seconds (12 hours).
pub const COOKIE_MAX_AGE: u32 = 43_200;

/// The login page (`GET`) and form (`POST`).
pub const LOGIN_PATH: &str = "/dang-nhap";

/// The logout form (`POST`).
pub const LOGOUT_PATH: &str = "/dang-xuat";

/// At most this many cookies named [`TOKEN_COOKIE`] are tried (an older
/// one with a narrower path may come first).
const MAX_COOKIES_TRIED: usize = 4;

/// Longest accepted token (ours are 68 characters).
const MAX_TOKEN_LEN: usize = 256;

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
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The values of every [`TOKEN_COOKIE`] the request carries, in order.
pub fn cookie_tokens(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .filter(|(name, _)| *name == TOKEN_COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|t| !t.is_empty())
}

/// The first [`TOKEN_COOKIE`] value, if any.
pub fn cookie_token(headers: &HeaderMap) -> Option<&str> {
    cookie_tokens(headers).next()
}

/// A token can only be made of these characters (so that it is a valid
/// cookie value and cannot add attributes to the cookie).
pub fn is_plain_token(token: &str) -> bool {
    !token.is_empty()
        && token.len() <= MAX_TOKEN_LEN
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// True when the request's bearer token is a known one.
pub async fn valid_bearer(state: &AppState, headers: &HeaderMap) -> bool {
    match bearer_token(headers) {
        Some(t) => state.knows_token_hash(&hash(t)).await,
        None => false,
    }
}

/// True when one of the request's token cookies holds a known token.
pub async fn valid_cookie(state: &AppState, headers: &HeaderMap) -> bool {
    for token in cookie_tokens(headers).take(MAX_COOKIES_TRIED) {
        if is_plain_token(token) && state.knows_token_hash(&hash(token)).await {
            return true;
        }
    }
    false
}

/// The `Set-Cookie` value that keeps `token` for the whole site; `None`
/// for a token that is not plain ([`is_plain_token`]).
pub fn login_cookie(token: &str) -> Option<HeaderValue> {
    if !is_plain_token(token) {
        return None;
    }
    HeaderValue::from_str(&format!(
        "{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={COOKIE_MAX_AGE}"
    ))
    .ok()
}

/// The `Set-Cookie` values that forget the token: the site-wide cookie and
/// the one older versions kept for `/bau-cu` only.
pub fn logout_cookies() -> [HeaderValue; 2] {
    [
        HeaderValue::from_static("vanban_token=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
        HeaderValue::from_static(
            "vanban_token=; Path=/bau-cu; HttpOnly; SameSite=Strict; Max-Age=0",
        ),
    ]
}

/// `next` when it is a path on this site (`/…`, not `//…`, no backslash,
/// visible ASCII only), else `/`: a login never sends anyone elsewhere.
pub fn local_path(next: &str) -> &str {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && next
            .bytes()
            .all(|b| (0x21..=0x7e).contains(&b) && b != b'\\');
    if local {
        next
    } else {
        "/"
    }
}

/// A 303 to `location` (a local path; `/` if it is not a valid header).
pub fn see_other(location: &str) -> Response {
    let value = HeaderValue::from_str(local_path(location))
        .unwrap_or_else(|_| HeaderValue::from_static("/"));
    (StatusCode::SEE_OTHER, [(header::LOCATION, value)]).into_response()
}

/// Characters of a path and query kept as they are in `?next=`.
const NEXT_KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// `/dang-nhap?next=…` for a page at `path_and_query`.
pub fn login_url(path_and_query: &str) -> String {
    format!(
        "{LOGIN_PATH}?next={}",
        utf8_percent_encode(path_and_query, NEXT_KEEP)
    )
}

/// Checks the request's bearer token: `Ok(())` for a known token.
async fn check(state: &AppState, parts: &Parts) -> Result<(), ApiError> {
    let Some(token) = bearer_token(&parts.headers) else {
        return Err(ApiError::unauthorized(
            "yêu cầu này cần mã truy cập API (needs an API token): gửi `Authorization: Bearer TOKEN` (tạo mã bằng `vanban token create TÊN`)",
        ));
    };
    if state.knows_token_hash(&hash(token)).await {
        Ok(())
    } else {
        Err(ApiError::unauthorized(
            "mã truy cập API không hợp lệ (the API token is not valid): kiểm tra lại, hoặc tạo mã mới bằng `vanban token create TÊN`",
        ))
    }
}

/// Extractor for handlers that write: rejects the request with 401 unless
/// it carries a known token in the `Authorization` header (never the
/// cookie).
pub struct WriteToken;

impl FromRequestParts<AppState> for WriteToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        check(state, parts).await.map(|()| WriteToken)
    }
}

tokio::task_local! {
    /// Whether the request being answered carries the token cookie (set
    /// by [`private_reads`] around every handler).
    static COOKIE_LOGIN: bool;
}

/// True while answering a request that carries the token cookie (the page
/// header then offers "Đăng xuất"); false outside a request.
pub fn logged_in_by_cookie() -> bool {
    COOKIE_LOGIN.try_with(|v| *v).unwrap_or(false)
}

/// Paths open in private mode: the stylesheet and script, login, logout.
fn always_open(path: &str) -> bool {
    path.starts_with("/static/") || path == LOGIN_PATH || path == LOGOUT_PATH
}

/// Middleware: with `--private`, every request but the stylesheet, the
/// script and the login routes needs a known token, in the `Authorization`
/// header or in the cookie. Without one, the API answers its JSON 401, a
/// page (GET/HEAD) redirects to the login page and comes back after it,
/// and a form sent to a page gets the login form with 401.
pub async fn private_reads(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let has_cookie = cookie_token(request.headers()).is_some();
    let open = !state.config().private
        || request.method() == Method::OPTIONS
        || always_open(request.uri().path());
    if !open
        && !valid_bearer(&state, request.headers()).await
        && !valid_cookie(&state, request.headers()).await
    {
        return refuse(&state, request).await;
    }
    COOKIE_LOGIN.scope(has_cookie, next.run(request)).await
}

/// The answer to a request without a valid token in private mode.
async fn refuse(state: &AppState, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    if path == "/api" || path.starts_with("/api/") {
        let (parts, _) = request.into_parts();
        let error = check(state, &parts).await.err().unwrap_or_else(|| {
            ApiError::unauthorized(
                "yêu cầu này cần mã truy cập API (needs an API token): gửi `Authorization: Bearer TOKEN` (tạo mã bằng `vanban token create TÊN`)",
            )
        });
        return error.into_response();
    }
    if request.method() == Method::GET || request.method() == Method::HEAD {
        let target = request
            .uri()
            .path_and_query()
            .map_or(path.as_str(), |pq| pq.as_str());
        let location = HeaderValue::from_str(&login_url(target))
            .unwrap_or_else(|_| HeaderValue::from_static(LOGIN_PATH));
        return (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
    }
    let body = crate::templates::login_page(
        local_path(&path),
        Some("Cần đăng nhập bằng mã truy cập trước khi gửi biểu mẫu này."),
        true,
    );
    (StatusCode::UNAUTHORIZED, no_store(), body).into_response()
}

/// Login answers must not be cached.
fn no_store() -> [(header::HeaderName, &'static str); 1] {
    [(header::CACHE_CONTROL, "no-store")]
}

/// The fields of a form or query string, in order.
pub(crate) type Fields = Vec<(String, String)>;

/// The first value of the field `name`.
pub(crate) fn field<'a>(fields: &'a Fields, name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// True when a browser says the request comes from another site. Modern
/// browsers say it in `Sec-Fetch-Site` (`cross-site`), which a reverse
/// proxy leaves alone; without it, an `Origin` naming a host other than
/// the one asked (`X-Forwarded-Host`, else `Host`) counts. Clients that
/// send neither header pass.
fn is_cross_site(headers: &HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return site.eq_ignore_ascii_case("cross-site");
    }
    let asked = text("x-forwarded-host")
        .and_then(|h| h.split(',').next())
        .map(str::trim)
        .or_else(|| text("host"));
    match (text("origin"), asked) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => {
            let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            !origin_host.eq_ignore_ascii_case(host)
        }
        _ => false,
    }
}

/// The 403 answer to a login or logout posted from another site (a page
/// elsewhere must not sign a browser in with a token of its choosing).
pub(crate) fn refuse_cross_site(headers: &HeaderMap) -> Option<Response> {
    is_cross_site(headers).then(|| {
        (
            StatusCode::FORBIDDEN,
            no_store(),
            "Yêu cầu đăng nhập/đăng xuất gửi từ một trang web khác nên bị từ chối; hãy mở trang /dang-nhap của máy chủ này và nhập mã ở đó. (A login or logout posted from another site is refused.)",
        )
            .into_response()
    })
}

/// `GET /dang-nhap?next=/path`: the login form.
async fn login_page(State(state): State<AppState>, Query(query): Query<Fields>) -> Response {
    let next = local_path(field(&query, "next").unwrap_or("/"));
    let body = crate::templates::login_page(next, None, state.config().private);
    (StatusCode::OK, no_store(), body).into_response()
}

/// `POST /dang-nhap` (`token`, `next`): a known token is kept in the
/// cookie and the browser goes on to `next` (a local path, else `/`); an
/// unknown one gets the form again with 401.
async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    if let Some(refused) = refuse_cross_site(&headers) {
        return refused;
    }
    let token = field(&fields, "token").unwrap_or("").trim();
    let next = local_path(field(&fields, "next").unwrap_or("/"));
    let cookie = match login_cookie(token) {
        Some(c) if state.knows_token_hash(&hash(token)).await => c,
        _ => {
            let body = crate::templates::login_page(
                next,
                Some("Mã truy cập không đúng. Kiểm tra lại mã (chép đủ cả phần vbt_ ở đầu), hoặc tạo mã mới bằng lệnh vanban token create TÊN."),
                state.config().private,
            );
            return (StatusCode::UNAUTHORIZED, no_store(), body).into_response();
        }
    };
    let mut response = see_other(next);
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    response
}

/// `POST /dang-xuat`: forgets the cookie and goes to the home page.
async fn logout(headers: HeaderMap) -> Response {
    if let Some(refused) = refuse_cross_site(&headers) {
        return refused;
    }
    let mut response = see_other("/");
    for cookie in logout_cookies() {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// The login and logout routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(LOGIN_PATH, get(login_page).post(login))
        .route(LOGOUT_PATH, post(logout))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_posted_from_another_site_are_recognised() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, HeaderValue::from_static(v));
            }
            h
        };
        assert!(!is_cross_site(&headers(&[])));
        assert!(!is_cross_site(&headers(&[("host", "127.0.0.1:8080")])));
        assert!(!is_cross_site(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080"),
            ("sec-fetch-site", "same-origin"),
        ])));
        assert!(is_cross_site(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "https://evil.example"),
        ])));
        assert!(is_cross_site(&headers(&[
            ("origin", "null"),
            ("host", "a")
        ])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(
            refuse_cross_site(&headers(&[("sec-fetch-site", "cross-site")]))
                .is_some_and(|r| r.status() == StatusCode::FORBIDDEN)
        );
    }

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

    #[test]
    fn only_local_paths_are_followed_after_login() {
        for ok in [
            "/",
            "/tinh",
            "/van-ban/126-Q%C4%90%2FTW?x=1&y=2",
            "/bau-cu/ab",
        ] {
            assert_eq!(local_path(ok), ok);
        }
        for bad in [
            "",
            "//evil.example",
            "https://evil.example/",
            "/\\evil.example",
            "\\\\evil.example",
            "/a b",
            "/\r\nSet-Cookie: x=1",
            "/Đ",
            "javascript:alert(1)",
        ] {
            assert_eq!(local_path(bad), "/", "{bad:?}");
        }
    }

    #[test]
    fn the_login_url_encodes_the_whole_target() {
        assert_eq!(
            login_url("/tim-kiem?q=a b&kind=quy_dinh"),
            "/dang-nhap?next=/tim-kiem%3Fq%3Da%20b%26kind%3Dquy_dinh"
        );
        assert_eq!(
            login_url("/van-ban/126-Q%C4%90"),
            "/dang-nhap?next=/van-ban/126-Q%25C4%2590"
        );
    }

    #[test]
    fn cookies_are_read_by_name_and_only_plain_tokens_are_set() {
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            HeaderValue::from_static("theme=x; vanban_token=old; a=b"),
        );
        h.append(header::COOKIE, HeaderValue::from_static("vanban_token=new"));
        assert_eq!(cookie_tokens(&h).collect::<Vec<_>>(), ["old", "new"]);
        assert!(login_cookie("vbt_ab-c").is_some());
        assert!(login_cookie("a; Domain=evil.example").is_none());
        assert!(login_cookie("").is_none());
        let set = login_cookie("vbt_x")
            .and_then(|v| v.to_str().ok().map(str::to_owned))
            .unwrap_or_default();
        assert!(
            set.contains("Path=/;") && set.contains("HttpOnly") && set.contains("SameSite=Strict")
        );
    }
}
