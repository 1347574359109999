//! Which failures are retried, how long to wait between attempts, and the
//! retry quota that stops retries while most calls fail.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::{
    Error, ResponseErrorKind, ServiceErrorKind, TransportError, TransportErrorKind,
};

/// Tokens a retry takes from the quota (the AWS SDKs' standard mode).
const RETRY_COST: u32 = 5;
/// Tokens a retry after a timeout or a failed connection takes.
const TIMEOUT_RETRY_COST: u32 = 10;
/// Tokens a call that succeeds at its first attempt gives back.
const NO_RETRY_INCREMENT: u32 = 1;
/// The standard quota's size.
const DEFAULT_QUOTA: u32 = 500;
/// How far beyond the computed backoff a server's `x-amz-retry-after` may
/// push the wait (the SDKs' bound).
const RETRY_AFTER_SLACK: Duration = Duration::from_secs(5);

/// How often and how patiently to retry.
///
/// Throttling, 5xx answers, broken or refused connections, timeouts,
/// cut-off bodies (a 200 or 5xx answer that is not JSON) and checksum
/// mismatches are retried with capped exponential backoff and full jitter:
/// before retry `n` (1-based) the client sleeps a random time in
/// `[0, min(cap, base × 2^(n-1))]`. A server's `x-amz-retry-after`
/// (milliseconds) replaces that sleep, kept between it and 5 s more, as the
/// AWS SDKs do. Other errors return at once.
///
/// The defaults are **10 attempts, base 50 ms, cap 5 s**: DynamoDB throttling
/// clears within seconds, boto used 10 attempts with a 50 ms base, and the
/// sleeps add up to at most 16.35 s. Jitter spreads out threads that were
/// throttled together.
///
/// **Retry quota.** A client (and its clones) shares a bucket of 500 tokens,
/// as the AWS SDKs' standard retry mode: each retry takes 5 tokens, 10 after
/// a timeout or a failed connection; a call that succeeds gives back what its
/// last retry took, or 1 token when it needed no retry. When the bucket
/// cannot pay for a retry, the call fails with its error at once. So under
/// an outage, retries stop after about 100 of them and every call costs one
/// request, and they resume as calls succeed again. [`RetryPolicy::none`]
/// and [`RetryPolicy::without_quota`] turn it off.
///
/// ```
/// use std::time::Duration;
/// use dynamo_blocking::RetryPolicy;
/// let patient = RetryPolicy::default().max_attempts(20).cap(Duration::from_secs(20));
/// assert_eq!(patient.quota(), Some(500));
/// let never = RetryPolicy::none();
/// assert_eq!(never.attempts(), 1);
/// assert_eq!(never.quota(), None);
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
    quota: Option<u32>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 10,
            base: Duration::from_millis(50),
            cap: Duration::from_secs(5),
            quota: Some(DEFAULT_QUOTA),
        }
    }
}

impl RetryPolicy {
    /// No retries (and no retry quota): every request is tried once.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            quota: None,
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

    /// A retry quota of `tokens` instead of 500 (see the type's docs).
    pub fn with_quota(mut self, tokens: u32) -> Self {
        self.quota = Some(tokens);
        self
    }

    /// No retry quota: every call may use all its attempts, however many
    /// other calls are failing.
    pub fn without_quota(mut self) -> Self {
        self.quota = None;
        self
    }

    /// The retry quota's size in tokens, if there is one.
    pub fn quota(&self) -> Option<u32> {
        self.quota
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
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        // A ceiling of u64::MAX nanoseconds (a `Duration::MAX` cap) has no
        // `+ 1`: any u64 is in range then.
        match nanos.checked_add(1) {
            Some(range) => Duration::from_nanos(random_u64() % range),
            None => Duration::from_nanos(random_u64()),
        }
    }
}

/// The token bucket of a client's retry quota, shared by its clones.
#[derive(Debug)]
pub(crate) struct RetryQuota {
    capacity: u32,
    available: Mutex<u32>,
}

impl RetryQuota {
    pub(crate) fn new(capacity: u32) -> Self {
        RetryQuota {
            capacity,
            available: Mutex::new(capacity),
        }
    }

    /// Takes what a retry after `error` costs; `None` when the bucket cannot
    /// pay for it.
    fn acquire(&self, error: &Error) -> Option<u32> {
        let cost = match error {
            Error::Transport(_) => TIMEOUT_RETRY_COST,
            _ => RETRY_COST,
        };
        let mut available = self.available.lock().unwrap_or_else(|p| p.into_inner());
        *available = available.checked_sub(cost)?;
        Some(cost)
    }

    fn release(&self, tokens: u32) {
        let mut available = self.available.lock().unwrap_or_else(|p| p.into_inner());
        *available = available.saturating_add(tokens).min(self.capacity);
    }

    /// Tokens left.
    pub(crate) fn available(&self) -> u32 {
        *self.available.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A failed attempt, with the server's `x-amz-retry-after`, if any.
pub(crate) struct Failure {
    pub error: Error,
    pub retry_after: Option<Duration>,
    /// The answer's JSON ended early: a cut-off answer, worth another try
    /// whatever its status.
    pub cut_off: bool,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure {
            error,
            retry_after: None,
            cut_off: false,
        }
    }
}

/// Everything one call's attempts share: the policy, the client's quota,
/// how to sleep and the operation deadline.
pub(crate) struct Retrier<'a> {
    /// The operation's name, for log lines.
    pub operation: &'static str,
    pub policy: RetryPolicy,
    pub quota: Option<&'a RetryQuota>,
    pub sleep: fn(Duration),
    /// Longest time for the whole call, attempts and sleeps included.
    pub operation_timeout: Option<Duration>,
}

impl Retrier<'_> {
    /// Runs `attempt` until it succeeds, fails for good, runs out of
    /// attempts, quota or time. `attempt` gets the deadline, to bound its
    /// own request.
    pub(crate) fn run<T>(
        &self,
        mut attempt: impl FnMut(Option<Instant>) -> Result<T, Failure>,
    ) -> Result<T, Error> {
        let deadline = self
            .operation_timeout
            .and_then(|t| Instant::now().checked_add(t));
        let left = || deadline.map(|d| d.saturating_duration_since(Instant::now()));
        let mut n = 1;
        let mut last_cost = None;
        // The previous attempt's error, for the message if time runs out.
        let mut previous: Option<String> = None;
        loop {
            let failure = match attempt(deadline) {
                Ok(value) => {
                    if let Some(quota) = self.quota {
                        quota.release(last_cost.unwrap_or(NO_RETRY_INCREMENT));
                    }
                    return Ok(value);
                }
                Err(failure) => failure,
            };
            let mut error = failure.error;
            error.set_attempts(n);
            if matches!(&error, Error::Transport(e) if e.kind == TransportErrorKind::OperationTimeout)
            {
                return Err(self.deadline_error(n, previous.as_deref()));
            }
            let retryable = failure.cut_off || is_retryable(&error);
            if !retryable {
                return Err(error);
            }
            if n >= self.policy.attempts() {
                log::warn!("{} gave up after {n} attempts: {error}", self.operation);
                return Err(error);
            }
            let mut delay = self.policy.backoff(n);
            if let Some(asked) = failure.retry_after {
                delay = asked.clamp(delay, delay.saturating_add(RETRY_AFTER_SLACK));
            }
            previous = Some(error.to_string());
            if left().is_some_and(|left| delay >= left) {
                return Err(self.deadline_error(n, previous.as_deref()));
            }
            if let Some(quota) = self.quota {
                match quota.acquire(&error) {
                    Some(cost) => last_cost = Some(cost),
                    None => {
                        log::warn!(
                            "{} not retried: the retry quota is spent (attempt {n}): {error}",
                            self.operation
                        );
                        return Err(error);
                    }
                }
            }
            let level = if matches!(&error, Error::Service(e) if e.kind.is_throttling()) {
                log::Level::Warn
            } else {
                log::Level::Info
            };
            log::log!(
                level,
                "{} retry {} of {} in {} ms after: {error}",
                self.operation,
                n,
                self.policy.attempts() - 1,
                delay.as_millis()
            );
            (self.sleep)(delay);
            n += 1;
        }
    }

    /// The error of a call whose operation timeout ran out, during attempt
    /// `attempts` or before it could try again.
    fn deadline_error(&self, attempts: u32, previous: Option<&str>) -> Error {
        let mut message = format!(
            "the operation timeout ({:.1} s) ran out",
            self.operation_timeout.unwrap_or_default().as_secs_f64()
        );
        if let Some(previous) = previous {
            message.push_str(&format!("; last error: {previous}"));
        }
        Error::Transport(TransportError {
            kind: TransportErrorKind::OperationTimeout,
            message,
            attempts,
        })
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
            // something in between: a 200 or 5xx one is worth another try,
            // as is a cut-off 4xx (see `Failure::cut_off`); a complete 4xx
            // answer the client cannot read (a proxy refusing us, JSON
            // without an error code) would come back the same.
            ResponseErrorKind::Malformed => e.status == 200 || e.status >= 500,
            _ => false,
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
    fn backoff_with_duration_max_does_not_overflow() {
        let p = RetryPolicy::default()
            .base(Duration::MAX)
            .cap(Duration::MAX);
        for retry in [1, 2, 64, u32::MAX] {
            let _ = p.backoff(retry);
        }
        assert_eq!(p.backoff_ceiling(3), Duration::MAX);
    }

    #[test]
    fn the_quota_pays_for_retries_and_is_refilled_by_successes() {
        let quota = RetryQuota::new(12);
        let other = Error::NothingToUpdate;
        let timeout = Error::Transport(TransportError {
            kind: TransportErrorKind::Timeout,
            message: "slow".into(),
            attempts: 1,
        });
        assert_eq!(quota.acquire(&timeout), Some(TIMEOUT_RETRY_COST));
        assert_eq!(quota.acquire(&other), None, "2 tokens left");
        quota.release(100);
        assert_eq!(quota.available(), 12, "never above the capacity");
    }

    #[test]
    fn none_means_one_attempt() {
        assert_eq!(RetryPolicy::none().attempts(), 1);
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
    }
}
