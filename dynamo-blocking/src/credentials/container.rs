//! Container credentials: ECS task roles and EKS Pod Identity.
//!
//! Settings (SDKs and Tools Reference Guide, "Container credential
//! provider"):
//! * `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`: a path on the ECS agent,
//!   `http://169.254.170.2` + the path. Takes precedence.
//! * `AWS_CONTAINER_CREDENTIALS_FULL_URI`: a full URL. Allowed only if it is
//!   `https`, or if its host is a loopback address, the ECS address
//!   `169.254.170.2` or the EKS Pod Identity addresses `169.254.170.23` /
//!   `fd00:ec2::23`; a host name must resolve only to such addresses.
//! * `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on every fetch, as EKS
//!   rotates it), else `AWS_CONTAINER_AUTHORIZATION_TOKEN`: the value of the
//!   `Authorization` header.
//!
//! The answer is the JSON document `AccessKeyId`, `SecretAccessKey`,
//! `Token`, `Expiration`; errors may carry `code` and `message`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, ToSocketAddrs};
use std::time::Duration;

use super::chain::Context;
use super::http::{excerpt, parse_json_credentials, Request};
use super::{CredentialsError, CredentialsErrorKind};
use crate::config::{ConfigError, Environment, Source};
use crate::Credentials;

const SOURCE: &str = "container credentials";
const RELATIVE_URI: &str = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
const FULL_URI: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
const TOKEN: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
const TOKEN_FILE: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";
const ECS_HOST: &str = "http://169.254.170.2";
/// The agents answer locally; the Rust SDK allows 2 s to connect and 5 s
/// in all.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
const TOTAL_TIMEOUT: Duration = Duration::from_secs(5);

fn invalid(what: String) -> CredentialsError {
    CredentialsError::of(SOURCE, CredentialsErrorKind::InvalidConfig, what)
}

/// The URL to ask, or `None` when neither variable is set.
fn url(env: &Environment) -> Result<Option<String>, CredentialsError> {
    if let Some(path) = env.get_trimmed(RELATIVE_URI) {
        let path = if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        };
        return Ok(Some(format!("{ECS_HOST}{path}")));
    }
    let Some(url) = env.get_trimmed(FULL_URI) else {
        return Ok(None);
    };
    check_full_uri(&url)?;
    Ok(Some(url))
}

/// The SDKs' rule for `AWS_CONTAINER_CREDENTIALS_FULL_URI`.
fn check_full_uri(url: &str) -> Result<(), CredentialsError> {
    let uri: ureq::http::Uri = url
        .parse()
        .map_err(|e| invalid(format!("{FULL_URI} is not a valid URL: {e}")))?;
    match uri.scheme_str() {
        Some("https") => return Ok(()),
        Some("http") => {}
        _ => return Err(invalid(format!("{FULL_URI} must be an http or https URL"))),
    }
    let host = uri
        .host()
        .ok_or_else(|| invalid(format!("{FULL_URI} has no host")))?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let addresses: Vec<IpAddr> = match bare.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => (bare, uri.port_u16().unwrap_or(80))
            .to_socket_addrs()
            .map_err(|e| invalid(format!("{FULL_URI} host {host} cannot be resolved: {e}")))?
            .map(|a| a.ip())
            .collect(),
    };
    if !addresses.is_empty() && addresses.iter().all(is_allowed) {
        return Ok(());
    }
    Err(invalid(format!(
        "{FULL_URI} host {host} is not allowed over plain http: only loopback, \
         169.254.170.2, 169.254.170.23 and fd00:ec2::23 are (or use https)"
    )))
}

fn is_allowed(ip: &IpAddr) -> bool {
    const ECS: Ipv4Addr = Ipv4Addr::new(169, 254, 170, 2);
    const EKS: Ipv4Addr = Ipv4Addr::new(169, 254, 170, 23);
    const EKS_V6: Ipv6Addr = Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x23);
    match ip {
        IpAddr::V4(v4) => v4.is_loopback() || *v4 == ECS || *v4 == EKS,
        IpAddr::V6(v6) => v6.is_loopback() || *v6 == EKS_V6,
    }
}

/// The authorization header value, if one is configured.
fn authorization(env: &Environment) -> Result<Option<String>, CredentialsError> {
    let token = match env.get_trimmed(TOKEN_FILE) {
        Some(path) => std::fs::read_to_string(&path)
            .map_err(|e| {
                CredentialsError::of(
                    SOURCE,
                    CredentialsErrorKind::UnreadableFile,
                    format!("cannot read {TOKEN_FILE} {path}: {e}"),
                )
            })?
            .trim()
            .to_string(),
        None => match env.get_trimmed(TOKEN) {
            Some(token) => token,
            None => return Ok(None),
        },
    };
    if token.contains(['\r', '\n']) {
        return Err(invalid(
            "the authorization token spans several lines".to_string(),
        ));
    }
    Ok(Some(token))
}

fn fetch(env: &Environment, url: &str) -> Result<Credentials, CredentialsError> {
    let token = authorization(env)?;
    let headers: Vec<(&str, &str)> = token
        .as_deref()
        .map(|t| vec![("authorization", t)])
        .unwrap_or_default();
    let answer = Request {
        source: SOURCE,
        method: "GET",
        url,
        headers: &headers,
        body: None,
        connect_timeout: CONNECT_TIMEOUT,
        total_timeout: TOTAL_TIMEOUT,
        direct: true,
    }
    .send()?;
    if answer.status != 200 {
        #[derive(serde::Deserialize)]
        struct ErrorDoc {
            code: Option<String>,
            message: Option<String>,
        }
        let doc = serde_json::from_str::<ErrorDoc>(&answer.body).ok();
        return Err(match doc.and_then(|d| d.code.map(|c| (c, d.message))) {
            Some((code, message)) => CredentialsError::of(
                SOURCE,
                CredentialsErrorKind::Refused { code: code.clone() },
                format!(
                    "{url} answered HTTP {} {code}: {}",
                    answer.status,
                    message.unwrap_or_default()
                ),
            ),
            None => CredentialsError::of(
                SOURCE,
                CredentialsErrorKind::HttpStatus(answer.status),
                format!(
                    "{url} answered HTTP {}: {:?}",
                    answer.status,
                    excerpt(&answer.body)
                ),
            ),
        });
    }
    parse_json_credentials(SOURCE, &answer.body)
}

/// The chain's step: skipped when neither URI variable is set.
pub(crate) fn load(
    cx: &Context<'_>,
    looked_at: &mut Vec<String>,
) -> Result<Option<(Credentials, Source)>, ConfigError> {
    let Some(url) = url(cx.env)? else {
        looked_at.push(format!("{SOURCE} ({RELATIVE_URI}/{FULL_URI} not set)"));
        return Ok(None);
    };
    let credentials = fetch(cx.env, &url)?;
    Ok(Some((
        credentials,
        Source::Provider(format!("{SOURCE} ({url})")),
    )))
}

/// For `credential_source = EcsContainer`: here a missing setting is an error.
pub(crate) fn credentials(env: &Environment) -> Result<Credentials, CredentialsError> {
    match url(env)? {
        Some(url) => fetch(env, &url),
        None => Err(CredentialsError::of(
            SOURCE,
            CredentialsErrorKind::NotConfigured,
            format!("{RELATIVE_URI} and {FULL_URI} are not set"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_uri_hosts() {
        for ok in [
            "https://example.com/creds",
            "http://127.0.0.1:8080/creds",
            "http://127.0.0.2/creds",
            "http://[::1]:80/creds",
            "http://169.254.170.2/creds",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/v1/credentials",
            "http://localhost:9/creds",
        ] {
            assert!(check_full_uri(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://10.0.0.1/creds",
            "http://169.254.169.254/creds",
            "http://[fd00:ec2::254]/creds",
            "ftp://127.0.0.1/creds",
            "not a url",
        ] {
            let err = check_full_uri(bad).unwrap_err();
            assert_eq!(err.kind(), &CredentialsErrorKind::InvalidConfig, "{bad}");
        }
    }

    #[test]
    fn relative_uri_goes_to_the_ecs_agent_and_wins() {
        let env = Environment::from_pairs([
            (RELATIVE_URI, "/v2/credentials/abc"),
            (FULL_URI, "http://127.0.0.1/ignored"),
        ]);
        assert_eq!(
            url(&env).unwrap().as_deref(),
            Some("http://169.254.170.2/v2/credentials/abc")
        );
        assert_eq!(url(&Environment::empty()).unwrap(), None);
    }

    #[test]
    fn token_file_wins_over_token() {
        let dir = std::env::temp_dir().join(format!("dynamo-rs-container-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("token");
        std::fs::write(&file, "from-file\n").unwrap();
        let env =
            Environment::from_pairs([(TOKEN, "from-env"), (TOKEN_FILE, file.to_str().unwrap())]);
        assert_eq!(authorization(&env).unwrap().as_deref(), Some("from-file"));
        let env = Environment::from_pairs([(TOKEN, "from-env")]);
        assert_eq!(authorization(&env).unwrap().as_deref(), Some("from-env"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
