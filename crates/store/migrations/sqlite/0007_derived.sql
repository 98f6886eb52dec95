-- Version 7: the derived state (src/derived.rs), a cache of what the
-- graph resolves from the facts, partitioned by number key and
-- maintained in each batch's transaction: which sources mention which
-- number, the canonical documents (JSON), and each resolved mention.
-- `derived_state.stale = 1` makes the next writable open rebuild it
-- (a store migrated from an older version, or after a resolver change).

CREATE TABLE derived_keys (
    number_key TEXT NOT NULL,
    source_id  INTEGER NOT NULL REFERENCES sources (id),
    PRIMARY KEY (number_key, source_id)
) WITHOUT ROWID;

CREATE TABLE derived_documents (
    id         TEXT PRIMARY KEY,
    number_key TEXT NOT NULL,
    body       TEXT NOT NULL
);

CREATE INDEX derived_documents_key ON derived_documents (number_key);

CREATE TABLE derived_resolution (
    source_id  INTEGER NOT NULL REFERENCES sources (id),
    idx        INTEGER NOT NULL,
    number_key TEXT NOT NULL,
    document   TEXT NOT NULL,
    PRIMARY KEY (source_id, idx)
);

CREATE INDEX derived_resolution_key ON derived_resolution (number_key);
CREATE INDEX derived_resolution_document ON derived_resolution (document);

CREATE TABLE derived_state (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    stale INTEGER NOT NULL
);

INSERT INTO derived_state (id, stale) VALUES (1, 1);
