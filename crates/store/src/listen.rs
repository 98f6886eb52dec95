//! Waking up when another process changed the store (the change feed's
//! `LISTEN vanban_changes` on PostgreSQL): several servers on one database
//! learn of each other's writes at once instead of at their next poll.
//!
//! A listener is its own connection, apart from the store's. What changed
//! is always read from the `changes` table ([`crate::Backend::changes_since`]);
//! a notification only says "look now", so a lost one costs latency (the
//! caller also polls), never a change.

use crate::{Error, Result, CHANGES_CHANNEL};
use postgres::fallible_iterator::FallibleIterator;
use postgres::Client;
use std::time::{Duration, Instant};

/// How often an idle listener checks that its connection still works (a
/// server that vanished without closing it is noticed within this).
const CHECK_EVERY: Duration = Duration::from_secs(5);

/// A connection that listens on [`CHANGES_CHANNEL`].
pub struct ChangeListener {
    client: Client,
    checked: Instant,
}

impl ChangeListener {
    /// Connects to the PostgreSQL server at `url` (giving up after
    /// `timeout`) and starts listening. A server that cannot be reached is
    /// [`Error::Unavailable`]: try again later.
    pub fn connect(url: &str, timeout: Duration) -> Result<ChangeListener> {
        let mut config: postgres::Config =
            url.parse().map_err(|e: postgres::Error| Error::BadUrl {
                url: crate::pg::redact(url),
                reason: e.to_string(),
            })?;
        config.connect_timeout(timeout);
        config.application_name("vanban-listen");
        crate::watchdog::tune(&mut config);
        let mut client = crate::pg::connect_within(&config).map_err(Error::Unavailable)?;
        client.batch_execute(&format!("LISTEN {CHANGES_CHANNEL}"))?;
        Ok(ChangeListener {
            client,
            checked: Instant::now(),
        })
    }

    /// Waits at most `timeout` for notifications: `Ok(true)` when at least
    /// one came (all pending ones are taken), `Ok(false)` when none did.
    /// An error means the connection is lost: connect a new listener.
    pub fn wait(&mut self, timeout: Duration) -> Result<bool> {
        {
            let mut notifications = self.client.notifications();
            let first = notifications.timeout_iter(timeout).next()?;
            if first.is_some() {
                while notifications.iter().next()?.is_some() {}
                return Ok(true);
            }
        }
        if self.client.is_closed() {
            return Err(Error::Unavailable(
                "the listening connection was closed".into(),
            ));
        }
        if self.checked.elapsed() >= CHECK_EVERY {
            self.client.is_valid(timeout.max(Duration::from_secs(1)))?;
            self.checked = Instant::now();
        }
        Ok(false)
    }
}
