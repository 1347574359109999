//! The per-client credentials cache: refresh ahead of expiry, one refresh
//! at a time, and keep still-valid credentials when a refresh fails.
//!
//! Timing rules:
//! * Credentials without an expiry are fetched once and kept.
//! * Temporary credentials are refreshed from `expiry - ahead`, where
//!   `ahead` is five minutes (the AWS SDKs' refresh-ahead window) or half
//!   the lifetime left when they were fetched, whichever is shorter (so
//!   credentials issued for a few seconds are not refreshed on every call).
//! * While one thread refreshes, the others keep signing with the current
//!   credentials if they are still valid for at least [`MIN_VALIDITY`];
//!   otherwise they wait for the refresh.
//! * A failed refresh while the current credentials are still valid keeps
//!   them and tries again after a pause (a quarter of the validity left, at
//!   most 10 s); once they are no longer valid the error is returned.
//! * [`CredentialsCache::expire`] (after `ExpiredTokenException`) forces a
//!   refresh, only if the rejected credentials are still the cached ones.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use super::{Credentials, ProvideCredentials};
use crate::config::ConfigError;

/// The AWS SDKs refresh temporary credentials this long before they expire.
const REFRESH_AHEAD: Duration = Duration::from_secs(5 * 60);
/// Credentials closer than this to their expiry are not used to sign: the
/// request would arrive with expired credentials.
pub(crate) const MIN_VALIDITY: Duration = Duration::from_millis(500);
/// Longest pause before retrying a failed refresh.
const MAX_RETRY_PAUSE: Duration = Duration::from_secs(10);

pub(crate) struct CredentialsCache {
    provider: Arc<dyn ProvideCredentials>,
    state: Mutex<State>,
    refreshed: Condvar,
}

#[derive(Default)]
struct State {
    current: Option<Cached>,
    refreshing: bool,
    /// After a failed refresh: no new attempt before this instant.
    retry_after: Option<Instant>,
}

struct Cached {
    /// Shared, so handing them to each request costs no allocation.
    credentials: Arc<Credentials>,
    /// From when a refresh is due; `None` for credentials that never expire.
    refresh_at: Option<SystemTime>,
}

impl Cached {
    fn new(credentials: Arc<Credentials>, now: SystemTime) -> Self {
        let refresh_at = credentials.expiry().map(|expiry| {
            let left = expiry.duration_since(now).unwrap_or_default();
            expiry - REFRESH_AHEAD.min(left / 2)
        });
        Cached {
            credentials,
            refresh_at,
        }
    }

    fn is_fresh(&self, now: SystemTime) -> bool {
        self.refresh_at.is_none_or(|at| now < at) && self.is_valid(now)
    }

    fn is_valid(&self, now: SystemTime) -> bool {
        self.credentials
            .expiry()
            .is_none_or(|expiry| now + MIN_VALIDITY < expiry)
    }
}

/// Resets `refreshing` if the provider panics, so waiters never hang. On
/// the normal path the refreshing thread resets it itself, in the same
/// critical section that stores the result, so no waiter can wake between
/// the two and start a second refresh.
struct PanicGuard<'a> {
    cache: &'a CredentialsCache,
    armed: bool,
}

impl Drop for PanicGuard<'_> {
    fn drop(&mut self) {
        if self.armed {
            self.cache.lock().refreshing = false;
            self.cache.refreshed.notify_all();
        }
    }
}

impl CredentialsCache {
    pub(crate) fn new(provider: Arc<dyn ProvideCredentials>) -> Self {
        CredentialsCache {
            provider,
            state: Mutex::new(State::default()),
            refreshed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The provider name of the cached credentials, if any are cached.
    pub(crate) fn provider_name(&self) -> Option<String> {
        let state = self.lock();
        let cached = state.current.as_ref()?;
        Some(
            cached
                .credentials
                .provider_name()
                .unwrap_or("custom provider")
                .to_string(),
        )
    }

    /// Starts with credentials fetched already (by the client's build).
    pub(crate) fn seed(&self, credentials: Credentials) {
        self.lock().current = Some(Cached::new(Arc::new(credentials), SystemTime::now()));
    }

    /// Credentials valid right now, fetching or refreshing them if needed.
    pub(crate) fn get(&self) -> Result<Arc<Credentials>, ConfigError> {
        let mut state = self.lock();
        loop {
            // Credentials that never expire (static keys) need no reading
            // of the clock, a measurable share of a warm request.
            if let Some(cached) = state.current.as_ref().filter(|c| c.refresh_at.is_none()) {
                return Ok(cached.credentials.clone());
            }
            let now = SystemTime::now();
            if let Some(cached) = &state.current {
                let paused = state.retry_after.is_some_and(|t| Instant::now() < t);
                if cached.is_fresh(now) || (cached.is_valid(now) && (state.refreshing || paused)) {
                    return Ok(cached.credentials.clone());
                }
            }
            if state.refreshing {
                state = self
                    .refreshed
                    .wait(state)
                    .unwrap_or_else(|p| p.into_inner());
                continue;
            }
            state.refreshing = true;
            drop(state);
            let mut guard = PanicGuard {
                cache: self,
                armed: true,
            };
            let result = self.provider.provide_credentials();
            state = self.lock();
            guard.armed = false;
            state.refreshing = false;
            // Waiters wake once this thread releases the lock, with the
            // result stored.
            self.refreshed.notify_all();
            let now = SystemTime::now();
            match result {
                Ok(credentials) => {
                    let credentials = Arc::new(credentials);
                    state.current = Some(Cached::new(credentials.clone(), now));
                    state.retry_after = None;
                    return Ok(credentials);
                }
                Err(error) => {
                    if let Some(cached) = state.current.as_ref().filter(|c| c.is_valid(now)) {
                        let left = cached
                            .credentials
                            .expiry()
                            .and_then(|e| e.duration_since(now).ok())
                            .unwrap_or(MAX_RETRY_PAUSE * 4);
                        let credentials = cached.credentials.clone();
                        state.retry_after = Some(Instant::now() + (left / 4).min(MAX_RETRY_PAUSE));
                        return Ok(credentials);
                    }
                    return Err(error);
                }
            }
        }
    }

    /// Marks `rejected` as expired (DynamoDB said so), so the next
    /// [`get`](Self::get) refreshes. Does nothing if the cache already holds
    /// other credentials (another thread refreshed meanwhile).
    pub(crate) fn expire(&self, rejected: &Credentials) {
        let mut state = self.lock();
        let same = state.current.as_ref().is_some_and(|c| {
            c.credentials.access_key_id() == rejected.access_key_id()
                && c.credentials.session_token() == rejected.session_token()
        });
        if same {
            state.current = None;
            state.retry_after = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CredentialsError;
    use std::sync::atomic::{AtomicU32, Ordering};

    struct Counting {
        calls: AtomicU32,
        lifetime: Duration,
        fail_after: u32,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials(&self) -> Result<Credentials, ConfigError> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            if n > self.fail_after {
                return Err(CredentialsError::new("test", "down").into());
            }
            Ok(Credentials::new(format!("AKID{n}"), "s")
                .with_expiry(SystemTime::now() + self.lifetime))
        }
    }

    fn cache(lifetime: Duration, fail_after: u32) -> (Arc<Counting>, CredentialsCache) {
        let provider = Arc::new(Counting {
            calls: AtomicU32::new(0),
            lifetime,
            fail_after,
        });
        (provider.clone(), CredentialsCache::new(provider))
    }

    #[test]
    fn long_lived_credentials_are_fetched_once() {
        let (provider, cache) = cache(Duration::from_secs(3600), u32::MAX);
        for _ in 0..10 {
            assert_eq!(cache.get().unwrap().access_key_id(), "AKID1");
        }
        assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn refresh_happens_half_way_through_short_lifetimes() {
        let (provider, cache) = cache(Duration::from_millis(1200), u32::MAX);
        assert_eq!(cache.get().unwrap().access_key_id(), "AKID1");
        std::thread::sleep(Duration::from_millis(700));
        assert_eq!(cache.get().unwrap().access_key_id(), "AKID2");
        assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn a_failed_refresh_keeps_valid_credentials_then_reports_the_error() {
        let (provider, cache) = cache(Duration::from_millis(1500), 1);
        assert_eq!(cache.get().unwrap().access_key_id(), "AKID1");
        std::thread::sleep(Duration::from_millis(800));
        // Refresh due, provider down: the still-valid credentials are kept.
        assert_eq!(cache.get().unwrap().access_key_id(), "AKID1");
        assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
        // Within the pause no new attempt is made.
        assert_eq!(cache.get().unwrap().access_key_id(), "AKID1");
        assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
        std::thread::sleep(Duration::from_millis(900));
        let err = cache.get().unwrap_err();
        assert!(
            err.to_string().contains("credentials from test: down"),
            "{err}"
        );
    }

    #[test]
    fn expire_forces_one_refresh_only_for_the_rejected_credentials() {
        let (provider, cache) = cache(Duration::from_secs(3600), u32::MAX);
        let first = cache.get().unwrap();
        cache.expire(&first);
        let second = cache.get().unwrap();
        assert_eq!(second.access_key_id(), "AKID2");
        cache.expire(&first); // stale rejection: ignored
        assert_eq!(cache.get().unwrap().access_key_id(), "AKID2");
        assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn concurrent_first_calls_share_one_fetch() {
        struct Slow(AtomicU32);
        impl ProvideCredentials for Slow {
            fn provide_credentials(&self) -> Result<Credentials, ConfigError> {
                self.0.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(200));
                Ok(Credentials::new("AKIDSLOW", "s"))
            }
        }
        let provider = Arc::new(Slow(AtomicU32::new(0)));
        let cache = CredentialsCache::new(provider.clone());
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| assert_eq!(cache.get().unwrap().access_key_id(), "AKIDSLOW"));
            }
        });
        assert_eq!(provider.0.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_panicking_provider_does_not_leave_waiters_hanging() {
        struct Panics;
        impl ProvideCredentials for Panics {
            fn provide_credentials(&self) -> Result<Credentials, ConfigError> {
                panic!("provider bug")
            }
        }
        let cache = Arc::new(CredentialsCache::new(Arc::new(Panics)));
        let c = cache.clone();
        assert!(std::thread::spawn(move || c.get()).join().is_err());
        assert!(!cache.lock().refreshing);
    }
}
