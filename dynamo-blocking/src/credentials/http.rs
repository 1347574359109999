//! The small HTTP client credential sources share: bounded in time, no
//! redirects, every failure a [`CredentialsError`] naming the source.

use std::io::Read;
use std::time::{Duration, SystemTime};

use super::{CredentialsError, CredentialsErrorKind};
use crate::Credentials;

/// Largest answer read from a credentials service: real ones are a few KB.
const MAX_BODY: u64 = 1024 * 1024;

/// An answer: status and body text.
pub(crate) struct Answer {
    pub status: u16,
    pub body: String,
}

/// One request to a credentials service.
pub(crate) struct Request<'a> {
    pub source: &'a str,
    pub method: &'a str,
    pub url: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    pub body: Option<&'a [u8]>,
    /// Connect timeout, and the bound on the whole exchange.
    pub connect_timeout: Duration,
    pub total_timeout: Duration,
    /// Bypass any proxy from the environment (instance metadata and
    /// container agents are local to the machine, as the SDKs treat them).
    pub direct: bool,
}

impl Request<'_> {
    /// Sends the request and reads the answer, whatever its status.
    pub(crate) fn send(&self) -> Result<Answer, CredentialsError> {
        let mut config = ureq::Agent::config_builder();
        if self.direct {
            config = config.proxy(None);
        }
        let config = config
            .http_status_as_error(false)
            .timeout_connect(Some(self.connect_timeout))
            .timeout_global(Some(self.total_timeout))
            .max_redirects(0)
            .user_agent(concat!("dynamo-rs/", env!("CARGO_PKG_VERSION")))
            .build();
        let agent = ureq::Agent::new_with_config(config);
        let fail = |kind, what: String| CredentialsError::of(self.source, kind, what);
        let uri: ureq::http::Uri = self.url.parse().map_err(|e| {
            fail(
                CredentialsErrorKind::InvalidConfig,
                format!("bad URL {}: {e}", self.url),
            )
        })?;
        let mut builder = ureq::http::Request::builder().method(self.method).uri(uri);
        for (name, value) in self.headers {
            builder = builder.header(*name, *value);
        }
        let result = match self.body {
            Some(body) => builder
                .body(body.to_vec())
                .map_err(|e| fail(CredentialsErrorKind::InvalidConfig, e.to_string()))
                .map(|r| agent.run(r)),
            None => builder
                .body(())
                .map_err(|e| fail(CredentialsErrorKind::InvalidConfig, e.to_string()))
                .map(|r| agent.run(r)),
        }?;
        let mut response = result.map_err(|e| self.transport_error(e))?;
        let status = response.status().as_u16();
        let mut bytes = Vec::new();
        response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .reader()
            .read_to_end(&mut bytes)
            .map_err(|e| self.transport_error(ureq::Error::from(e)))?;
        Ok(Answer {
            status,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        })
    }

    fn transport_error(&self, e: ureq::Error) -> CredentialsError {
        let timed_out = match &e {
            ureq::Error::Timeout(_) => true,
            ureq::Error::Io(io) => matches!(
                io.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            ),
            _ => false,
        };
        if timed_out {
            CredentialsError::of(
                self.source,
                CredentialsErrorKind::Timeout,
                format!(
                    "no answer from {} within {:?}",
                    self.url, self.total_timeout
                ),
            )
        } else {
            CredentialsError::of(
                self.source,
                CredentialsErrorKind::Unreachable,
                format!("cannot reach {}: {e}", self.url),
            )
        }
    }
}

/// The first 200 characters of an error answer (never of a 200 answer,
/// which may carry credentials), for messages.
pub(crate) fn excerpt(body: &str) -> String {
    body.chars().take(200).collect()
}

/// The JSON credentials document of instance metadata and container
/// credential servers: `AccessKeyId`, `SecretAccessKey`, `Token`,
/// `Expiration` (RFC 3339), and for instance metadata a `Code` that must be
/// `Success`.
#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct JsonCredentials {
    code: Option<String>,
    access_key_id: String,
    secret_access_key: String,
    token: Option<String>,
    expiration: Option<String>,
}

/// Parses a JSON credentials document (see [`JsonCredentials`]).
pub(crate) fn parse_json_credentials(
    source: &str,
    body: &str,
) -> Result<Credentials, CredentialsError> {
    let malformed = |why: String| {
        CredentialsError::of(
            source,
            CredentialsErrorKind::Malformed,
            format!("the credentials document is not valid: {why}"),
        )
    };
    let doc: JsonCredentials = serde_json::from_str(body).map_err(|e| malformed(json_error(&e)))?;
    if let Some(code) = doc.code.filter(|c| c != "Success") {
        return Err(CredentialsError::of(
            source,
            CredentialsErrorKind::Refused { code: code.clone() },
            format!("the credentials document says {code:?} instead of \"Success\""),
        ));
    }
    let mut credentials = Credentials::new(doc.access_key_id, doc.secret_access_key);
    if let Some(token) = doc.token.filter(|t| !t.is_empty()) {
        credentials = credentials.with_session_token(token);
    }
    if let Some(expiration) = doc.expiration {
        credentials = credentials.with_expiry(parse_time(source, &expiration)?);
    }
    Ok(credentials)
}

/// Parses an RFC 3339 time (`2024-05-01T08:00:00Z`).
pub(crate) fn parse_time(source: &str, text: &str) -> Result<SystemTime, CredentialsError> {
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .map(SystemTime::from)
        .map_err(|e| {
            CredentialsError::of(
                source,
                CredentialsErrorKind::Malformed,
                format!("expiration {text:?} is not an RFC 3339 time: {e}"),
            )
        })
}

/// What is wrong with a JSON document, without quoting it: serde_json's
/// "invalid type" messages quote the value, which may be a secret.
pub(crate) fn json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let text = e.to_string();
    let at = format!("line {} column {}", e.line(), e.column());
    match e.classify() {
        Category::Data
            if text.starts_with("missing field") || text.starts_with("unknown field") =>
        {
            text
        }
        Category::Data => format!("a field has the wrong type or value at {at}"),
        Category::Eof => format!("it ends early at {at}"),
        Category::Syntax => format!("it is not JSON (syntax error at {at})"),
        Category::Io => "it could not be read".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_errors_never_quote_values() {
        let body = r#"{"AccessKeyId": "AKID", "SecretAccessKey": ["theSecretValue"]}"#;
        let err = parse_json_credentials("test", body).unwrap_err();
        assert_eq!(err.kind(), &CredentialsErrorKind::Malformed);
        assert!(!err.to_string().contains("theSecretValue"), "{err}");
        let err = parse_json_credentials("test", r#"{"AccessKeyId": "A"}"#).unwrap_err();
        assert!(
            err.to_string().contains("missing field `SecretAccessKey`"),
            "{err}"
        );
        let err = parse_json_credentials("test", "{\"AccessKeyId\": ").unwrap_err();
        assert!(err.to_string().contains("ends early"), "{err}");
    }
}
