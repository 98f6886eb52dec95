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
    #[allow(dead_code)]
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

/// A PostgreSQL server whose processes are stopped (`SIGSTOP`): it
/// accepts TCP connections (the kernel does) and answers nothing, as a
/// frozen machine does. Its processes go on (`SIGCONT`) on drop.
#[allow(dead_code)]
pub struct Frozen {
    pids: Vec<u32>,
}

#[allow(dead_code)]
impl Postgres {
    /// The server's processes: the postmaster and its children.
    fn processes(&self) -> Vec<u32> {
        let pidfile = std::fs::read_to_string(format!("{}/data/postmaster.pid", self.dir))
            .expect("postmaster.pid");
        let postmaster: u32 = pidfile
            .lines()
            .next()
            .and_then(|l| l.trim().parse().ok())
            .expect("the postmaster's pid");
        let mut pids = vec![postmaster];
        for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            // The parent is the second field after the command's `)`.
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            let parent = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            if parent == Some(postmaster) {
                pids.push(pid);
            }
        }
        pids
    }

    /// Stops every process of the server (`SIGSTOP`), the postmaster
    /// first (so that it forks no new one).
    pub fn freeze(&self) -> Frozen {
        let pids = self.processes();
        // A backend may end meanwhile (another client leaving): only the
        // postmaster must be stopped for sure.
        let stopped: Vec<u32> = pids
            .iter()
            .copied()
            .filter(|&p| signal("STOP", &[p]))
            .collect();
        let frozen = Frozen { pids: stopped };
        assert!(
            frozen.pids.first() == pids.first(),
            "kill -STOP of the postmaster {pids:?}"
        );
        frozen
    }
}

/// `kill -NAME pids` (the shell's, present wherever `sh` is): whether it
/// worked.
fn signal(name: &str, pids: &[u32]) -> bool {
    Command::new("sh")
        .args(["-c", &format!("kill -{name} \"$@\""), "sh"])
        .args(pids.iter().map(u32::to_string))
        .status()
        .is_ok_and(|s| s.success())
}

impl Drop for Frozen {
    fn drop(&mut self) {
        let _ = signal("CONT", &self.pids);
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
