//! Versioned schema migrations for both backends.
