//! AWS credentials, where they come from, and how a client keeps them fresh.
//!
//! [`Credentials`] is one key pair (and session token), with its expiry when
//! it is temporary. A [`ProvideCredentials`] hands out credentials; the
//! client asks its provider through a cache that refreshes ahead of expiry,
//! one thread at a time (see [`ClientBuilder::credentials_provider`]).
//!
//! The default provider chain follows the AWS SDKs' order: explicit
//! credentials, the environment, the selected profile of the shared files
//! (static keys, assume role, web identity, SSO, credential process), web
//! identity from the environment, container credentials and EC2 instance
//! metadata. Each source lives in its own module.
//!
//! [`ClientBuilder::credentials_provider`]: crate::ClientBuilder::credentials_provider

pub(crate) mod cache;
pub(crate) mod chain;
mod container;
mod environment;
mod error;
mod http;
pub(crate) mod imds;
mod process;
mod profile;
mod sso;
mod sts;

use std::fmt;
use std::time::SystemTime;

pub use error::{CredentialsError, CredentialsErrorKind};

use crate::config::ConfigError;

/// An access key pair, an optional session token and, for temporary
/// credentials, when they expire.
///
/// `Debug` shows the access key id but never the secret key or the token,
/// so credentials can sit inside configuration structs that get logged.
///
/// ```
/// use dynamo_blocking::Credentials;
/// let creds = Credentials::new("AKIDEXAMPLE", "secret-key").with_session_token("token");
/// let printed = format!("{creds:?}");
/// assert!(printed.contains("AKIDEXAMPLE"));
/// assert!(!printed.contains("secret-key") && !printed.contains("token\""));
/// ```
#[derive(Clone, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
    provider_name: Option<String>,
}

impl PartialEq for Credentials {
    /// Equal when they are the same identity with the same lifetime; where
    /// they came from does not matter.
    fn eq(&self, other: &Self) -> bool {
        self.access_key_id == other.access_key_id
            && self.secret_access_key == other.secret_access_key
            && self.session_token == other.session_token
            && self.expiry == other.expiry
    }
}

impl Credentials {
    /// Long-term credentials: an access key id and its secret.
    pub fn new(access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: None,
            expiry: None,
            provider_name: None,
        }
    }

    /// Adds the session token of temporary (STS) credentials.
    pub fn with_session_token(mut self, token: impl Into<String>) -> Self {
        self.session_token = Some(token.into());
        self
    }

    /// Sets when temporary credentials stop working. A client refreshes
    /// them before this time.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use dynamo_blocking::Credentials;
    /// let in_an_hour = SystemTime::now() + Duration::from_secs(3600);
    /// let creds = Credentials::new("AKID", "secret").with_expiry(in_an_hour);
    /// assert_eq!(creds.expiry(), Some(in_an_hour));
    /// ```
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// Names where these credentials came from (shown by the CLI's `-v`);
    /// the default chain sets it, e.g. `environment` or `profile dev (assume role ...)`.
    pub fn with_provider_name(mut self, name: impl Into<String>) -> Self {
        self.provider_name = Some(name.into());
        self
    }

    /// The access key id (not secret: it appears in every signed request).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key. Only the signer should need this.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token, for temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When these credentials expire; `None` for long-term keys.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }

    /// Where these credentials came from, when the provider said.
    pub fn provider_name(&self) -> Option<&str> {
        self.provider_name.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .field(
                "expiry",
                &self
                    .expiry
                    .map(|e| chrono::DateTime::<chrono::Utc>::from(e).to_rfc3339()),
            )
            .field("provider_name", &self.provider_name)
            .finish()
    }
}

/// Something that hands out credentials: implement it to plug your own
/// source into a client with
/// [`ClientBuilder::credentials_provider`](crate::ClientBuilder::credentials_provider).
///
/// The client calls it when it has no credentials yet, when the current
/// ones come close to their [`expiry`](Credentials::expiry), and after
/// DynamoDB answers `ExpiredTokenException`; never from two threads at once
/// for the same client. Return temporary credentials with their expiry so
/// the client knows when to ask again.
///
/// ```
/// use dynamo_blocking::config::ConfigError;
/// use dynamo_blocking::{Client, Credentials, CredentialsError, ProvideCredentials};
///
/// struct Vault;
/// impl ProvideCredentials for Vault {
///     fn provide_credentials(&self) -> Result<Credentials, ConfigError> {
///         let sealed = false;
///         if sealed {
///             return Err(CredentialsError::new("vault", "the vault is sealed").into());
///         }
///         Ok(Credentials::new("AKIDVAULT", "vault-secret"))
///     }
/// }
///
/// let client = Client::builder()
///     .credentials_provider(Vault)
///     .region("us-east-1")
///     .endpoint("http://127.0.0.1:8000")
///     .build()?;
/// # Ok::<(), dynamo_blocking::Error>(())
/// ```
pub trait ProvideCredentials: Send + Sync {
    /// Fetches credentials (blocking). Errors should name the source; see
    /// [`CredentialsError::new`].
    fn provide_credentials(&self) -> Result<Credentials, ConfigError>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> Result<Credentials, ConfigError> {
        Ok(self.clone())
    }
}
