//! AWS Signature Version 4 request signing (header form), written for
//! DynamoDB but general enough for any SigV4 service.
//!
//! - [`sign`] is a pure function from a [`SignableRequest`] and
//!   [`SigningParams`] to the headers to add ([`SigningOutput`]).
//! - [`Signer`] holds credentials, region and service and caches the
//!   derived signing key per day ([`SigningKeyCache`]); use it on the hot
//!   path, from any number of threads.
//!
//! The implementation is checked byte for byte against the official AWS
//! SigV4 test suite (`tests/sigv4_vectors.rs`).
//!
//! The client signs every request itself; this module is public for what
//! the client does not do for you: signing a request to another AWS service
//! (or a DynamoDB-compatible endpoint) with the same code, and checking the
//! signer against vectors of your own.
//!
//! Modules: `uri` (canonical path and query), `headers` (canonical
//! headers), `time` (`x-amz-date` format), `hex`, `key` (key derivation
//! and cache), `sign` (the algorithm), `signer` (the cached signer).

mod headers;
mod hex;
mod key;
mod sign;
mod signer;
mod time;
mod uri;

pub use key::{SigningKey, SigningKeyCache};
pub use sign::{
    sign, sign_with_cache, SessionTokenMode, SignableRequest, SigningOutput, SigningParams,
    SigningSettings,
};
pub use signer::Signer;

/// Name of the header carrying the signature (lowercase).
pub const AUTHORIZATION: &str = "authorization";
/// Name of the header carrying the signing time (lowercase).
pub const X_AMZ_DATE: &str = "x-amz-date";
/// Name of the header carrying the session token (lowercase).
pub const X_AMZ_SECURITY_TOKEN: &str = "x-amz-security-token";
/// Name of the header carrying the payload hash (lowercase).
pub const X_AMZ_CONTENT_SHA256: &str = "x-amz-content-sha256";

#[cfg(test)]
mod tests;
