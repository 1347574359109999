//! Signing-key derivation and a per-day cache of the derived key.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::Credentials;

/// HMAC-SHA256 of `data` under `key`.
pub(crate) fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// The derived SigV4 signing key (`kSigning`) for one date, region and
/// service.
///
/// It is as sensitive as the secret key for that day, so `Debug` never
/// shows its bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningKey([u8; 32]);

impl SigningKey {
    /// Derives the key: `kDate = HMAC("AWS4" + secret, date)`, then
    /// `kRegion`, `kService` and `kSigning = HMAC(kService, "aws4_request")`.
    ///
    /// `date` is the `YYYYMMDD` date of the signing time (UTC).
    pub fn derive(secret_access_key: &str, date: &str, region: &str, service: &str) -> Self {
        let mut secret = Vec::with_capacity(4 + secret_access_key.len());
        secret.extend_from_slice(b"AWS4");
        secret.extend_from_slice(secret_access_key.as_bytes());
        let k_date = hmac_sha256(&secret, date.as_bytes());
        let k_region = hmac_sha256(&k_date, region.as_bytes());
        let k_service = hmac_sha256(&k_region, service.as_bytes());
        SigningKey(hmac_sha256(&k_service, b"aws4_request"))
    }

    /// The raw key bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// An HMAC keyed with this key (its pads hashed), to sign with.
    pub(crate) fn keyed_mac(&self) -> Hmac<Sha256> {
        Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC accepts keys of any length")
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(** redacted **)")
    }
}

/// Remembers the most recently derived [`SigningKey`], so that signing many
/// requests on the same day costs two HMACs per request instead of six.
///
/// The cache holds one entry, keyed by the full derivation input (access
/// key id, secret, date, region, service): rotated credentials, a new day
/// or another region simply replace it. It is safe to share between
/// threads (`&self` methods, a [`Mutex`] inside).
///
/// ```
/// use dynamo_blocking::sigv4::SigningKeyCache;
/// use dynamo_blocking::Credentials;
///
/// let cache = SigningKeyCache::new();
/// let creds = Credentials::new("AKIDEXAMPLE", "secret");
/// let a = cache.get_or_derive(&creds, "20150830", "us-east-1", "dynamodb");
/// let b = cache.get_or_derive(&creds, "20150830", "us-east-1", "dynamodb");
/// assert_eq!(a, b);
/// assert_eq!(cache.derivations(), 1);
/// ```
#[derive(Default)]
pub struct SigningKeyCache {
    entry: Mutex<Option<CacheEntry>>,
    derivations: AtomicU64,
}

struct CacheEntry {
    date: String,
    region: String,
    service: String,
    access_key_id: String,
    secret_access_key: String,
    key: SigningKey,
    /// HMAC keyed with `key`: its inner and outer pads are hashed once
    /// here instead of on every request (two of the dozen SHA-256 blocks a
    /// small request's signature costs).
    keyed: Hmac<Sha256>,
}

impl CacheEntry {
    fn matches(&self, credentials: &Credentials, date: &str, region: &str, service: &str) -> bool {
        self.date == date
            && self.region == region
            && self.service == service
            && self.access_key_id == credentials.access_key_id()
            && self.secret_access_key == credentials.secret_access_key()
    }
}

impl SigningKeyCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The signing key for `credentials` on `date` (`YYYYMMDD`) in `region`
    /// for `service`, derived only if the cached one is for other inputs.
    pub fn get_or_derive(
        &self,
        credentials: &Credentials,
        date: &str,
        region: &str,
        service: &str,
    ) -> SigningKey {
        self.with_entry(credentials, date, region, service, |e| e.key.clone())
    }

    /// An HMAC keyed with the signing key, ready for the string to sign.
    pub(crate) fn keyed_mac(
        &self,
        credentials: &Credentials,
        date: &str,
        region: &str,
        service: &str,
    ) -> Hmac<Sha256> {
        self.with_entry(credentials, date, region, service, |e| e.keyed.clone())
    }

    fn with_entry<T>(
        &self,
        credentials: &Credentials,
        date: &str,
        region: &str,
        service: &str,
        read: impl FnOnce(&CacheEntry) -> T,
    ) -> T {
        // A panic while holding the lock cannot leave the entry half-written
        // (it is replaced whole), so a poisoned lock is still usable.
        let mut entry = self.entry.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(cached) = entry.as_ref() {
            if cached.matches(credentials, date, region, service) {
                return read(cached);
            }
        }
        let key = SigningKey::derive(credentials.secret_access_key(), date, region, service);
        self.derivations.fetch_add(1, Ordering::Relaxed);
        let fresh = entry.insert(CacheEntry {
            date: date.to_owned(),
            region: region.to_owned(),
            service: service.to_owned(),
            access_key_id: credentials.access_key_id().to_owned(),
            secret_access_key: credentials.secret_access_key().to_owned(),
            keyed: key.keyed_mac(),
            key,
        });
        read(fresh)
    }

    /// How many times this cache has had to derive a key (for tests and
    /// metrics).
    pub fn derivations(&self) -> u64 {
        self.derivations.load(Ordering::Relaxed)
    }
}

impl fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entry = self.entry.lock().unwrap_or_else(|e| e.into_inner());
        let cached = entry.as_ref().map(|e| {
            format!(
                "{}/{}/{}/{} (key redacted)",
                e.access_key_id, e.date, e.region, e.service
            )
        });
        f.debug_struct("SigningKeyCache")
            .field("cached", &cached)
            .field("derivations", &self.derivations())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sigv4::hex::to_hex;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    #[test]
    fn derives_the_documented_example_key() {
        // The worked example from the AWS SigV4 documentation.
        let key = SigningKey::derive(SECRET, "20120215", "us-east-1", "iam");
        assert_eq!(
            to_hex(key.as_bytes()),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
        );
    }

    #[test]
    fn cache_derives_once_per_day() {
        let cache = SigningKeyCache::new();
        let creds = Credentials::new("AKIDEXAMPLE", SECRET);
        let first = cache.get_or_derive(&creds, "20150830", "us-east-1", "service");
        for _ in 0..10 {
            let again = cache.get_or_derive(&creds, "20150830", "us-east-1", "service");
            assert_eq!(again.as_bytes(), first.as_bytes());
        }
        assert_eq!(cache.derivations(), 1);
        assert_eq!(
            first,
            SigningKey::derive(SECRET, "20150830", "us-east-1", "service")
        );

        let next_day = cache.get_or_derive(&creds, "20150831", "us-east-1", "service");
        assert_ne!(next_day, first);
        assert_eq!(cache.derivations(), 2);
        cache.get_or_derive(&creds, "20150831", "us-east-1", "service");
        assert_eq!(cache.derivations(), 2);
    }

    #[test]
    fn cache_notices_other_inputs() {
        let cache = SigningKeyCache::new();
        let creds = Credentials::new("AKIDEXAMPLE", SECRET);
        let rotated = Credentials::new("AKIDEXAMPLE", "another-secret");
        let base = cache.get_or_derive(&creds, "20150830", "us-east-1", "service");
        let other_region = cache.get_or_derive(&creds, "20150830", "eu-west-1", "service");
        let other_service = cache.get_or_derive(&creds, "20150830", "eu-west-1", "dynamodb");
        let other_secret = cache.get_or_derive(&rotated, "20150830", "eu-west-1", "dynamodb");
        assert_eq!(cache.derivations(), 4);
        assert_ne!(base, other_region);
        assert_ne!(other_region, other_service);
        assert_ne!(other_service, other_secret);
    }

    #[test]
    fn cache_is_shared_between_threads() {
        let cache = SigningKeyCache::new();
        let creds = Credentials::new("AKIDEXAMPLE", SECRET);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..100 {
                        cache.get_or_derive(&creds, "20150830", "us-east-1", "service");
                    }
                });
            }
        });
        assert_eq!(cache.derivations(), 1);
    }

    #[test]
    fn debug_never_shows_key_material() {
        let cache = SigningKeyCache::new();
        let creds = Credentials::new("AKIDEXAMPLE", SECRET);
        let key = cache.get_or_derive(&creds, "20150830", "us-east-1", "service");
        let hex = to_hex(key.as_bytes());
        for printed in [format!("{key:?}"), format!("{cache:?}")] {
            assert!(!printed.contains(SECRET), "{printed}");
            assert!(!printed.contains(&hex), "{printed}");
            assert!(!printed.contains(&hex[..16]), "{printed}");
        }
        assert!(format!("{cache:?}").contains("AKIDEXAMPLE/20150830/us-east-1/service"));
    }
}
