//! A pool of store connections (r2d2) for the web server: requests take
//! one for the time of their store work, so that one slow or stuck
//! statement holds one connection, not the whole store.
//!
//! Each member is a [`Store`] of its own (its own PostgreSQL connection,
//! or its own SQLite connection to the same file). A member heals itself:
//! a PostgreSQL connection lost under it is replaced on its next use,
//! with back-off while the server stays down (see `pg.rs`), so the pool
//! never throws members away and a request is answered at once (503)
//! while the database is unreachable instead of waiting for a new
//! connection. Filling the pool (at start) is r2d2's, which retries with
//! back-off too.

use crate::{Error, Location, Opener, Result, Store};
use std::sync::Mutex;
use std::time::Duration;

/// How [`StorePool`] opens its members (r2d2's connection manager).
pub struct StoreManager {
    /// The store the pool was made from: its first member.
    first: Mutex<Option<Store>>,
    location: Location,
    opener: Opener,
}

impl r2d2::ManageConnection for StoreManager {
    type Connection = Store;
    type Error = Error;

    fn connect(&self) -> Result<Store> {
        let first = match self.first.lock() {
            Ok(mut f) => f.take(),
            Err(p) => p.into_inner().take(),
        };
        if let Some(store) = first {
            return Ok(store);
        }
        Ok(Store::from_backend((self.opener)()?, self.location.clone()))
    }

    fn is_valid(&self, _store: &mut Store) -> Result<()> {
        Ok(())
    }

    fn has_broken(&self, _store: &mut Store) -> bool {
        // Members reconnect by themselves.
        false
    }
}

/// A pool of connections to one store.
pub struct StorePool {
    pool: r2d2::Pool<StoreManager>,
    location: Location,
    wait: Duration,
}

/// A member of the pool, taken for one piece of work (it goes back when
/// dropped); it dereferences to [`Store`].
pub type PooledStore = r2d2::PooledConnection<StoreManager>;

impl StorePool {
    /// A pool of `size` connections made from `store` (its first member;
    /// the others are opened in the background with the same settings). A
    /// request waits at most `wait` for a free member, then fails with
    /// [`Error::Busy`].
    pub fn new(store: Store, size: u32, wait: Duration) -> StorePool {
        let (location, opener) = store.opener();
        let manager = StoreManager {
            first: Mutex::new(Some(store)),
            location: location.clone(),
            opener,
        };
        let size = size.max(1);
        let pool = r2d2::Pool::builder()
            .max_size(size)
            .min_idle(Some(size))
            .test_on_check_out(false)
            .max_lifetime(None)
            .idle_timeout(None)
            .connection_timeout(wait.max(Duration::from_millis(1)))
            .error_handler(Box::new(r2d2::NopErrorHandler))
            .build_unchecked(manager);
        StorePool {
            pool,
            location,
            wait,
        }
    }

    /// A free member, waiting at most the pool's wait.
    pub fn get(&self) -> Result<PooledStore> {
        self.pool.get().map_err(|e| match e.to_string() {
            // The last attempt to open a member failed: the store cannot
            // be reached (no member could be opened yet).
            m if m.contains(": ") && self.pool.state().connections == 0 => Error::Unavailable(m),
            _ => Error::Busy {
                size: self.pool.max_size(),
                waited_ms: self.wait.as_millis(),
            },
        })
    }

    /// Where the store lives.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// How many members the pool keeps.
    pub fn size(&self) -> u32 {
        self.pool.max_size()
    }
}
