-- Version 2: API tokens for the web application's write endpoints. Only a
-- token's SHA-256 is stored, never the token itself.

CREATE TABLE tokens (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    hash    TEXT NOT NULL,
    created TEXT NOT NULL
);

CREATE INDEX tokens_hash ON tokens (hash);
