//! Where the knowledge base lives: the global `--data DIR` / `--database URL`
//! options (shared/contract/kb.md), and opening the store and search index.

use std::path::PathBuf;

/// Global options naming the store.
#[derive(clap::Args, Debug, Clone)]
pub struct StoreArgs {
    /// The embedded store's directory [default: the platform data directory,
    /// ~/.local/share/vanban]. The search index lives here too.
    #[arg(long, global = true, env = "VANBAN_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// A PostgreSQL server instead of the embedded store
    /// (postgres://user:password@host:port/database).
    #[arg(long, global = true, env = "VANBAN_DATABASE_URL", value_name = "URL")]
    pub database: Option<String>,
}
