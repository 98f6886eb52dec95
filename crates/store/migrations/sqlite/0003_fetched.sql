-- Version 3: what `vanban fetch` fetched, one row per URL as asked for (a
-- page, a feed, a feed item's link): the conditional-GET validators for the
-- next run, the stored source's URL (canonical link or final URL) and
-- content hash, the page's publication date and the fetch time (RFC 3339,
-- UTC). A feed's row has no hash.

CREATE TABLE fetched (
    url           TEXT PRIMARY KEY,
    source        TEXT NOT NULL,
    hash          TEXT,
    etag          TEXT,
    last_modified TEXT,
    published     TEXT,
    fetched_at    TEXT NOT NULL
);

CREATE INDEX fetched_hash ON fetched (hash);
