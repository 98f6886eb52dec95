//! Fetching for vanban (tải trang và nguồn tin): pages and feeds over HTTP,
//! politely, returning bodies and their metadata.
//!
//! What it is for:
//! - [`Fetcher`]: a blocking HTTP client (rustls, gzip) that sends one
//!   request at a time and waits at least [`Config::delay`] between two
//!   requests to the same host (longer when robots.txt asks with
//!   `Crawl-delay`), obeys robots.txt (fetched once per host, user-agent
//!   token `vanban`), sends a `User-Agent` naming vanban and a contact URL
//!   ([`user_agent`]), makes conditional GETs ([`Validators`]: ETag,
//!   Last-Modified; a 304 is [`Outcome::NotModified`]), follows redirects
//!   itself (each hop checked against robots.txt, loops named), and caps
//!   time ([`Config::timeout`]) and body size ([`Config::max_bytes`]).
//! - [`parse_feed`]: RSS, Atom and JSON Feed (`feed-rs`) to the items'
//!   pages with their dates.
//! - [`to_utf8`]: a body in its declared charset (header, BOM, `<meta>`;
//!   Windows-1258 included) to UTF-8 bytes for vanban-text.
//! - [`canonical_link`], [`body_kind`]: what a page says about itself.
//! - [`schedule`]: when each source of `vanban watch` is due (intervals,
//!   exponential back-off, `Retry-After`), on a clock the caller gives.
//! - [`FetchError`]: one variant per failure (DNS, refused, TLS, time-out,
//!   4xx/5xx, redirect loop, over the size cap, malformed feed, unknown
//!   charset, robots.txt, …), each message naming the URL, the cause and
//!   what to do.
//!
//! What it must never do: extract, prepare text or write the store (the
//! caller does, with what this crate returns); keep state on disk (the
//! caller persists [`Validators`]); send requests in parallel to one host
//! or ignore robots.txt; follow more than [`Config::max_redirects`]
//! redirects; read more than [`Config::max_bytes`] of a body; panic on any
//! answer.

mod charset;
mod client;
mod error;
mod feed;
mod page;
pub mod schedule;

pub use charset::{content_type_charset, meta_charset, to_utf8};
pub use client::{
    parse_url, user_agent, Config, Fetched, Fetcher, Outcome, Validators, ROBOTS_NAME,
};
pub use error::FetchError;
pub use feed::{parse_feed, FeedItem};
pub use page::{body_kind, canonical_link, BodyKind};
