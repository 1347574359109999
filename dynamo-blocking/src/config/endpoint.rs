//! The DynamoDB endpoint: a validated `http` or `https` base URL.

use std::fmt;
use std::net::Ipv6Addr;
use std::str::FromStr;

/// A validated endpoint URL: scheme `http` or `https`, a host, an optional
/// port and an optional path prefix. No user-info (no `@` at all), query or
/// fragment.
///
/// The URL is normalized: scheme and host lowercase, the port left out when
/// it is the scheme's default, no trailing `/` on the path.
///
/// ```
/// use dynamo_blocking::config::Endpoint;
///
/// let local = Endpoint::parse("http://LocalHost:8000/").unwrap();
/// assert_eq!(local.url(), "http://localhost:8000");
/// assert_eq!(local.host_header(), "localhost:8000");
/// assert!(!local.is_https());
///
/// let aws = Endpoint::for_region("eu-west-1").unwrap();
/// assert_eq!(aws.url(), "https://dynamodb.eu-west-1.amazonaws.com");
/// assert_eq!(aws.port(), 443);
///
/// assert!(Endpoint::parse("localhost:8000").is_err()); // no scheme
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Endpoint {
    url: String,
    https: bool,
    host: String,
    port: u16,
    authority: String,
    path: String,
}

impl Endpoint {
    /// Parses and validates an endpoint URL such as `https://dynamodb.us-east-1.amazonaws.com`,
    /// `http://localhost:8000` or `https://proxy.example.com:8443/dynamodb`.
    ///
    /// Surrounding whitespace is ignored. Both `http` and `https` are
    /// accepted: plain http is only ever used when you ask for it.
    pub fn parse(url: &str) -> Result<Endpoint, EndpointError> {
        let fail = |reason: &str| EndpointError {
            value: redact_user_info(url.trim()),
            reason: reason.to_string(),
        };
        let input = url.trim();
        if input.is_empty() {
            return Err(fail("the URL is empty"));
        }
        let Some((scheme, rest)) = input.split_once("://") else {
            return Err(fail(
                "missing scheme: expected a URL starting with http:// or https://",
            ));
        };
        let https = match scheme.to_ascii_lowercase().as_str() {
            "https" => true,
            "http" => false,
            _ => return Err(fail("unsupported scheme: only http and https are allowed")),
        };
        // Checked before anything else parses the URL: a password holding
        // `/`, `?` or `#` would otherwise reach a "bad port" or "bad path"
        // reason in pieces. (`@` is never needed in a DynamoDB path.)
        if rest.contains('@') {
            return Err(fail(
                "user information (user:password@) is not allowed in an endpoint",
            ));
        }
        let split = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, remainder) = rest.split_at(split);
        if remainder.contains('?') {
            return Err(fail("a query string is not allowed in an endpoint"));
        }
        if remainder.contains('#') {
            return Err(fail("a fragment is not allowed in an endpoint"));
        }
        let (host, port) = split_host_port(authority).map_err(|r| fail(&r))?;
        let default_port = if https { 443 } else { 80 };
        let port = match port {
            None => default_port,
            Some(text) => parse_port(text).map_err(|r| fail(&r))?,
        };
        let path = remainder.trim_end_matches('/');
        if let Some(bad) = path.chars().find(|c| !is_path_char(*c)) {
            return Err(fail(&format!(
                "the path contains the character {bad:?}, which is not allowed in a URL path"
            )));
        }

        let host = host.to_ascii_lowercase();
        let authority = if port == default_port {
            host.clone()
        } else {
            format!("{host}:{port}")
        };
        let scheme = if https { "https" } else { "http" };
        Ok(Endpoint {
            url: format!("{scheme}://{authority}{path}"),
            https,
            host,
            port,
            authority,
            path: path.to_string(),
        })
    }

    /// The standard AWS endpoint of DynamoDB in `region`, always https:
    /// `https://dynamodb.{region}.amazonaws.com`, with the DNS suffix of the
    /// region's partition (`amazonaws.com.cn` for `cn-` regions, and the
    /// suffixes of the European Sovereign Cloud and ISO partitions).
    ///
    /// Fails if `region` is not a plausible region name (see
    /// [`ConfigError::InvalidRegion`](super::ConfigError::InvalidRegion)).
    pub fn for_region(region: &str) -> Result<Endpoint, EndpointError> {
        Self::aws("dynamodb", region)
    }

    /// The standard AWS endpoint of DynamoDB Streams in `region`:
    /// `https://streams.dynamodb.{region}.amazonaws.com` (same partition
    /// suffixes as [`Endpoint::for_region`]).
    pub(crate) fn streams_for_region(region: &str) -> Result<Endpoint, EndpointError> {
        Self::aws("streams.dynamodb", region)
    }

    fn aws(service: &str, region: &str) -> Result<Endpoint, EndpointError> {
        let region = region.trim();
        let suffix = dns_suffix(region);
        check_region(region).map_err(|reason| EndpointError {
            value: format!("https://{service}.{region}.{suffix}"),
            reason: format!("invalid region {region:?}: {reason}"),
        })?;
        Endpoint::parse(&format!("https://{service}.{region}.{suffix}"))
    }

    /// The normalized URL, e.g. `http://localhost:8000` or
    /// `https://proxy.example.com/prefix`. It never ends with `/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// `"https"` or `"http"`.
    pub fn scheme(&self) -> &'static str {
        if self.https {
            "https"
        } else {
            "http"
        }
    }

    /// Whether the scheme is https.
    pub fn is_https(&self) -> bool {
        self.https
    }

    /// The host, lowercase; an IPv6 address keeps its brackets (`[::1]`).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port requests go to: the explicit one, or 443 / 80 by scheme.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The value of the HTTP `Host` header: the host, plus `:port` when the
    /// port is not the scheme's default.
    pub fn host_header(&self) -> &str {
        &self.authority
    }

    /// The path prefix requests are sent under: empty, or starting with `/`
    /// and never ending with `/` (e.g. `/dynamodb`).
    pub fn path_prefix(&self) -> &str {
        &self.path
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

impl FromStr for Endpoint {
    type Err = EndpointError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Endpoint::parse(s)
    }
}

/// Why a string is not a usable endpoint URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointError {
    value: String,
    reason: String,
}

impl EndpointError {
    /// The rejected URL, with any user-info replaced by `***`.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// What is wrong with it.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid endpoint {:?}: {}", self.value, self.reason)
    }
}

impl std::error::Error for EndpointError {}

/// Checks that `region` can be used both in the signing scope and as a DNS
/// label of the default endpoint.
pub(crate) fn check_region(region: &str) -> Result<(), String> {
    let valid_chars = region
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if region.is_empty()
        || !valid_chars
        || region.starts_with('-')
        || region.ends_with('-')
        || region.len() > 63
    {
        return Err(
            "a region name must be 1 to 63 ASCII letters, digits, '-' and '_', \
             not starting or ending with '-' (e.g. us-east-1)"
                .to_string(),
        );
    }
    Ok(())
}

/// The partition DNS suffix for a region name.
fn dns_suffix(region: &str) -> &'static str {
    const PARTITIONS: [(&str, &str); 6] = [
        ("cn-", "amazonaws.com.cn"),
        ("eusc-", "amazonaws.eu"),
        ("us-iso-", "c2s.ic.gov"),
        ("us-isob-", "sc2s.sgov.gov"),
        ("eu-isoe-", "cloud.adc-e.uk"),
        ("us-isof-", "csp.hci.ic.gov"),
    ];
    PARTITIONS
        .iter()
        .find(|(prefix, _)| region.starts_with(prefix))
        .map_or("amazonaws.com", |(_, suffix)| suffix)
}

/// Splits `host[:port]` or `[ipv6][:port]`, validating the host.
fn split_host_port(authority: &str) -> Result<(&str, Option<&str>), String> {
    if authority.is_empty() {
        return Err("missing host".to_string());
    }
    if let Some(inner) = authority.strip_prefix('[') {
        let Some(close) = inner.find(']') else {
            return Err("unterminated IPv6 address: missing ']'".to_string());
        };
        if inner[..close].parse::<Ipv6Addr>().is_err() {
            return Err("invalid IPv6 address".to_string());
        }
        let host = &authority[..close + 2];
        return match &inner[close + 1..] {
            "" => Ok((host, None)),
            after => match after.strip_prefix(':') {
                Some(port) => Ok((host, Some(port))),
                None => Err("unexpected characters after the IPv6 address".to_string()),
            },
        };
    }
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    validate_host(host)?;
    Ok((host, port))
}

fn validate_host(host: &str) -> Result<(), String> {
    if host.is_empty() {
        return Err("missing host".to_string());
    }
    if host.len() > 253 {
        return Err("the host name is longer than 253 characters".to_string());
    }
    for label in host.split('.') {
        if label.is_empty() {
            return Err(
                "the host name has an empty label (\"..\" or a leading or trailing dot)"
                    .to_string(),
            );
        }
        if label.len() > 63 {
            return Err("a host name label is longer than 63 characters".to_string());
        }
        if let Some(bad) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            return Err(format!(
                "the host contains the character {bad:?}; only letters, digits, '-', '_' and '.' are allowed"
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err("a host name label starts or ends with '-'".to_string());
        }
    }
    Ok(())
}

fn parse_port(text: &str) -> Result<u16, String> {
    if text.is_empty() {
        return Err("empty port after ':'".to_string());
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err("the port is not a number".to_string());
    }
    match text.parse::<u16>() {
        Ok(0) | Err(_) => Err("the port must be between 1 and 65535".to_string()),
        Ok(port) => Ok(port),
    }
}

/// Characters allowed in the path prefix: RFC 3986 `pchar` plus `/`.
fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/%".contains(c)
}

/// Replaces everything between `://` and the last `@` by `***`, so a
/// rejected URL can be shown without leaking a password, even one holding a
/// `/`, `?` or `#` (which end the authority for a URL parser, not for the
/// person who typed it).
fn redact_user_info(url: &str) -> String {
    let start = url.find("://").map_or(0, |i| i + 3);
    match url[start..].rfind('@') {
        Some(at) => format!("{}***{}", &url[..start], &url[start + at..]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_normalizes() {
        let e = Endpoint::parse("  HTTPS://Example.COM:8443/Prefix/Path/  ").unwrap();
        assert_eq!(e.url(), "https://example.com:8443/Prefix/Path");
        assert_eq!(e.scheme(), "https");
        assert!(e.is_https());
        assert_eq!(e.host(), "example.com");
        assert_eq!(e.port(), 8443);
        assert_eq!(e.host_header(), "example.com:8443");
        assert_eq!(e.path_prefix(), "/Prefix/Path");
        assert_eq!(e.to_string(), e.url());
    }

    #[test]
    fn default_ports_are_omitted() {
        let e = Endpoint::parse("https://h.example:443").unwrap();
        assert_eq!(
            (e.url(), e.host_header(), e.port()),
            ("https://h.example", "h.example", 443)
        );
        let e = Endpoint::parse("http://h.example:80/").unwrap();
        assert_eq!(
            (e.url(), e.host_header(), e.port()),
            ("http://h.example", "h.example", 80)
        );
        let e = Endpoint::parse("http://h.example:443").unwrap();
        assert_eq!(e.host_header(), "h.example:443");
        let e = Endpoint::parse("https://h.example:80").unwrap();
        assert_eq!(e.host_header(), "h.example:80");
    }

    #[test]
    fn ipv4_ipv6_and_underscores() {
        let e = Endpoint::parse("http://127.0.0.1:8000").unwrap();
        assert_eq!(e.host_header(), "127.0.0.1:8000");
        let e = Endpoint::parse("http://[::1]:8000/x").unwrap();
        assert_eq!((e.host(), e.port(), e.path_prefix()), ("[::1]", 8000, "/x"));
        assert_eq!(e.host_header(), "[::1]:8000");
        let e = Endpoint::parse("https://[FE80::1]").unwrap();
        assert_eq!(e.url(), "https://[fe80::1]");
        let e = Endpoint::parse("http://dynamodb_local:8000").unwrap();
        assert_eq!(e.host(), "dynamodb_local");
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "   ",
            "localhost:8000",
            "ftp://example.com",
            "://example.com",
            "https://",
            "https:///path",
            "https://:443",
            "https://exa mple.com",
            "https://example..com",
            "https://.example.com",
            "https://example.com.",
            "https://-example.com",
            "https://example.com:",
            "https://example.com:0",
            "https://example.com:65536",
            "https://example.com:12ab",
            "https://example.com:1:2",
            "https://example.com?x=1",
            "https://example.com/p?x=1",
            "https://example.com/#frag",
            "https://exa%6Dple.com",
            "https://[::1",
            "https://[nonsense]",
            "https://[::1]x",
            "https://example.com/with space",
            "https://exämple.com",
            "not a url at all",
            "http//example.com",
        ] {
            let err = Endpoint::parse(bad).expect_err(bad);
            assert!(!err.reason().is_empty());
        }
    }

    #[test]
    fn user_info_is_rejected_and_redacted() {
        let err = Endpoint::parse("https://user:hunter2@example.com/x").unwrap_err();
        assert!(err.reason().contains("user"));
        assert_eq!(err.value(), "https://***@example.com/x");
        assert!(!err.to_string().contains("hunter2"));
        assert!(!format!("{err:?}").contains("hunter2"));
    }

    #[test]
    fn passwords_with_url_delimiters_are_redacted() {
        for (url, secret) in [
            ("http://user:pa/ss@host", "pa/ss"),
            ("http://user:p#ss@host:8000", "p#ss"),
            ("http://user:p?ss@host/prefix", "p?ss"),
            ("http://us@er:p@ss@host", "p@ss"),
        ] {
            let err = Endpoint::parse(url).unwrap_err();
            assert!(
                !err.to_string().contains(secret)
                    && !format!("{err:?}").contains(secret)
                    && !err.reason().contains(secret),
                "{url} leaks its password: {err}"
            );
            assert!(err.value().starts_with("http://***@"), "{}", err.value());
        }
    }

    #[test]
    fn streams_endpoint_per_partition() {
        let e = Endpoint::streams_for_region("eu-west-1").unwrap();
        assert_eq!(e.url(), "https://streams.dynamodb.eu-west-1.amazonaws.com");
        let cn = Endpoint::streams_for_region("cn-north-1").unwrap();
        assert_eq!(
            cn.url(),
            "https://streams.dynamodb.cn-north-1.amazonaws.com.cn"
        );
        assert!(Endpoint::streams_for_region("not a region").is_err());
    }

    #[test]
    fn regional_defaults() {
        let cases = [
            ("us-east-1", "https://dynamodb.us-east-1.amazonaws.com"),
            (
                "us-gov-west-1",
                "https://dynamodb.us-gov-west-1.amazonaws.com",
            ),
            ("cn-north-1", "https://dynamodb.cn-north-1.amazonaws.com.cn"),
            (
                "cn-northwest-1",
                "https://dynamodb.cn-northwest-1.amazonaws.com.cn",
            ),
            ("us-iso-east-1", "https://dynamodb.us-iso-east-1.c2s.ic.gov"),
            (
                "us-isob-east-1",
                "https://dynamodb.us-isob-east-1.sc2s.sgov.gov",
            ),
            (
                "eu-isoe-west-1",
                "https://dynamodb.eu-isoe-west-1.cloud.adc-e.uk",
            ),
            (
                "us-isof-south-1",
                "https://dynamodb.us-isof-south-1.csp.hci.ic.gov",
            ),
            (
                "eusc-de-east-1",
                "https://dynamodb.eusc-de-east-1.amazonaws.eu",
            ),
        ];
        for (region, url) in cases {
            let e = Endpoint::for_region(region).unwrap();
            assert_eq!(e.url(), url);
            assert!(e.is_https());
        }
        assert!(Endpoint::for_region("not a region").is_err());
        assert!(Endpoint::for_region("a/b").is_err());
    }
}
