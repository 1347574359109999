//! EC2 instance metadata (IMDSv2 only): the instance role's credentials,
//! and the region when nothing else gives one.
//!
//! The exchange (Amazon EC2 User Guide, "Use IMDSv2"): `PUT
//! /latest/api/token` with `x-aws-ec2-metadata-token-ttl-seconds`, then
//! every `GET` carries the token in `x-aws-ec2-metadata-token`:
//! `/latest/meta-data/iam/security-credentials/` lists the role name,
//! `/latest/meta-data/iam/security-credentials/ROLE` is the credentials
//! JSON, `/latest/meta-data/placement/region` the region.
//!
//! Settings (SDKs and Tools Reference Guide, "IMDS credential provider" and
//! "Amazon EC2 instance metadata"), from the environment, else the selected
//! profile: `AWS_EC2_METADATA_DISABLED=true` (environment only) turns it
//! off; `AWS_EC2_METADATA_SERVICE_ENDPOINT` / `ec2_metadata_service_endpoint`
//! replaces the endpoint, else `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` /
//! `ec2_metadata_service_endpoint_mode` (`IPv4`: `http://169.254.169.254`,
//! `IPv6`: `http://[fd00:ec2::254]`); `AWS_METADATA_SERVICE_TIMEOUT` /
//! `metadata_service_timeout` (seconds, default 1) bounds each request and
//! `AWS_METADATA_SERVICE_NUM_ATTEMPTS` / `metadata_service_num_attempts`
//! (default 1) is how many times an unreachable or timed-out service is
//! tried. So a laptop without instance
//! metadata gives up after about a second.
//!
//! There is no fallback to IMDSv1 (tokenless requests): newer SDKs dropped
//! it, and instances may forbid it.

use std::time::Duration;

use super::chain::Context;
use super::http::{excerpt, parse_json_credentials, Request};
use super::{CredentialsError, CredentialsErrorKind};
use crate::config::resolver::Profiles;
use crate::config::{ConfigError, Environment, Source};
use crate::Credentials;

const SOURCE: &str = "EC2 instance metadata";
const DISABLED: &str = "AWS_EC2_METADATA_DISABLED";
/// Settings as (environment variable, profile key).
type Setting = (&'static str, &'static str);
const ENDPOINT: Setting = (
    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
    "ec2_metadata_service_endpoint",
);
const ENDPOINT_MODE: Setting = (
    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
    "ec2_metadata_service_endpoint_mode",
);
const TIMEOUT: Setting = ("AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout");
const NUM_ATTEMPTS: Setting = (
    "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
    "metadata_service_num_attempts",
);
const TOKEN_TTL_SECONDS: &str = "21600";
const CREDENTIALS_PATH: &str = "/latest/meta-data/iam/security-credentials/";

/// The instance metadata client, as configured by the environment.
struct Imds {
    endpoint: String,
    timeout: Duration,
    attempts: u32,
}

impl Imds {
    /// `Ok(None)` when disabled.
    fn from_settings(
        env: &Environment,
        profiles: Option<&Profiles>,
    ) -> Result<Option<Imds>, CredentialsError> {
        if env
            .get_trimmed(DISABLED)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        {
            return Ok(None);
        }
        let invalid =
            |what: String| CredentialsError::of(SOURCE, CredentialsErrorKind::InvalidConfig, what);
        let setting = |(var, key): Setting| -> Option<(String, String)> {
            if let Some(value) = env.get_trimmed(var) {
                return Some((value, var.to_string()));
            }
            let profiles = profiles?;
            let (value, _) = profiles.get(profiles.selected(), key)?;
            Some((value.trim().to_string(), key.to_string()))
        };
        let endpoint = match setting(ENDPOINT) {
            Some((url, _)) => url.trim_end_matches('/').to_string(),
            None => match setting(ENDPOINT_MODE) {
                None => "http://169.254.169.254".to_string(),
                Some((mode, _)) if mode.eq_ignore_ascii_case("ipv4") => {
                    "http://169.254.169.254".to_string()
                }
                Some((mode, _)) if mode.eq_ignore_ascii_case("ipv6") => {
                    "http://[fd00:ec2::254]".to_string()
                }
                Some((mode, name)) => {
                    return Err(invalid(format!("{name}={mode:?}: expected IPv4 or IPv6")))
                }
            },
        };
        let number =
            |which: Setting, default: u64| -> Result<u64, CredentialsError> {
                match setting(which) {
                    None => Ok(default),
                    Some((v, name)) => v.parse::<u64>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                        invalid(format!("{name}={v:?}: expected a whole number >= 1"))
                    }),
                }
            };
        Ok(Some(Imds {
            endpoint,
            timeout: Duration::from_secs(number(TIMEOUT, 1)?),
            attempts: number(NUM_ATTEMPTS, 1)?.min(10) as u32,
        }))
    }

    /// One request, tried again (up to the attempts setting) only when the
    /// service could not be reached or did not answer in time.
    fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
    ) -> Result<(u16, String), CredentialsError> {
        let url = format!("{}{path}", self.endpoint);
        let mut attempt = 1;
        loop {
            let result = Request {
                source: SOURCE,
                method,
                url: &url,
                headers,
                body: if method == "PUT" { Some(b"") } else { None },
                connect_timeout: self.timeout,
                total_timeout: self.timeout,
                direct: true,
            }
            .send();
            match result {
                Ok(answer) => return Ok((answer.status, answer.body)),
                Err(e) if attempt < self.attempts && is_unreachable(&e) => attempt += 1,
                Err(e) => return Err(e),
            }
        }
    }

    fn token(&self) -> Result<String, CredentialsError> {
        let (status, body) = self.request(
            "PUT",
            "/latest/api/token",
            &[("x-aws-ec2-metadata-token-ttl-seconds", TOKEN_TTL_SECONDS)],
        )?;
        if status != 200 {
            return Err(http_error(
                "the session token request (PUT /latest/api/token)",
                status,
                &body,
            ));
        }
        let token = body.trim().to_string();
        if token.is_empty() || token.contains(['\r', '\n']) {
            return Err(CredentialsError::of(
                SOURCE,
                CredentialsErrorKind::Malformed,
                "the session token answer is empty or spans several lines",
            ));
        }
        Ok(token)
    }

    fn get(&self, token: &str, path: &str, what: &str) -> Result<String, CredentialsError> {
        let (status, body) = self.request("GET", path, &[("x-aws-ec2-metadata-token", token)])?;
        if status != 200 {
            return Err(http_error(what, status, &body));
        }
        Ok(body)
    }

    fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let token = self.token()?;
        let roles = self.get(
            &token,
            CREDENTIALS_PATH,
            "the role listing (no IAM role attached to the instance?)",
        )?;
        let role = roles
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .ok_or_else(|| {
                CredentialsError::of(
                    SOURCE,
                    CredentialsErrorKind::Malformed,
                    "the role listing is empty: no IAM role attached to the instance",
                )
            })?;
        let body = self.get(
            &token,
            &format!("{CREDENTIALS_PATH}{role}"),
            "the role credentials",
        )?;
        parse_json_credentials(SOURCE, &body)
    }
}

fn is_unreachable(e: &CredentialsError) -> bool {
    matches!(
        e.kind(),
        CredentialsErrorKind::Unreachable | CredentialsErrorKind::Timeout
    )
}

fn http_error(what: &str, status: u16, body: &str) -> CredentialsError {
    CredentialsError::of(
        SOURCE,
        CredentialsErrorKind::HttpStatus(status),
        format!("{what} answered HTTP {status}: {:?}", excerpt(body)),
    )
}

/// The chain's step: skipped (and noted) when disabled or unreachable;
/// any other failure (a 404, a malformed answer) is an error.
pub(crate) fn load(
    cx: &Context<'_>,
    looked_at: &mut Vec<String>,
) -> Result<Option<(Credentials, Source)>, ConfigError> {
    let Some(imds) = Imds::from_settings(cx.env, cx.profiles)? else {
        looked_at.push(format!("{SOURCE} (disabled by {DISABLED})"));
        return Ok(None);
    };
    match imds.credentials() {
        Ok(credentials) => Ok(Some((
            credentials,
            Source::Provider(format!("{SOURCE} ({})", imds.endpoint)),
        ))),
        Err(e) if is_unreachable(&e) => {
            looked_at.push(format!("{SOURCE} ({})", e.message()));
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// Credentials from instance metadata, for `credential_source =
/// Ec2InstanceMetadata` (here every failure is an error).
pub(crate) fn credentials(
    env: &Environment,
    profiles: Option<&Profiles>,
) -> Result<Credentials, CredentialsError> {
    match Imds::from_settings(env, profiles)? {
        Some(imds) => imds.credentials(),
        None => Err(CredentialsError::of(
            SOURCE,
            CredentialsErrorKind::NotConfigured,
            format!("disabled by {DISABLED}"),
        )),
    }
}

/// The instance's region, or why there is none (a note for the "missing
/// region" error).
pub(crate) fn region(env: &Environment, profiles: Option<&Profiles>) -> Result<String, String> {
    let imds = match Imds::from_settings(env, profiles) {
        Ok(Some(imds)) => imds,
        Ok(None) => return Err(format!("{SOURCE} (disabled by {DISABLED})")),
        Err(e) => return Err(format!("{SOURCE} ({})", e.message())),
    };
    let token = imds
        .token()
        .map_err(|e| format!("{SOURCE} ({})", e.message()))?;
    let region = imds
        .get(&token, "/latest/meta-data/placement/region", "the region")
        .map_err(|e| format!("{SOURCE} ({})", e.message()))?;
    Ok(region.trim().to_string())
}
