//! `vanban export`: the graph's documents, relations and events as JSON
//! Lines, CSV, or a Graphviz DOT drawing of the relations.
