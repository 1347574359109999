//! Which failures are retried, and how long to wait between attempts.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::error::{Error, ResponseErrorKind, ServiceErrorKind, TransportErrorKind};

/// How often and how patiently to retry.
///
/// Throttling, 5xx answers, broken or refused connections, timeouts,
/// malformed bodies (cut-off answers, a proxy's 5xx page) and checksum
/// mismatches are retried with capped exponential backoff and
/// full jitter: before retry `n` (1-based) the client sleeps a random time in
/// `[0, min(cap, base × 2^(n-1))]`. Other errors return at once.
///
/// The defaults are **10 attempts, base 50 ms, cap 5 s**: DynamoDB throttling
/// clears within seconds, boto used 10 attempts with a 50 ms base, and a 5 s
/// cap keeps the worst case (about 16 s of sleeping) tolerable for a
/// blocking caller. Jitter spreads out threads that were throttled together.
///
/// ```
/// use std::time::Duration;
/// use dynamo_blocking::RetryPolicy;
/// let patient = RetryPolicy::default().max_attempts(20).cap(Duration::from_secs(20));
/// let never = RetryPolicy::none();
/// assert_eq!(never.attempts(), 1);
/// # let _ = patient;
/// ```
///
/// Retrying a write that may already have been applied (the answer was lost
/// after DynamoDB acted) is how DynamoDB's own SDKs behave: puts, deletes and
/// `SET` updates are idempotent, but an `ADD` or a counter increment can be
/// applied twice. Use a condition expression (as `save` does) when that
/// matters; a retried conditional write that already took effect fails its
/// condition rather than applying twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base: Duration,
    cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 10,
            base: Duration::from_millis(50),
            cap: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is tried once.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Default::default()
        }
    }

    /// Total attempts, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first backoff's upper bound.
    pub fn base(mut self, base: Duration) -> Self {
        self.base = base;
        self
    }

    /// The largest backoff.
    pub fn cap(mut self, cap: Duration) -> Self {
        self.cap = cap;
        self
    }

    /// Total attempts allowed.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The upper bound of the sleep before retry number `retry` (1-based).
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// A random sleep before retry number `retry`, in `[0, ceiling]`.
    pub fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self.backoff_ceiling(retry);
        let nanos = ceiling.as_nanos().min(u128::from(u64::MAX)) as u64;
        if nanos == 0 {
            return Duration::ZERO;
        }
        Duration::from_nanos(random_u64() % (nanos + 1))
    }
}

/// Whether a failed attempt is worth repeating.
pub(crate) fn is_retryable(error: &Error) -> bool {
    match error {
        Error::Service(e) => {
            e.kind.is_throttling()
                || matches!(
                    e.kind,
                    ServiceErrorKind::InternalServerError
                        | ServiceErrorKind::ServiceUnavailable
                        | ServiceErrorKind::TransactionConflict
                )
                || e.status >= 500
        }
        // Timeouts, refused and broken connections pass; a failed TLS
        // handshake or an oversized answer would fail the same way again.
        Error::Transport(e) => matches!(
            e.kind,
            TransportErrorKind::Timeout | TransportErrorKind::Connect | TransportErrorKind::Io
        ),
        Error::Response(e) => match e.kind {
            ResponseErrorKind::ChecksumMismatch { .. } => true,
            // A body that is not DynamoDB JSON was cut off or came from
            // something in between. Cut-off JSON and 5xx pages are worth
            // another try; a 4xx page that is not JSON at all (a proxy
            // refusing us) would come back the same.
            ResponseErrorKind::Malformed => {
                e.status == 200 || e.status >= 500 || e.body_start.trim_start().starts_with('{')
            }
        },
        _ => false,
    }
}

/// Jitter only needs to differ between threads and calls, not to be
/// unpredictable, so std's randomly keyed hasher over a counter is enough and
/// saves a dependency.
fn random_u64() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    thread_local! {
        static STATE: RandomState = RandomState::new();
    }
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    STATE.with(|s| {
        let mut h = s.build_hasher();
        h.write_u64(n);
        h.finish()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_double_up_to_the_cap() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff_ceiling(1), Duration::from_millis(50));
        assert_eq!(p.backoff_ceiling(2), Duration::from_millis(100));
        assert_eq!(p.backoff_ceiling(4), Duration::from_millis(400));
        assert_eq!(p.backoff_ceiling(10), Duration::from_secs(5));
        assert_eq!(p.backoff_ceiling(200), Duration::from_secs(5));
    }

    #[test]
    fn backoff_stays_within_the_ceiling_and_varies() {
        let p = RetryPolicy::default();
        let samples: Vec<Duration> = (0..200).map(|_| p.backoff(3)).collect();
        assert!(samples.iter().all(|d| *d <= Duration::from_millis(200)));
        let distinct: std::collections::BTreeSet<_> = samples.iter().collect();
        assert!(distinct.len() > 100, "jitter should spread the sleeps");
    }

    #[test]
    fn none_means_one_attempt() {
        assert_eq!(RetryPolicy::none().attempts(), 1);
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
    }
}
