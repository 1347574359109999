//! The signing inputs and outputs, and the signing algorithm itself.

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::headers::{is_never_signed, lowercase_name, push_canonical_headers};
use super::hex::{push_hex, to_hex};
use super::key::{SigningKey, SigningKeyCache};
use super::time::AmzDate;
use super::uri::{push_canonical_path, push_canonical_query};
use super::{AUTHORIZATION, X_AMZ_CONTENT_SHA256, X_AMZ_DATE, X_AMZ_SECURITY_TOKEN};
use crate::Credentials;

/// The algorithm name that starts the string to sign and the
/// `Authorization` header.
const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The parts of an HTTP request that SigV4 covers.
///
/// Nothing is copied: the request borrows from whatever the caller uses to
/// build the real HTTP request.
#[derive(Clone, Copy)]
pub struct SignableRequest<'a> {
    /// The HTTP method, e.g. `POST`. Used exactly as given.
    pub method: &'a str,
    /// The path as sent, e.g. `/`. An empty path counts as `/`.
    pub url_path: &'a str,
    /// The raw query string without the leading `?`; may be empty.
    pub query: &'a str,
    /// The headers that will be sent, as `(name, value)`. Must include
    /// `host`. Every header is signed except `authorization`,
    /// `connection`, `expect`, `transfer-encoding`, `user-agent`,
    /// `x-amzn-trace-id` and those the signer itself sets (see
    /// [`SigningOutput::headers`]), which are ignored if present.
    pub headers: &'a [(&'a str, &'a str)],
    /// The request body (empty for none).
    pub payload: &'a [u8],
}

impl fmt::Debug for SignableRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values may carry a session token; show names only.
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| *n).collect();
        f.debug_struct("SignableRequest")
            .field("method", &self.method)
            .field("url_path", &self.url_path)
            .field("query", &self.query)
            .field("header_names", &names)
            .field("payload_len", &self.payload.len())
            .finish()
    }
}

/// What to do with the session token of temporary credentials.
///
/// Without a session token in the credentials this has no effect.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SessionTokenMode {
    /// Add `x-amz-security-token` and cover it by the signature. This is
    /// what DynamoDB (and most services) expect.
    #[default]
    Signed,
    /// Add `x-amz-security-token` to the request but leave it out of the
    /// signature, as if it had been appended after signing.
    Unsigned,
}

/// Options that change how a request is canonicalized and which headers
/// the signer adds.
///
/// The [`Default`] suits DynamoDB: normalized path, no
/// `x-amz-content-sha256` header, session token signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SigningSettings {
    /// Remove `.`/`..` segments and repeated slashes from the path before
    /// signing. Every service except S3 wants this.
    pub normalize_path: bool,
    /// Add (and sign) an `x-amz-content-sha256` header carrying the payload
    /// hash. S3 requires it; DynamoDB does not.
    pub sign_payload_header: bool,
    /// How to treat the session token, if the credentials have one.
    pub session_token: SessionTokenMode,
}

impl Default for SigningSettings {
    fn default() -> Self {
        SigningSettings {
            normalize_path: true,
            sign_payload_header: false,
            session_token: SessionTokenMode::Signed,
        }
    }
}

/// Who signs, for which region and service, at what time.
#[derive(Clone, Copy, Debug)]
pub struct SigningParams<'a> {
    /// The credentials to sign with. Their `Debug` redacts the secrets.
    pub credentials: &'a Credentials,
    /// The AWS region, e.g. `us-east-1`.
    pub region: &'a str,
    /// The signing name of the service, e.g. `dynamodb`.
    pub service: &'a str,
    /// The signing time; sent as `x-amz-date`. AWS rejects requests more
    /// than about 5 minutes away from its clock.
    pub time: DateTime<Utc>,
    /// Canonicalization and header options.
    pub settings: SigningSettings,
}

/// The result of signing: headers to add plus the intermediate values
/// (useful to debug a `SignatureDoesNotMatch` error, whose message shows
/// AWS's own canonical request and string to sign).
#[derive(Clone, PartialEq, Eq)]
pub struct SigningOutput {
    /// Headers to add to the request, replacing any of the same name, in
    /// this order: `x-amz-security-token` (when the credentials have a
    /// token), `x-amz-date`, `x-amz-content-sha256` (when
    /// [`SigningSettings::sign_payload_header`]), `authorization`.
    /// Names are lowercase.
    pub headers: Vec<(&'static str, String)>,
    /// The canonical request that was hashed.
    pub canonical_request: String,
    /// The string that was signed.
    pub string_to_sign: String,
    /// The signature, 64 lowercase hex digits.
    pub signature: String,
}

impl SigningOutput {
    /// The value of one of the added headers (`name` compared
    /// case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `Authorization` header value.
    pub fn authorization(&self) -> &str {
        self.header(AUTHORIZATION)
            .expect("the signer always adds an authorization header")
    }
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redact = |name: &str, value: &str| -> String {
            if name.eq_ignore_ascii_case(X_AMZ_SECURITY_TOKEN) {
                "** redacted **".to_owned()
            } else {
                value.to_owned()
            }
        };
        let headers: Vec<(&str, String)> = self
            .headers
            .iter()
            .map(|(n, v)| (*n, redact(n, v)))
            .collect();
        let canonical_request: Vec<String> = self
            .canonical_request
            .split('\n')
            .map(|line| match line.split_once(':') {
                Some((name, value)) => format!("{name}:{}", redact(name, value)),
                None => line.to_owned(),
            })
            .collect();
        f.debug_struct("SigningOutput")
            .field("headers", &headers)
            .field("canonical_request", &canonical_request.join("\n"))
            .field("string_to_sign", &self.string_to_sign)
            .field("signature", &self.signature)
            .finish()
    }
}

/// Signs `request` with AWS Signature Version 4 (header form).
///
/// A pure function: the time comes from `params`, nothing is read or
/// written elsewhere. It derives the signing key on every call; to sign
/// many requests use [`sign_with_cache`] or a [`Signer`](super::Signer),
/// which reuse the key for the whole day.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use dynamo_blocking::sigv4::{sign, SignableRequest, SigningParams, SigningSettings};
/// use dynamo_blocking::Credentials;
///
/// let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
/// let headers = [("Host", "example.amazonaws.com")];
/// let request = SignableRequest {
///     method: "POST",
///     url_path: "/",
///     query: "",
///     headers: &headers,
///     payload: b"",
/// };
/// let params = SigningParams {
///     credentials: &credentials,
///     region: "us-east-1",
///     service: "service",
///     time: Utc.with_ymd_and_hms(2015, 8, 30, 12, 36, 0).unwrap(),
///     settings: SigningSettings::default(),
/// };
///
/// let signed = sign(&request, &params);
/// assert_eq!(signed.header("x-amz-date"), Some("20150830T123600Z"));
/// assert_eq!(
///     signed.authorization(),
///     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
///      SignedHeaders=host;x-amz-date, \
///      Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"
/// );
/// // Add every header in `signed.headers` to the outgoing request.
/// assert_eq!(signed.headers.len(), 2);
/// ```
pub fn sign(request: &SignableRequest<'_>, params: &SigningParams<'_>) -> SigningOutput {
    sign_with_key_source(request, params, |date| {
        SigningKey::derive(
            params.credentials.secret_access_key(),
            date,
            params.region,
            params.service,
        )
        .keyed_mac()
    })
}

/// Like [`sign`], but takes the signing key from `cache`, deriving it only
/// when the date, region, service or credentials changed.
pub fn sign_with_cache(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    cache: &SigningKeyCache,
) -> SigningOutput {
    sign_with_key_source(request, params, |date| {
        cache.keyed_mac(params.credentials, date, params.region, params.service)
    })
}

fn sign_with_key_source(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    keyed_mac: impl FnOnce(&str) -> Hmac<Sha256>,
) -> SigningOutput {
    let settings = &params.settings;
    let amz_date = AmzDate::new(&params.time);
    let token = params.credentials.session_token();
    let sign_token = token.is_some() && settings.session_token == SessionTokenMode::Signed;

    let payload_hash = to_hex(&Sha256::digest(request.payload));

    // Headers to sign: the request's own (minus those never signed and
    // those the signer sets) plus the ones added here, sorted by name. The
    // sort is stable so repeated headers keep their order.
    let mut entries: Vec<(Cow<'_, str>, &str)> = Vec::with_capacity(request.headers.len() + 3);
    for (name, value) in request.headers {
        let name = lowercase_name(name);
        let set_by_signer = match &*name {
            X_AMZ_DATE => true,
            X_AMZ_SECURITY_TOKEN => token.is_some(),
            X_AMZ_CONTENT_SHA256 => settings.sign_payload_header,
            _ => false,
        };
        if !set_by_signer && !is_never_signed(&name) {
            entries.push((name, *value));
        }
    }
    entries.push((Cow::Borrowed(X_AMZ_DATE), amz_date.as_str()));
    if let (true, Some(token)) = (sign_token, token) {
        entries.push((Cow::Borrowed(X_AMZ_SECURITY_TOKEN), token));
    }
    if settings.sign_payload_header {
        entries.push((Cow::Borrowed(X_AMZ_CONTENT_SHA256), &payload_hash));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));

    // Canonical request.
    let headers_len: usize = entries.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
    let mut canonical_request = String::with_capacity(
        request.method.len()
            + request.url_path.len() * 3
            + request.query.len() * 3
            + headers_len * 2
            + 80,
    );
    canonical_request.push_str(request.method);
    canonical_request.push('\n');
    push_canonical_path(
        &mut canonical_request,
        request.url_path,
        settings.normalize_path,
    );
    canonical_request.push('\n');
    push_canonical_query(&mut canonical_request, request.query);
    canonical_request.push('\n');
    let mut signed_headers = String::with_capacity(headers_len);
    push_canonical_headers(&mut canonical_request, &mut signed_headers, &entries);
    canonical_request.push('\n');
    canonical_request.push_str(&signed_headers);
    canonical_request.push('\n');
    canonical_request.push_str(&payload_hash);
    drop(entries);

    // String to sign.
    let date = amz_date.date();
    let scope_len = date.len() + params.region.len() + params.service.len() + 15;
    let mut string_to_sign = String::with_capacity(ALGORITHM.len() + 18 + scope_len + 65);
    string_to_sign.push_str(ALGORITHM);
    string_to_sign.push('\n');
    string_to_sign.push_str(amz_date.as_str());
    string_to_sign.push('\n');
    let scope_start = string_to_sign.len();
    push_scope(&mut string_to_sign, date, params.region, params.service);
    let scope_end = string_to_sign.len();
    string_to_sign.push('\n');
    push_hex(
        &mut string_to_sign,
        &Sha256::digest(canonical_request.as_bytes()),
    );

    // Signature.
    let mac = keyed_mac(date).chain_update(string_to_sign.as_bytes());
    let signature = to_hex(&mac.finalize().into_bytes());

    // Authorization header.
    let access_key_id = params.credentials.access_key_id();
    let mut authorization = String::with_capacity(
        ALGORITHM.len() + access_key_id.len() + scope_len + signed_headers.len() + 110,
    );
    authorization.push_str(ALGORITHM);
    authorization.push_str(" Credential=");
    authorization.push_str(access_key_id);
    authorization.push('/');
    authorization.push_str(&string_to_sign[scope_start..scope_end]);
    authorization.push_str(", SignedHeaders=");
    authorization.push_str(&signed_headers);
    authorization.push_str(", Signature=");
    authorization.push_str(&signature);

    let mut headers = Vec::with_capacity(4);
    if let Some(token) = token {
        headers.push((X_AMZ_SECURITY_TOKEN, token.to_owned()));
    }
    headers.push((X_AMZ_DATE, amz_date.as_str().to_owned()));
    if settings.sign_payload_header {
        headers.push((X_AMZ_CONTENT_SHA256, payload_hash));
    }
    headers.push((AUTHORIZATION, authorization));

    SigningOutput {
        headers,
        canonical_request,
        string_to_sign,
        signature,
    }
}

/// Appends the credential scope `date/region/service/aws4_request`.
fn push_scope(out: &mut String, date: &str, region: &str, service: &str) {
    out.push_str(date);
    out.push('/');
    out.push_str(region);
    out.push('/');
    out.push_str(service);
    out.push_str("/aws4_request");
}
