-- Version 6: the change feed (several servers, one store). Every write
-- that changes what pages show appends one row, in the same transaction,
-- and sends `NOTIFY vanban_changes` (delivered at commit) to wake the
-- servers that LISTEN: `seq` only grows and, since writers of a kind are
-- serialised by a table lock, in commit order; `kind` says what changed
-- (`sources`: a batch of stored texts, ids `first_id..=last_id`), `at`
-- when. A server applies the rows after the last `seq` it applied: it
-- rebuilds its graph and adds those sources to its own search index.

CREATE TABLE changes (
    seq      BIGSERIAL PRIMARY KEY,
    kind     TEXT NOT NULL,
    first_id BIGINT,
    last_id  BIGINT,
    at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
