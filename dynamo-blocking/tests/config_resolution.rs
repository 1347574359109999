//! End-to-end tests of configuration resolution against real files in
//! temporary directories and map-based environments. No test reads or
//! changes the process environment, so they can run in parallel.

#[path = "support/temp_home.rs"]
mod temp_home;

use std::fs;
use std::path::Path;

use temp_home::TempHome;

use dynamo_blocking::config::{
    resolve, resolve_credentials, resolve_endpoint, resolve_region, ConfigError, Environment,
    ResolvedConfig, Settings, Source,
};
use dynamo_blocking::Credentials;

// Distinctive secret values: assertions check they never leak into output.
const ENV_SECRET: &str = "envSecretValue0123456789";
const ENV_TOKEN: &str = "envTokenValue0123456789";
const FILE_SECRET: &str = "fileSecretValue0123456789";
const FILE_TOKEN: &str = "fileTokenValue0123456789";
const CONFIG_SECRET: &str = "configSecretValue0123456789";
const EXPLICIT_SECRET: &str = "explicitSecretValue0123456789";
const ALL_SECRETS: [&str; 6] = [
    ENV_SECRET,
    ENV_TOKEN,
    FILE_SECRET,
    FILE_TOKEN,
    CONFIG_SECRET,
    EXPLICIT_SECRET,
];

fn file_source(path: &Path, section: &str) -> Source {
    Source::SharedFile {
        path: path.to_path_buf(),
        section: section.to_string(),
    }
}

fn env_credentials() -> [(&'static str, &'static str); 3] {
    [
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", ENV_SECRET),
        ("AWS_SESSION_TOKEN", ENV_TOKEN),
    ]
}

/// Asserts that neither `Display` nor `Debug` of `error` leaks a secret.
fn assert_no_secrets_in_error(error: &ConfigError) {
    let shown = format!("{error} / {error:?}");
    for secret in ALL_SECRETS {
        assert!(!shown.contains(secret), "secret leaked: {shown}");
    }
}

fn assert_no_secrets_in_config(config: &ResolvedConfig) {
    let shown = format!("{config:?}");
    for secret in ALL_SECRETS {
        assert!(!shown.contains(secret), "secret leaked: {shown}");
    }
}

// ---------------------------------------------------------------- credentials

#[test]
fn explicit_credentials_beat_environment_and_files() {
    let home = TempHome::new();
    home.credentials(&format!(
        "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = {FILE_SECRET}\n"
    ));
    let env = home.env(&env_credentials());
    let settings = Settings::new()
        .with_credentials(Credentials::new("AKIDEXPLICIT", EXPLICIT_SECRET))
        .with_region("us-east-1");
    let config = resolve(&settings, &env).unwrap();
    assert_eq!(config.credentials.access_key_id(), "AKIDEXPLICIT");
    assert_eq!(config.credentials.secret_access_key(), EXPLICIT_SECRET);
    assert_eq!(config.credentials.session_token(), None);
    assert_eq!(config.credentials_source, Source::Explicit);
}

#[test]
fn environment_credentials_beat_files_and_carry_the_session_token() {
    let home = TempHome::new();
    home.credentials(&format!(
        "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = {FILE_SECRET}\n"
    ));
    let env = home.env(&env_credentials());
    let (credentials, source) = resolve_credentials(&Settings::new(), &env).unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDENV");
    assert_eq!(credentials.secret_access_key(), ENV_SECRET);
    assert_eq!(credentials.session_token(), Some(ENV_TOKEN));
    assert_eq!(source, Source::EnvVar("AWS_ACCESS_KEY_ID"));
}

#[test]
fn environment_credentials_without_session_token() {
    let env = Environment::from_pairs([
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", ENV_SECRET),
    ]);
    let (credentials, _) = resolve_credentials(&Settings::new(), &env).unwrap();
    assert_eq!(credentials.session_token(), None);
    assert_eq!(credentials.secret_access_key(), ENV_SECRET);
}

#[test]
fn credentials_file_default_profile_with_session_token() {
    let home = TempHome::new();
    let path = home.credentials(&format!(
        "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = {FILE_SECRET}\n\
         aws_session_token = {FILE_TOKEN}\n"
    ));
    let (credentials, source) = resolve_credentials(&Settings::new(), &home.env(&[])).unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDFILE");
    assert_eq!(credentials.secret_access_key(), FILE_SECRET);
    assert_eq!(credentials.session_token(), Some(FILE_TOKEN));
    assert_eq!(source, file_source(&path, "default"));
}

#[test]
fn credentials_file_beats_config_file_for_the_same_profile() {
    let home = TempHome::new();
    let credentials_path = home.credentials(&format!(
        "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = {FILE_SECRET}\n"
    ));
    home.config(&format!(
        "[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = {CONFIG_SECRET}\n\
         aws_session_token = {FILE_TOKEN}\n"
    ));
    let (credentials, source) = resolve_credentials(&Settings::new(), &home.env(&[])).unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDFILE");
    assert_eq!(credentials.secret_access_key(), FILE_SECRET);
    // The whole set comes from one file: no token borrowed from the config file.
    assert_eq!(credentials.session_token(), None);
    assert_eq!(source, file_source(&credentials_path, "default"));
}

#[test]
fn config_file_credentials_are_used_when_the_credentials_file_lacks_them() {
    let home = TempHome::new();
    home.credentials("[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = x\n");
    let config_path = home.config(&format!(
        "[profile dev]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = {CONFIG_SECRET}\n\
         aws_session_token = {FILE_TOKEN}\n"
    ));
    let env = home.env(&[("AWS_PROFILE", "dev")]);
    let (credentials, source) = resolve_credentials(&Settings::new(), &env).unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDCONFIG");
    assert_eq!(credentials.secret_access_key(), CONFIG_SECRET);
    assert_eq!(credentials.session_token(), Some(FILE_TOKEN));
    assert_eq!(source, file_source(&config_path, "profile dev"));
}

#[test]
fn aws_profile_selects_the_profile_in_both_files() {
    let home = TempHome::new();
    let credentials_path = home.credentials(
        "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n\
         [dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = v\n",
    );
    let config_path =
        home.config("[default]\nregion = us-east-1\n[profile dev]\nregion = eu-north-1\n");
    let config = resolve(&Settings::new(), &home.env(&[("AWS_PROFILE", "dev")])).unwrap();
    assert_eq!(config.profile, "dev");
    assert_eq!(config.credentials.access_key_id(), "AKIDDEV");
    assert_eq!(
        config.credentials_source,
        file_source(&credentials_path, "dev")
    );
    assert_eq!(config.region, "eu-north-1");
    assert_eq!(
        config.region_source,
        file_source(&config_path, "profile dev")
    );

    // Without AWS_PROFILE the default profile is used.
    let config = resolve(&Settings::new(), &home.env(&[])).unwrap();
    assert_eq!(config.profile, "default");
    assert_eq!(config.credentials.access_key_id(), "AKIDDEFAULT");
    assert_eq!(config.region, "us-east-1");
}

#[test]
fn explicit_profile_beats_aws_profile() {
    let home = TempHome::new();
    home.credentials(
        "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = v\n\
         [prod]\naws_access_key_id = AKIDPROD\naws_secret_access_key = p\n",
    );
    let env = home.env(&[("AWS_PROFILE", "dev"), ("AWS_REGION", "us-east-1")]);
    let config = resolve(&Settings::new().with_profile("prod"), &env).unwrap();
    assert_eq!(config.profile, "prod");
    assert_eq!(config.credentials.access_key_id(), "AKIDPROD");
}

#[test]
fn section_forms_differ_between_the_two_files() {
    // In the config file a named profile is `[profile dev]`: a bare `[dev]` is
    // not it. In the credentials file it is `[dev]`: `[profile dev]` is not it.
    let home = TempHome::new();
    home.credentials("[profile dev]\naws_access_key_id = WRONG1\naws_secret_access_key = w\n");
    home.config(
        "[dev]\naws_access_key_id = WRONG2\naws_secret_access_key = w\nregion = eu-west-3\n\
         [profile dev]\nregion = eu-west-1\n",
    );
    let env = home.env(&[("AWS_PROFILE", "dev")]);
    let err = resolve_credentials(&Settings::new(), &env).unwrap_err();
    assert!(
        matches!(err, ConfigError::MissingCredentials { .. }),
        "{err:?}"
    );
    let (region, _) = resolve_region(&Settings::new(), &env).unwrap();
    assert_eq!(region, "eu-west-1");
}

#[test]
fn misplaced_config_section_gets_a_hint() {
    let home = TempHome::new();
    home.config("[dev]\naws_access_key_id = A\naws_secret_access_key = b\n");
    let env = home.env(&[("AWS_PROFILE", "dev")]);
    let err = resolve_credentials(&Settings::new(), &env).unwrap_err();
    // `[dev]` exists only in the wrong form: the profile is not found.
    let ConfigError::ProfileNotFound { looked_at, .. } = &err else {
        panic!("expected ProfileNotFound, got {err:?}");
    };
    assert!(
        looked_at.iter().any(|l| l.contains("write [profile dev]")),
        "{looked_at:?}"
    );
}

#[test]
fn config_default_profile_accepts_both_header_forms() {
    let home = TempHome::new();
    let config_path = home.config("[default]\nregion = us-west-1\n");
    let (region, source) = resolve_region(&Settings::new(), &home.env(&[])).unwrap();
    assert_eq!(region, "us-west-1");
    assert_eq!(source, file_source(&config_path, "default"));

    let config_path =
        home.config("[default]\nregion = us-west-1\n[profile default]\nregion = us-west-2\n");
    let (region, source) = resolve_region(&Settings::new(), &home.env(&[])).unwrap();
    assert_eq!(region, "us-west-2");
    assert_eq!(source, file_source(&config_path, "profile default"));
}

#[test]
fn shared_file_variables_override_the_default_paths() {
    let home = TempHome::new();
    home.credentials("[default]\naws_access_key_id = AKIDHOME\naws_secret_access_key = h\n");
    home.config("[default]\nregion = us-east-1\n");
    let credentials_path = home.write(
        "elsewhere/creds.ini",
        "[default]\naws_access_key_id = AKIDOVERRIDE\naws_secret_access_key = o\n",
    );
    let config_path = home.write("elsewhere/conf.ini", "[default]\nregion = ap-south-1\n");
    let env = home.env(&[
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            &credentials_path.to_string_lossy(),
        ),
        ("AWS_CONFIG_FILE", &config_path.to_string_lossy()),
    ]);
    let config = resolve(&Settings::new(), &env).unwrap();
    assert_eq!(config.credentials.access_key_id(), "AKIDOVERRIDE");
    assert_eq!(
        config.credentials_source,
        file_source(&credentials_path, "default")
    );
    assert_eq!(config.region, "ap-south-1");
    assert_eq!(config.region_source, file_source(&config_path, "default"));
}

#[test]
fn shared_file_variables_expand_a_leading_tilde() {
    let home = TempHome::new();
    let path = home.write(
        "custom/creds",
        "[default]\naws_access_key_id = AKIDTILDE\naws_secret_access_key = t\n",
    );
    let env = home.env(&[("AWS_SHARED_CREDENTIALS_FILE", "~/custom/creds")]);
    let (credentials, source) = resolve_credentials(&Settings::new(), &env).unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDTILDE");
    assert_eq!(source, file_source(&path, "default"));
}

#[test]
fn userprofile_is_the_home_fallback() {
    let home = TempHome::new();
    home.credentials("[default]\naws_access_key_id = AKIDWIN\naws_secret_access_key = w\n");
    let env = Environment::from_pairs([("HOME", ""), ("USERPROFILE", home.root.to_str().unwrap())]);
    let (credentials, _) = resolve_credentials(&Settings::new(), &env).unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDWIN");
}

#[test]
fn half_a_key_pair_is_an_error_not_a_fallback() {
    let home = TempHome::new();
    home.credentials(&format!(
        "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = {FILE_SECRET}\n"
    ));

    let env = home.env(&[("AWS_ACCESS_KEY_ID", "AKIDENV")]);
    let err = resolve_credentials(&Settings::new(), &env).unwrap_err();
    assert!(
        matches!(
            err,
            ConfigError::IncompleteCredentials {
                present: "AWS_ACCESS_KEY_ID",
                missing: "AWS_SECRET_ACCESS_KEY",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("AWS_SECRET_ACCESS_KEY is missing"),
        "{err}"
    );

    let env = home.env(&[("AWS_SECRET_ACCESS_KEY", ENV_SECRET)]);
    let err = resolve_credentials(&Settings::new(), &env).unwrap_err();
    assert!(
        matches!(
            err,
            ConfigError::IncompleteCredentials {
                missing: "AWS_ACCESS_KEY_ID",
                ..
            }
        ),
        "{err:?}"
    );
    assert_no_secrets_in_error(&err);

    let path = home.credentials(&format!(
        "[default]\naws_secret_access_key = {FILE_SECRET}\n"
    ));
    home.config("[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = c\n");
    let err = resolve_credentials(&Settings::new(), &home.env(&[])).unwrap_err();
    let ConfigError::IncompleteCredentials {
        origin, missing, ..
    } = &err
    else {
        panic!("expected IncompleteCredentials, got {err:?}");
    };
    assert_eq!(*missing, "aws_access_key_id");
    assert_eq!(*origin, file_source(&path, "default"));
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
    assert_no_secrets_in_error(&err);
}

// --------------------------------------------------------------------- region

#[test]
fn region_precedence_step_by_step() {
    let home = TempHome::new();
    let config_path = home.config("[default]\nregion = from-profile-1\n");
    let all = [
        ("AWS_REGION", "from-env-1"),
        ("AWS_DEFAULT_REGION", "from-default-env-1"),
    ];

    let explicit = Settings::new().with_region("from-explicit-1");
    assert_eq!(
        resolve_region(&explicit, &home.env(&all)).unwrap(),
        ("from-explicit-1".to_string(), Source::Explicit)
    );
    assert_eq!(
        resolve_region(&Settings::new(), &home.env(&all)).unwrap(),
        ("from-env-1".to_string(), Source::EnvVar("AWS_REGION"))
    );
    assert_eq!(
        resolve_region(&Settings::new(), &home.env(&all[1..])).unwrap(),
        (
            "from-default-env-1".to_string(),
            Source::EnvVar("AWS_DEFAULT_REGION")
        )
    );
    assert_eq!(
        resolve_region(&Settings::new(), &home.env(&[])).unwrap(),
        (
            "from-profile-1".to_string(),
            file_source(&config_path, "default")
        )
    );
}

#[test]
fn region_is_read_from_the_config_file_only() {
    let home = TempHome::new();
    home.credentials(
        "[default]\naws_access_key_id = A\naws_secret_access_key = b\nregion = us-east-2\n",
    );
    let err = resolve_region(&Settings::new(), &home.env(&[])).unwrap_err();
    assert!(matches!(err, ConfigError::MissingRegion { .. }), "{err:?}");
}

#[test]
fn missing_region_says_where_it_looked() {
    let home = TempHome::new();
    let config_path = home.config("[profile dev]\noutput = json\n");
    let env = home.env(&[
        ("AWS_PROFILE", "dev"),
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", ENV_SECRET),
        ("AWS_SESSION_TOKEN", ENV_TOKEN),
    ]);
    let err = resolve(&Settings::new(), &env).unwrap_err();
    let ConfigError::MissingRegion { looked_at } = &err else {
        panic!("expected MissingRegion, got {err:?}");
    };
    assert_eq!(looked_at.len(), 5, "{looked_at:?}");
    let text = err.to_string();
    assert!(text.starts_with("no AWS region configured"), "{text}");
    assert!(
        text.contains("EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)"),
        "{text}"
    );
    for expected in [
        "explicit settings".to_string(),
        "AWS_REGION (not set)".to_string(),
        "AWS_DEFAULT_REGION (not set)".to_string(),
        format!("{} [profile dev] (no region key)", config_path.display()),
    ] {
        assert!(text.contains(&expected), "missing {expected:?} in {text}");
    }
    assert_no_secrets_in_error(&err);
}

#[test]
fn invalid_region_is_an_error() {
    let env = Environment::from_pairs([("AWS_REGION", "us east 1")]);
    let err = resolve_region(&Settings::new(), &env).unwrap_err();
    assert!(
        matches!(&err, ConfigError::InvalidRegion { region, origin: Source::EnvVar("AWS_REGION"), .. } if region == "us east 1"),
        "{err:?}"
    );
    let err = resolve_region(&Settings::new().with_region("a/b"), &env).unwrap_err();
    assert!(
        matches!(
            err,
            ConfigError::InvalidRegion {
                origin: Source::Explicit,
                ..
            }
        ),
        "{err:?}"
    );
}

// ------------------------------------------------------------------- endpoint

#[test]
fn endpoint_precedence_step_by_step() {
    let home = TempHome::new();
    let config_path = home.config(
        "[default]\nregion = us-east-1\nendpoint_url = http://profile-global:8003\nservices = local\n\
         [services local]\ndynamodb =\n  endpoint_url = http://profile-service:8002\n",
    );
    let service_env = ("AWS_ENDPOINT_URL_DYNAMODB", "http://env-service:8001");
    let global_env = ("AWS_ENDPOINT_URL", "http://env-global:8000");
    let explicit = Settings::new().with_endpoint("https://explicit.example:9000/prefix/");

    let check = |settings: &Settings, vars: &[(&str, &str)], url: &str, source: Source| {
        let (endpoint, got) = resolve_endpoint(settings, &home.env(vars), "us-east-1").unwrap();
        assert_eq!(endpoint.url(), url);
        assert_eq!(got, source);
    };
    check(
        &explicit,
        &[service_env, global_env],
        "https://explicit.example:9000/prefix",
        Source::Explicit,
    );
    check(
        &Settings::new(),
        &[service_env, global_env],
        "http://env-service:8001",
        Source::EnvVar("AWS_ENDPOINT_URL_DYNAMODB"),
    );
    check(
        &Settings::new(),
        &[global_env],
        "http://env-global:8000",
        Source::EnvVar("AWS_ENDPOINT_URL"),
    );
    check(
        &Settings::new(),
        &[],
        "http://profile-service:8002",
        file_source(&config_path, "services local"),
    );

    let config_path =
        home.config("[default]\nregion = us-east-1\nendpoint_url = http://profile-global:8003\n");
    check(
        &Settings::new(),
        &[],
        "http://profile-global:8003",
        file_source(&config_path, "default"),
    );

    home.config("[default]\nregion = us-east-1\n");
    check(
        &Settings::new(),
        &[],
        "https://dynamodb.us-east-1.amazonaws.com",
        Source::Default,
    );
}

#[test]
fn services_section_without_dynamodb_falls_back_to_endpoint_url() {
    let home = TempHome::new();
    let config_path = home.config(
        "[profile dev]\nendpoint_url = http://global:1\nservices = mixed\n\
         [services mixed]\ns3 =\n  endpoint_url = http://s3-only:2\n",
    );
    let env = home.env(&[("AWS_PROFILE", "dev")]);
    let (endpoint, source) = resolve_endpoint(&Settings::new(), &env, "us-east-1").unwrap();
    assert_eq!(endpoint.url(), "http://global:1");
    assert_eq!(source, file_source(&config_path, "profile dev"));
}

#[test]
fn default_endpoint_is_https_and_follows_the_partition() {
    let env = Environment::empty();
    for (region, url) in [
        (
            "eu-central-1",
            "https://dynamodb.eu-central-1.amazonaws.com",
        ),
        ("cn-north-1", "https://dynamodb.cn-north-1.amazonaws.com.cn"),
    ] {
        let (endpoint, source) = resolve_endpoint(&Settings::new(), &env, region).unwrap();
        assert_eq!(endpoint.url(), url);
        assert!(endpoint.is_https());
        assert_eq!(endpoint.port(), 443);
        assert_eq!(endpoint.host_header(), &url["https://".len()..]);
        assert_eq!(source, Source::Default);
    }
}

#[test]
fn plain_http_is_kept_when_configured() {
    let env = Environment::from_pairs([("AWS_ENDPOINT_URL", "http://localhost:8000")]);
    let (endpoint, _) = resolve_endpoint(&Settings::new(), &env, "us-east-1").unwrap();
    assert!(!endpoint.is_https());
    assert_eq!(endpoint.scheme(), "http");
    assert_eq!(endpoint.host_header(), "localhost:8000");
    assert_eq!(endpoint.path_prefix(), "");
}

#[test]
fn ignore_configured_endpoint_urls() {
    let home = TempHome::new();
    home.config("[default]\nendpoint_url = http://profile:1\n");
    let env = home.env(&[
        ("AWS_ENDPOINT_URL", "http://env:2"),
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
    ]);
    let (endpoint, source) = resolve_endpoint(&Settings::new(), &env, "us-east-1").unwrap();
    assert_eq!(endpoint.url(), "https://dynamodb.us-east-1.amazonaws.com");
    assert_eq!(source, Source::Default);

    // An explicit endpoint is never ignored.
    let explicit = Settings::new().with_endpoint("http://explicit:3");
    let (endpoint, _) = resolve_endpoint(&explicit, &env, "us-east-1").unwrap();
    assert_eq!(endpoint.url(), "http://explicit:3");

    // The profile can set the flag too; the environment variable overrides it.
    home.config(
        "[default]\nendpoint_url = http://profile:1\nignore_configured_endpoint_urls = TRUE\n",
    );
    let env = home.env(&[("AWS_ENDPOINT_URL", "http://env:2")]);
    let (endpoint, _) = resolve_endpoint(&Settings::new(), &env, "us-east-1").unwrap();
    assert_eq!(endpoint.url(), "https://dynamodb.us-east-1.amazonaws.com");
    let env = home.env(&[
        ("AWS_ENDPOINT_URL", "http://env:2"),
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false"),
    ]);
    let (endpoint, _) = resolve_endpoint(&Settings::new(), &env, "us-east-1").unwrap();
    assert_eq!(endpoint.url(), "http://env:2");
}

#[test]
fn invalid_endpoints_are_errors_naming_their_origin() {
    let home = TempHome::new();
    let config_path = home.config("[default]\nendpoint_url = localhost:8000\n");

    let err = resolve_endpoint(
        &Settings::new().with_endpoint("ftp://x"),
        &home.env(&[]),
        "us-east-1",
    )
    .unwrap_err();
    assert!(
        matches!(&err, ConfigError::InvalidEndpoint { value, origin: Source::Explicit, .. } if value == "ftp://x"),
        "{err:?}"
    );

    let env = home.env(&[("AWS_ENDPOINT_URL_DYNAMODB", "http://exa mple.com")]);
    let err = resolve_endpoint(&Settings::new(), &env, "us-east-1").unwrap_err();
    assert!(
        matches!(
            err,
            ConfigError::InvalidEndpoint {
                origin: Source::EnvVar("AWS_ENDPOINT_URL_DYNAMODB"),
                ..
            }
        ),
        "{err:?}"
    );

    let err = resolve_endpoint(&Settings::new(), &home.env(&[]), "us-east-1").unwrap_err();
    let ConfigError::InvalidEndpoint { origin, reason, .. } = &err else {
        panic!("expected InvalidEndpoint, got {err:?}");
    };
    assert_eq!(*origin, file_source(&config_path, "default"));
    assert!(reason.contains("scheme"), "{reason}");
    assert!(err.to_string().contains("localhost:8000"), "{err}");

    // A password in the URL is rejected and not echoed.
    let err = resolve_endpoint(
        &Settings::new().with_endpoint(format!("https://user:{EXPLICIT_SECRET}@host")),
        &Environment::empty(),
        "us-east-1",
    )
    .unwrap_err();
    assert!(
        matches!(err, ConfigError::InvalidEndpoint { .. }),
        "{err:?}"
    );
    assert_no_secrets_in_error(&err);

    // Through `resolve` as well.
    let settings = Settings::new()
        .with_credentials(Credentials::new("A", EXPLICIT_SECRET))
        .with_region("us-east-1")
        .with_endpoint("https://host?query=1");
    let err = resolve(&settings, &Environment::empty()).unwrap_err();
    assert!(
        matches!(err, ConfigError::InvalidEndpoint { .. }),
        "{err:?}"
    );
    assert_no_secrets_in_error(&err);
}

// -------------------------------------------------------------- missing stuff

#[test]
fn missing_credentials_lists_every_place_checked() {
    let home = TempHome::new();
    home.config("[default]\nregion = us-east-1\n");
    let err = resolve(&Settings::new(), &home.env(&[])).unwrap_err();
    let ConfigError::MissingCredentials { looked_at } = &err else {
        panic!("expected MissingCredentials, got {err:?}");
    };
    assert_eq!(looked_at.len(), 7, "{looked_at:?}");
    let text = err.to_string();
    assert!(
        text.starts_with("no AWS credentials found; looked at: "),
        "{text}"
    );
    let credentials_path = home.path(".aws/credentials");
    let config_path = home.path(".aws/config");
    for expected in [
        "explicit settings".to_string(),
        "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (not set)".to_string(),
        format!("{} [default] (file not found)", credentials_path.display()),
        format!(
            "{} [default] (no aws_access_key_id/aws_secret_access_key)",
            config_path.display()
        ),
        "web identity (AWS_WEB_IDENTITY_TOKEN_FILE/AWS_ROLE_ARN not set)".to_string(),
        "container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI/AWS_CONTAINER_CREDENTIALS_FULL_URI not set)".to_string(),
        "EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)".to_string(),
    ] {
        assert!(text.contains(&expected), "missing {expected:?} in {text}");
    }
    // In the SDKs' order.
    let order: Vec<usize> = [
        "explicit",
        "AWS_ACCESS_KEY_ID",
        "credentials [default]",
        "config [default]",
        "web identity",
        "container",
        "EC2 instance metadata",
    ]
    .iter()
    .map(|needle| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle} in {text}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
}

#[test]
fn an_sso_profile_without_its_session_section_is_a_typed_error() {
    let home = TempHome::new();
    home.credentials("[other]\naws_access_key_id = A\naws_secret_access_key = b\n");
    home.config("[profile sso]\nsso_session = corp\nregion = us-east-1\n");
    let env = home.env(&[("AWS_PROFILE", "sso")]);
    let err = resolve(&Settings::new(), &env).unwrap_err();
    let ConfigError::Credentials(e) = &err else {
        panic!("expected a credentials error, got {err:?}");
    };
    assert_eq!(
        e.kind(),
        &dynamo_blocking::CredentialsErrorKind::InvalidConfig
    );
    assert_eq!(e.source_name(), "profile sso: SSO");
    assert!(err.to_string().contains("[sso-session corp]"), "{err}");
}

#[test]
fn a_named_profile_that_exists_nowhere_is_reported() {
    let home = TempHome::new();
    home.credentials("[default]\naws_access_key_id = A\naws_secret_access_key = b\n");
    let config_path = home.config("[default]\nregion = us-east-1\n");

    let err = resolve(&Settings::new(), &home.env(&[("AWS_PROFILE", "typo")])).unwrap_err();
    let ConfigError::ProfileNotFound {
        profile,
        origin,
        looked_at,
    } = &err
    else {
        panic!("expected ProfileNotFound, got {err:?}");
    };
    assert_eq!(profile, "typo");
    assert_eq!(*origin, Source::EnvVar("AWS_PROFILE"));
    assert_eq!(looked_at.len(), 2);
    let text = err.to_string();
    assert!(text.contains("\"typo\""), "{text}");
    assert!(text.contains("AWS_PROFILE"), "{text}");
    assert!(
        text.contains(&format!(
            "{} [profile typo] (no such profile)",
            config_path.display()
        )),
        "{text}"
    );

    let err = resolve(&Settings::new().with_profile("gone"), &home.env(&[])).unwrap_err();
    assert!(
        matches!(&err, ConfigError::ProfileNotFound { profile, origin: Source::Explicit, .. } if profile == "gone"),
        "{err:?}"
    );
}

#[test]
fn a_missing_default_profile_is_not_a_profile_error() {
    let home = TempHome::new();
    let env = home.env(&[("AWS_PROFILE", "default"), ("AWS_REGION", "us-east-1")]);
    let err = resolve(&Settings::new(), &env).unwrap_err();
    assert!(
        matches!(err, ConfigError::MissingCredentials { .. }),
        "{err:?}"
    );
}

#[test]
fn an_unreadable_file_is_an_error_naming_its_path() {
    let home = TempHome::new();
    // A directory where the credentials file should be: it exists but
    // cannot be read as a file.
    let credentials_path = home.path(".aws/credentials");
    fs::create_dir_all(&credentials_path).unwrap();
    home.config("[default]\nregion = us-east-1\n");
    let err = resolve(&Settings::new(), &home.env(&[])).unwrap_err();
    let ConfigError::UnreadableFile { path, .. } = &err else {
        panic!("expected UnreadableFile, got {err:?}");
    };
    assert_eq!(*path, credentials_path);
    assert!(
        err.to_string()
            .contains(&credentials_path.display().to_string()),
        "{err}"
    );
    // The I/O error is printed by Display, so it is not repeated as the
    // source.
    assert!(std::error::Error::source(&err).is_none());
}

#[test]
fn files_are_not_read_when_everything_is_given() {
    let home = TempHome::new();
    fs::create_dir_all(home.path(".aws/credentials")).unwrap();
    fs::create_dir_all(home.path(".aws/config")).unwrap();
    let env = home.env(&[
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", ENV_SECRET),
        ("AWS_REGION", "us-east-1"),
        ("AWS_PROFILE", "does-not-exist"),
    ]);
    let config = resolve(
        &Settings::new().with_endpoint("http://localhost:8000"),
        &env,
    )
    .unwrap();
    assert_eq!(config.credentials.access_key_id(), "AKIDENV");
    assert_eq!(config.profile, "does-not-exist");
}

// ------------------------------------------------------- secrets, empty values

#[test]
fn secrets_never_appear_in_debug_or_errors() {
    let home = TempHome::new();
    home.credentials(&format!(
        "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = {FILE_SECRET}\n\
         aws_session_token = {FILE_TOKEN}\n"
    ));
    home.config("[default]\nregion = us-east-1\n");

    let from_file = resolve(&Settings::new(), &home.env(&[])).unwrap();
    assert_eq!(from_file.credentials.session_token(), Some(FILE_TOKEN));
    assert_no_secrets_in_config(&from_file);
    assert!(format!("{from_file:?}").contains("AKIDFILE"));

    let env = home.env(&env_credentials());
    let from_env = resolve(&Settings::new(), &env).unwrap();
    assert_eq!(from_env.credentials.session_token(), Some(ENV_TOKEN));
    assert_no_secrets_in_config(&from_env);

    let settings = Settings::new()
        .with_credentials(Credentials::new("A", EXPLICIT_SECRET).with_session_token(ENV_TOKEN));
    let shown = format!("{settings:?} {env:?}");
    for secret in ALL_SECRETS {
        assert!(!shown.contains(secret), "secret leaked: {shown}");
    }

    // Errors raised while secrets are in scope.
    let errors = [
        // Credentials found, then no region (instance metadata off).
        resolve(
            &Settings::new(),
            &Environment::from_pairs(
                env_credentials()
                    .into_iter()
                    .chain([("AWS_EC2_METADATA_DISABLED", "true")]),
            ),
        )
        .unwrap_err(),
        // Half pairs.
        resolve(
            &Settings::new(),
            &Environment::from_pairs([("AWS_SECRET_ACCESS_KEY", ENV_SECRET)]),
        )
        .unwrap_err(),
        resolve(
            &Settings::new(),
            &Environment::from_pairs([("AWS_SESSION_TOKEN", ENV_TOKEN)]),
        )
        .unwrap_err(),
        // Bad region and endpoint after credentials were found.
        resolve(&Settings::new().with_region("bad region"), &env).unwrap_err(),
        resolve(&Settings::new().with_endpoint("nope"), &env).unwrap_err(),
        // Profile not found, with secrets in the environment.
        resolve(&Settings::new().with_profile("missing"), &env).unwrap_err(),
    ];
    for err in &errors {
        assert_no_secrets_in_error(err);
    }
}

#[test]
fn empty_environment_values_count_as_unset() {
    let home = TempHome::new();
    let credentials_path = home.credentials(&format!(
        "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = {FILE_SECRET}\n"
    ));
    home.config("[default]\nregion = us-west-2\n");
    let env = home.env(&[
        ("AWS_ACCESS_KEY_ID", ""),
        ("AWS_SECRET_ACCESS_KEY", ""),
        ("AWS_SESSION_TOKEN", ""),
        ("AWS_PROFILE", ""),
        ("AWS_REGION", ""),
        ("AWS_DEFAULT_REGION", "  "),
        ("AWS_ENDPOINT_URL_DYNAMODB", ""),
        ("AWS_ENDPOINT_URL", ""),
        ("AWS_SHARED_CREDENTIALS_FILE", ""),
        ("AWS_CONFIG_FILE", ""),
    ]);
    let config = resolve(&Settings::new(), &env).unwrap();
    assert_eq!(config.profile, "default");
    assert_eq!(config.credentials.access_key_id(), "AKIDFILE");
    assert_eq!(config.credentials.session_token(), None);
    assert_eq!(
        config.credentials_source,
        file_source(&credentials_path, "default")
    );
    assert_eq!(config.region, "us-west-2");
    assert_eq!(
        config.endpoint.url(),
        "https://dynamodb.us-west-2.amazonaws.com"
    );

    // An empty AWS_REGION falls through to AWS_DEFAULT_REGION, and an empty
    // service endpoint to the global one.
    let env = home.env(&[
        ("AWS_REGION", ""),
        ("AWS_DEFAULT_REGION", "eu-west-2"),
        ("AWS_ENDPOINT_URL_DYNAMODB", ""),
        ("AWS_ENDPOINT_URL", "http://global:1"),
    ]);
    let config = resolve(&Settings::new(), &env).unwrap();
    assert_eq!(config.region, "eu-west-2");
    assert_eq!(config.endpoint_source, Source::EnvVar("AWS_ENDPOINT_URL"));
}

#[test]
fn blank_explicit_settings_count_as_unset() {
    let env = Environment::from_pairs([
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", ENV_SECRET),
        ("AWS_REGION", "us-east-1"),
    ]);
    let settings = Settings::new()
        .with_region(" ")
        .with_endpoint("")
        .with_profile("");
    let config = resolve(&settings, &env).unwrap();
    assert_eq!(config.region_source, Source::EnvVar("AWS_REGION"));
    assert_eq!(config.endpoint_source, Source::Default);
    assert_eq!(config.profile, "default");
}

#[test]
fn ini_comments_and_odd_whitespace() {
    let home = TempHome::new();
    let credentials_path = home.credentials(&format!(
        "\u{feff}# comment line\r\n\
         ; another comment\r\n\
         \r\n\
         [other]\r\n\
         aws_access_key_id = WRONG\r\n\
         aws_secret_access_key = wrong\r\n\
         [   dev   ]   ; trailing comment\r\n\
         \x20 AWS_Access_Key_ID\t=\tAKIDODD  \r\n\
         this line is malformed\r\n\
         \taws_secret_access_key   =   {FILE_SECRET}   # inline comment\r\n\
         aws_session_token={FILE_TOKEN}\r\n"
    ));
    home.config(
        "# config\n\
         [profile\tdev]  # comment\n\
         region   =   eu-south-1 ; comment\n\
         [profile broken\n\
         region = should-not-leak\n",
    );
    let env = home.env(&[("AWS_PROFILE", "dev")]);
    let config = resolve(&Settings::new(), &env).unwrap();
    assert_eq!(config.credentials.access_key_id(), "AKIDODD");
    assert_eq!(config.credentials.secret_access_key(), FILE_SECRET);
    assert_eq!(config.credentials.session_token(), Some(FILE_TOKEN));
    assert_eq!(
        config.credentials_source,
        file_source(&credentials_path, "dev")
    );
    assert_eq!(config.region, "eu-south-1");
}

#[test]
fn garbage_files_do_not_panic() {
    let home = TempHome::new();
    home.write(
        ".aws/credentials",
        "[[[\n===\n]]]\n[default\naws_access_key_id\n\u{0}\u{1}",
    );
    fs::write(
        home.path(".aws/config"),
        [0xff_u8, 0xfe, b'[', b'\n', 0x80, b'=', b'\n'],
    )
    .unwrap();
    let err = resolve(&Settings::new(), &home.env(&[])).unwrap_err();
    assert!(
        matches!(err, ConfigError::MissingCredentials { .. }),
        "{err:?}"
    );
}
