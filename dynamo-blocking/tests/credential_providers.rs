//! Every credentials source against a loopback server speaking its real
//! wire format, reached through the documented overrides
//! (`AWS_EC2_METADATA_SERVICE_ENDPOINT`, `AWS_CONTAINER_CREDENTIALS_FULL_URI`,
//! `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL_SSO`,
//! `AWS_ENDPOINT_URL_SSO_OIDC`). No test touches the process environment or
//! any address but 127.0.0.1; instance metadata is disabled unless a test
//! points it at its own server.

#[path = "support/temp_home.rs"]
mod temp_home;

#[path = "support/loopback.rs"]
mod loopback;

use std::fs;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use temp_home::TempHome;

use dynamo_blocking::config::{resolve, resolve_credentials, ConfigError, Settings, Source};
use dynamo_blocking::sigv4::{sign, SignableRequest, SigningParams, SigningSettings};
use dynamo_blocking::{Credentials, CredentialsErrorKind};
use loopback::{in_an_hour, rfc3339, Reply, Request, Server};

const SECRET: &str = "providerSecretValue0123456789";
const TOKEN: &str = "providerSessionToken0123456789";

/// The JSON document of IMDS and container servers.
fn json_credentials(key: &str, expiry: SystemTime) -> String {
    serde_json::json!({
        "Code": "Success",
        "Type": "AWS-HMAC",
        "AccessKeyId": key,
        "SecretAccessKey": SECRET,
        "Token": TOKEN,
        "Expiration": rfc3339(expiry),
    })
    .to_string()
}

fn credentials_error(err: &ConfigError) -> &dynamo_blocking::CredentialsError {
    match err {
        ConfigError::Credentials(e) => e,
        other => panic!("expected a credentials error, got {other:?}"),
    }
}

fn assert_clean(text: &str) {
    for secret in [
        SECRET,
        TOKEN,
        "webIdentityTokenValue",
        "ssoAccessTokenValue",
        "containerAuthValue",
    ] {
        assert!(!text.contains(secret), "secret {secret:?} leaked: {text}");
    }
}

/// Whole-second precision: the wire formats carry seconds.
fn same_second(a: SystemTime, b: SystemTime) -> bool {
    let secs = |t: SystemTime| t.duration_since(UNIX_EPOCH).unwrap().as_secs();
    secs(a) == secs(b)
}

// ------------------------------------------------------------------ IMDSv2

/// An IMDSv2 server: token PUT with TTL header, then role listing and
/// credentials only with that token.
fn imds_server(expiry: SystemTime) -> Server {
    Server::start(move |r: &Request| {
        let token_ok = r.header("x-aws-ec2-metadata-token") == Some("imds-session-token");
        match (r.method.as_str(), r.path()) {
            ("PUT", "/latest/api/token") => {
                if r.header("x-aws-ec2-metadata-token-ttl-seconds").is_none() {
                    return Reply::status(400, "missing TTL");
                }
                Reply::ok("imds-session-token")
            }
            ("GET", _) if !token_ok => Reply::status(401, "unauthorized"),
            ("GET", "/latest/meta-data/iam/security-credentials/") => Reply::ok("my-role\n"),
            ("GET", "/latest/meta-data/iam/security-credentials/my-role") => {
                Reply::ok(json_credentials("AKIDIMDS", expiry))
            }
            ("GET", "/latest/meta-data/placement/region") => Reply::ok("eu-north-1"),
            _ => Reply::status(404, "not found"),
        }
    })
}

#[test]
fn imds_v2_credentials_with_token_and_expiry() {
    let home = TempHome::new();
    let expiry = in_an_hour();
    let server = imds_server(expiry);
    let env = home.env(&[
        ("AWS_EC2_METADATA_DISABLED", "false"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url()),
    ]);
    let (credentials, source) = resolve_credentials(&Settings::new(), &env).unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDIMDS");
    assert_eq!(credentials.secret_access_key(), SECRET);
    assert_eq!(credentials.session_token(), Some(TOKEN));
    assert!(same_second(credentials.expiry().unwrap(), expiry));
    assert!(
        source.to_string().starts_with("EC2 instance metadata"),
        "{source}"
    );
    let requests = server.requests();
    let methods: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.path()))
        .collect();
    assert_eq!(
        methods,
        [
            ("PUT", "/latest/api/token"),
            ("GET", "/latest/meta-data/iam/security-credentials/"),
            ("GET", "/latest/meta-data/iam/security-credentials/my-role"),
        ]
    );
    assert_eq!(
        requests[0].header("x-aws-ec2-metadata-token-ttl-seconds"),
        Some("21600")
    );
    assert_clean(&format!("{credentials:?} {source:?}"));
}

#[test]
fn region_comes_from_imds_when_nothing_else_gives_it() {
    let home = TempHome::new();
    let server = imds_server(in_an_hour());
    let env = home.env(&[
        ("AWS_EC2_METADATA_DISABLED", "false"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url()),
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
    ]);
    let config = resolve(&Settings::new(), &env).unwrap();
    assert_eq!(config.region, "eu-north-1");
    assert_eq!(config.region_source, Source::InstanceMetadata);
    assert_eq!(config.credentials.access_key_id(), "AKIDENV");
}

#[test]
fn imds_settings_can_come_from_the_profile() {
    let home = TempHome::new();
    let server = imds_server(in_an_hour());
    home.write(
        ".aws/config",
        &format!(
            "[default]\nec2_metadata_service_endpoint = {}\nmetadata_service_timeout = 2\n",
            server.url()
        ),
    );
    let env = home.env(&[("AWS_EC2_METADATA_DISABLED", "false")]);
    let config = resolve(&Settings::new(), &env).unwrap();
    assert_eq!(config.credentials.access_key_id(), "AKIDIMDS");
    assert_eq!(config.region, "eu-north-1");
    assert_eq!(config.region_source, Source::InstanceMetadata);

    home.write(
        ".aws/config",
        "[default]\nmetadata_service_timeout = soon\n",
    );
    let err = resolve_credentials(&Settings::new(), &env).unwrap_err();
    assert_eq!(
        credentials_error(&err).kind(),
        &CredentialsErrorKind::InvalidConfig
    );
    assert!(
        err.to_string().contains("metadata_service_timeout"),
        "{err}"
    );
}

#[test]
fn imds_404_is_a_typed_error_naming_the_source() {
    let home = TempHome::new();
    let server = Server::start(|r: &Request| match r.method.as_str() {
        "PUT" => Reply::ok("t"),
        _ => Reply::status(404, "<html>404 - Not Found</html>"),
    });
    let env = home.env(&[
        ("AWS_EC2_METADATA_DISABLED", "false"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url()),
    ]);
    let err = resolve_credentials(&Settings::new(), &env).unwrap_err();
    let e = credentials_error(&err);
    assert_eq!(e.kind(), &CredentialsErrorKind::HttpStatus(404));
    assert_eq!(e.source_name(), "EC2 instance metadata");
    assert!(err.to_string().contains("404"), "{err}");
}

#[test]
fn imds_malformed_json_is_a_typed_error() {
    let home = TempHome::new();
    let server = Server::start(|r: &Request| match r.path() {
        "/latest/api/token" => Reply::ok("t"),
        "/latest/meta-data/iam/security-credentials/" => Reply::ok("role"),
        _ => Reply::ok(format!(
            "{{\"AccessKeyId\": \"AKID\", \"SecretAccessKey\": \"{SECRET}\", "
        )),
    });
    let env = home.env(&[
        ("AWS_EC2_METADATA_DISABLED", "false"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url()),
    ]);
    let err = resolve_credentials(&Settings::new(), &env).unwrap_err();
    assert_eq!(
        credentials_error(&err).kind(),
        &CredentialsErrorKind::Malformed
    );
    assert_clean(&format!("{err} {err:?}"));
}

#[test]
fn a_hanging_imds_is_given_up_after_its_timeout_and_listed() {
    let home = TempHome::new();
    let server = Server::start(|_: &Request| Reply::Hang);
    let env = home.env(&[
        ("AWS_EC2_METADATA_DISABLED", "false"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url()),
        ("AWS_METADATA_SERVICE_TIMEOUT", "1"),
    ]);
    let started = Instant::now();
    let err = resolve_credentials(&Settings::new(), &env).unwrap_err();
    // 1 s documented timeout; generous bound for a loaded machine.
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    let ConfigError::MissingCredentials { looked_at } = &err else {
        panic!("expected MissingCredentials, got {err:?}");
    };
    let last = looked_at.last().unwrap();
    assert!(
        last.starts_with("EC2 instance metadata (no answer"),
        "{last}"
    );
}

#[test]
fn imds_disabled_is_never_contacted() {
    let home = TempHome::new();
    let server = imds_server(in_an_hour());
    let env = home.env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url())]);
    let err = resolve_credentials(&Settings::new(), &env).unwrap_err();
    assert!(
        matches!(err, ConfigError::MissingCredentials { .. }),
        "{err:?}"
    );
    assert!(server.requests().is_empty());
}

// ------------------------------------------------------ container credentials

#[test]
fn container_credentials_with_an_authorization_token_file() {
    let home = TempHome::new();
    let token_file = home.write("eks-token", "containerAuthValue\n");
    let expiry = in_an_hour();
    let server = Server::start(move |r: &Request| {
        if r.header("authorization") != Some("containerAuthValue") {
            return Reply::status(401, r#"{"code":"AccessDenied","message":"bad token"}"#);
        }
        Reply::ok(json_credentials("AKIDPOD", expiry))
    });
    let url = format!("{}/v1/credentials", server.url());
    let env = home.env(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            token_file.to_str().unwrap(),
        ),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "ignored-because-the-file-wins",
        ),
    ]);
    let (credentials, source) = resolve_credentials(&Settings::new(), &env).unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDPOD");
    assert!(same_second(credentials.expiry().unwrap(), expiry));
    assert_eq!(source.to_string(), format!("container credentials ({url})"));
    assert_eq!(server.requests()[0].path(), "/v1/credentials");

    // The server's error document is reported with its code.
    let env = home.env(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong"),
    ]);
    let err = resolve_credentials(&Settings::new(), &env).unwrap_err();
    let e = credentials_error(&err);
    assert_eq!(
        e.kind(),
        &CredentialsErrorKind::Refused {
            code: "AccessDenied".into()
        }
    );
    assert_eq!(e.source_name(), "container credentials");
    assert_clean(&format!("{err} {err:?}"));
}

#[test]
fn container_full_uri_hosts_follow_the_sdk_rule() {
    let home = TempHome::new();
    let env = home.env(&[(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "http://192.0.2.10/creds",
    )]);
    let err = resolve_credentials(&Settings::new(), &env).unwrap_err();
    assert_eq!(
        credentials_error(&err).kind(),
        &CredentialsErrorKind::InvalidConfig
    );
    assert!(err.to_string().contains("not allowed"), "{err}");
}

#[test]
fn container_malformed_json_and_hangs_are_typed_errors() {
    let home = TempHome::new();
    let server = Server::start(|r: &Request| match r.path() {
        "/hang" => Reply::Hang,
        _ => Reply::ok("{\"AccessKeyId\": 12}"),
    });
    let env = home.env(&[(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        &format!("{}/bad", server.url()),
    )]);
    let err = resolve_credentials(&Settings::new(), &env).unwrap_err();
    assert_eq!(
        credentials_error(&err).kind(),
        &CredentialsErrorKind::Malformed
    );

    let env = home.env(&[(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        &format!("{}/hang", server.url()),
    )]);
    let started = Instant::now();
    let err = resolve_credentials(&Settings::new(), &env).unwrap_err();
    assert_eq!(
        credentials_error(&err).kind(),
        &CredentialsErrorKind::Timeout
    );
    assert!(started.elapsed() < Duration::from_secs(30));
}

// ------------------------------------------------------------------- STS

fn sts_answer(action: &str, key: &str, expiry: SystemTime) -> String {
    format!(
        r#"<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <{action}Result>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/demo/session</Arn>
      <AssumedRoleId>AROA3XFRBF535PLBIFPI4:session</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>{key}</AccessKeyId>
      <SecretAccessKey>{SECRET}</SecretAccessKey>
      <SessionToken>{TOKEN}{key}</SessionToken>
      <Expiration>{}</Expiration>
    </Credentials>
    <PackedPolicySize>6</PackedPolicySize>
  </{action}Result>
  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
</{action}Response>"#,
        rfc3339(expiry)
    )
}

/// Checks an AssumeRole request is SigV4-signed for `sts` in `region` with
/// `key`/`secret`: recomputes the signature over what was received.
fn assert_signed_for_sts(r: &Request, key: &str, secret: &str, token: Option<&str>, region: &str) {
    let authorization = r.header("authorization").expect("signed");
    let date = r.header("x-amz-date").expect("x-amz-date");
    assert!(
        authorization.starts_with(&format!(
            "AWS4-HMAC-SHA256 Credential={key}/{}/{region}/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date",
            &date[..8]
        )),
        "{authorization}"
    );
    assert_eq!(r.header("x-amz-security-token"), token);
    let mut credentials = Credentials::new(key, secret);
    if let Some(token) = token {
        credentials = credentials.with_session_token(token);
    }
    let headers = [
        ("content-type", r.header("content-type").unwrap()),
        ("host", r.header("host").unwrap()),
    ];
    let time = chrono::NaiveDateTime::parse_from_str(date, "%Y%m%dT%H%M%SZ")
        .unwrap()
        .and_utc();
    let expected = sign(
        &SignableRequest {
            method: &r.method,
            url_path: r.path(),
            query: "",
            headers: &headers,
            payload: r.body.as_bytes(),
        },
        &SigningParams {
            credentials: &credentials,
            region,
            service: "sts",
            time,
            settings: SigningSettings::default(),
        },
    );
    assert_eq!(authorization, expected.authorization());
}

#[test]
fn assume_role_through_a_chain_of_source_profiles() {
    let home = TempHome::new();
    let expiry = in_an_hour();
    let server = Server::start(move |r: &Request| {
        let form = r.form();
        match form.get("RoleArn").map(String::as_str) {
            Some("arn:aws:iam::123456789012:role/middle") => {
                Reply::ok(sts_answer("AssumeRole", "ASIAMIDDLE", expiry))
            }
            Some("arn:aws:iam::123456789012:role/top") => {
                Reply::ok(sts_answer("AssumeRole", "ASIATOP", expiry))
            }
            _ => Reply::status(400, "unexpected"),
        }
    });
    home.write(
        ".aws/credentials",
        &format!("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = {SECRET}\n"),
    );
    home.write(
        ".aws/config",
        "[profile top]\nrole_arn = arn:aws:iam::123456789012:role/top\nsource_profile = middle\n\
         external_id = ext-123\nrole_session_name = my session\nduration_seconds = 900\nregion = us-west-2\n\
         [profile middle]\nrole_arn = arn:aws:iam::123456789012:role/middle\nsource_profile = base\n",
    );
    let env = home.env(&[
        ("AWS_PROFILE", "top"),
        ("AWS_ENDPOINT_URL_STS", &server.url()),
    ]);
    let (credentials, source) = resolve_credentials(&Settings::new(), &env).unwrap();
    assert_eq!(credentials.access_key_id(), "ASIATOP");
    assert_eq!(
        credentials.session_token(),
        Some(format!("{TOKEN}ASIATOP").as_str())
    );
    assert!(same_second(credentials.expiry().unwrap(), expiry));
    let text = source.to_string();
    assert!(text.contains("then assume role arn:aws:iam::123456789012:role/middle, then assume role arn:aws:iam::123456789012:role/top"), "{text}");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    // Innermost role first, signed by the base profile's keys.
    let first = requests[0].form();
    assert_eq!(first["Action"], "AssumeRole");
    assert_eq!(first["Version"], "2011-06-15");
    assert_eq!(first["RoleArn"], "arn:aws:iam::123456789012:role/middle");
    assert_signed_for_sts(&requests[0], "AKIDBASE", SECRET, None, "us-west-2");
    // Then the top role, signed by the middle role's temporary credentials,
    // with the profile's settings.
    let second = requests[1].form();
    assert_eq!(second["RoleArn"], "arn:aws:iam::123456789012:role/top");
    assert_eq!(second["ExternalId"], "ext-123");
    assert_eq!(second["RoleSessionName"], "my session");
    assert_eq!(second["DurationSeconds"], "900");
    assert_signed_for_sts(
        &requests[1],
        "ASIAMIDDLE",
        SECRET,
        Some(&format!("{TOKEN}ASIAMIDDLE")),
        "us-west-2",
    );
    assert_eq!(
        requests[1].header("content-type"),
        Some("application/x-www-form-urlencoded; charset=utf-8")
    );
    assert_clean(&format!("{credentials:?} {source:?}"));
}

#[test]
fn credential_source_names_where_the_source_credentials_come_from() {
    let home = TempHome::new();
    let expiry = in_an_hour();
    let container =
        Server::start(move |_: &Request| Reply::ok(json_credentials("ASIATASK", expiry)));
    let sts =
        Server::start(|_: &Request| Reply::ok(sts_answer("AssumeRole", "ASIAROLE", in_an_hour())));
    home.write(
        ".aws/config",
        "[profile ecs]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = EcsContainer\nregion = eu-west-1\n\
         [profile env]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Environment\n\
         [profile odd]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Somewhere\n",
    );
    // EcsContainer: the task's credentials sign the AssumeRole call. (The
    // container step of the chain comes after the profile, so the profile
    // wins here.)
    let env = home.env(&[
        ("AWS_PROFILE", "ecs"),
        ("AWS_ENDPOINT_URL_STS", &sts.url()),
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            &format!("{}/creds", container.url()),
        ),
    ]);
    let (credentials, source) = resolve_credentials(&Settings::new(), &env).unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAROLE");
    assert_eq!(
        source.to_string(),
        "profile ecs: credential_source EcsContainer, then assume role arn:aws:iam::1:role/r"
    );
    assert_signed_for_sts(
        &sts.requests()[0],
        "ASIATASK",
        SECRET,
        Some(TOKEN),
        "eu-west-1",
    );

    // Environment without keys there, and an unknown source: typed errors.
    let env = home.env(&[("AWS_PROFILE", "env"), ("AWS_ENDPOINT_URL_STS", &sts.url())]);
    let err = resolve_credentials(&Settings::new(), &env).unwrap_err();
    assert_eq!(
        credentials_error(&err).kind(),
        &CredentialsErrorKind::NotConfigured
    );
    assert!(
        err.to_string().contains("credential_source = Environment"),
        "{err}"
    );
    let env = home.env(&[("AWS_PROFILE", "odd")]);
    let err = resolve_credentials(&Settings::new(), &env).unwrap_err();
    assert_eq!(
        credentials_error(&err).kind(),
        &CredentialsErrorKind::InvalidConfig
    );
    assert_eq!(sts.requests().len(), 1);
}

#[test]
fn a_profile_cycle_and_a_missing_source_profile_are_typed_errors() {
    let home = TempHome::new();
    home.write(
        ".aws/config",
        "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n\
         [profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n\
         [profile lost]\nrole_arn = arn:aws:iam::1:role/l\nsource_profile = nowhere\n",
    );
    let started = Instant::now();
    let err = resolve_credentials(&Settings::new().with_profile("a"), &home.env(&[])).unwrap_err();
    let e = credentials_error(&err);
    assert_eq!(e.kind(), &CredentialsErrorKind::ProfileCycle);
    assert_eq!(e.source_name(), "profile a");
    assert!(err.to_string().contains("a -> b -> a"), "{err}");
    let err =
        resolve_credentials(&Settings::new().with_profile("lost"), &home.env(&[])).unwrap_err();
    let e = credentials_error(&err);
    assert_eq!(e.kind(), &CredentialsErrorKind::MissingSourceProfile);
    assert!(err.to_string().contains("nowhere"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn sts_errors_and_malformed_xml_name_the_role() {
    let home = TempHome::new();
    let server = Server::start(
        |r: &Request| match r.form().get("RoleArn").map(String::as_str) {
            Some("arn:aws:iam::1:role/denied") => Reply::status(
                403,
                r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole</Message></Error><RequestId>r</RequestId></ErrorResponse>"#,
            ),
            _ => Reply::ok("<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A"),
        },
    );
    home.write(
        ".aws/config",
        &format!(
            "[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = {SECRET}\n\
             [profile denied]\nrole_arn = arn:aws:iam::1:role/denied\nsource_profile = base\n\
             [profile broken]\nrole_arn = arn:aws:iam::1:role/broken\nsource_profile = base\n"
        ),
    );
    let env = home.env(&[("AWS_ENDPOINT_URL_STS", &server.url())]);
    let err = resolve_credentials(&Settings::new().with_profile("denied"), &env).unwrap_err();
    let e = credentials_error(&err);
    assert_eq!(
        e.kind(),
        &CredentialsErrorKind::Refused {
            code: "AccessDenied".into()
        }
    );
    assert_eq!(e.source_name(), "assume role arn:aws:iam::1:role/denied");
    let err = resolve_credentials(&Settings::new().with_profile("broken"), &env).unwrap_err();
    let e = credentials_error(&err);
    assert_eq!(e.kind(), &CredentialsErrorKind::Malformed);
    assert_eq!(e.source_name(), "assume role arn:aws:iam::1:role/broken");
    assert_clean(&format!("{err} {err:?}"));
}

#[test]
fn web_identity_from_the_environment_and_from_a_profile() {
    let home = TempHome::new();
    let token_file = home.write("web-token", "webIdentityTokenValue\n");
    let server = Server::start(|r: &Request| {
        if r.header("authorization").is_some() {
            return Reply::status(400, "web identity calls are not signed");
        }
        let form = r.form();
        if form.get("WebIdentityToken").map(String::as_str) != Some("webIdentityTokenValue") {
            return Reply::status(400, "bad token");
        }
        Reply::ok(sts_answer(
            "AssumeRoleWithWebIdentity",
            "ASIAWEB",
            in_an_hour(),
        ))
    });
    let env = home.env(&[
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.to_str().unwrap()),
        ("AWS_ROLE_ARN", "arn:aws:iam::1:role/irsa"),
        ("AWS_ROLE_SESSION_NAME", "pod-session"),
        ("AWS_ENDPOINT_URL_STS", &server.url()),
    ]);
    let (credentials, source) = resolve_credentials(&Settings::new(), &env).unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAWEB");
    assert!(
        source
            .to_string()
            .starts_with("web identity arn:aws:iam::1:role/irsa"),
        "{source}"
    );
    let form = server.requests()[0].form();
    assert_eq!(form["Action"], "AssumeRoleWithWebIdentity");
    assert_eq!(form["RoleArn"], "arn:aws:iam::1:role/irsa");
    assert_eq!(form["RoleSessionName"], "pod-session");

    home.write(
        ".aws/config",
        &format!(
            "[profile web]\nrole_arn = arn:aws:iam::1:role/web\nweb_identity_token_file = {}\n",
            token_file.display()
        ),
    );
    let env = home.env(&[
        ("AWS_PROFILE", "web"),
        ("AWS_ENDPOINT_URL_STS", &server.url()),
    ]);
    let (credentials, source) = resolve_credentials(&Settings::new(), &env).unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAWEB");
    assert_eq!(
        source.to_string(),
        "profile web: web identity arn:aws:iam::1:role/web"
    );
    assert_clean(&format!("{credentials:?} {source:?}"));
}

#[test]
fn half_a_web_identity_setup() {
    let home = TempHome::new();
    // AWS_ROLE_ARN alone (other tools use it) only skips the source.
    let env = home.env(&[("AWS_ROLE_ARN", "arn:aws:iam::1:role/r")]);
    let err = resolve_credentials(&Settings::new(), &env).unwrap_err();
    let ConfigError::MissingCredentials { looked_at } = &err else {
        panic!("expected MissingCredentials, got {err:?}");
    };
    assert!(
        looked_at
            .iter()
            .any(|l| l == "web identity (AWS_ROLE_ARN set but AWS_WEB_IDENTITY_TOKEN_FILE not)"),
        "{looked_at:?}"
    );
    // A token file without its role is a broken setup.
    let env = home.env(&[("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/token")]);
    let err = resolve_credentials(&Settings::new(), &env).unwrap_err();
    assert_eq!(
        credentials_error(&err).kind(),
        &CredentialsErrorKind::InvalidConfig
    );
}

// --------------------------------------------------------- credential_process

#[cfg(unix)]
#[test]
fn credential_process_runs_a_real_script() {
    let home = TempHome::new();
    let expiry = in_an_hour();
    let script = home.write(
        "creds.sh",
        &format!(
            "#!/bin/sh\necho \"the process may talk on stderr\" >&2\n\
             cat <<EOF\n{{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"{SECRET}\", \
             \"SessionToken\": \"{TOKEN}\", \"Expiration\": \"{}\"}}\nEOF\n",
            rfc3339(expiry)
        ),
    );
    home.write(
        ".aws/config",
        &format!(
            "[profile proc]\ncredential_process = sh {} --some-arg\n\
             [profile failing]\ncredential_process = sh -c 'exit 7'\n\
             [profile garbage]\ncredential_process = echo not-json\n",
            script.display()
        ),
    );
    let env = home.env(&[("AWS_PROFILE", "proc")]);
    let (credentials, source) = resolve_credentials(&Settings::new(), &env).unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDPROC");
    assert_eq!(credentials.session_token(), Some(TOKEN));
    assert!(same_second(credentials.expiry().unwrap(), expiry));
    assert_eq!(source.to_string(), "profile proc: credential_process");

    let err = resolve_credentials(&Settings::new().with_profile("failing"), &env).unwrap_err();
    assert_eq!(
        credentials_error(&err).kind(),
        &CredentialsErrorKind::ProcessFailed
    );
    let err = resolve_credentials(&Settings::new().with_profile("garbage"), &env).unwrap_err();
    assert_eq!(
        credentials_error(&err).kind(),
        &CredentialsErrorKind::Malformed
    );
    assert_eq!(
        credentials_error(&err).source_name(),
        "profile garbage: credential_process"
    );
}

// --------------------------------------------------------------------- SSO

/// An SSO portal (GetRoleCredentials) and SSO-OIDC (CreateToken) server.
fn sso_server(expiry_millis: u128) -> Server {
    Server::start(move |r: &Request| match (r.method.as_str(), r.path()) {
        ("POST", "/token") => {
            let body: serde_json::Value = serde_json::from_str(&r.body).unwrap();
            if body["grantType"] != "refresh_token" || body["refreshToken"] != "ssoRefreshToken" {
                return Reply::status(400, r#"{"error":"invalid_grant"}"#);
            }
            Reply::ok(
                serde_json::json!({
                    "accessToken": "ssoAccessTokenValueNew",
                    "expiresIn": 28800,
                    "refreshToken": "ssoRefreshToken2",
                    "tokenType": "Bearer"
                })
                .to_string(),
            )
        }
        ("GET", "/federation/credentials") => {
            let token = r.header("x-amz-sso_bearer_token").unwrap_or("");
            if !token.starts_with("ssoAccessTokenValue") {
                return Reply::status(401, r#"{"message":"Session token not found or invalid"}"#);
            }
            if !r.target.contains("account_id=123456789012")
                || !r.target.contains("role_name=ReadOnly")
            {
                return Reply::status(400, r#"{"message":"bad query"}"#);
            }
            Reply::ok(
                serde_json::json!({
                    "roleCredentials": {
                        "accessKeyId": if token.ends_with("New") { "ASIASSONEW" } else { "ASIASSO" },
                        "secretAccessKey": SECRET,
                        "sessionToken": TOKEN,
                        "expiration": expiry_millis as u64
                    }
                })
                .to_string(),
            )
        }
        _ => Reply::status(404, "{}"),
    })
}

#[test]
fn sso_session_refreshes_an_expiring_token_through_create_token() {
    let home = TempHome::new();
    let expiry = in_an_hour();
    let millis = expiry.duration_since(UNIX_EPOCH).unwrap().as_millis();
    let server = sso_server(millis);
    home.write(
        ".aws/config",
        "[profile dev]\nsso_session = my-sso\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\n\
         [sso-session my-sso]\nsso_start_url = https://my-sso-portal.awsapps.com/start\nsso_region = us-east-1\n",
    );
    // The cache file is named by the SHA-1 of the session name (computed
    // independently: sha1("my-sso")).
    let cache = home.write(
        ".aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json",
        &serde_json::json!({
            "accessToken": "ssoAccessTokenValueOld",
            "expiresAt": rfc3339(SystemTime::now() + Duration::from_secs(60)),
            "refreshToken": "ssoRefreshToken",
            "clientId": "client-id",
            "clientSecret": "client-secret",
            "registrationExpiresAt": rfc3339(in_an_hour()),
            "region": "us-east-1",
            "startUrl": "https://my-sso-portal.awsapps.com/start"
        })
        .to_string(),
    );
    let env = home.env(&[
        ("AWS_PROFILE", "dev"),
        ("AWS_ENDPOINT_URL_SSO", &server.url()),
        ("AWS_ENDPOINT_URL_SSO_OIDC", &server.url()),
    ]);
    let (credentials, source) = resolve_credentials(&Settings::new(), &env).unwrap();
    // Expiring within 5 minutes: refreshed first, then used.
    assert_eq!(credentials.access_key_id(), "ASIASSONEW");
    assert!(same_second(credentials.expiry().unwrap(), expiry));
    assert!(
        source.to_string().contains("SSO session my-sso"),
        "{source}"
    );
    let paths: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.path().to_string())
        .collect();
    assert_eq!(paths, ["/token", "/federation/credentials"]);
    // The refreshed token is written back to the cache.
    let cached: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&cache).unwrap()).unwrap();
    assert_eq!(cached["accessToken"], "ssoAccessTokenValueNew");
    assert_eq!(cached["refreshToken"], "ssoRefreshToken2");
    assert_eq!(cached["clientId"], "client-id");
    assert_clean(&format!("{credentials:?} {source:?}"));
}

#[test]
fn legacy_sso_profile_and_an_expired_token() {
    let home = TempHome::new();
    let server = sso_server(in_an_hour().duration_since(UNIX_EPOCH).unwrap().as_millis());
    home.write(
        ".aws/config",
        "[profile legacy]\nsso_start_url = https://legacy.awsapps.com/start\nsso_region = eu-west-1\n\
         sso_account_id = 123456789012\nsso_role_name = ReadOnly\n",
    );
    let cache = ".aws/sso/cache/79e435d7a515078e81c9dffc35f38d5687ebd3a7.json";
    home.write(
        cache,
        &serde_json::json!({
            "accessToken": "ssoAccessTokenValue",
            "expiresAt": rfc3339(in_an_hour()),
            "region": "eu-west-1",
            "startUrl": "https://legacy.awsapps.com/start"
        })
        .to_string(),
    );
    let env = home.env(&[
        ("AWS_PROFILE", "legacy"),
        ("AWS_ENDPOINT_URL_SSO", &server.url()),
    ]);
    let (credentials, _) = resolve_credentials(&Settings::new(), &env).unwrap();
    assert_eq!(credentials.access_key_id(), "ASIASSO");

    // Expired and not refreshable (legacy form): a clear error telling what to do.
    home.write(
        cache,
        &serde_json::json!({
            "accessToken": "ssoAccessTokenValue",
            "expiresAt": rfc3339(SystemTime::now() - Duration::from_secs(60)),
        })
        .to_string(),
    );
    let err = resolve_credentials(&Settings::new(), &env).unwrap_err();
    let e = credentials_error(&err);
    assert_eq!(e.kind(), &CredentialsErrorKind::Expired);
    assert!(
        err.to_string().contains("aws sso login --profile legacy"),
        "{err}"
    );

    // A malformed cache file.
    home.write(cache, "{\"accessToken\": ");
    let err = resolve_credentials(&Settings::new(), &env).unwrap_err();
    assert_eq!(
        credentials_error(&err).kind(),
        &CredentialsErrorKind::Malformed
    );
    assert_clean(&format!("{err} {err:?}"));
}
