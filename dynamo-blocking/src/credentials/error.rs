//! Why a credentials source failed, naming the source.

use std::fmt;

use crate::config::ConfigError;

/// What went wrong in a credentials source.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// The source is not set up here (not an error inside a chain: the
    /// chain moves on and lists the reason).
    NotConfigured,
    /// The source's settings are wrong (a bad URL, a host not allowed, a
    /// profile without what it needs).
    InvalidConfig,
    /// A `source_profile` chain comes back to a profile already visited.
    ProfileCycle,
    /// A `source_profile` names a profile that exists in neither file.
    MissingSourceProfile,
    /// The service could not be reached (refused, reset, DNS).
    Unreachable,
    /// The service did not answer in time.
    Timeout,
    /// The service answered with this HTTP status and no usable error code.
    HttpStatus(u16),
    /// The service answered with an error code (STS, SSO, a container
    /// credentials server), e.g. `AccessDenied`.
    Refused {
        /// The error code the service gave.
        code: String,
    },
    /// The answer (JSON, XML or process output) could not be understood.
    Malformed,
    /// A credential process could not be run, failed or ran too long.
    ProcessFailed,
    /// A file the source needs (token file, SSO cache) could not be read.
    UnreadableFile,
    /// The credentials or token found have already expired.
    Expired,
    /// Anything else (custom providers).
    Other,
}

/// A credentials source failed. `Display` names the source and says why;
/// neither `Display` nor `Debug` ever contains a secret (providers only put
/// names, URLs, codes and reasons in the message).
///
/// ```
/// use dynamo_blocking::{CredentialsError, CredentialsErrorKind};
/// let e = CredentialsError::new("vault", "sealed");
/// assert_eq!(e.to_string(), "credentials from vault: sealed");
/// assert_eq!(e.kind(), &CredentialsErrorKind::Other);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialsError {
    source_name: String,
    kind: CredentialsErrorKind,
    message: String,
}

impl CredentialsError {
    /// An error of kind [`CredentialsErrorKind::Other`] from the source
    /// called `source_name` (for custom providers).
    pub fn new(source_name: impl Into<String>, message: impl Into<String>) -> Self {
        Self::of(source_name, CredentialsErrorKind::Other, message)
    }

    /// An error of the given kind.
    pub fn of(
        source_name: impl Into<String>,
        kind: CredentialsErrorKind,
        message: impl Into<String>,
    ) -> Self {
        CredentialsError {
            source_name: source_name.into(),
            kind,
            message: message.into(),
        }
    }

    /// The source that failed, e.g. `EC2 instance metadata`.
    pub fn source_name(&self) -> &str {
        &self.source_name
    }

    /// What went wrong.
    pub fn kind(&self) -> &CredentialsErrorKind {
        &self.kind
    }

    /// The reason, without the source name.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "credentials from {}: {}", self.source_name, self.message)
    }
}

impl std::error::Error for CredentialsError {}

impl From<CredentialsError> for ConfigError {
    fn from(e: CredentialsError) -> Self {
        ConfigError::Credentials(e)
    }
}
