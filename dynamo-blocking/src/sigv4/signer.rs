//! A reusable signer: fixed credentials, region and service, cached key.

use std::fmt;

use chrono::{DateTime, Utc};

use super::key::SigningKeyCache;
use super::sign::{
    sign_with_cache, SignableRequest, SigningOutput, SigningParams, SigningSettings,
};
use crate::Credentials;

/// Signs requests for one set of credentials, region and service, reusing
/// the derived signing key for the whole (UTC) day.
///
/// `Signer` is `Send + Sync`; share one between threads (e.g. in an `Arc`)
/// and call [`sign`](Signer::sign) through `&self`. When credentials
/// rotate, build a new `Signer`. `Debug` shows the access key id but never
/// the secret key, the session token or the derived key.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use dynamo_blocking::sigv4::{SignableRequest, Signer};
/// use dynamo_blocking::Credentials;
///
/// let signer = Signer::dynamodb(Credentials::new("AKIDEXAMPLE", "secret"), "eu-west-1");
/// let headers = [
///     ("host", "dynamodb.eu-west-1.amazonaws.com"),
///     ("x-amz-target", "DynamoDB_20120810.ListTables"),
///     ("content-type", "application/x-amz-json-1.0"),
/// ];
/// let request = SignableRequest {
///     method: "POST",
///     url_path: "/",
///     query: "",
///     headers: &headers,
///     payload: b"{}",
/// };
/// let time = Utc.with_ymd_and_hms(2024, 5, 1, 8, 0, 0).unwrap();
/// let signed = signer.sign(&request, time);
/// assert!(signed.authorization().starts_with(
///     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240501/eu-west-1/dynamodb/aws4_request, \
///      SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature="
/// ));
/// signer.sign(&request, time);
/// assert_eq!(signer.key_derivations(), 1);
/// ```
pub struct Signer {
    credentials: Credentials,
    region: String,
    service: String,
    settings: SigningSettings,
    cache: SigningKeyCache,
}

impl Signer {
    /// A signer for `service` (its signing name, e.g. `dynamodb`) in
    /// `region`, with [`SigningSettings::default`].
    pub fn new(
        credentials: Credentials,
        region: impl Into<String>,
        service: impl Into<String>,
    ) -> Self {
        Signer {
            credentials,
            region: region.into(),
            service: service.into(),
            settings: SigningSettings::default(),
            cache: SigningKeyCache::new(),
        }
    }

    /// A signer for DynamoDB (signing name `dynamodb`) in `region`.
    pub fn dynamodb(credentials: Credentials, region: impl Into<String>) -> Self {
        Self::new(credentials, region, "dynamodb")
    }

    /// Replaces the signing settings.
    pub fn with_settings(mut self, settings: SigningSettings) -> Self {
        self.settings = settings;
        self
    }

    /// Signs `request` as of `time`. See [`sign`](super::sign) for the
    /// details; the result is identical, only the key derivation is cached.
    pub fn sign(&self, request: &SignableRequest<'_>, time: DateTime<Utc>) -> SigningOutput {
        let params = SigningParams {
            credentials: &self.credentials,
            region: &self.region,
            service: &self.service,
            time,
            settings: self.settings,
        };
        sign_with_cache(request, &params, &self.cache)
    }

    /// The credentials this signer uses.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The region this signer signs for.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The service signing name this signer signs for.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The signing settings.
    pub fn settings(&self) -> &SigningSettings {
        &self.settings
    }

    /// How many times the signing key has been derived so far (once per
    /// UTC day in steady state).
    pub fn key_derivations(&self) -> u64 {
        self.cache.derivations()
    }
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("service", &self.service)
            .field("settings", &self.settings)
            .field("key_derivations", &self.key_derivations())
            .finish_non_exhaustive()
    }
}
