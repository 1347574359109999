//! Configuration resolution: credentials, region and endpoint, found the way
//! the official AWS SDKs find them.
//!
//! Each setting is taken from the first source that has it:
//!
//! | Setting | 1. Explicit ([`Settings`]) | 2. Environment | 3. Shared files (selected profile) | 4. Default |
//! |---|---|---|---|---|
//! | credentials | `with_credentials` | `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`) | the selected profile: static keys, assume role, web identity, SSO, `credential_process` (credentials file `[NAME]`, then config file `[profile NAME]`) | web identity from the environment, container credentials, EC2 instance metadata; else error |
//! | region | `with_region` | `AWS_REGION`, then `AWS_DEFAULT_REGION` | config file `region` | EC2 instance metadata; else error |
//! | endpoint | `with_endpoint` | `AWS_ENDPOINT_URL_DYNAMODB`, then `AWS_ENDPOINT_URL` | config file: `dynamodb` → `endpoint_url` in the profile's `[services NAME]` section, then `endpoint_url` | `https://dynamodb.{region}.amazonaws.com` (`.amazonaws.com.cn` for `cn-` regions) |
//!
//! * **Profile**: `with_profile`, else `AWS_PROFILE`, else `default`. A
//!   profile selected by name that exists in neither file is an error
//!   ([`ConfigError::ProfileNotFound`]) as soon as the files are consulted.
//!   In the config file the default profile may be written `[default]` or
//!   `[profile default]`.
//! * **Files**: `~/.aws/credentials` and `~/.aws/config`, or the paths in
//!   `AWS_SHARED_CREDENTIALS_FILE` / `AWS_CONFIG_FILE` (a leading `~` is
//!   expanded). The home directory is `HOME`, else `USERPROFILE`, else
//!   `HOMEDRIVE` + `HOMEPATH`. A missing file is skipped; a file that exists
//!   but cannot be read is an error ([`ConfigError::UnreadableFile`]). The
//!   files are read only when some setting is not given explicitly or by the
//!   environment, and then at most once per resolution.
//! * **Credentials** come as a whole from one source: a source holding an
//!   access key id without its secret (or the reverse) is an error
//!   ([`ConfigError::IncompleteCredentials`]) rather than a silent fallback
//!   to another identity. The chain follows the AWS SDKs' order: explicit,
//!   environment, the selected profile, web identity
//!   (`AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`), container
//!   credentials, EC2 instance metadata (off with
//!   `AWS_EC2_METADATA_DISABLED=true`); the README's Configuration section
//!   lists every setting. A source that is set up but fails is a
//!   [`ConfigError::Credentials`] naming it.
//! * **Endpoints** must be `http` or `https` URLs with a host, an optional
//!   port and an optional path prefix. Plain http is used only when
//!   configured; the default is always https. As in the SDKs,
//!   `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` (or
//!   `ignore_configured_endpoint_urls = true` in the profile) makes the
//!   environment and file endpoints be ignored; an explicit endpoint always
//!   applies.
//! * **Empty values** (empty or whitespace-only, in code, in the
//!   environment or in a file) count as unset. Values are trimmed.
//!
//! Secrets never appear in `Debug` output or error messages.
//!
//! The environment is passed in as an [`Environment`], so tests can use a
//! map instead of the process environment. Nothing here keeps global state.

mod endpoint;
mod env;
mod error;
mod ini;
pub(crate) mod resolver;

pub use endpoint::{Endpoint, EndpointError};
pub use env::Environment;
pub use error::{ConfigError, Source};

use crate::Credentials;
use resolver::Resolver;

/// Settings given explicitly, in code. They take precedence over the
/// environment and the shared files. Every setting is optional; empty or
/// whitespace-only strings count as unset.
///
/// ```
/// use dynamo_blocking::config::Settings;
/// use dynamo_blocking::Credentials;
///
/// let settings = Settings::new()
///     .with_credentials(Credentials::new("AKIDEXAMPLE", "secret"))
///     .with_region("eu-west-1")
///     .with_endpoint("http://localhost:8000");
/// assert_eq!(settings.region(), Some("eu-west-1"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    credentials: Option<Credentials>,
    region: Option<String>,
    endpoint: Option<String>,
    profile: Option<String>,
}

impl Settings {
    /// No explicit settings: everything comes from the environment and the
    /// shared files.
    pub fn new() -> Self {
        Settings::default()
    }

    /// Uses these credentials, ignoring the environment and the files.
    pub fn with_credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Uses this region (e.g. `us-east-1`).
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sends requests to this endpoint URL (e.g. `http://localhost:8000`
    /// for DynamoDB Local) instead of the region's AWS endpoint.
    pub fn with_endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// Reads the shared files' settings from this profile instead of
    /// `AWS_PROFILE` or `default`.
    pub fn with_profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// The explicit credentials, if any.
    pub fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
    }

    /// The explicit region, if any (as given, possibly blank).
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The explicit endpoint URL, if any (as given, unvalidated).
    pub fn endpoint(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }

    /// The explicit profile name, if any.
    pub fn profile(&self) -> Option<&str> {
        self.profile.as_deref()
    }
}

/// The outcome of [`resolve`]: everything a client needs to sign and send
/// requests, and where each part came from.
///
/// `Debug` is safe to log: [`Credentials`] redacts its secret and token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedConfig {
    /// The credentials to sign requests with.
    pub credentials: Credentials,
    /// Where the credentials came from.
    pub credentials_source: Source,
    /// The region, used in the signing scope (and the default endpoint).
    pub region: String,
    /// Where the region came from.
    pub region_source: Source,
    /// The endpoint requests are sent to.
    pub endpoint: Endpoint,
    /// Where the endpoint came from ([`Source::Default`] for the standard
    /// AWS endpoint).
    pub endpoint_source: Source,
    /// The name of the selected profile (`default` unless chosen in code or
    /// by `AWS_PROFILE`), whether or not anything was read from it.
    pub profile: String,
}

/// Resolves credentials, region and endpoint: `explicit` settings first,
/// then the environment `env`, then the shared files of the selected profile
/// (see the [module documentation](self) for the full order).
///
/// Credentials are resolved first, then the region, then the endpoint; the
/// first failure is returned. The shared files are read at most once.
///
/// ```
/// use dynamo_blocking::config::{resolve, Environment, Settings, Source};
///
/// // In production: `Environment::process()`. Here, a fixed environment.
/// let env = Environment::from_pairs([
///     ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
///     ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
///     ("AWS_REGION", "eu-west-1"),
/// ]);
/// let config = resolve(&Settings::new(), &env).unwrap();
/// assert_eq!(config.credentials.access_key_id(), "AKIDEXAMPLE");
/// assert_eq!(config.region, "eu-west-1");
/// assert_eq!(config.region_source, Source::EnvVar("AWS_REGION"));
/// assert_eq!(config.endpoint.url(), "https://dynamodb.eu-west-1.amazonaws.com");
/// assert!(!format!("{config:?}").contains("wJalrXUtnFEMI"));
///
/// // Explicit settings win over the environment.
/// let local = Settings::new()
///     .with_region("us-east-1")
///     .with_endpoint("http://localhost:8000");
/// let config = resolve(&local, &env).unwrap();
/// assert_eq!(config.region, "us-east-1");
/// assert_eq!(config.endpoint.host_header(), "localhost:8000");
/// assert_eq!(config.endpoint_source, Source::Explicit);
/// ```
///
/// # Errors
///
/// [`ConfigError::MissingCredentials`] or [`ConfigError::MissingRegion`]
/// (listing every place checked), [`ConfigError::IncompleteCredentials`],
/// [`ConfigError::InvalidRegion`], [`ConfigError::InvalidEndpoint`],
/// [`ConfigError::ProfileNotFound`] and [`ConfigError::UnreadableFile`].
pub fn resolve(explicit: &Settings, env: &Environment) -> Result<ResolvedConfig, ConfigError> {
    let mut resolver = Resolver::new(explicit, env);
    let (credentials, credentials_source) = resolver.credentials()?;
    let (region, region_source) = resolver.region()?;
    let (endpoint, endpoint_source) = resolver.endpoint(&region)?;
    Ok(ResolvedConfig {
        credentials,
        credentials_source,
        region,
        region_source,
        endpoint,
        endpoint_source,
        profile: resolver.profile().to_string(),
    })
}

/// Resolves only the credentials, in the same order as [`resolve`].
pub fn resolve_credentials(
    explicit: &Settings,
    env: &Environment,
) -> Result<(Credentials, Source), ConfigError> {
    Resolver::new(explicit, env).credentials()
}

/// Resolves only the region, in the same order as [`resolve`].
pub fn resolve_region(
    explicit: &Settings,
    env: &Environment,
) -> Result<(String, Source), ConfigError> {
    Resolver::new(explicit, env).region()
}

/// Resolves only the endpoint, in the same order as [`resolve`]; `region`
/// builds the default AWS endpoint when nothing else is configured.
pub fn resolve_endpoint(
    explicit: &Settings,
    env: &Environment,
    region: &str,
) -> Result<(Endpoint, Source), ConfigError> {
    Resolver::new(explicit, env).endpoint(region)
}
