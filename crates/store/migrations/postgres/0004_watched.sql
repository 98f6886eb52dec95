-- Version 4: the sources a watcher follows (`vanban watch`, `vanban serve
-- --watch`, `POST /api/v1/watch`), one row per URL: its interval in
-- seconds, where it came from (`file`: a SOURCES.toml, `api`: added
-- through the API), and its schedule as the watcher left it, so that a
-- restarted watcher keeps its back-off: the last attempt, when it is due
-- next, failures in a row and the last error. Times are RFC 3339, UTC, as
-- text (the same on both backends).

CREATE TABLE watched (
    url           TEXT PRIMARY KEY,
    every_seconds BIGINT NOT NULL,
    origin        TEXT NOT NULL,
    added_at      TEXT NOT NULL,
    last_fetch    TEXT,
    next_due      TEXT,
    failures      BIGINT NOT NULL DEFAULT 0,
    last_error    TEXT
);
