-- Version 6: the change feed (several servers, one store). Every write
-- that changes what pages show appends one row, in the same transaction:
-- `seq` only grows (AUTOINCREMENT never reuses a number), `kind` says what
-- changed (`sources`: a batch of stored texts, ids `first_id..=last_id`),
-- `at` when (RFC 3339, UTC). A server applies the rows after the last
-- `seq` it applied: it rebuilds its graph and adds those sources to its
-- own search index.

CREATE TABLE changes (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    kind     TEXT NOT NULL,
    first_id INTEGER,
    last_id  INTEGER,
    at       TEXT NOT NULL
);
