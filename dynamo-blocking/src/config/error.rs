//! Errors of configuration resolution, and where a setting came from.

use std::fmt;
use std::path::PathBuf;

use crate::CredentialsError;

/// Where a resolved setting (or a rejected value) came from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Source {
    /// Given in code, through [`Settings`](super::Settings).
    Explicit,
    /// An environment variable, by name. For credentials this is
    /// `AWS_ACCESS_KEY_ID` (the secret and token come from their companions).
    EnvVar(&'static str),
    /// A section of a shared file, e.g. `~/.aws/config` and `profile dev`.
    SharedFile {
        /// The file.
        path: PathBuf,
        /// The section header without brackets: `default`, `dev` (credentials
        /// file), `profile dev` or `services local` (config file).
        section: String,
    },
    /// The built-in default (the standard AWS endpoint of the region).
    Default,
    /// The EC2 instance metadata service (a region when nothing else gives
    /// one).
    InstanceMetadata,
    /// A credentials provider, by description, e.g.
    /// `container credentials (http://127.0.0.1:8080/creds)` or
    /// `profile dev: assume role arn:aws:iam::123456789012:role/r`.
    Provider(String),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Explicit => f.write_str("explicit settings"),
            Source::EnvVar(name) => write!(f, "environment variable {name}"),
            Source::SharedFile { path, section } => write!(f, "{} [{section}]", path.display()),
            Source::Default => f.write_str("built-in default"),
            Source::InstanceMetadata => f.write_str("EC2 instance metadata"),
            Source::Provider(name) => f.write_str(name),
        }
    }
}

/// Why configuration could not be resolved.
///
/// Neither `Display` nor `Debug` ever includes a secret access key or a
/// session token: errors only name variables, files, profiles and keys.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// No source provided credentials. `looked_at` lists every place that
    /// was checked, in order, each with a short note on what was missing.
    MissingCredentials {
        /// The places checked, e.g. `/home/me/.aws/credentials [default] (file not found)`.
        looked_at: Vec<String>,
    },
    /// A source provided half of a key pair: an access key id without its
    /// secret or the other way round. Resolution stops there rather than
    /// silently falling back to a different identity.
    IncompleteCredentials {
        /// Where the half pair was found.
        origin: Source,
        /// The name of the variable or key that is set.
        present: &'static str,
        /// The name of the variable or key that is missing.
        missing: &'static str,
    },
    /// No source provided a region.
    MissingRegion {
        /// The places checked, in order.
        looked_at: Vec<String>,
    },
    /// A region was found but cannot be used.
    InvalidRegion {
        /// The rejected region.
        region: String,
        /// Where it came from.
        origin: Source,
        /// What is wrong with it.
        reason: String,
    },
    /// A profile selected by name (in code or with `AWS_PROFILE`) exists in
    /// neither shared file. (A missing `default` profile is not an error.)
    ProfileNotFound {
        /// The profile name.
        profile: String,
        /// Where the name came from.
        origin: Source,
        /// The files searched, each with the section looked for.
        looked_at: Vec<String>,
    },
    /// A shared file exists but could not be read (a missing file is not an
    /// error: it is simply skipped).
    UnreadableFile {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        error: std::io::Error,
    },
    /// An endpoint URL is not a valid `http`/`https` URL.
    InvalidEndpoint {
        /// The rejected URL (any `user:password@` replaced by `***@`).
        value: String,
        /// Where it came from.
        origin: Source,
        /// What is wrong with it.
        reason: String,
    },
    /// A credentials source is configured but failed (an unreachable or
    /// malformed answer, a profile cycle, a failed process...). The error
    /// names the source.
    Credentials(CredentialsError),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MissingCredentials { looked_at } => {
                write!(
                    f,
                    "no AWS credentials found; looked at: {}",
                    looked_at.join("; ")
                )
            }
            ConfigError::IncompleteCredentials {
                origin,
                present,
                missing,
            } => write!(
                f,
                "incomplete AWS credentials in {origin}: {present} is set but {missing} is missing"
            ),
            ConfigError::MissingRegion { looked_at } => {
                write!(
                    f,
                    "no AWS region configured; looked at: {}",
                    looked_at.join("; ")
                )
            }
            ConfigError::InvalidRegion {
                region,
                origin,
                reason,
            } => write!(f, "invalid AWS region {region:?} from {origin}: {reason}"),
            ConfigError::ProfileNotFound {
                profile,
                origin,
                looked_at,
            } => write!(
                f,
                "AWS profile {profile:?} (selected by {origin}) was not found; looked in: {}",
                looked_at.join("; ")
            ),
            ConfigError::UnreadableFile { path, error } => {
                write!(f, "cannot read AWS shared file {}: {error}", path.display())
            }
            ConfigError::InvalidEndpoint {
                value,
                origin,
                reason,
            } => write!(
                f,
                "invalid DynamoDB endpoint {value:?} from {origin}: {reason}"
            ),
            ConfigError::Credentials(e) => e.fmt(f),
        }
    }
}

/// `source()` passes on the inner error's own source: `Display` already
/// printed the inner error, and an error chain should print it once.
impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigError::UnreadableFile { error, .. } => error.source(),
            // Display prints the credentials error itself, so it is not
            // repeated as the source.
            _ => None,
        }
    }
}
