//! Where the knowledge base lives: the global `--data DIR` / `--database URL`
//! options (docs/knowledge-base-json.md), and opening the store and search index.
//!
//! The data directory (thư mục dữ liệu) holds the embedded store
//! (`DATA/vanban.sqlite3`) and the search index (`DATA/index`); with
//! `--database` the store is on the PostgreSQL server and the data directory
//! keeps only the search index.

use anyhow::Context;
use std::path::{Path, PathBuf};
use vanban_search::SearchIndex;
use vanban_store::{Location, Store};

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

/// Name of the search index's directory inside the data directory.
pub const INDEX_DIR: &str = "index";

impl StoreArgs {
    /// The data directory: `--data`, else `$XDG_DATA_HOME/vanban`, else
    /// `~/.local/share/vanban`.
    pub fn data_dir(&self) -> anyhow::Result<PathBuf> {
        if let Some(dir) = &self.data {
            return Ok(dir.clone());
        }
        if let Some(xdg) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
            let xdg = PathBuf::from(xdg);
            if xdg.is_absolute() {
                return Ok(xdg.join("vanban"));
            }
        }
        match std::env::var_os("HOME").filter(|v| !v.is_empty()) {
            Some(home) => Ok(PathBuf::from(home).join(".local/share/vanban")),
            None => anyhow::bail!(
                "không tìm thấy thư mục dữ liệu: HOME is not set; name the data directory with --data DIR (or VANBAN_DATA)"
            ),
        }
    }

    /// Where the store lives: `--database` (PostgreSQL) or the data directory.
    pub fn location(&self) -> anyhow::Result<Location> {
        match self.database.as_deref().map(str::trim) {
            Some(url) if !url.is_empty() => {
                if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                    anyhow::bail!(
                        "--database phải là một địa chỉ PostgreSQL (a PostgreSQL URL: postgres://user:password@host:port/database), nhận được `{}`; bỏ tuỳ chọn này để dùng kho dữ liệu nhúng trong --data",
                        redact(url)
                    );
                }
                Ok(Location::Postgres(url.to_owned()))
            }
            _ => Ok(Location::Embedded(self.data_dir()?)),
        }
    }

    /// The search index's directory (`DATA/index`, also with `--database`).
    pub fn index_dir(&self) -> anyhow::Result<PathBuf> {
        Ok(self.data_dir()?.join(INDEX_DIR))
    }

    /// Opens (creating and migrating as needed) the store.
    pub fn open_store(&self) -> anyhow::Result<Store> {
        let location = self.location()?;
        Ok(Store::open(&location)?)
    }

    /// Opens the store only if it already exists (reading commands must not
    /// create an empty store by mistake): `None` for a data directory
    /// without a store. A PostgreSQL store is always opened.
    pub fn open_existing_store(&self) -> anyhow::Result<Option<Store>> {
        let location = self.location()?;
        if let Location::Embedded(dir) = &location {
            if !dir.join("vanban.sqlite3").exists() {
                return Ok(None);
            }
        }
        Ok(Some(Store::open(&location)?))
    }
}

/// Opens the search index in `dir`, or `None` when there is none yet.
pub fn open_index(dir: &Path) -> anyhow::Result<Option<SearchIndex>> {
    if dir.exists() && !dir.is_dir() {
        return Err(vanban_search::Error::Gone {
            dir: dir.to_path_buf(),
            reason: "a file is there instead of the folder".into(),
        }
        .into());
    }
    if !dir.join("meta.json").exists() {
        return Ok(None);
    }
    let index = SearchIndex::open(dir)?;
    Ok(Some(index))
}

/// The message for a data directory that holds no knowledge base yet.
pub fn no_store_message(args: &StoreArgs) -> String {
    let dir = args
        .data_dir()
        .map(|d| d.display().to_string())
        .unwrap_or_else(|_| "--data".into());
    format!(
        "chưa có cơ sở dữ liệu trong {dir} (no knowledge base there yet): ingest texts first with `vanban ingest PATH...`, or name the right one with --data / --database"
    )
}

/// A directory beside `dir` for building a replacement (`index.new`), removed
/// first if an earlier attempt left it.
pub fn fresh_sibling(dir: &Path, suffix: &str) -> anyhow::Result<PathBuf> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| INDEX_DIR.into());
    let sibling = dir.with_file_name(format!("{name}.{suffix}"));
    if sibling.exists() {
        let removed = if sibling.is_dir() {
            std::fs::remove_dir_all(&sibling)
        } else {
            // A file put in the index's place once, moved aside.
            std::fs::remove_file(&sibling)
        };
        removed.with_context(|| {
            format!(
                "không xoá được {} do lần chạy trước để lại (cannot remove it); hãy xoá nó bằng tay",
                sibling.display()
            )
        })?;
    }
    Ok(sibling)
}

/// Replaces the directory `dir` by `fresh` (built beside it): `dir` is moved
/// aside, `fresh` renamed into place, the old one removed. If the rename
/// fails the old index is put back, so a failed swap leaves it usable.
pub fn swap_in(fresh: &Path, dir: &Path) -> anyhow::Result<()> {
    let old = fresh_sibling(dir, "old")?;
    let had_old = dir.exists();
    if had_old {
        std::fs::rename(dir, &old).with_context(|| {
            format!(
                "không dời được chỉ mục tìm kiếm cũ {} sang bên (cannot move the old search index aside); kiểm tra quyền của thư mục",
                dir.display()
            )
        })?;
    }
    if let Err(e) = std::fs::rename(fresh, dir) {
        if had_old {
            let _ = std::fs::rename(&old, dir);
        }
        return Err(e).with_context(|| {
            format!(
                "không đặt được chỉ mục tìm kiếm mới {} vào chỗ (cannot move the new search index into place); chỉ mục cũ vẫn dùng được: kiểm tra quyền của thư mục rồi chạy `vanban reindex`",
                fresh.display()
            )
        });
    }
    if had_old {
        let _ = if old.is_dir() {
            std::fs::remove_dir_all(&old)
        } else {
            std::fs::remove_file(&old)
        };
    }
    Ok(())
}

/// Today's date (UTC), the default `--as-of`.
pub fn today() -> chrono::NaiveDate {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|epoch| epoch.checked_add_days(chrono::Days::new(days)))
        .unwrap_or_default()
}

/// A PostgreSQL URL without its password, for messages.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (auth, host) = match rest.rsplit_once('@') {
        Some((auth, host)) => (auth, host),
        None => return url.to_owned(),
    };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(
            redact("postgres://vb:secret@db:5432/x"),
            "postgres://vb:***@db:5432/x"
        );
        assert_eq!(redact("postgres://db/x"), "postgres://db/x");
    }

    #[test]
    fn the_store_follows_the_options() {
        let args = StoreArgs {
            data: Some(PathBuf::from("/tmp/kb")),
            database: None,
        };
        assert_eq!(
            args.location().ok(),
            Some(Location::Embedded(PathBuf::from("/tmp/kb")))
        );
        assert_eq!(args.index_dir().ok(), Some(PathBuf::from("/tmp/kb/index")));
        let args = StoreArgs {
            data: Some(PathBuf::from("/tmp/kb")),
            database: Some("postgres://127.0.0.1:1/x".into()),
        };
        assert_eq!(
            args.location().ok(),
            Some(Location::Postgres("postgres://127.0.0.1:1/x".into()))
        );
        let args = StoreArgs {
            data: None,
            database: Some("mysql://x".into()),
        };
        assert!(args.location().is_err());
    }
}
