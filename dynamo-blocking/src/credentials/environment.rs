//! Static keys from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
//! `AWS_SESSION_TOKEN`.

use crate::config::{ConfigError, Environment, Source};
use crate::Credentials;

const ACCESS_KEY_ID: &str = "AWS_ACCESS_KEY_ID";
const SECRET_ACCESS_KEY: &str = "AWS_SECRET_ACCESS_KEY";
const SESSION_TOKEN: &str = "AWS_SESSION_TOKEN";

/// The environment's key pair; `Ok(None)` (with a note in `looked_at`) when
/// neither variable is set; a half pair is an error rather than a silent
/// fallback to another identity.
pub(crate) fn load(
    env: &Environment,
    looked_at: &mut Vec<String>,
) -> Result<Option<(Credentials, Source)>, ConfigError> {
    let id = env.get_trimmed(ACCESS_KEY_ID);
    let secret = env.get_trimmed(SECRET_ACCESS_KEY);
    match (id, secret) {
        (Some(id), Some(secret)) => {
            let mut credentials = Credentials::new(id, secret);
            if let Some(token) = env.get_trimmed(SESSION_TOKEN) {
                credentials = credentials.with_session_token(token);
            }
            Ok(Some((credentials, Source::EnvVar(ACCESS_KEY_ID))))
        }
        (Some(_), None) => Err(ConfigError::IncompleteCredentials {
            origin: Source::EnvVar(ACCESS_KEY_ID),
            present: ACCESS_KEY_ID,
            missing: SECRET_ACCESS_KEY,
        }),
        (None, Some(_)) => Err(ConfigError::IncompleteCredentials {
            origin: Source::EnvVar(SECRET_ACCESS_KEY),
            present: SECRET_ACCESS_KEY,
            missing: ACCESS_KEY_ID,
        }),
        (None, None) => {
            looked_at.push(format!(
                "environment variables {ACCESS_KEY_ID}/{SECRET_ACCESS_KEY} (not set)"
            ));
            Ok(None)
        }
    }
}
