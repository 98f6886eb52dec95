-- Version 8: the canonical relations in the derived state (src/derived.rs),
-- so that a write's summary and the search index's update need no graph of
-- the whole store: one row per relation between canonical documents (kind,
-- acting document, document acted upon), with the number keys of both
-- ends. A batch re-derives the rows with an end in the numbers it touched.
-- The derived state is marked stale: the next writable open rebuilds it.

CREATE TABLE derived_relations (
    kind     TEXT NOT NULL,
    from_doc TEXT NOT NULL,
    to_doc   TEXT NOT NULL,
    from_key TEXT NOT NULL,
    to_key   TEXT NOT NULL,
    PRIMARY KEY (kind, from_doc, to_doc)
);

CREATE INDEX derived_relations_from_key ON derived_relations (from_key);
CREATE INDEX derived_relations_to_key ON derived_relations (to_key);

UPDATE derived_state SET stale = 1 WHERE id = 1;
