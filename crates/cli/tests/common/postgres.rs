//! A throwaway PostgreSQL server for one CLI test (`scripts/ci-postgres.sh`),
//! for the tests that stop and start it (faults, cluster).

use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The repository's root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A PostgreSQL server for this test alone; stopped and removed on drop.
pub struct Postgres {
    pub url: String,
    pub dir: String,
}

impl Postgres {
    /// Starts one; `None` when the script cannot (no PostgreSQL here).
    pub fn start() -> Option<Postgres> {
        let out = Command::new("bash")
            .arg(repo().join("scripts/ci-postgres.sh"))
            .stderr(Stdio::inherit())
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let value = |key: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("export {key}=")))
                .map(str::to_owned)
        };
        Some(Postgres {
            url: value("VANBAN_TEST_POSTGRES_URL")?,
            dir: value("VANBAN_TEST_POSTGRES_DIR")?,
        })
    }

    /// `pause` (stop, keep the data) or `resume` (start again, same port);
    /// the script's output is shown only when it fails.
    pub fn control(&self, what: &str) {
        let out = Command::new("bash")
            .arg(repo().join("scripts/ci-postgres.sh"))
            .args([what, &self.dir])
            .stdin(Stdio::null())
            .output();
        let ok = out.as_ref().is_ok_and(|o| o.status.success());
        assert!(
            ok,
            "ci-postgres.sh {what} failed: {}",
            out.map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
                .unwrap_or_else(|e| e.to_string())
        );
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(repo().join("scripts/ci-postgres.sh"))
            .args(["stop", &self.dir])
            .status();
    }
}
