//! The default credentials chain, in the AWS SDKs' order (checked against
//! the SDKs and Tools Reference Guide and the Rust SDK's
//! `DefaultCredentialsChain`):
//!
//! 1. explicit credentials (handled by the caller);
//! 2. the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//!    `AWS_SESSION_TOKEN`);
//! 3. the selected profile of the shared files (static keys, assume role,
//!    web identity, SSO, credential process);
//! 4. web identity from `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`;
//! 5. container credentials (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or
//!    `_FULL_URI`);
//! 6. EC2 instance metadata (IMDSv2).
//!
//! A source that is not set up is skipped and noted; a source that is set
//! up but fails stops the chain with its error (the SDKs do the same, so a
//! broken profile never silently becomes another identity). The one
//! exception is instance metadata that cannot be reached: that is how a
//! laptop looks, so it ends in [`ConfigError::MissingCredentials`] listing
//! every source.

use super::{container, environment, imds, profile, sts, ProvideCredentials};
use crate::config::resolver::{Profiles, Resolver};
use crate::config::{ConfigError, Environment, Settings, Source};
use crate::Credentials;

/// What the sources need besides the profile files.
pub(crate) struct Context<'a> {
    pub env: &'a Environment,
    /// The configured region (explicit, environment or profile), for STS.
    pub region: Option<&'a str>,
    /// The shared files, for settings of other sources (instance metadata).
    pub profiles: Option<&'a Profiles>,
}

/// Runs the chain (without explicit credentials, the caller's job).
pub(crate) fn load(resolver: &mut Resolver<'_>) -> Result<(Credentials, Source), ConfigError> {
    let mut looked_at = vec!["explicit settings (none given)".to_string()];
    let env = resolver.env().clone();
    if let Some(found) = environment::load(&env, &mut looked_at)? {
        return Ok(named(found));
    }
    let region = resolver.configured_region();
    let profiles = resolver.profiles()?;
    let cx = Context {
        env: &env,
        region: region.as_deref(),
        profiles: Some(profiles),
    };
    if let Some(found) = profile::load(profiles, &cx, &mut looked_at)? {
        return Ok(named(found));
    }
    if let Some(found) = sts::web_identity_from_env(&cx, &mut looked_at)? {
        return Ok(named(found));
    }
    if let Some(found) = container::load(&cx, &mut looked_at)? {
        return Ok(named(found));
    }
    if let Some(found) = imds::load(&cx, &mut looked_at)? {
        return Ok(named(found));
    }
    Err(ConfigError::MissingCredentials { looked_at })
}

fn named((credentials, source): (Credentials, Source)) -> (Credentials, Source) {
    (credentials.with_provider_name(source.to_string()), source)
}

/// The default chain as a provider: every call resolves afresh (files are
/// re-read, so rotated keys and a new SSO login are picked up).
pub(crate) struct DefaultChain {
    pub settings: Settings,
    pub env: Environment,
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> Result<Credentials, ConfigError> {
        Resolver::new(&self.settings, &self.env)
            .credentials()
            .map(|(credentials, _)| credentials)
    }
}
