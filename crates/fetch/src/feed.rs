//! Feeds (RSS 2.0, RSS 1.0, Atom, JSON Feed, by `feed-rs`) to the list of
//! their items' pages, each with the item's date.

use crate::error::FetchError;
use chrono::{FixedOffset, NaiveDate};

/// One feed item: the page to fetch and the date the feed gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedItem {
    /// The item's page, absolute.
    pub url: String,
    /// The item's publication date (else its update date), as a date in
    /// Vietnam's time zone (UTC+7): what a Vietnamese paper prints.
    pub published: Option<NaiveDate>,
    /// The item's title, when it has one.
    pub title: Option<String>,
}

/// The items of a feed that have a link, in feed order (an item without
/// one is skipped: there is no page to fetch), duplicates removed.
/// `url` (the feed's own, final URL) resolves relative links.
pub fn parse_feed(url: &str, body: &[u8]) -> Result<Vec<FeedItem>, FetchError> {
    let parser = feed_rs::parser::Builder::new().base_uri(Some(url)).build();
    let feed = parser.parse(body).map_err(|e| FetchError::MalformedFeed {
        url: url.to_string(),
        reason: e.to_string(),
    })?;
    let vietnam = FixedOffset::east_opt(7 * 3600);
    let base = url::Url::parse(url).ok();
    let mut seen = std::collections::HashSet::new();
    let mut items = Vec::with_capacity(feed.entries.len());
    for entry in feed.entries {
        let link = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or_else(|| entry.links.first());
        let Some(link) = link else { continue };
        let absolute = match &base {
            Some(b) => b.join(link.href.trim()).ok(),
            None => url::Url::parse(link.href.trim()).ok(),
        };
        let Some(absolute) = absolute.filter(|u| matches!(u.scheme(), "http" | "https")) else {
            continue;
        };
        let absolute = absolute.to_string();
        if !seen.insert(absolute.clone()) {
            continue;
        }
        let published = entry
            .published
            .or(entry.updated)
            .and_then(|d| vietnam.map(|tz| d.with_timezone(&tz).date_naive()));
        items.push(FeedItem {
            url: absolute,
            published,
            title: entry.title.map(|t| t.content),
        });
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_items_with_dates_in_vietnam_time() {
        let rss = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Tin</title><link>http://127.0.0.1/</link>
<item><title>Hội nghị</title><link>/tin/1.html</link><pubDate>Thu, 31 Mar 2022 20:00:00 +0000</pubDate></item>
<item><title>Không có liên kết</title></item>
<item><title>Lặp</title><link>http://127.0.0.1/tin/1.html</link></item>
</channel></rss>"#;
        let items = parse_feed("http://127.0.0.1/rss.xml", rss.as_bytes()).unwrap_or_default();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].url, "http://127.0.0.1/tin/1.html");
        // 20:00 UTC is 03:00 the next day in Vietnam.
        assert_eq!(items[0].published, NaiveDate::from_ymd_opt(2022, 4, 1));
    }

    #[test]
    fn atom_and_json_feed() {
        let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>x</id><updated>2022-04-01T00:00:00Z</updated>
<entry><title>A</title><id>a</id><link rel="alternate" href="http://127.0.0.1/a"/><published>2022-04-02T08:00:00+07:00</published><updated>2022-04-03T00:00:00Z</updated></entry>
</feed>"#;
        let items = parse_feed("http://127.0.0.1/atom.xml", atom.as_bytes()).unwrap_or_default();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].published, NaiveDate::from_ymd_opt(2022, 4, 2));
        let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"1","url":"http://127.0.0.1/j","date_published":"2022-04-05T10:00:00+07:00"}]}"#;
        let items = parse_feed("http://127.0.0.1/feed.json", json.as_bytes()).unwrap_or_default();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].url, "http://127.0.0.1/j");
        assert_eq!(items[0].published, NaiveDate::from_ymd_opt(2022, 4, 5));
    }

    #[test]
    fn malformed_is_named() {
        let e = parse_feed(
            "http://127.0.0.1/x.xml",
            b"<rss><channel><item><title>A</ti",
        );
        assert!(matches!(e, Err(FetchError::MalformedFeed { .. })), "{e:?}");
        let e = parse_feed("http://127.0.0.1/x.json", b"{\"items\": [");
        assert!(matches!(e, Err(FetchError::MalformedFeed { .. })), "{e:?}");
    }
}
