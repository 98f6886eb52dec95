//! Admission control (giới hạn tải): at most `max_concurrent` requests are
//! handled at once, at most `max_queue` more wait for a turn, each for at
//! most `queue_wait`; every other request is refused at once with 503 and
//! `Retry-After`. Under a load the server cannot carry it sheds quickly
//! instead of queueing without bound, and it recovers as soon as the load
//! drops (nothing is kept between requests).

use crate::error::{ApiError, RETRY_AFTER_SECONDS};
use crate::AppState;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The limits and the live counts behind them.
pub struct Admission {
    running: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_queue: usize,
    queue_wait: Duration,
}

impl Admission {
    pub fn new(max_concurrent: usize, max_queue: usize, queue_wait: Duration) -> Self {
        Admission {
            running: Arc::new(Semaphore::new(max_concurrent.max(1))),
            waiting: AtomicUsize::new(0),
            max_queue,
            queue_wait,
        }
    }
}

/// When a request arrived, before any wait for its turn (a request
/// extension set by [`admit`]). A handler's own waits (a write's turn at
/// the one writer) take only what is left of the queue wait
/// ([`Arrived::left`]), so that an answered request waited at most the
/// queue wait in all, not the queue wait once for each line it stood in.
#[derive(Clone, Copy, Debug)]
pub struct Arrived(pub std::time::Instant);

impl Arrived {
    /// What is left of `wait` since the request arrived (zero when it is
    /// used up: a lock that is free is still taken at once).
    pub fn left(&self, wait: Duration) -> Duration {
        wait.saturating_sub(self.0.elapsed())
    }
}

/// Decrements the waiting count however the wait ends.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

pub(crate) fn overloaded() -> Response {
    let mut e = ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "overloaded",
        "máy chủ đang quá tải (the server is busy): hãy gửi lại yêu cầu sau giây lát",
    );
    e.retry_after = Some(RETRY_AFTER_SECONDS.min(2));
    e.into_response()
}

/// The middleware: a turn, or 503 at once.
pub async fn admit(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    request
        .extensions_mut()
        .insert(Arrived(std::time::Instant::now()));
    let admission = state.admission();
    let permit = match Arc::clone(&admission.running).try_acquire_owned() {
        Ok(permit) => permit,
        Err(_) => {
            if admission.waiting.fetch_add(1, Ordering::AcqRel) >= admission.max_queue {
                admission.waiting.fetch_sub(1, Ordering::AcqRel);
                return overloaded();
            }
            let _waiting = Waiting(&admission.waiting);
            let turn = tokio::time::timeout(
                admission.queue_wait,
                Arc::clone(&admission.running).acquire_owned(),
            )
            .await;
            match turn {
                Ok(Ok(permit)) => permit,
                _ => return overloaded(),
            }
        }
    };
    let response = next.run(request).await;
    drop(permit);
    response
}
