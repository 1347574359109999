//! The official AWS SigV4 test suite (header-signing cases), checked byte
//! for byte: canonical request, string to sign, signature and the signed
//! request (hence the `Authorization` header).
//!
//! The suite is kept in `tests/data/sigv4` (Apache-2.0, see its `NOTICE`);
//! set `SIGV4_TESTDATA` to point elsewhere. The test fails if the directory
//! is missing or holds no case.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use dynamo_blocking::sigv4::{
    sign, sign_with_cache, SessionTokenMode, SignableRequest, SigningKeyCache, SigningOutput,
    SigningParams, SigningSettings,
};
use dynamo_blocking::Credentials;
use serde_json::Value;

fn testdata_dir() -> PathBuf {
    match std::env::var_os("SIGV4_TESTDATA") {
        Some(dir) => PathBuf::from(dir),
        // Cargo's value at run time first: a test binary built in another
        // checkout of the same sources would carry that checkout's path.
        None => std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf())
            .join("tests/data/sigv4"),
    }
}

/// Every case directory (one holding a `context.json`), sorted by name.
fn case_dirs() -> Vec<PathBuf> {
    let dir = testdata_dir();
    let entries = fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "SigV4 test suite not found at {} ({e}); it is kept in \
             tests/data/sigv4, or SIGV4_TESTDATA names another copy",
            dir.display()
        )
    });
    let mut cases: Vec<PathBuf> = entries
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.join("context.json").is_file())
        .collect();
    cases.sort();
    assert!(
        !cases.is_empty(),
        "no SigV4 test case (no */context.json) under {}",
        dir.display()
    );
    cases
}

/// A request parsed from a case's `request.txt`.
struct RawRequest {
    method: String,
    path: String,
    query: String,
    /// The header section exactly as written (lines after the request line).
    header_lines: Vec<String>,
    /// `(name, value)`; a folded value keeps its line breaks and indentation.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    request_line: String,
}

fn parse_request(text: &str) -> RawRequest {
    let (head, body) = match text.find("\n\n") {
        Some(i) => (&text[..i], &text[i + 2..]),
        None => (text.trim_end_matches('\n'), ""),
    };
    let mut lines = head.split('\n');
    let request_line = lines.next().expect("request line").to_owned();
    // `METHOD TARGET HTTP/1.1`; the target itself may contain spaces.
    let (method, rest) = request_line.split_once(' ').expect("method");
    let (target, _version) = rest.rsplit_once(' ').expect("HTTP version");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));

    let mut header_lines = Vec::new();
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        header_lines.push(line.to_owned());
        if line.starts_with(' ') || line.starts_with('\t') {
            let last = headers
                .last_mut()
                .expect("continuation line after a header");
            last.1.push('\n');
            last.1.push_str(line);
        } else {
            let (name, value) = line.split_once(':').expect("header line `Name:value`");
            headers.push((name.to_owned(), value.to_owned()));
        }
    }
    RawRequest {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        header_lines,
        headers,
        body: body.as_bytes().to_vec(),
        request_line,
    }
}

struct Context {
    credentials: Credentials,
    region: String,
    service: String,
    time: DateTime<Utc>,
    settings: SigningSettings,
}

fn parse_context(text: &str) -> Context {
    let json: Value = serde_json::from_str(text).expect("context.json is JSON");
    let str_field = |v: &Value, key: &str| -> String {
        v[key]
            .as_str()
            .unwrap_or_else(|| panic!("context.json: missing string `{key}`"))
            .to_owned()
    };
    let bool_field = |key: &str, default: bool| json[key].as_bool().unwrap_or(default);
    let creds = &json["credentials"];
    let mut credentials = Credentials::new(
        str_field(creds, "access_key_id"),
        str_field(creds, "secret_access_key"),
    );
    if let Some(token) = creds["token"].as_str() {
        credentials = credentials.with_session_token(token);
    }
    let time = DateTime::parse_from_rfc3339(&str_field(&json, "timestamp"))
        .expect("RFC 3339 timestamp")
        .with_timezone(&Utc);
    Context {
        credentials,
        region: str_field(&json, "region"),
        service: str_field(&json, "service"),
        time,
        settings: SigningSettings {
            normalize_path: bool_field("normalize", true),
            sign_payload_header: bool_field("sign_body", false),
            session_token: if bool_field("omit_session_token", false) {
                SessionTokenMode::Unsigned
            } else {
                SessionTokenMode::Signed
            },
        },
    }
}

/// The signed request as the suite writes it: the original request with
/// the signer's headers appended. Header names are lowercased (HTTP names
/// are case-insensitive and the suite mixes `X-Amz-Date` with
/// `x-amz-content-sha256`), so it compares equal to the expected file
/// after [`lowercase_header_names`].
fn signed_request(raw: &RawRequest, out: &SigningOutput) -> String {
    let mut text = raw.request_line.clone();
    text.push('\n');
    for line in &raw.header_lines {
        text.push_str(line);
        text.push('\n');
    }
    for (name, value) in &out.headers {
        text.push_str(name);
        text.push(':');
        text.push_str(value);
        text.push('\n');
    }
    text.push('\n');
    text.push_str(std::str::from_utf8(&raw.body).expect("UTF-8 body"));
    lowercase_header_names(&text)
}

fn lowercase_header_names(text: &str) -> String {
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut lines = head.split('\n');
    let mut out = String::from(lines.next().unwrap_or(""));
    for line in lines {
        out.push('\n');
        match line.split_once(':') {
            Some((name, value)) if !line.starts_with([' ', '\t']) => {
                out.push_str(&name.to_ascii_lowercase());
                out.push(':');
                out.push_str(value);
            }
            _ => out.push_str(line),
        }
    }
    out.push_str("\n\n");
    out.push_str(body);
    out
}

/// Compares one output with its expected file; returns a description of
/// the mismatch, if any.
fn check(what: &str, actual: &str, expected: &str) -> Option<String> {
    (actual != expected)
        .then(|| format!("  {what} differs\n    expected: {expected:?}\n    actual:   {actual:?}"))
}

/// Runs one case; returns the mismatches (empty when it passes).
fn run_case(dir: &Path) -> Vec<String> {
    let read = |file: &str| {
        fs::read_to_string(dir.join(file))
            .unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
    };
    let raw = parse_request(&read("request.txt"));
    let ctx = parse_context(&read("context.json"));
    let headers: Vec<(&str, &str)> = raw
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = SignableRequest {
        method: &raw.method,
        url_path: &raw.path,
        query: &raw.query,
        headers: &headers,
        payload: &raw.body,
    };
    let params = SigningParams {
        credentials: &ctx.credentials,
        region: &ctx.region,
        service: &ctx.service,
        time: ctx.time,
        settings: ctx.settings,
    };
    let out = sign(&request, &params);

    let expected_signed = read("header-signed-request.txt");
    let expected_authorization = expected_signed
        .lines()
        .find_map(|l| l.strip_prefix("Authorization:"))
        .expect("expected signed request has an Authorization header");

    let mut failures: Vec<String> = [
        check(
            "canonical request",
            &out.canonical_request,
            &read("header-canonical-request.txt"),
        ),
        check(
            "string to sign",
            &out.string_to_sign,
            &read("header-string-to-sign.txt"),
        ),
        check(
            "signature",
            &out.signature,
            read("header-signature.txt").trim_end(),
        ),
        check("authorization", out.authorization(), expected_authorization),
        check(
            "signed request",
            &signed_request(&raw, &out),
            &lowercase_header_names(&expected_signed),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();

    // The cached path must give the very same result.
    let cache = SigningKeyCache::new();
    for _ in 0..2 {
        if sign_with_cache(&request, &params, &cache) != out {
            failures.push("  sign_with_cache differs from sign".to_owned());
        }
    }
    failures
}

#[test]
fn official_sigv4_test_suite() {
    let cases = case_dirs();
    let mut failed = Vec::new();
    for dir in &cases {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let failures = run_case(dir);
        if !failures.is_empty() {
            failed.push(format!("{name}:\n{}", failures.join("\n")));
        }
    }
    println!(
        "{} of {} SigV4 cases pass",
        cases.len() - failed.len(),
        cases.len()
    );
    assert!(
        failed.is_empty(),
        "{} of {} SigV4 cases fail:\n{}",
        failed.len(),
        cases.len(),
        failed.join("\n")
    );
}

#[test]
fn suite_has_the_cases_dynamodb_relies_on() {
    let names: Vec<String> = case_dirs()
        .iter()
        .map(|d| d.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for required in [
        "post-vanilla",
        "post-sts-header-before",
        "post-sts-header-after",
        "get-vanilla-with-session-token",
        "get-header-value-multiline",
        "get-header-key-duplicate",
    ] {
        assert!(
            names.iter().any(|n| n == required),
            "SigV4 case `{required}` missing from {}",
            testdata_dir().display()
        );
    }
}
