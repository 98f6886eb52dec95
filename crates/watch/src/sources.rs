//! SOURCES.toml: the feeds and pages to watch, each with its interval
//! (docs/fetch.md).

use serde::Deserialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use vanban_fetch::schedule::parse_interval;

/// The default interval: one hour.
pub const DEFAULT_EVERY: f64 = 3600.0;

/// Why a SOURCES.toml cannot be used (each message names the file).
#[derive(Debug, thiserror::Error)]
pub enum SourcesError {
    #[error("{}: không đọc được tệp (cannot read): {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: tệp nguồn tin không hợp lệ (invalid SOURCES.toml): {reason}", path.display())]
    Invalid { path: PathBuf, reason: String },
    #[error("{}: {what}: every = \"{every}\" không phải khoảng thời gian (not an interval: write 90s, 15m, 2h or 1d)", path.display())]
    Interval {
        path: PathBuf,
        what: String,
        every: String,
    },
    #[error("{}: {reason}", path.display())]
    Url { path: PathBuf, reason: String },
    #[error("{}: không có nguồn nào (no [[source]] with a url)", path.display())]
    Empty { path: PathBuf },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    every: Option<String>,
    #[serde(default)]
    source: Vec<SourceEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceEntry {
    url: String,
    every: Option<String>,
}

/// The sources of a SOURCES.toml, deduplicated by URL: (url, seconds).
pub fn read_sources(path: &Path) -> Result<Vec<(String, f64)>, SourcesError> {
    let text = std::fs::read_to_string(path).map_err(|source| SourcesError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let file: SourcesFile = toml::from_str(&text).map_err(|e| SourcesError::Invalid {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let interval = |every: Option<&str>, what: &str| -> Result<Option<f64>, SourcesError> {
        match every {
            None => Ok(None),
            Some(e) => parse_interval(e)
                .map(Some)
                .ok_or_else(|| SourcesError::Interval {
                    path: path.to_path_buf(),
                    what: what.to_string(),
                    every: e.to_string(),
                }),
        }
    };
    let default = interval(file.every.as_deref(), "every")?.unwrap_or(DEFAULT_EVERY);
    let mut seen = HashSet::new();
    let mut sources = Vec::new();
    for entry in file.source {
        vanban_fetch::parse_url(&entry.url).map_err(|e| SourcesError::Url {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        let every = interval(entry.every.as_deref(), &entry.url)?.unwrap_or(default);
        if seen.insert(entry.url.clone()) {
            sources.push((entry.url, every));
        }
    }
    if sources.is_empty() {
        return Err(SourcesError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(sources)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("nguon.toml");
        let write = |s: &str| std::fs::write(&path, s).expect("write");
        write(
            "every = \"30m\"\n[[source]]\nurl = \"http://127.0.0.1/rss.xml\"\nevery = \"2h\"\n\
             [[source]]\nurl = \"http://127.0.0.1/trang.html\"\n\
             [[source]]\nurl = \"http://127.0.0.1/rss.xml\"\n",
        );
        let got = read_sources(&path).expect("valid");
        assert_eq!(
            got,
            vec![
                ("http://127.0.0.1/rss.xml".to_string(), 7200.0),
                ("http://127.0.0.1/trang.html".to_string(), 1800.0)
            ]
        );
        write("[[source]]\nurl = \"http://127.0.0.1/a\"\nevery = \"mãi mãi\"\n");
        let e = read_sources(&path)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("not an interval"), "{e}");
        write("[[source]]\nurl = \"ftp://x/\"\n");
        assert!(read_sources(&path).is_err());
        write("[[nguon]]\nurl = \"http://127.0.0.1/a\"\n");
        assert!(read_sources(&path).is_err());
        write("");
        assert!(read_sources(&path).is_err());
    }
}
