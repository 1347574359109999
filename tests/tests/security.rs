//! Secrets stay secret, TLS is the default, and requests sign exactly the
//! headers they should.
//!
//! The credentials used here carry recognizable secret and token values;
//! every error kind the client can return (service, transport, response,
//! configuration) and every configuration type is printed with `Display`
//! and `Debug`, and none of the output may contain them.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use dynamo_blocking::config::{resolve, ConfigError, Environment, Settings};
use dynamo_blocking::sigv4::Signer;
use dynamo_blocking::wire::*;
use dynamo_blocking::{item, Client, Credentials, Error, RetryPolicy};
use dynamo_tests::fault_proxy::{Fault, FaultProxy};
use dynamo_tests::{endpoint, unique_name};

const ACCESS_KEY: &str = "AKIDSECURITYTEST";
const SECRET: &str = "wJalrXUtnFEMI-SECRET-7c1f3a9e5b";
const TOKEN: &str = "FwoGZXIvYXdzEJr-SESSIONTOKEN-4d2e8b6a0c";

fn credentials() -> Credentials {
    Credentials::new(ACCESS_KEY, SECRET).with_session_token(TOKEN)
}

/// Fails when `Display` or `Debug` of `value` shows the secret or token (or
/// a recognizable part of either).
#[track_caller]
fn assert_no_secret(what: &str, display: Option<String>, debug: String) {
    let needles = [
        SECRET,
        TOKEN,
        "SECRET-7c1f",
        "SESSIONTOKEN-4d2e",
        "wJalrXUtnFEMI",
    ];
    for shown in display.iter().chain([&debug]) {
        for needle in needles {
            assert!(!shown.contains(needle), "{what} leaks {needle:?}: {shown}");
        }
    }
}

#[track_caller]
fn assert_error_clean(what: &str, error: &Error) {
    assert_no_secret(what, Some(error.to_string()), format!("{error:?}"));
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        assert_no_secret(what, Some(s.to_string()), format!("{s:?}"));
        source = s.source();
    }
}

fn client_to(url: &str, retry: RetryPolicy, read_timeout: Duration) -> Client {
    Client::builder()
        .endpoint(url)
        .region("us-east-1")
        .credentials(credentials())
        .environment(Environment::empty())
        .retry_policy(retry)
        .read_timeout(read_timeout)
        .build()
        .unwrap()
}

#[test]
fn credentials_config_client_and_signer_never_print_the_secret_or_token() {
    let creds = credentials();
    assert!(format!("{creds:?}").contains(ACCESS_KEY));
    assert_no_secret("Credentials", None, format!("{creds:?}"));

    let settings = Settings::new()
        .with_credentials(creds.clone())
        .with_region("eu-west-1");
    assert_no_secret("Settings", None, format!("{settings:?}"));
    let resolved = resolve(&settings, &Environment::empty()).unwrap();
    assert_no_secret("ResolvedConfig", None, format!("{resolved:?}"));

    // The same credentials from the environment.
    let env = Environment::from_pairs([
        ("AWS_ACCESS_KEY_ID", ACCESS_KEY),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_SESSION_TOKEN", TOKEN),
        ("AWS_REGION", "us-west-2"),
    ]);
    assert_no_secret("Environment", None, format!("{env:?}"));
    let resolved = resolve(&Settings::new(), &env).unwrap();
    assert_eq!(resolved.credentials.secret_access_key(), SECRET);
    assert_no_secret("ResolvedConfig from env", None, format!("{resolved:?}"));

    let builder = Client::builder()
        .credentials(creds.clone())
        .region("us-east-1")
        .environment(env.clone());
    assert_no_secret("ClientBuilder", None, format!("{builder:?}"));
    let client = builder.build().unwrap();
    assert_no_secret("Client", None, format!("{client:?}"));

    let signer = Signer::dynamodb(creds, "us-east-1");
    assert_no_secret("Signer", None, format!("{signer:?}"));
}

#[test]
fn configuration_errors_never_print_the_secret_or_token() {
    // Credentials given, region missing.
    // (Instance metadata off: no test may reach 169.254.169.254.)
    let no_imds = Environment::from_pairs([("AWS_EC2_METADATA_DISABLED", "true")]);
    let err = Client::builder()
        .credentials(credentials())
        .environment(no_imds)
        .build()
        .unwrap_err();
    assert!(
        matches!(&err, Error::Config(c) if matches!(**c, ConfigError::MissingRegion { .. })),
        "{err:?}"
    );
    assert_error_clean("missing region", &err);

    // Credentials from the environment, region missing.
    let env = Environment::from_pairs([
        ("AWS_ACCESS_KEY_ID", ACCESS_KEY),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_SESSION_TOKEN", TOKEN),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let err = Client::builder().environment(env).build().unwrap_err();
    assert!(matches!(&err, Error::Config(_)), "{err:?}");
    assert_error_clean("missing region (env credentials)", &err);

    // Half a key pair: the secret without its id.
    let env = Environment::from_pairs([
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_SESSION_TOKEN", TOKEN),
        ("AWS_REGION", "us-east-1"),
    ]);
    let err = Client::builder().environment(env).build().unwrap_err();
    assert!(
        matches!(&err, Error::Config(c) if matches!(**c, ConfigError::IncompleteCredentials { .. })),
        "{err:?}"
    );
    assert_error_clean("incomplete credentials", &err);

    // An endpoint with the secret as a password in it.
    let err = Client::builder()
        .credentials(credentials())
        .region("us-east-1")
        .endpoint(format!(
            "https://{ACCESS_KEY}:{SECRET}@dynamodb.example.com"
        ))
        .environment(Environment::empty())
        .build()
        .unwrap_err();
    assert!(
        matches!(&err, Error::Config(c) if matches!(**c, ConfigError::InvalidEndpoint { .. })),
        "{err:?}"
    );
    assert_error_clean("endpoint with user info", &err);
}

#[test]
fn service_transport_and_response_errors_never_print_the_secret_or_token() {
    // A service error from DynamoDB Local.
    let local = client_to(&endpoint(), RetryPolicy::none(), Duration::from_secs(10));
    assert_no_secret("Client", None, format!("{local:?}"));
    let err = local
        .describe_table(&unique_name("no-such-table"))
        .unwrap_err();
    assert!(err.is_resource_not_found(), "{err}");
    assert_error_clean("service error", &err);
    let err = local
        .put_item(&PutItemInput::new(
            unique_name("missing"),
            item! { "id" => "x" },
        ))
        .unwrap_err();
    assert!(matches!(err, Error::Service(_)), "{err:?}");
    assert_error_clean("service error on a write", &err);

    // Transport errors: nothing listening, and a timeout.
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let c = client_to(
        &format!("http://{closed}"),
        RetryPolicy::default()
            .max_attempts(2)
            .base(Duration::from_millis(1)),
        Duration::from_secs(2),
    );
    let err = c.list_tables().next().unwrap().unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_error_clean("connection refused", &err);

    for fault in [
        Fault::Delay,
        Fault::ConnectionReset,
        Fault::ShortBody,
        Fault::WrongCrc32,
        Fault::TruncatedBody,
        Fault::BadGatewayHtml,
        Fault::Throttling,
    ] {
        let proxy = FaultProxy::builder(endpoint())
            .fault_rate(1.0)
            .faults(&[fault])
            .delay(Duration::from_millis(500))
            .start()
            .unwrap();
        let c = client_to(
            &proxy.url(),
            RetryPolicy::none(),
            Duration::from_millis(250),
        );
        let err = c
            .put_item(&PutItemInput::new(unique_name("t"), item! { "id" => "x" }))
            .unwrap_err();
        assert_error_clean(&format!("{fault}"), &err);
    }
}

#[test]
fn https_is_the_default_and_plain_http_only_when_configured() {
    for region in ["us-east-1", "eu-west-3", "ap-southeast-2", "cn-north-1"] {
        let settings = Settings::new()
            .with_credentials(credentials())
            .with_region(region);
        let resolved = resolve(&settings, &Environment::empty()).unwrap();
        assert!(resolved.endpoint.is_https(), "{region}");
        assert!(resolved.endpoint.url().starts_with("https://dynamodb."));
        assert_eq!(resolved.endpoint.port(), 443);

        let client = Client::builder()
            .credentials(credentials())
            .region(region)
            .environment(Environment::empty())
            .build()
            .unwrap();
        assert!(client.endpoint().is_https(), "{region}");
    }

    // Plain http when given in code, or configured in the environment.
    let explicit = Client::builder()
        .credentials(credentials())
        .region("us-east-1")
        .endpoint("http://127.0.0.1:8000")
        .environment(Environment::empty())
        .build()
        .unwrap();
    assert_eq!(explicit.endpoint().url(), "http://127.0.0.1:8000");
    let from_env = Environment::from_pairs([
        ("AWS_REGION", "us-east-1"),
        ("AWS_ENDPOINT_URL_DYNAMODB", "http://localhost:8001"),
    ]);
    let resolved = resolve(&Settings::new().with_credentials(credentials()), &from_env).unwrap();
    assert_eq!(resolved.endpoint.url(), "http://localhost:8001");
    // ...and not when configured endpoints are to be ignored.
    let ignoring = Environment::from_pairs([
        ("AWS_REGION", "us-east-1"),
        ("AWS_ENDPOINT_URL_DYNAMODB", "http://localhost:8001"),
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
    ]);
    let resolved = resolve(&Settings::new().with_credentials(credentials()), &ignoring).unwrap();
    assert!(resolved.endpoint.is_https());
    // An https endpoint is never downgraded.
    let resolved = resolve(
        &Settings::new()
            .with_credentials(credentials())
            .with_region("us-east-1")
            .with_endpoint("https://127.0.0.1:8443"),
        &Environment::empty(),
    )
    .unwrap();
    assert_eq!(resolved.endpoint.scheme(), "https");
}

/// Accepts one connection, reads one request, answers `{"TableNames":[]}`
/// and returns the raw request head and body.
fn capture_one_request(send: impl FnOnce(&str) + Send + 'static) -> (String, Vec<u8>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let sender = std::thread::spawn(move || send(&url));
    listener.set_nonblocking(true).unwrap();
    let started = Instant::now();
    let mut stream = loop {
        match listener.accept() {
            Ok((stream, _)) => break stream,
            Err(_) if started.elapsed() < Duration::from_secs(10) => {
                std::thread::sleep(Duration::from_millis(5))
            }
            Err(e) => panic!("no request arrived: {e}"),
        }
    };
    stream.set_nonblocking(false).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut raw = Vec::new();
    let mut chunk = [0u8; 4096];
    let (head, body) = loop {
        let n = stream.read(&mut chunk).unwrap();
        assert!(n > 0, "the client closed before sending a whole request");
        raw.extend_from_slice(&chunk[..n]);
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8(raw[..end].to_vec()).unwrap();
            let length: usize = head
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse().unwrap())
                })
                .unwrap_or(0);
            if raw.len() >= end + 4 + length {
                break (head, raw[end + 4..end + 4 + length].to_vec());
            }
        }
    };
    let answer = br#"{"TableNames":[]}"#;
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        answer.len()
    );
    stream.write_all(response.as_bytes()).unwrap();
    stream.write_all(answer).unwrap();
    sender.join().unwrap();
    (head, body)
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[test]
fn requests_sign_exactly_the_protocol_headers() {
    for with_token in [true, false] {
        let (head, body) = capture_one_request(move |url| {
            let creds = if with_token {
                credentials()
            } else {
                Credentials::new(ACCESS_KEY, SECRET)
            };
            let client = Client::builder()
                .endpoint(url)
                .region("eu-west-1")
                .credentials(creds)
                .environment(Environment::empty())
                .retry_policy(RetryPolicy::none())
                .build()
                .unwrap();
            let page = client
                .list_tables_page(&ListTablesInput::default())
                .unwrap();
            assert!(page.table_names.is_empty());
        });
        assert!(head.starts_with("POST / HTTP/1.1\r\n"), "{head}");
        assert_eq!(body, b"{}");

        let authorization = header(&head, "authorization").expect("an Authorization header");
        let rest = authorization
            .strip_prefix("AWS4-HMAC-SHA256 ")
            .unwrap_or_else(|| panic!("not SigV4: {authorization}"));
        let parts: Vec<(&str, &str)> = rest
            .split(", ")
            .map(|p| p.split_once('=').expect("name=value"))
            .collect();
        let names: Vec<&str> = parts.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["Credential", "SignedHeaders", "Signature"]);

        let scope: Vec<&str> = parts[0].1.split('/').collect();
        assert_eq!(scope.len(), 5, "{authorization}");
        assert_eq!(scope[0], ACCESS_KEY);
        assert_eq!(&scope[2..], ["eu-west-1", "dynamodb", "aws4_request"]);
        let date = header(&head, "x-amz-date").expect("x-amz-date");
        assert_eq!(&date[..8], scope[1], "scope date is the request date");

        let expected = if with_token {
            "content-type;host;x-amz-date;x-amz-security-token;x-amz-target"
        } else {
            "content-type;host;x-amz-date;x-amz-target"
        };
        assert_eq!(parts[1].1, expected);
        let signature = parts[2].1;
        assert_eq!(signature.len(), 64);
        assert!(signature
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));

        // Every signed header is sent; the token only when there is one.
        for name in expected.split(';') {
            assert!(header(&head, name).is_some(), "{name} signed but not sent");
        }
        assert_eq!(
            header(&head, "x-amz-security-token"),
            with_token.then_some(TOKEN)
        );
        assert_eq!(
            header(&head, "x-amz-target"),
            Some("DynamoDB_20120810.ListTables")
        );
        // The secret key itself never travels.
        assert!(!head.contains(SECRET), "{head}");
    }
}
