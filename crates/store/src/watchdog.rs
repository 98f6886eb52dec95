//! Bounds the wait on a PostgreSQL server that stops answering on a
//! connection already open: its processes stopped (`SIGSTOP`, a frozen
//! virtual machine) or a network that drops every packet. Without this a
//! statement waits until TCP gives up (for a stopped process: never, as
//! its kernel still acknowledges every packet), and the statement time-out
//! cannot help, since the server is the one that enforces it.
//!
//! Every operation of the PostgreSQL backend is watched
//! ([`watch`]). One thread checks, every [`TICK`], the operations that have
//! run longer than [`PROBE_AFTER`]: for their server it opens a new
//! connection and reads `pg_stat_activity` ([`PROBE_WAIT`] at most). When
//! the server does not answer that probe, or answers that a watched
//! connection's backend has run its statement for longer than its own
//! statement time-out allows (a stopped backend), the watched connections
//! are shut down (`shutdown(2)` on their socket): the operation fails at
//! once with [`Error::NotAnswering`](crate::Error::NotAnswering), and the
//! connection is opened again on its next use. A server that answers is
//! left alone: a long statement on a live server is the statement
//! time-out's business.
//!
//! The socket of a connection is found once, when it is opened, by the
//! ports the server reports for it (`inet_client_port()`,
//! `inet_server_port()`); a connection over a Unix socket, or through a
//! proxy that changes the ports, is not found and then relies on the TCP
//! settings alone ([`tune`]). Linux only; elsewhere nothing is watched.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// An operation running longer than this has its server probed.
pub(crate) const PROBE_AFTER: Duration = Duration::from_secs(2);
/// How long the probe (a new connection and one query) may take before
/// the server is taken for frozen.
pub(crate) const PROBE_WAIT: Duration = Duration::from_secs(2);
/// How often the watching thread looks at the operations.
const TICK: Duration = Duration::from_millis(200);
/// The least time between two probes of one server.
const PROBE_EVERY: Duration = Duration::from_secs(1);
/// A backend still running its statement this long past its statement
/// time-out is taken for stopped (a live one would have cancelled it).
const STUCK_MARGIN: Duration = Duration::from_secs(3);
/// After a server was found frozen, a new connection to it waits at most
/// this long (instead of its `connect_timeout`) for this long.
pub(crate) const FROZEN_MEMORY: Duration = Duration::from_secs(30);

/// TCP settings for every connection (unless the URL sets them): a
/// network that drops packets closes the connection after about 10 s of
/// unacknowledged data (`tcp_user_timeout`), or 16 s of an idle
/// connection's unanswered keep-alive probes, instead of the system's
/// defaults (15 minutes, 2 hours).
pub(crate) fn tune(config: &mut postgres::Config) {
    if config.get_tcp_user_timeout().is_none() {
        config.tcp_user_timeout(Duration::from_secs(10));
    }
    if config.get_keepalives() && config.get_keepalives_idle() == Duration::from_secs(2 * 60 * 60) {
        config.keepalives_idle(Duration::from_secs(10));
    }
    if config.get_keepalives_interval().is_none() {
        config.keepalives_interval(Duration::from_secs(2));
    }
    if config.get_keepalives_retries().is_none() {
        config.keepalives_retries(3);
    }
}

/// One PostgreSQL server (database and user) as the watchdog knows it: how
/// to probe it.
pub(crate) struct Server {
    key: String,
    config: postgres::Config,
}

impl Server {
    pub(crate) fn new(config: &postgres::Config) -> Arc<Server> {
        let mut config = config.clone();
        config.connect_timeout(PROBE_WAIT);
        config.application_name("vanban-probe");
        let key = format!(
            "{:?} {:?} {:?} {:?}",
            config.get_hosts(),
            config.get_ports(),
            config.get_dbname(),
            config.get_user()
        );
        Arc::new(Server { key, config })
    }

    /// When this server was last found frozen, if within
    /// [`FROZEN_MEMORY`].
    pub(crate) fn frozen_recently(&self) -> bool {
        let state = lock(&state().probes);
        state
            .get(&self.key)
            .and_then(|p| p.frozen_at)
            .is_some_and(|at| at.elapsed() < FROZEN_MEMORY)
    }
}

/// The socket of one connection, and its backend's process id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Conn {
    fd: i32,
    local: SocketAddr,
    peer: SocketAddr,
    pid: i32,
}

/// Finds the socket of `client`'s connection (see the module's notes);
/// `None` when it cannot be told (not TCP, a proxy, not Linux).
pub(crate) fn identify(client: &mut postgres::Client) -> Option<Conn> {
    let row = client
        .query_one(
            "SELECT pg_backend_pid(), inet_client_port(), inet_server_port()",
            &[],
        )
        .ok()?;
    let pid: i32 = row.try_get(0).ok()?;
    let client_port: Option<i32> = row.try_get(1).ok()?;
    let server_port: Option<i32> = row.try_get(2).ok()?;
    let local = u16::try_from(client_port?).ok()?;
    let remote = u16::try_from(server_port?).ok()?;
    find_socket(local, remote).map(|(fd, local, peer)| Conn {
        fd,
        local,
        peer,
        pid,
    })
}

#[cfg(target_os = "linux")]
fn dup_socket(fd: i32) -> Option<socket2::Socket> {
    use std::os::fd::BorrowedFd;
    // SAFETY: the descriptor is only used to duplicate it (one `fcntl`);
    // one closed meanwhile makes that fail with EBADF. What the duplicate
    // is, is checked by its addresses before anything is done with it.
    let owned = unsafe { BorrowedFd::borrow_raw(fd) }
        .try_clone_to_owned()
        .ok()?;
    Some(socket2::Socket::from(owned))
}

#[cfg(target_os = "linux")]
fn addresses(socket: &socket2::Socket) -> Option<(SocketAddr, SocketAddr)> {
    let local = socket.local_addr().ok()?.as_socket()?;
    let peer = socket.peer_addr().ok()?.as_socket()?;
    Some((local, peer))
}

#[cfg(target_os = "linux")]
fn find_socket(local_port: u16, peer_port: u16) -> Option<(i32, SocketAddr, SocketAddr)> {
    for entry in std::fs::read_dir("/proc/self/fd").ok()?.flatten() {
        let Some(fd) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
            continue;
        };
        let is_socket = std::fs::read_link(entry.path())
            .is_ok_and(|l| l.to_string_lossy().starts_with("socket:"));
        if !is_socket {
            continue;
        }
        let Some((local, peer)) = dup_socket(fd).as_ref().and_then(addresses) else {
            continue;
        };
        if local.port() == local_port && peer.port() == peer_port {
            return Some((fd, local, peer));
        }
    }
    None
}

#[cfg(not(target_os = "linux"))]
fn find_socket(_local_port: u16, _peer_port: u16) -> Option<(i32, SocketAddr, SocketAddr)> {
    None
}

/// Shuts the connection's socket down, when the descriptor still is that
/// socket.
#[cfg(target_os = "linux")]
pub(crate) fn shut(conn: &Conn) {
    if let Some(socket) = dup_socket(conn.fd) {
        if addresses(&socket) == Some((conn.local, conn.peer)) {
            let _ = socket.shutdown(std::net::Shutdown::Both);
        }
    }
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn shut(_conn: &Conn) {}

struct Watch {
    started: Instant,
    server: Arc<Server>,
    conns: Vec<Conn>,
    statement_timeout: Duration,
    /// Why the watchdog shut the connections down.
    fired: Option<String>,
}

/// What a probe found.
enum Verdict {
    /// The server answered: how long each asked backend has been running
    /// its statement.
    Answered(HashMap<i32, f64>),
    /// It did not answer (why).
    Silent(String),
}

#[derive(Default)]
struct Probe {
    /// A probe under way: when it started, and where it answers.
    pending: Option<(Instant, mpsc::Receiver<Verdict>)>,
    /// The last answer and when its probe started.
    last: Option<(Instant, Verdict)>,
    frozen_at: Option<Instant>,
}

struct State {
    watches: Mutex<HashMap<u64, Watch>>,
    probes: Mutex<HashMap<String, Probe>>,
    next: AtomicU64,
}

fn state() -> &'static State {
    static STATE: OnceLock<State> = OnceLock::new();
    STATE.get_or_init(|| {
        let _ = std::thread::Builder::new()
            .name("vanban-pg-watchdog".into())
            .spawn(|| loop {
                std::thread::sleep(TICK);
                tick();
            });
        State {
            watches: Mutex::new(HashMap::new()),
            probes: Mutex::new(HashMap::new()),
            next: AtomicU64::new(1),
        }
    })
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

/// An operation being watched; it is no longer when dropped.
pub(crate) struct Watched {
    id: u64,
}

/// Watches an operation on `conns` (the backend's connection, and any
/// other it opens for the operation, see [`Watched::add`]).
pub(crate) fn watch(
    server: &Arc<Server>,
    conn: Option<Conn>,
    statement_timeout: Duration,
) -> Watched {
    let state = state();
    let id = state.next.fetch_add(1, Ordering::Relaxed);
    lock(&state.watches).insert(
        id,
        Watch {
            started: Instant::now(),
            server: Arc::clone(server),
            conns: conn.into_iter().collect(),
            statement_timeout,
            fired: None,
        },
    );
    Watched { id }
}

impl Watched {
    /// Watches one more connection for this operation.
    pub(crate) fn add(&self, conn: Option<Conn>) {
        if let Some(conn) = conn {
            if let Some(w) = lock(&state().watches).get_mut(&self.id) {
                w.conns.push(conn);
            }
        }
    }

    /// Why the watchdog shut the operation's connections down, if it did.
    pub(crate) fn fired(&self) -> Option<String> {
        lock(&state().watches)
            .get(&self.id)
            .and_then(|w| w.fired.clone())
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        lock(&state().watches).remove(&self.id);
    }
}

/// Runs one probe of `server` (on the calling thread), asking about
/// `pids`.
fn probe(server: &Server, pids: &[i32]) -> Verdict {
    let mut client = match server.config.connect(postgres::NoTls) {
        Ok(c) => c,
        // The server answered, with a refusal (too many connections, a
        // password): it is alive.
        Err(e) if e.code().is_some() => return Verdict::Answered(HashMap::new()),
        Err(e) => return Verdict::Silent(format!("a new connection failed ({e})")),
    };
    let wait = PROBE_WAIT.as_millis();
    if let Err(e) = client.batch_execute(&format!("SET statement_timeout = {wait}")) {
        return Verdict::Silent(format!("a new connection failed ({e})"));
    }
    let rows = client.query(
        "SELECT pid, EXTRACT(EPOCH FROM clock_timestamp() - query_start)::float8
         FROM pg_stat_activity WHERE pid = ANY($1) AND state = 'active'",
        &[&pids],
    );
    match rows {
        Ok(rows) => Verdict::Answered(
            rows.iter()
                .filter_map(|r| Some((r.try_get(0).ok()?, r.try_get::<_, Option<f64>>(1).ok()??)))
                .collect(),
        ),
        Err(e) if e.code().is_some() => Verdict::Answered(HashMap::new()),
        Err(e) => Verdict::Silent(format!("a new connection failed ({e})")),
    }
}

/// One look at the watched operations.
fn tick() {
    let state = state();
    let now = Instant::now();
    // The servers with an operation past PROBE_AFTER, and their backends.
    let mut due: HashMap<String, (Arc<Server>, Vec<i32>)> = HashMap::new();
    for w in lock(&state.watches).values() {
        if w.fired.is_none() && !w.conns.is_empty() && now - w.started >= PROBE_AFTER {
            let entry = due
                .entry(w.server.key.clone())
                .or_insert_with(|| (Arc::clone(&w.server), Vec::new()));
            entry.1.extend(w.conns.iter().map(|c| c.pid));
        }
    }
    for (key, (server, pids)) in due {
        let mut probes = lock(&state.probes);
        let p = probes.entry(key.clone()).or_default();
        // Take the answer of the probe under way, if it came.
        let mut silent_since = None;
        if let Some((asked, receiver)) = p.pending.take() {
            match receiver.try_recv() {
                Ok(verdict) => p.last = Some((asked, verdict)),
                Err(mpsc::TryRecvError::Empty) => {
                    if now - asked >= PROBE_WAIT {
                        silent_since = Some(asked);
                    }
                    p.pending = Some((asked, receiver));
                }
                Err(mpsc::TryRecvError::Disconnected) => {}
            }
        }
        let last_asked = p.last.as_ref().map(|(at, _)| *at);
        if p.pending.is_none() && last_asked.is_none_or(|at| now - at >= PROBE_EVERY) {
            let (send, receive) = mpsc::channel();
            let for_probe = Arc::clone(&server);
            let spawned = std::thread::Builder::new()
                .name("vanban-pg-probe".into())
                .spawn(move || {
                    let _ = send.send(probe(&for_probe, &pids));
                });
            if spawned.is_ok() {
                p.pending = Some((now, receive));
            }
        }
        // What to shut down: every due operation of a silent server; on
        // one that answered, those whose backend is stuck.
        let silent = match (&silent_since, &p.last) {
            (Some(asked), _) => Some((
                *asked,
                format!(
                    "no answer to a new connection within {} s",
                    PROBE_WAIT.as_secs()
                ),
            )),
            (None, Some((asked, Verdict::Silent(why)))) => Some((*asked, why.clone())),
            _ => None,
        };
        if silent.is_some() {
            p.frozen_at = Some(now);
        }
        let running = match &p.last {
            Some((asked, Verdict::Answered(running))) => Some((*asked, running.clone())),
            _ => None,
        };
        drop(probes);
        let mut watches = lock(&state.watches);
        for w in watches.values_mut() {
            if w.server.key != key || w.fired.is_some() || now - w.started < PROBE_AFTER {
                continue;
            }
            let why = if let Some((asked, why)) = &silent {
                // A probe that began before the operation says nothing
                // about it, unless it still has not answered.
                (silent_since.is_some() || *asked >= w.started).then(|| {
                    format!(
                        "{} s without an answer on an open connection, and {why}",
                        (now - w.started).as_secs()
                    )
                })
            } else if let Some((asked, running)) = &running {
                let limit = (w.statement_timeout + STUCK_MARGIN).as_secs_f64();
                (*asked >= w.started)
                    .then(|| w.conns.iter().find_map(|c| running.get(&c.pid).filter(|&&s| s > limit)))
                    .flatten()
                    .map(|s| {
                        format!(
                            "its backend has run one statement for {s:.0} s, past its statement time-out ({} s): the backend process does not run",
                            w.statement_timeout.as_secs()
                        )
                    })
            } else {
                None
            };
            if let Some(why) = why {
                for c in &w.conns {
                    shut(c);
                }
                w.fired = Some(why);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcp_settings_are_set_unless_the_url_sets_them() {
        let mut config: postgres::Config = "postgres://u@h/db".parse().expect("url");
        tune(&mut config);
        assert_eq!(
            config.get_tcp_user_timeout(),
            Some(&Duration::from_secs(10))
        );
        assert_eq!(config.get_keepalives_idle(), Duration::from_secs(10));
        assert_eq!(
            config.get_keepalives_interval(),
            Some(Duration::from_secs(2))
        );
        assert_eq!(config.get_keepalives_retries(), Some(3));

        let mut config: postgres::Config =
            "postgres://u@h/db?keepalives_idle=30&tcp_user_timeout=20&keepalives_retries=5"
                .parse()
                .expect("url");
        tune(&mut config);
        assert_eq!(
            config.get_tcp_user_timeout(),
            Some(&Duration::from_secs(20))
        );
        assert_eq!(config.get_keepalives_idle(), Duration::from_secs(30));
        assert_eq!(config.get_keepalives_retries(), Some(5));
    }
}
