//! AWS STS: `AssumeRole` (signed with SigV4 for service `sts`) and
//! `AssumeRoleWithWebIdentity` (unsigned: the token is the proof), over the
//! Query protocol: a form-encoded POST answered in XML.
//!
//! Wire format (STS API Reference): `Action`, `Version=2011-06-15`,
//! `RoleArn`, `RoleSessionName`, optional `DurationSeconds` and
//! `ExternalId` (AssumeRole) or `WebIdentityToken`; the answer's
//! `…Result/Credentials` holds `AccessKeyId`, `SecretAccessKey`,
//! `SessionToken` and `Expiration`; errors are
//! `ErrorResponse/Error/{Code,Message}`.
//!
//! Endpoint: `AWS_ENDPOINT_URL_STS` if set, else the regional endpoint
//! `https://sts.REGION.amazonaws.com` (`.amazonaws.com.cn` in China), with
//! `us-east-1` when no region is configured.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::Utc;

use super::chain::Context;
use super::http::{excerpt, Request};
use super::{CredentialsError, CredentialsErrorKind};
use crate::config::{ConfigError, Environment, Source};
use crate::sigv4::{sign, SignableRequest, SigningParams, SigningSettings};
use crate::Credentials;

const ENDPOINT_URL_STS: &str = "AWS_ENDPOINT_URL_STS";
const WEB_IDENTITY_TOKEN_FILE: &str = "AWS_WEB_IDENTITY_TOKEN_FILE";
const ROLE_ARN: &str = "AWS_ROLE_ARN";
const ROLE_SESSION_NAME: &str = "AWS_ROLE_SESSION_NAME";
const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const TOTAL_TIMEOUT: Duration = Duration::from_secs(10);

/// A role to assume, as a profile describes it.
#[derive(Clone, Debug)]
pub(crate) struct Role {
    pub role_arn: String,
    pub external_id: Option<String>,
    pub session_name: Option<String>,
    pub duration_seconds: Option<u32>,
}

/// Where STS requests go, and the region they are signed for.
pub(crate) struct Sts {
    url: String,
    region: String,
}

impl Sts {
    pub(crate) fn new(env: &Environment, region: Option<&str>) -> Sts {
        let region = region.unwrap_or("us-east-1").to_string();
        let url = match env.get_trimmed(ENDPOINT_URL_STS) {
            Some(url) => url,
            None if region.starts_with("cn-") => format!("https://sts.{region}.amazonaws.com.cn"),
            None => format!("https://sts.{region}.amazonaws.com"),
        };
        Sts { url, region }
    }

    /// `AssumeRole` with `source` credentials.
    pub(crate) fn assume_role(
        &self,
        source: &Credentials,
        role: &Role,
    ) -> Result<Credentials, CredentialsError> {
        let name = format!("assume role {}", role.role_arn);
        let session = role
            .session_name
            .clone()
            .unwrap_or_else(default_session_name);
        let mut form = vec![
            ("Action", "AssumeRole".to_string()),
            ("Version", "2011-06-15".to_string()),
            ("RoleArn", role.role_arn.clone()),
            ("RoleSessionName", session),
        ];
        if let Some(seconds) = role.duration_seconds {
            form.push(("DurationSeconds", seconds.to_string()));
        }
        if let Some(id) = &role.external_id {
            form.push(("ExternalId", id.clone()));
        }
        self.call(&name, &form, Some(source))
    }

    /// `AssumeRoleWithWebIdentity` with the token read from `token_file`.
    pub(crate) fn assume_role_with_web_identity(
        &self,
        role_arn: &str,
        token_file: &str,
        session_name: Option<&str>,
    ) -> Result<Credentials, CredentialsError> {
        let name = format!("web identity {role_arn}");
        let token = std::fs::read_to_string(token_file).map_err(|e| {
            CredentialsError::of(
                &name,
                CredentialsErrorKind::UnreadableFile,
                format!("cannot read the web identity token file {token_file}: {e}"),
            )
        })?;
        let form = [
            ("Action", "AssumeRoleWithWebIdentity".to_string()),
            ("Version", "2011-06-15".to_string()),
            ("RoleArn", role_arn.to_string()),
            (
                "RoleSessionName",
                session_name
                    .map(str::to_string)
                    .unwrap_or_else(default_session_name),
            ),
            ("WebIdentityToken", token.trim().to_string()),
        ];
        self.call(&name, &form, None)
    }

    fn call(
        &self,
        source: &str,
        form: &[(&str, String)],
        signing: Option<&Credentials>,
    ) -> Result<Credentials, CredentialsError> {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let uri: ureq::http::Uri = self.url.parse().map_err(|e| {
            CredentialsError::of(
                source,
                CredentialsErrorKind::InvalidConfig,
                format!("bad STS endpoint {}: {e}", self.url),
            )
        })?;
        let host = uri
            .authority()
            .map(|a| a.as_str().to_string())
            .unwrap_or_default();
        let path = match uri.path() {
            "" => "/",
            path => path,
        };
        let unsigned = [("content-type", CONTENT_TYPE), ("host", host.as_str())];
        let signed = signing.map(|credentials| {
            sign(
                &SignableRequest {
                    method: "POST",
                    url_path: path,
                    query: "",
                    headers: &unsigned,
                    payload: body.as_bytes(),
                },
                &SigningParams {
                    credentials,
                    region: &self.region,
                    service: "sts",
                    time: Utc::now(),
                    settings: SigningSettings::default(),
                },
            )
        });
        let mut headers: Vec<(&str, &str)> = vec![("content-type", CONTENT_TYPE)];
        if let Some(signed) = &signed {
            headers.extend(signed.headers.iter().map(|(k, v)| (*k, v.as_str())));
        }
        let answer = Request {
            source,
            method: "POST",
            url: &self.url,
            headers: &headers,
            body: Some(body.as_bytes()),
            connect_timeout: CONNECT_TIMEOUT,
            total_timeout: TOTAL_TIMEOUT,
            direct: false,
        }
        .send()?;
        parse_answer(source, answer.status, &answer.body)
    }
}

/// The SDKs name sessions after themselves and the time when the profile
/// does not.
fn default_session_name() -> String {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    format!("dynamo-rs-{millis}")
}

/// `application/x-www-form-urlencoded` with RFC 3986 unreserved characters
/// kept and everything else percent-encoded.
pub(crate) fn form_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Reads STS's XML answer: credentials on 200, the error code otherwise.
pub(crate) fn parse_answer(
    source: &str,
    status: u16,
    body: &str,
) -> Result<Credentials, CredentialsError> {
    let malformed =
        |why: String| CredentialsError::of(source, CredentialsErrorKind::Malformed, why);
    let doc = match roxmltree::Document::parse(body) {
        Ok(doc) => doc,
        Err(e) if status == 200 => {
            return Err(malformed(format!(
                "STS answered XML that cannot be parsed: {e}"
            )))
        }
        Err(_) => {
            return Err(CredentialsError::of(
                source,
                CredentialsErrorKind::HttpStatus(status),
                format!("STS answered HTTP {status}: {:?}", excerpt(body)),
            ))
        }
    };
    let child_text = |node: roxmltree::Node<'_, '_>, name: &str| -> Option<String> {
        node.children()
            .find(|n| n.is_element() && n.tag_name().name() == name)
            .and_then(|n| n.text())
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
    };
    if status != 200 {
        let error = doc
            .descendants()
            .find(|n| n.is_element() && n.tag_name().name() == "Error");
        let code = error.and_then(|e| child_text(e, "Code"));
        let message = error
            .and_then(|e| child_text(e, "Message"))
            .unwrap_or_default();
        return Err(match code {
            Some(code) => CredentialsError::of(
                source,
                CredentialsErrorKind::Refused { code: code.clone() },
                format!("STS answered HTTP {status} {code}: {message}"),
            ),
            None => CredentialsError::of(
                source,
                CredentialsErrorKind::HttpStatus(status),
                format!("STS answered HTTP {status}: {:?}", excerpt(body)),
            ),
        });
    }
    let node = doc
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "Credentials")
        .ok_or_else(|| malformed("STS answer has no Credentials element".to_string()))?;
    let field = |name: &str| {
        child_text(node, name)
            .ok_or_else(|| malformed(format!("STS answer's Credentials has no {name}")))
    };
    let expiration = field("Expiration")?;
    let expiry = super::http::parse_time(source, &expiration)?;
    Ok(
        Credentials::new(field("AccessKeyId")?, field("SecretAccessKey")?)
            .with_session_token(field("SessionToken")?)
            .with_expiry(expiry),
    )
}

/// The chain's step: web identity from `AWS_WEB_IDENTITY_TOKEN_FILE` and
/// `AWS_ROLE_ARN` (+ `AWS_ROLE_SESSION_NAME`), as on EKS with IRSA.
pub(crate) fn web_identity_from_env(
    cx: &Context<'_>,
    looked_at: &mut Vec<String>,
) -> Result<Option<(Credentials, Source)>, ConfigError> {
    let file = cx.env.get_trimmed(WEB_IDENTITY_TOKEN_FILE);
    let role = cx.env.get_trimmed(ROLE_ARN);
    let (file, role) = match (file, role) {
        (Some(file), Some(role)) => (file, role),
        (None, None) => {
            looked_at.push(format!(
                "web identity ({WEB_IDENTITY_TOKEN_FILE}/{ROLE_ARN} not set)"
            ));
            return Ok(None);
        }
        // A token file without its role is a broken setup (an error, as in
        // the Rust SDK); AWS_ROLE_ARN alone is common for other tools and
        // only skips this source.
        (Some(_), None) => {
            return Err(CredentialsError::of(
                "web identity",
                CredentialsErrorKind::InvalidConfig,
                format!("{WEB_IDENTITY_TOKEN_FILE} is set but {ROLE_ARN} is not"),
            )
            .into())
        }
        (None, Some(_)) => {
            looked_at.push(format!(
                "web identity ({ROLE_ARN} set but {WEB_IDENTITY_TOKEN_FILE} not)"
            ));
            return Ok(None);
        }
    };
    let session = cx.env.get_trimmed(ROLE_SESSION_NAME);
    let credentials = Sts::new(cx.env, cx.region).assume_role_with_web_identity(
        &role,
        &file,
        session.as_deref(),
    )?;
    Ok(Some((
        credentials,
        Source::Provider(format!(
            "web identity {role} (environment {WEB_IDENTITY_TOKEN_FILE})"
        )),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding_keeps_unreserved_only() {
        assert_eq!(
            form_encode("arn:aws:iam::1:role/a b+c~"),
            "arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa%20b%2Bc~"
        );
    }

    #[test]
    fn error_answers_are_typed() {
        let body = r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error>
  <RequestId>r</RequestId></ErrorResponse>"#;
        let err = parse_answer("assume role x", 403, body).unwrap_err();
        assert_eq!(
            err.kind(),
            &CredentialsErrorKind::Refused {
                code: "AccessDenied".into()
            }
        );
        assert!(err.to_string().contains("not allowed"), "{err}");
        let err = parse_answer("assume role x", 200, "<oops").unwrap_err();
        assert_eq!(err.kind(), &CredentialsErrorKind::Malformed);
        let err = parse_answer("assume role x", 200, "<A><B/></A>").unwrap_err();
        assert_eq!(err.kind(), &CredentialsErrorKind::Malformed);
        let err = parse_answer("assume role x", 502, "<html>bad gateway").unwrap_err();
        assert_eq!(err.kind(), &CredentialsErrorKind::HttpStatus(502));
    }
}
