-- Version 5: what is expected of a document and by when (`vanban track`,
-- `POST /api/v1/documents/{ref}/expectations`): the document (its
-- canonical id), the stage (disseminated, trained, plan_issued,
-- interim_review, final_review), either an absolute deadline (`deadline`,
-- ISO date) or a number of days from the document's own date
-- (`within_days`), exactly one of the two; the provinces in scope (one
-- name a line, empty: every province), who set it (the token's name) and
-- when (RFC 3339, UTC, as text), and an optional note. Ids are never
-- reused, so that removing one by id cannot hit a newer one.

CREATE TABLE expectations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    document    TEXT NOT NULL,
    stage       TEXT NOT NULL,
    deadline    TEXT,
    within_days INTEGER,
    provinces   TEXT NOT NULL DEFAULT '',
    set_by      TEXT NOT NULL,
    set_at      TEXT NOT NULL,
    note        TEXT,
    CHECK ((deadline IS NULL) <> (within_days IS NULL))
);

CREATE INDEX expectations_document ON expectations (document);
