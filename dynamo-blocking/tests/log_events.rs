//! The client's `log` events, captured by a test logger: each request at
//! `debug` with its operation, table, status, attempt, latency, request id
//! and sizes; throttled retries at `warn`; item values only at `trace`; and
//! no secret of any credential kind in any line.
//!
//! One test in this binary: the logger is process-wide.

#[path = "support/loopback.rs"]
mod loopback;

use std::fs;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use dynamo_blocking::config::Environment;
use dynamo_blocking::{key, wire, Client, Credentials, RetryPolicy};
use loopback::{in_an_hour, rfc3339, Reply, Request, Server};

const STATIC_SECRET: &str = "staticSecretKeyValue0123456789";
const STATIC_TOKEN: &str = "staticSessionTokenValue0123456789";
const SECRET: &str = "providerSecretValue0123456789";
const TOKEN: &str = "providerSessionToken0123456789";
const CONTAINER_TOKEN: &str = "containerAuthValue0123456789";
const WEB_TOKEN: &str = "webIdentityTokenValue0123456789";
const SSO_TOKEN: &str = "ssoAccessTokenValue0123456789";
const SSO_REFRESH: &str = "ssoRefreshTokenValue0123456789";
const SSO_CLIENT_SECRET: &str = "ssoClientSecretValue0123456789";
const ITEM_VALUE: &str = "itemValueOnlyAtTrace";

/// Every record, as `LEVEL target: message`.
struct Capture(Mutex<Vec<(log::Level, String, String)>>);

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }
    fn log(&self, record: &log::Record) {
        self.0.lock().unwrap().push((
            record.level(),
            record.target().to_owned(),
            record.args().to_string(),
        ));
    }
    fn flush(&self) {}
}

static CAPTURE: Capture = Capture(Mutex::new(Vec::new()));

fn records() -> Vec<(log::Level, String, String)> {
    CAPTURE.0.lock().unwrap().clone()
}

/// One loopback server for DynamoDB (the first request throttled) and
/// every credential service.
fn server() -> Server {
    let dynamo_requests = AtomicUsize::new(0);
    Server::start(move |r: &Request| {
        if r.header("x-amz-target").is_some() {
            let with_id = |status: u16, body: &str| {
                Reply::Answer(
                    status,
                    vec![("x-amzn-RequestId".into(), "REQID42".into())],
                    body.into(),
                )
            };
            if dynamo_requests.fetch_add(1, Ordering::SeqCst) == 0 {
                return with_id(
                    400,
                    r#"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"slow down"}"#,
                );
            }
            return with_id(
                200,
                &format!(r#"{{"Item":{{"id":{{"S":"{ITEM_VALUE}"}}}}}}"#),
            );
        }
        match r.path() {
            "/v1/credentials" => {
                if r.header("authorization") != Some(CONTAINER_TOKEN) {
                    return Reply::status(401, "{}");
                }
                Reply::ok(
                    serde_json::json!({
                        "AccessKeyId": "AKIDPOD", "SecretAccessKey": SECRET,
                        "Token": TOKEN, "Expiration": rfc3339(in_an_hour()),
                    })
                    .to_string(),
                )
            }
            "/token" => Reply::ok(
                serde_json::json!({
                    "accessToken": SSO_TOKEN, "expiresIn": 28800,
                    "refreshToken": SSO_REFRESH, "tokenType": "Bearer"
                })
                .to_string(),
            ),
            "/federation/credentials" => {
                if r.header("x-amz-sso_bearer_token") != Some(SSO_TOKEN) {
                    return Reply::status(401, "{}");
                }
                let millis = in_an_hour().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64;
                Reply::ok(
                    serde_json::json!({"roleCredentials": {
                        "accessKeyId": "ASIASSO", "secretAccessKey": SECRET,
                        "sessionToken": TOKEN, "expiration": millis
                    }})
                    .to_string(),
                )
            }
            _ if r.form().get("WebIdentityToken").map(String::as_str) == Some(WEB_TOKEN) => {
                Reply::ok(format!(
                    r#"<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult><Credentials>
    <AccessKeyId>ASIAWEB</AccessKeyId><SecretAccessKey>{SECRET}</SecretAccessKey>
    <SessionToken>{TOKEN}</SessionToken><Expiration>{}</Expiration>
  </Credentials></AssumeRoleWithWebIdentityResult>
</AssumeRoleWithWebIdentityResponse>"#,
                    rfc3339(in_an_hour())
                ))
            }
            _ => Reply::status(404, "{}"),
        }
    })
}

struct Home(PathBuf);

impl Home {
    fn new() -> Home {
        let root = std::env::temp_dir().join(format!(
            "dynamo-log-test-{}-{}",
            std::process::id(),
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        fs::create_dir_all(&root).unwrap();
        Home(root)
    }
    fn write(&self, relative: &str, contents: &str) -> PathBuf {
        let path = self.0.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, contents).unwrap();
        path
    }
    fn env(&self, vars: &[(&str, &str)]) -> Environment {
        let mut pairs = vec![
            ("HOME".to_string(), self.0.display().to_string()),
            ("AWS_EC2_METADATA_DISABLED".to_string(), "true".to_string()),
            ("AWS_REGION".to_string(), "us-east-1".to_string()),
        ];
        pairs.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Environment::from_pairs(pairs)
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn get(client: &Client) {
    let answer = client
        .send(&wire::GetItemInput::new(
            "logged_table",
            key! { "id" => "a" },
        ))
        .unwrap();
    assert!(answer.item.is_some());
}

#[test]
fn requests_retries_and_values_are_logged_at_their_levels_and_no_secret_ever() {
    log::set_logger(&CAPTURE).unwrap();
    log::set_max_level(log::LevelFilter::Trace);
    let server = server();
    let home = Home::new();
    let no_sleep = |_| {};

    // Static keys with a session token; the first answer is throttled.
    let client = Client::builder()
        .endpoint(server.url())
        .environment(home.env(&[]))
        .credentials(Credentials::new("AKIDSTATIC", STATIC_SECRET).with_session_token(STATIC_TOKEN))
        .retry_policy(RetryPolicy::default())
        .sleep_fn(no_sleep)
        .build()
        .unwrap();
    get(&client);

    // Container credentials with an authorization token.
    let env = home.env(&[
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            &format!("{}/v1/credentials", server.url()),
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", CONTAINER_TOKEN),
    ]);
    get(&Client::builder()
        .endpoint(server.url())
        .environment(env)
        .build()
        .unwrap());

    // Web identity.
    let token_file = home.write("web-token", WEB_TOKEN);
    let env = home.env(&[
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.to_str().unwrap()),
        ("AWS_ROLE_ARN", "arn:aws:iam::1:role/irsa"),
        ("AWS_ENDPOINT_URL_STS", &server.url()),
    ]);
    get(&Client::builder()
        .endpoint(server.url())
        .environment(env)
        .build()
        .unwrap());

    // SSO, with a token refreshed through CreateToken (refresh token and
    // client secret on the wire).
    home.write(
        ".aws/config",
        "[profile dev]\nsso_session = my-sso\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\n\
         [sso-session my-sso]\nsso_start_url = https://my-sso-portal.awsapps.com/start\nsso_region = us-east-1\n",
    );
    home.write(
        ".aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json",
        &serde_json::json!({
            "accessToken": "ssoAccessTokenOldValue0123",
            "expiresAt": rfc3339(SystemTime::now() + Duration::from_secs(60)),
            "refreshToken": "ssoRefreshTokenOld0123", "clientId": "client-id",
            "clientSecret": SSO_CLIENT_SECRET,
            "registrationExpiresAt": rfc3339(in_an_hour()),
            "region": "us-east-1", "startUrl": "https://my-sso-portal.awsapps.com/start"
        })
        .to_string(),
    );
    let env = home.env(&[
        ("AWS_PROFILE", "dev"),
        ("AWS_ENDPOINT_URL_SSO", &server.url()),
        ("AWS_ENDPOINT_URL_SSO_OIDC", &server.url()),
    ]);
    let sso = Client::builder()
        .endpoint(server.url())
        .environment(env)
        .build()
        .unwrap();
    assert!(sso.credentials_source().unwrap().contains("SSO"));
    get(&sso);

    let records = records();
    let ours: Vec<_> = records
        .iter()
        .filter(|(_, target, _)| target.starts_with("dynamo_blocking"))
        .collect();
    let find = |level: log::Level, needle: &str| {
        ours.iter()
            .find(|(l, _, m)| *l == level && m.contains(needle))
            .unwrap_or_else(|| panic!("no {level} line with {needle:?} in {ours:#?}"))
    };
    // The throttled first attempt, its retry at warn, the second attempt.
    find(
        log::Level::Debug,
        "GetItem table=logged_table status=400 attempt=1",
    );
    find(log::Level::Warn, "GetItem retry 1 of 9");
    let (_, _, line) = find(
        log::Level::Debug,
        "GetItem table=logged_table status=200 attempt=2",
    );
    assert!(line.contains("request_id=REQID42"), "{line}");
    assert!(line.contains("latency_ms="), "{line}");
    assert!(
        line.contains("sent_bytes=") && line.contains("received_bytes="),
        "{line}"
    );
    // Item values only at trace.
    assert!(ours
        .iter()
        .any(|(l, _, m)| *l == log::Level::Trace && m.contains(ITEM_VALUE)));
    for (level, _, message) in &ours {
        if *level < log::Level::Trace {
            assert!(!message.contains(ITEM_VALUE), "{level}: {message}");
        }
    }
    // No secret in any line, ureq's own included. (ureq-proto's `trace`
    // dumps of raw bytes are the exception: they show the signed headers in
    // 16-byte rows; the CLI never turns them on.)
    for (level, target, message) in &records {
        if target.starts_with("ureq_proto") {
            continue;
        }
        for secret in [
            STATIC_SECRET,
            STATIC_TOKEN,
            SECRET,
            TOKEN,
            CONTAINER_TOKEN,
            WEB_TOKEN,
            SSO_TOKEN,
            SSO_REFRESH,
            SSO_CLIENT_SECRET,
            "Signature=",
        ] {
            assert!(
                !message.contains(secret),
                "{level} {target}: secret {secret:?} in {message}"
            );
        }
    }
}
