//! IAM Identity Center (SSO): role credentials for the token that
//! `aws sso login` left in the SSO cache.
//!
//! Profile forms (SDKs and Tools Reference Guide, "IAM Identity Center
//! credential provider"):
//! * `sso_session = NAME` with a `[sso-session NAME]` section holding
//!   `sso_start_url` and `sso_region`; the token is in
//!   `~/.aws/sso/cache/<SHA-1 of NAME>.json` and is refreshed through
//!   SSO-OIDC `CreateToken` (grant `refresh_token`) when it has a refresh
//!   token and expires within five minutes; the refreshed token is written
//!   back to the cache;
//! * legacy: `sso_start_url` and `sso_region` in the profile; the cache file
//!   is named by the SHA-1 of the start URL and is never refreshed.
//!
//! Both need `sso_account_id` and `sso_role_name`. Credentials come from
//! the portal's `GetRoleCredentials` (`GET /federation/credentials?
//! account_id=..&role_name=..` with header `x-amz-sso_bearer_token`),
//! answered `{"roleCredentials": {"accessKeyId", "secretAccessKey",
//! "sessionToken", "expiration" (epoch milliseconds)}}`.
//!
//! Endpoints: `AWS_ENDPOINT_URL_SSO` (else
//! `https://portal.sso.REGION.amazonaws.com`) and `AWS_ENDPOINT_URL_SSO_OIDC`
//! (else `https://oidc.REGION.amazonaws.com`).

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sha1::{Digest, Sha1};

use super::http::{excerpt, parse_time, Request};
use super::{CredentialsError, CredentialsErrorKind};
use crate::config::resolver::{home_dir, Profiles};
use crate::config::{ConfigError, Environment};
use crate::Credentials;

const ENDPOINT_URL_SSO: &str = "AWS_ENDPOINT_URL_SSO";
const ENDPOINT_URL_SSO_OIDC: &str = "AWS_ENDPOINT_URL_SSO_OIDC";
/// Tokens this close to expiry are refreshed first (the SDKs' window).
const REFRESH_WINDOW: Duration = Duration::from_secs(5 * 60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const TOTAL_TIMEOUT: Duration = Duration::from_secs(10);

/// An SSO profile's settings.
pub(crate) struct SsoProfile {
    profile: String,
    /// The `sso_session` name; `None` for the legacy form.
    session: Option<String>,
    start_url: String,
    region: String,
    account_id: String,
    role_name: String,
}

impl SsoProfile {
    pub(crate) fn from_profile(
        profiles: &Profiles,
        profile: &str,
    ) -> Result<SsoProfile, ConfigError> {
        let source = format!("profile {profile}: SSO");
        let missing =
            |what: String| CredentialsError::of(&source, CredentialsErrorKind::InvalidConfig, what);
        let get = |key: &str| profiles.get(profile, key).map(|(v, _)| v.to_string());
        let session = get("sso_session");
        let (start_url, region) = match &session {
            Some(session) => {
                let from_session = |key: &str| {
                    profiles
                        .sso_session(session, key)
                        .map(|(v, _)| v.to_string())
                };
                if profiles.sso_session(session, "sso_start_url").is_none()
                    && profiles.sso_session(session, "sso_region").is_none()
                {
                    return Err(missing(format!(
                        "sso_session {session}: no [sso-session {session}] section with sso_start_url and sso_region in the config file"
                    ))
                    .into());
                }
                (
                    from_session("sso_start_url").ok_or_else(|| {
                        missing(format!("[sso-session {session}] has no sso_start_url"))
                    })?,
                    from_session("sso_region").ok_or_else(|| {
                        missing(format!("[sso-session {session}] has no sso_region"))
                    })?,
                )
            }
            None => (
                get("sso_start_url").ok_or_else(|| missing("no sso_start_url".into()))?,
                get("sso_region")
                    .ok_or_else(|| missing("no sso_region (needed with sso_start_url)".into()))?,
            ),
        };
        Ok(SsoProfile {
            profile: profile.to_string(),
            session,
            start_url,
            region,
            account_id: get("sso_account_id").ok_or_else(|| missing("no sso_account_id".into()))?,
            role_name: get("sso_role_name").ok_or_else(|| missing("no sso_role_name".into()))?,
        })
    }

    pub(crate) fn describe(&self) -> String {
        match &self.session {
            Some(session) => format!(
                "SSO session {session} (account {}, role {})",
                self.account_id, self.role_name
            ),
            None => format!(
                "SSO {} (account {}, role {})",
                self.start_url, self.account_id, self.role_name
            ),
        }
    }

    fn source(&self) -> String {
        format!("profile {}: SSO", self.profile)
    }

    fn error(&self, kind: CredentialsErrorKind, what: impl Into<String>) -> CredentialsError {
        CredentialsError::of(self.source(), kind, what)
    }

    /// The token cache file.
    fn cache_file(&self, env: &Environment) -> Result<PathBuf, CredentialsError> {
        let key = self.session.as_deref().unwrap_or(&self.start_url);
        let digest = Sha1::digest(key.as_bytes());
        let name: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        let home = home_dir(env).ok_or_else(|| {
            self.error(
                CredentialsErrorKind::NotConfigured,
                "no home directory (HOME, USERPROFILE) to find the SSO cache in",
            )
        })?;
        Ok(home
            .join(".aws")
            .join("sso")
            .join("cache")
            .join(format!("{name}.json")))
    }

    /// Role credentials through the cached (and if need be refreshed) token.
    pub(crate) fn credentials(&self, env: &Environment) -> Result<Credentials, CredentialsError> {
        let token = self.token(env)?;
        let base = env
            .get_trimmed(ENDPOINT_URL_SSO)
            .unwrap_or_else(|| format!("https://portal.sso.{}.amazonaws.com", self.region));
        let url = format!(
            "{}/federation/credentials?account_id={}&role_name={}",
            base.trim_end_matches('/'),
            super::sts::form_encode(&self.account_id),
            super::sts::form_encode(&self.role_name)
        );
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Answer {
            role_credentials: RoleCredentials,
        }
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct RoleCredentials {
            access_key_id: String,
            secret_access_key: String,
            session_token: Option<String>,
            expiration: u64,
        }
        let parsed: Answer = self.call(
            "GetRoleCredentials",
            "GET",
            &url,
            &[("x-amz-sso_bearer_token", &token)],
            None,
        )?;
        let role = parsed.role_credentials;
        let mut credentials = Credentials::new(role.access_key_id, role.secret_access_key)
            .with_expiry(UNIX_EPOCH + Duration::from_millis(role.expiration));
        if let Some(token) = role.session_token.filter(|t| !t.is_empty()) {
            credentials = credentials.with_session_token(token);
        }
        Ok(credentials)
    }

    /// The access token from the cache, refreshed through `CreateToken`
    /// when it is close to expiry and the session form allows it.
    fn token(&self, env: &Environment) -> Result<String, CredentialsError> {
        let path = self.cache_file(env)?;
        let login = format!("run `aws sso login --profile {}`", self.profile);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            self.error(
                CredentialsErrorKind::UnreadableFile,
                format!(
                    "cannot read the SSO token cache {} ({e}); {login}",
                    path.display()
                ),
            )
        })?;
        let malformed = |why: String| {
            self.error(
                CredentialsErrorKind::Malformed,
                format!("the SSO token cache {} is not valid: {why}", path.display()),
            )
        };
        let mut cached: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| malformed(super::http::json_error(&e)))?;
        let field = |v: &serde_json::Value, name: &str| {
            v.get(name).and_then(|f| f.as_str()).map(str::to_string)
        };
        let access_token =
            field(&cached, "accessToken").ok_or_else(|| malformed("no accessToken".into()))?;
        let expires_at =
            field(&cached, "expiresAt").ok_or_else(|| malformed("no expiresAt".into()))?;
        let expires_at = parse_time(&self.source(), &expires_at)?;
        let now = SystemTime::now();
        if now + REFRESH_WINDOW < expires_at {
            return Ok(access_token);
        }
        let refreshable = self.session.is_some()
            && ["refreshToken", "clientId", "clientSecret"]
                .iter()
                .all(|k| field(&cached, k).is_some())
            && field(&cached, "registrationExpiresAt")
                .and_then(|t| parse_time(&self.source(), &t).ok())
                .is_none_or(|t| now < t);
        let refreshed = if refreshable {
            Some(self.create_token(env, &cached))
        } else {
            None
        };
        match refreshed {
            Some(Ok((token, expires_in, refresh_token))) => {
                let expiry = now + Duration::from_secs(expires_in);
                cached["accessToken"] = token.clone().into();
                cached["expiresAt"] = chrono::DateTime::<chrono::Utc>::from(expiry)
                    .format("%Y-%m-%dT%H:%M:%SZ")
                    .to_string()
                    .into();
                if let Some(refresh_token) = refresh_token {
                    cached["refreshToken"] = refresh_token.into();
                }
                // Best effort, like the SDKs: a read-only cache still works
                // for this process.
                let _ = std::fs::write(&path, cached.to_string());
                Ok(token)
            }
            Some(Err(_)) | None if now < expires_at => Ok(access_token),
            Some(Err(e)) => Err(e),
            None => Err(self.error(
                CredentialsErrorKind::Expired,
                format!("the SSO token in {} has expired; {login}", path.display()),
            )),
        }
    }

    /// SSO-OIDC `CreateToken` with the refresh token: (access token,
    /// seconds it lives, new refresh token).
    fn create_token(
        &self,
        env: &Environment,
        cached: &serde_json::Value,
    ) -> Result<(String, u64, Option<String>), CredentialsError> {
        let base = env
            .get_trimmed(ENDPOINT_URL_SSO_OIDC)
            .unwrap_or_else(|| format!("https://oidc.{}.amazonaws.com", self.region));
        let request = serde_json::json!({
            "clientId": cached["clientId"],
            "clientSecret": cached["clientSecret"],
            "grantType": "refresh_token",
            "refreshToken": cached["refreshToken"],
        });
        let body = request.to_string();
        let url = format!("{}/token", base.trim_end_matches('/'));
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Answer {
            access_token: String,
            expires_in: u64,
            refresh_token: Option<String>,
        }
        let parsed: Answer = self.call(
            "SSO-OIDC CreateToken",
            "POST",
            &url,
            &[("content-type", "application/json")],
            Some(body.as_bytes()),
        )?;
        Ok((parsed.access_token, parsed.expires_in, parsed.refresh_token))
    }

    /// One call to the portal or SSO-OIDC: a 200 answer parsed as `T`.
    fn call<T: serde::de::DeserializeOwned>(
        &self,
        what: &str,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Result<T, CredentialsError> {
        let answer = Request {
            source: &self.source(),
            method,
            url,
            headers,
            body,
            connect_timeout: CONNECT_TIMEOUT,
            total_timeout: TOTAL_TIMEOUT,
            direct: false,
        }
        .send()?;
        if answer.status != 200 {
            return Err(self.error(
                CredentialsErrorKind::HttpStatus(answer.status),
                format!(
                    "{what} answered HTTP {}: {:?}",
                    answer.status,
                    excerpt(&answer.body)
                ),
            ));
        }
        serde_json::from_str(&answer.body).map_err(|e| {
            self.error(
                CredentialsErrorKind::Malformed,
                format!(
                    "{what} answer is not the expected JSON: {}",
                    super::http::json_error(&e)
                ),
            )
        })
    }
}
