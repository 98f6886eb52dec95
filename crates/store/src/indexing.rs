//! Feeding the search index (`vanban-search`) from the graph and the stored
//! texts: used by `vanban ingest`, `vanban reindex`, the web application's
//! uploads and `vanban demo`.
