-- Version 1: the ingested sources (nguồn) and the facts extracted from them.
-- Dates are ISO 'YYYY-MM-DD' text; lists (spans, positions, document
-- indexes) are JSON arrays; kinds are the contract's codes.

CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    hash        TEXT    NOT NULL UNIQUE,
    source      TEXT    NOT NULL,
    published   TEXT,
    title       TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    bytes       INTEGER NOT NULL,
    ingested_at TEXT    NOT NULL
);

-- Loading every source's facts reads this index instead of the texts.
CREATE INDEX sources_without_text ON sources (id, hash, source, published, title);

-- One row per document a source mentions (before resolution), in the
-- extraction's order; spans is [[start, end], ...] into the source's text.
CREATE TABLE documents (
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    idx       INTEGER NOT NULL,
    kind      TEXT    NOT NULL,
    number    TEXT,
    symbol    TEXT,
    year      INTEGER,
    date      TEXT,
    issuer    TEXT,
    title     TEXT,
    spans     TEXT    NOT NULL,
    excerpt   TEXT    NOT NULL,
    PRIMARY KEY (source_id, idx)
) WITHOUT ROWID;

CREATE TABLE relations (
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    idx       INTEGER NOT NULL,
    type      TEXT    NOT NULL,
    from_idx  INTEGER NOT NULL,
    to_idx    INTEGER NOT NULL,
    PRIMARY KEY (source_id, idx),
    FOREIGN KEY (source_id, from_idx) REFERENCES documents (source_id, idx),
    FOREIGN KEY (source_id, to_idx) REFERENCES documents (source_id, idx)
) WITHOUT ROWID;

CREATE TABLE events (
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    idx       INTEGER NOT NULL,
    type      TEXT    NOT NULL,
    date      TEXT,
    end_date  TEXT,
    province  TEXT,
    organizer TEXT,
    documents TEXT    NOT NULL,
    PRIMARY KEY (source_id, idx)
) WITHOUT ROWID;

CREATE TABLE officials (
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    idx       INTEGER NOT NULL,
    name      TEXT    NOT NULL,
    positions TEXT    NOT NULL,
    PRIMARY KEY (source_id, idx)
) WITHOUT ROWID;
