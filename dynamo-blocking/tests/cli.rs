//! The `dynamo` binary, run as a user would: every subcommand against
//! DynamoDB Local, exit codes, messages, and what goes to stdout and stderr.
//!
//! Needs the `cli` and `local` features (`./scripts/test.sh` turns on all
//! features). The server is `DYNAMO_TEST_ENDPOINT` when set (the test
//! script starts one), else a DynamoDB Local started here. Run only these:
//! `./scripts/test.sh -p dynamo-blocking --test cli`.
#![cfg(all(feature = "cli", feature = "local"))]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

use dynamo_blocking::config::Environment;
use dynamo_blocking::local::DynamoDbLocal;
use dynamo_blocking::{Client, Credentials};
use serde_json::Value;

// ---------------------------------------------------------------- helpers

fn endpoint() -> String {
    static LOCAL: OnceLock<DynamoDbLocal> = OnceLock::new();
    if let Ok(url) = std::env::var("DYNAMO_TEST_ENDPOINT") {
        if !url.is_empty() {
            return url;
        }
    }
    LOCAL
        .get_or_init(|| {
            DynamoDbLocal::start().unwrap_or_else(|e| {
                panic!("no DYNAMO_TEST_ENDPOINT and DynamoDB Local could not start: {e}")
            })
        })
        .endpoint()
        .to_owned()
}

fn client() -> Client {
    Client::builder()
        .endpoint(endpoint())
        .region("us-east-1")
        .credentials(Credentials::new("dynamorstests", "x"))
        .environment(Environment::empty())
        .build()
        .unwrap()
}

/// A table name no other test or run uses.
fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "cli-{prefix}-{}-{nanos}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Deletes its tables and temp dir when dropped, even when a test fails.
struct Cleanup {
    tables: Vec<String>,
    dir: Option<PathBuf>,
}

impl Cleanup {
    fn new() -> Cleanup {
        Cleanup {
            tables: Vec::new(),
            dir: None,
        }
    }

    fn table(&mut self, prefix: &str) -> String {
        let name = unique(prefix);
        self.tables.push(name.clone());
        name
    }

    fn dir(&mut self) -> PathBuf {
        let dir = std::env::temp_dir().join(unique("dir"));
        std::fs::create_dir_all(&dir).unwrap();
        self.dir = Some(dir.clone());
        dir
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if !self.tables.is_empty() {
            let client = client();
            for t in &self.tables {
                let _ = client.send(&dynamo_blocking::wire::DeleteTableInput {
                    table_name: t.clone(),
                });
            }
        }
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// The binary with dummy credentials and a clean AWS environment; no
/// `--endpoint` yet.
fn bare_command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dynamo"));
    for var in [
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_DYNAMODB",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
    ] {
        cmd.env_remove(var);
    }
    // No test may reach 169.254.169.254.
    cmd.env("AWS_EC2_METADATA_DISABLED", "true");
    // DynamoDB Local accepts only letters and digits in the access key id.
    cmd.env("AWS_ACCESS_KEY_ID", "dynamorstests")
        .env("AWS_SECRET_ACCESS_KEY", "x")
        .env("AWS_REGION", "us-east-1")
        .stdin(Stdio::null());
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn from(output: Output) -> Run {
        Run {
            code: output
                .status
                .code()
                .expect("exited, not killed by a signal"),
            stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
        }
    }

    /// Asserts success with nothing on stderr; returns stdout.
    fn ok(self) -> String {
        assert_eq!(
            (self.code, self.stderr.as_str()),
            (0, ""),
            "stdout: {}",
            self.stdout
        );
        self.stdout
    }

    /// Asserts exit status `code` with nothing on stdout; returns stderr.
    fn fails(self, code: i32) -> String {
        assert_eq!(
            (self.code, self.stdout.as_str()),
            (code, ""),
            "stderr: {}",
            self.stderr
        );
        assert!(self.stderr.starts_with("dynamo: "), "{}", self.stderr);
        self.stderr
    }
}

/// Runs `dynamo --endpoint URL ARGS...`.
fn dynamo(args: &[&str]) -> Run {
    let output = bare_command()
        .arg("--endpoint")
        .arg(endpoint())
        .args(args)
        .output()
        .expect("run dynamo");
    Run::from(output)
}

/// Runs it with `input` on stdin.
fn dynamo_stdin(args: &[&str], input: &[u8]) -> Run {
    let mut child = bare_command()
        .arg("--endpoint")
        .arg(endpoint())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dynamo");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    Run::from(output)
}

/// Runs without any server (usage errors must not need one).
fn dynamo_offline(args: &[&str]) -> Run {
    let output = bare_command()
        .arg("--endpoint")
        .arg("http://127.0.0.1:9")
        .args(args)
        .output()
        .expect("run dynamo");
    Run::from(output)
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn set(text: &str) -> BTreeSet<String> {
    text.lines().map(str::to_owned).collect()
}

// ---------------------------------------------------------------- help and usage

const SUBCOMMANDS: [&str; 13] = [
    "tables",
    "describe",
    "create-table",
    "delete-table",
    "put",
    "get",
    "delete",
    "query",
    "scan",
    "load",
    "dump",
    "sql",
    "tail",
];

#[test]
fn help_mentions_every_subcommand_and_each_has_its_own() {
    for flag in ["--help", "-h"] {
        let help = dynamo_offline(&[flag]).ok();
        assert!(help.starts_with("dynamo: "), "{help}");
        for command in SUBCOMMANDS {
            assert!(
                help.contains(&format!("\n  {command} ")),
                "{command} missing:\n{help}"
            );
        }
    }
    for command in SUBCOMMANDS {
        let usage = format!("Usage: dynamo {command}");
        let own = dynamo_offline(&[command, "--help"]).ok();
        assert!(own.starts_with(&usage), "{command}: {own}");
        assert_eq!(dynamo_offline(&["help", command]).ok(), own);
        // Help wins over missing arguments.
        assert_eq!(dynamo_offline(&[command, "-h"]).ok(), own);
    }
    assert_eq!(
        dynamo_offline(&["help"]).ok(),
        dynamo_offline(&["--help"]).ok()
    );
    assert!(dynamo_offline(&["--version"]).ok().starts_with("dynamo "));
}

#[test]
fn usage_errors_exit_1_with_the_message_and_a_usage_hint() {
    let cases: &[(&[&str], &str, &str)] = &[
        (&[], "missing command", "Usage: dynamo [GLOBAL OPTIONS]"),
        (
            &["frobnicate"],
            "unknown command `frobnicate`",
            "dynamo --help",
        ),
        (
            &["--bogus", "tables"],
            "unknown option --bogus",
            "dynamo --help",
        ),
        (
            &["scan", "t", "--bogus"],
            "unknown option --bogus",
            "Usage: dynamo scan",
        ),
        (
            &["scan", "t", "-x"],
            "unknown option -x",
            "Usage: dynamo scan",
        ),
        (
            &["tables", "extra"],
            "unexpected argument `extra`",
            "Usage: dynamo tables",
        ),
        (&["get", "t"], "missing KEY_JSON", "Usage: dynamo get"),
        (
            &["put", "t", "{\"a\":"],
            "invalid JSON",
            "Usage: dynamo put",
        ),
        (
            &["put", "t", "[1,2]"],
            "must be a JSON object",
            "Usage: dynamo put",
        ),
        (&["put", "t", "{\"a\":1e999}"], "`a`", "Usage: dynamo put"),
        (
            &["delete", "t", "{\"id\":{\"S\":1}}"],
            "S takes a string",
            "Usage: dynamo delete",
        ),
        (
            &["put", "t", "{}", "--dynamodb-json", "--plain-json"],
            "cannot be used together",
            "put",
        ),
        (&["query", "t"], "needs --key", "Usage: dynamo query"),
        (
            &["query", "t", "--key", "id"],
            "expected NAME=VALUE",
            "Usage: dynamo query",
        ),
        (
            &["query", "t", "--key", "id!=3"],
            "cannot use !=",
            "Usage: dynamo query",
        ),
        (
            &["scan", "t", "--filter", "age"],
            "expected NAME=VALUE",
            "Usage: dynamo scan",
        ),
        (
            &["scan", "t", "--filter", "a exists now"],
            "nothing may follow",
            "scan",
        ),
        (
            &["scan", "t", "--segments", "0"],
            "--segments",
            "Usage: dynamo scan",
        ),
        (
            &["scan", "t", "--limit", "ten"],
            "`ten` is not a whole number",
            "scan",
        ),
        (
            &["scan", "t", "--filter"],
            "--filter needs a value",
            "Usage: dynamo scan",
        ),
        (
            &["create-table", "t"],
            "missing --hash",
            "Usage: dynamo create-table",
        ),
        (
            &["create-table", "t", "--hash", "id"],
            "expected NAME:TYPE",
            "create-table",
        ),
        (
            &["create-table", "t", "--hash", "id:X"],
            "not a key type",
            "create-table",
        ),
        (
            &["create-table", "t", "--hash", "id:S", "--lsi", "i:r:N"],
            "--range",
            "create-table",
        ),
        (
            &["create-table", "t", "--hash", "id:S", "--gsi", "i:e"],
            "--gsi i:e",
            "create-table",
        ),
        (
            &["create-table", "t", "--hash", "id:S", "--gsi", "i:e:S:most"],
            "projection",
            "create-table",
        ),
        (
            &["create-table", "t", "--hash", "id:S", "--read", "5"],
            "both --read",
            "create-table",
        ),
        (
            &["create-table", "t", "--hash", "id:S", "--billing", "free"],
            "on-demand",
            "create-table",
        ),
        (
            &["load", "t", "/no/such/file.jsonl"],
            "cannot open /no/such/file.jsonl",
            "load",
        ),
        (
            &["help", "frob"],
            "unknown command `frob`",
            "Usage: dynamo help",
        ),
    ];
    for (args, message, hint) in cases {
        let err = dynamo_offline(args).fails(1);
        assert!(err.contains(message), "{args:?}: {err}");
        assert!(err.contains(hint), "{args:?}: {err}");
        assert!(err.contains("--help` for more"), "{args:?}: {err}");
    }
}

// ---------------------------------------------------------------- service errors

#[test]
fn a_missing_table_is_a_service_error_naming_it() {
    let missing = unique("missing");
    let mut cleanup = Cleanup::new();
    let dir = cleanup.dir();
    let file = dir.join("one.jsonl");
    std::fs::write(&file, "{\"id\":\"a\"}\n").unwrap();
    let file = file.to_str().unwrap();
    for args in [
        vec!["describe", &missing],
        vec!["get", &missing, "{\"id\":\"a\"}"],
        vec!["put", &missing, "{\"id\":\"a\"}"],
        vec!["delete", &missing, "{\"id\":\"a\"}"],
        vec!["query", &missing, "--key", "id=a"],
        vec!["scan", &missing],
        vec!["scan", &missing, "--segments", "3"],
        vec!["dump", &missing],
        vec!["load", &missing, file],
        vec!["delete-table", &missing],
    ] {
        let err = dynamo(&args).fails(2);
        assert!(
            err.contains(&format!("table `{missing}`")),
            "{args:?}: {err}"
        );
        assert!(err.contains("ResourceNotFound"), "{args:?}: {err}");
    }
}

#[test]
fn configuration_comes_from_options_and_the_environment() {
    let mut cleanup = Cleanup::new();
    let table = cleanup.table("config");
    dynamo(&["create-table", &table, "--hash", "id:S"]).ok();
    // Global options after the command, and the endpoint from the environment.
    let listed = bare_command()
        .args(["tables", "--region", "us-east-1", "--endpoint", &endpoint()])
        .output()
        .unwrap();
    assert!(set(&Run::from(listed).ok()).contains(&table));
    let from_env = bare_command()
        .env("AWS_ENDPOINT_URL_DYNAMODB", endpoint())
        .arg("tables")
        .output()
        .unwrap();
    assert!(set(&Run::from(from_env).ok()).contains(&table));
    // -v names where the credentials came from, never the secret.
    let verbose = Run::from(
        bare_command()
            .env("AWS_SECRET_ACCESS_KEY", "verboseSecretValue")
            .args(["-v", "--endpoint", &endpoint(), "tables"])
            .output()
            .unwrap(),
    );
    assert!(
        verbose
            .stderr
            .contains("credentials from environment variable AWS_ACCESS_KEY_ID"),
        "{}",
        verbose.stderr
    );
    assert!(!verbose.stderr.contains("verboseSecretValue"));
    assert_eq!(verbose.code, 0, "{}", verbose.stderr);
    assert!(set(&verbose.stdout).contains(&table));
    // No credentials anywhere: a configuration error (2) that says so.
    let home = cleanup.dir();
    let no_credentials = bare_command()
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("HOME", &home)
        .args(["--endpoint", &endpoint(), "tables"])
        .output()
        .unwrap();
    let err = Run::from(no_credentials).fails(2);
    assert!(err.to_lowercase().contains("credentials"), "{err}");
    // A profile that exists in no file (read because the region is not set).
    let err = Run::from(
        bare_command()
            .env("HOME", &home)
            .env_remove("AWS_REGION")
            .args([
                "--profile",
                "nosuchprofile",
                "--endpoint",
                &endpoint(),
                "tables",
            ])
            .output()
            .unwrap(),
    )
    .fails(2);
    assert!(err.contains("nosuchprofile"), "{err}");
    // --region is enough when the environment has none.
    let listed = bare_command()
        .env("HOME", &home)
        .env_remove("AWS_REGION")
        .args(["--region", "us-east-1", "--endpoint", &endpoint(), "tables"])
        .output()
        .unwrap();
    assert!(set(&Run::from(listed).ok()).contains(&table));
    // Nothing answers on this port: a network error (2).
    let err = bare_command()
        .args(["--endpoint", "http://127.0.0.1:9", "tables"])
        .output()
        .unwrap();
    let err = Run::from(err).fails(2);
    assert!(err.contains("connect"), "{err}");
}

// ---------------------------------------------------------------- tables

#[test]
fn create_table_turns_on_a_stream_for_tail() {
    let mut cleanup = Cleanup::new();
    let table = cleanup.table("streamed");
    dynamo(&[
        "create-table",
        &table,
        "--hash",
        "id:S",
        "--stream",
        "new-and-old-images",
    ])
    .ok();
    let d = json(&dynamo(&["describe", &table]).ok());
    assert_eq!(d["StreamSpecification"]["StreamEnabled"], true, "{d}");
    assert_eq!(
        d["StreamSpecification"]["StreamViewType"], "NEW_AND_OLD_IMAGES",
        "{d}"
    );
    let refused = dynamo(&[
        "create-table",
        "x-other",
        "--hash",
        "id:S",
        "--stream",
        "all",
    ])
    .fails(1);
    assert!(refused.contains("keys-only"), "{refused}");
}

#[test]
fn create_describe_list_and_delete_tables() {
    let mut cleanup = Cleanup::new();
    let table = cleanup.table("users");
    dynamo(&[
        "create-table",
        &table,
        "--hash",
        "account_type:S",
        "--range",
        "last_name:S",
        "--billing",
        "provisioned",
        "--read",
        "5",
        "--write",
        "15",
        "--lsi",
        "DateJoinedIndex:date_joined:N:keys-only",
        "--lsi",
        "AgeIndex:age:N",
        "--gsi",
        "EmailIndex:email:S:include=first_name,last_name",
        "--gsi",
        "TeamIndex:team:S:joined:N:keys-only",
    ])
    .ok();
    assert!(set(&dynamo(&["tables"]).ok()).contains(&table));

    let d = json(&dynamo(&["describe", &table]).ok());
    assert_eq!(d["TableName"], table.as_str());
    assert_eq!(d["TableStatus"], "ACTIVE");
    assert!(d.get("TableArn").is_some_and(Value::is_string));
    assert_eq!(d["ProvisionedThroughput"]["ReadCapacityUnits"], 5);
    assert_eq!(d["ProvisionedThroughput"]["WriteCapacityUnits"], 15);
    let key: Vec<(String, String)> = d["KeySchema"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["AttributeName"].as_str().unwrap().to_owned(),
                k["KeyType"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        key,
        [
            ("account_type".to_owned(), "HASH".to_owned()),
            ("last_name".to_owned(), "RANGE".to_owned())
        ]
    );
    let lsi = d["LocalSecondaryIndexes"].as_array().unwrap();
    let date = lsi
        .iter()
        .find(|i| i["IndexName"] == "DateJoinedIndex")
        .unwrap();
    assert_eq!(date["Projection"]["ProjectionType"], "KEYS_ONLY");
    assert_eq!(date["KeySchema"][1]["AttributeName"], "date_joined");
    let age = lsi.iter().find(|i| i["IndexName"] == "AgeIndex").unwrap();
    assert_eq!(age["Projection"]["ProjectionType"], "ALL");
    let gsi = d["GlobalSecondaryIndexes"].as_array().unwrap();
    let email = gsi.iter().find(|i| i["IndexName"] == "EmailIndex").unwrap();
    assert_eq!(email["Projection"]["ProjectionType"], "INCLUDE");
    assert_eq!(
        email["Projection"]["NonKeyAttributes"],
        serde_json::json!(["first_name", "last_name"])
    );
    assert_eq!(email["ProvisionedThroughput"]["ReadCapacityUnits"], 5);
    assert_eq!(email["ProvisionedThroughput"]["WriteCapacityUnits"], 15);
    let team = gsi.iter().find(|i| i["IndexName"] == "TeamIndex").unwrap();
    assert_eq!(team["KeySchema"][0]["AttributeName"], "team");
    assert_eq!(team["KeySchema"][1]["AttributeName"], "joined");
    assert_eq!(team["Projection"]["ProjectionType"], "KEYS_ONLY");
    let types: BTreeSet<String> = d["AttributeDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            format!(
                "{}:{}",
                a["AttributeName"].as_str().unwrap(),
                a["AttributeType"].as_str().unwrap()
            )
        })
        .collect();
    for t in [
        "account_type:S",
        "last_name:S",
        "date_joined:N",
        "age:N",
        "email:S",
        "team:S",
        "joined:N",
    ] {
        assert!(types.contains(t), "{t} in {types:?}");
    }
    // No null fields are printed.
    assert!(!dynamo(&["describe", &table]).ok().contains("null"));

    // Creating it again: DynamoDB says it exists.
    let err = dynamo(&["create-table", &table, "--hash", "id:S"]).fails(2);
    assert!(err.contains("ResourceInUse"), "{err}");

    // An on-demand table without waiting, then deleted.
    let quick = cleanup.table("ondemand");
    dynamo(&[
        "create-table",
        &quick,
        "--hash",
        "id:N",
        "--billing",
        "on-demand",
        "--no-wait",
    ])
    .ok();
    let d = json(&dynamo(&["describe", &quick]).ok());
    assert_eq!(d["KeySchema"][0]["AttributeName"], "id");
    assert_eq!(d["AttributeDefinitions"][0]["AttributeType"], "N");

    dynamo(&["delete-table", &table]).ok();
    dynamo(&["delete-table", &quick]).ok();
    let listed = set(&dynamo(&["tables"]).ok());
    assert!(!listed.contains(&table) && !listed.contains(&quick));
    dynamo(&["describe", &table]).fails(2);
}

// ---------------------------------------------------------------- items

#[test]
fn put_get_delete_in_plain_and_dynamodb_json() {
    let mut cleanup = Cleanup::new();
    let table = cleanup.table("items");
    dynamo(&["create-table", &table, "--hash", "username:S"]).ok();

    // Plain JSON in and out, numbers exact.
    let john = r#"{"age":31,"big":12345678901234567890123456789,"nested":{"x":null},"ok":true,"pi":3.14159,"tags":["a",1],"username":"johndoe"}"#;
    assert_eq!(dynamo(&["put", &table, john]).ok(), "");
    let key = r#"{"username":"johndoe"}"#;
    assert_eq!(dynamo(&["get", &table, key]).ok(), format!("{john}\n"));
    assert_eq!(
        dynamo(&[
            "get",
            &table,
            key,
            "--attributes",
            "age,username",
            "--consistent"
        ])
        .ok(),
        "{\"age\":31,\"username\":\"johndoe\"}\n"
    );
    let wire = json(&dynamo(&["get", &table, key, "--dynamodb-json"]).ok());
    assert_eq!(
        wire["big"],
        serde_json::json!({"N": "12345678901234567890123456789"})
    );
    assert_eq!(
        wire["nested"],
        serde_json::json!({"M": {"x": {"NULL": true}}})
    );
    assert_eq!(
        wire["tags"],
        serde_json::json!({"L": [{"S": "a"}, {"N": "1"}]})
    );
    assert_eq!(wire["ok"], serde_json::json!({"BOOL": true}));

    // DynamoDB JSON in (recognised), with sets and binaries.
    let jane = r#"{"username":{"S":"jane"},"roles":{"SS":["admin","dev"]},"lucky":{"NS":["7","13"]},"avatar":{"B":"aGk="},"blobs":{"BS":["AAE="]}}"#;
    dynamo(&["put", &table, jane]).ok();
    let plain = json(&dynamo(&["get", &table, r#"{"username":"jane"}"#]).ok());
    assert_eq!(plain["avatar"], "aGk=");
    assert_eq!(plain["blobs"], serde_json::json!(["AAE="]));
    let roles: BTreeSet<&str> = plain["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(roles, BTreeSet::from(["admin", "dev"]));
    let lucky: BTreeSet<i64> = plain["lucky"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_i64().unwrap())
        .collect();
    assert_eq!(lucky, BTreeSet::from([7, 13]));
    // A DynamoDB JSON key, and DynamoDB JSON out.
    let wire = json(
        &dynamo(&[
            "get",
            &table,
            r#"{"username":{"S":"jane"}}"#,
            "--dynamodb-json",
        ])
        .ok(),
    );
    assert_eq!(wire["avatar"], serde_json::json!({"B": "aGk="}));
    assert_eq!(wire["roles"]["SS"].as_array().unwrap().len(), 2);

    // --plain-json keeps a tagged-looking object as a map.
    dynamo(&["put", &table, r#"{"username":{"S":"odd"}}"#, "--plain-json"]).fails(1);
    dynamo(&[
        "put",
        &table,
        r#"{"username":"odd","note":{"S":"x"}}"#,
        "--plain-json",
    ])
    .ok();
    assert_eq!(
        dynamo(&["get", &table, r#"{"username":"odd"}"#, "--dynamodb-json"]).ok(),
        "{\"note\":{\"M\":{\"S\":{\"S\":\"x\"}}},\"username\":{\"S\":\"odd\"}}\n"
    );
    // --dynamodb-json forces DynamoDB JSON on input.
    let err = dynamo(&["put", &table, r#"{"username":"x"}"#, "--dynamodb-json"]).fails(1);
    assert!(err.contains("`username`"), "{err}");

    // An item from stdin.
    dynamo_stdin(&["put", &table, "-"], br#"{"username":"stdin","n":1}"#).ok();
    assert_eq!(
        dynamo(&["get", &table, r#"{"username":"stdin"}"#]).ok(),
        "{\"n\":1,\"username\":\"stdin\"}\n"
    );

    // No overwrite: an existing key is an error and the item is unchanged.
    let err = dynamo(&[
        "put",
        &table,
        r#"{"username":"johndoe","age":1}"#,
        "--no-overwrite",
    ])
    .fails(2);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(dynamo(&["get", &table, key]).ok(), format!("{john}\n"));
    dynamo(&["put", &table, r#"{"username":"new"}"#, "--no-overwrite"]).ok();

    // Keys that do not fit the schema: input errors before any write.
    let err = dynamo(&["put", &table, r#"{"name":"x"}"#]).fails(1);
    assert!(err.contains("username") && err.contains("missing"), "{err}");
    let err = dynamo(&["get", &table, r#"{"username":7}"#]).fails(1);
    assert!(err.contains("must be of type S"), "{err}");
    let err = dynamo(&["get", &table, r#"{"username":"a","age":1}"#]).fails(1);
    assert!(err.contains("not a key attribute"), "{err}");

    // A missing item: nothing on stdout, status 3.
    let missing = dynamo(&["get", &table, r#"{"username":"nobody"}"#]);
    assert_eq!((missing.code, missing.stdout.as_str()), (3, ""));
    assert!(
        missing.stderr.contains("no item with key"),
        "{}",
        missing.stderr
    );

    // Delete, then it is gone; deleting again succeeds.
    dynamo(&["delete", &table, key]).ok();
    assert_eq!(dynamo(&["get", &table, key]).code, 3);
    dynamo(&["delete", &table, key]).ok();
    dynamo(&[
        "delete",
        &table,
        r#"{"username":{"S":"jane"}}"#,
        "--dynamodb-json",
    ])
    .ok();
    assert_eq!(dynamo(&["get", &table, r#"{"username":"jane"}"#]).code, 3);
}

// ---------------------------------------------------------------- query and scan

/// A table of 12 items: hash `team` (S), range `n` (N), LSI on `score`,
/// GSI on `email`.
fn query_fixture(cleanup: &mut Cleanup) -> String {
    let table = cleanup.table("query");
    dynamo(&[
        "create-table",
        &table,
        "--hash",
        "team:S",
        "--range",
        "n:N",
        "--lsi",
        "ScoreIndex:score:N",
        "--gsi",
        "EmailIndex:email:S:name:S",
    ])
    .ok();
    let mut lines = String::new();
    for n in 1..=10 {
        let email = if n % 2 == 0 {
            format!(",\"email\":\"e{}@x\"", n % 4)
        } else {
            String::new()
        };
        lines.push_str(&format!(
            "{{\"team\":\"red\",\"n\":{n},\"score\":{},\"name\":\"name{n:02}\",\"tags\":[\"t{}\"]{email}}}\n",
            100 - n,
            n % 3
        ));
    }
    lines.push_str("{\"team\":\"blue\",\"n\":1,\"score\":5,\"name\":\"b1\",\"email\":\"e2@x\"}\n");
    lines.push_str("{\"team\":\"blue\",\"n\":2,\"score\":6,\"name\":\"b2\"}\n");
    dynamo_stdin(&["load", &table, "-"], lines.as_bytes()).ok();
    table
}

/// The `n` of each printed item, in order.
fn ns(run: Run) -> Vec<i64> {
    run.ok()
        .lines()
        .map(|l| json(l)["n"].as_i64().unwrap())
        .collect()
}

#[test]
fn query_with_key_conditions_filters_indexes_order_and_limit() {
    let mut cleanup = Cleanup::new();
    let t = &query_fixture(&mut cleanup);
    let q = |extra: &[&str]| {
        let mut args = vec!["query", t.as_str(), "--key", "team=red"];
        args.extend_from_slice(extra);
        ns(dynamo(&args))
    };
    assert_eq!(q(&[]), (1..=10).collect::<Vec<_>>());
    assert_eq!(q(&["--key", "n<3"]), [1, 2]);
    assert_eq!(q(&["--key", "n<=3"]), [1, 2, 3]);
    assert_eq!(q(&["--key", "n>8"]), [9, 10]);
    assert_eq!(q(&["--key", "n >= 8"]), [8, 9, 10]);
    assert_eq!(q(&["--key", "n=4"]), [4]);
    assert_eq!(q(&["--key", "n=4..6"]), [4, 5, 6]);
    assert_eq!(q(&["--reverse"]), (1..=10).rev().collect::<Vec<_>>());
    assert_eq!(q(&["--reverse", "--limit", "3"]), [10, 9, 8]);
    assert_eq!(q(&["--limit", "2", "--consistent"]), [1, 2]);
    assert_eq!(q(&["--limit", "0"]), Vec::<i64>::new());
    // Filters AND together.
    assert_eq!(q(&["--filter", "email exists"]), [2, 4, 6, 8, 10]);
    assert_eq!(
        q(&["--filter", "email not-exists", "--filter", "score<95"]),
        [7, 9]
    );
    assert_eq!(q(&["--filter", "tags contains t0"]), [3, 6, 9]);
    assert_eq!(
        q(&["--filter", "tags[0]!=t0", "--filter", "score<=95"]),
        [5, 7, 8, 10]
    );
    assert_eq!(q(&["--filter", "name^=name0"]), (1..=9).collect::<Vec<_>>());
    assert_eq!(q(&["--filter", "score=91..93"]), [7, 8, 9]);
    assert_eq!(q(&["--filter", "name=\"name10\""]), [10]);
    // The local index orders by score (100 - n): reversed n.
    assert_eq!(
        q(&["--index", "ScoreIndex"]),
        (1..=10).rev().collect::<Vec<_>>()
    );
    assert_eq!(
        q(&["--index", "ScoreIndex", "--key", "score>=97"]),
        [3, 2, 1]
    );
    assert_eq!(
        q(&["--index", "ScoreIndex", "--key", "score<92", "--reverse"]),
        [9, 10]
    );
    // The global index: its own hash key, range `name`.
    let by_email = |extra: &[&str]| {
        let mut args = vec![
            "query",
            t.as_str(),
            "--index",
            "EmailIndex",
            "--key",
            "email=e2@x",
        ];
        args.extend_from_slice(extra);
        dynamo(&args)
            .ok()
            .lines()
            .map(|l| json(l)["name"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(by_email(&[]), ["b1", "name02", "name06", "name10"]);
    assert_eq!(
        by_email(&["--key", "name^=name"]),
        ["name02", "name06", "name10"]
    );
    assert_eq!(
        by_email(&["--key", "name^=name", "--reverse", "--limit", "1"]),
        ["name10"]
    );
    // Projection.
    let out = dynamo(&["query", t, "--key", "team=blue", "--attributes", "n,name"]).ok();
    assert_eq!(
        out,
        "{\"n\":1,\"name\":\"b1\"}\n{\"n\":2,\"name\":\"b2\"}\n"
    );
    let out = dynamo(&[
        "query",
        t,
        "--key",
        "team=blue",
        "--key",
        "n=2",
        "--dynamodb-json",
    ])
    .ok();
    assert_eq!(
        out,
        "{\"n\":{\"N\":\"2\"},\"name\":{\"S\":\"b2\"},\"score\":{\"N\":\"6\"},\"team\":{\"S\":\"blue\"}}\n"
    );
    // Refused key conditions: input errors naming the problem.
    let err = dynamo(&["query", t, "--key", "n=1"]).fails(1);
    assert!(err.contains("hash key `team`"), "{err}");
    let err = dynamo(&["query", t, "--key", "team=red", "--key", "name=x"]).fails(1);
    assert!(err.contains("name"), "{err}");
    let err = dynamo(&["query", t, "--key", "team=red", "--index", "NoIndex"]).fails(1);
    assert!(err.contains("NoIndex"), "{err}");
    let err = dynamo(&["query", t, "--key", "team=7"]).fails(1);
    assert!(err.contains("team"), "{err}");
}

#[test]
fn scan_with_filters_limits_and_parallel_segments() {
    let mut cleanup = Cleanup::new();
    let t = &query_fixture(&mut cleanup);
    let scan = |extra: &[&str]| {
        let mut args = vec!["scan", t.as_str()];
        args.extend_from_slice(extra);
        dynamo(&args).ok()
    };
    let all = scan(&[]);
    assert_eq!(all.lines().count(), 12);
    for segments in ["2", "4"] {
        assert_eq!(set(&scan(&["--segments", segments])), set(&all));
    }
    let sorted = |text: String| -> Vec<(String, i64)> {
        let mut v: Vec<_> = text
            .lines()
            .map(|l| {
                let j = json(l);
                (
                    j["team"].as_str().unwrap().to_owned(),
                    j["n"].as_i64().unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let red = |ns: &[i64]| {
        ns.iter()
            .map(|n| ("red".to_owned(), *n))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        sorted(scan(&["--filter", "score>95", "--segments", "4"])),
        red(&[1, 2, 3, 4])
    );
    assert_eq!(
        sorted(scan(&["--filter", "email exists", "--filter", "team=blue"])),
        [("blue".to_owned(), 1)]
    );
    assert_eq!(sorted(scan(&["--filter", "team!=red"])).len(), 2);
    assert_eq!(
        sorted(scan(&["--filter", "name^=b", "--segments", "4"])).len(),
        2
    );
    assert_eq!(
        sorted(scan(&["--filter", "tags contains t1"])),
        red(&[1, 4, 7, 10])
    );
    for segments in ["1", "4"] {
        assert_eq!(
            scan(&["--limit", "5", "--segments", segments])
                .lines()
                .count(),
            5
        );
    }
    assert_eq!(scan(&["--limit", "0"]), "");
    // A scan of an index, with a projection.
    let emails = scan(&[
        "--index",
        "EmailIndex",
        "--attributes",
        "email",
        "--segments",
        "2",
    ]);
    assert_eq!(emails.lines().count(), 6);
    assert!(
        emails.lines().all(|l| l.starts_with("{\"email\":\"e")),
        "{emails}"
    );
}

// ---------------------------------------------------------------- load and dump

#[test]
fn load_then_dump_round_trips_10000_items_exactly() {
    let mut cleanup = Cleanup::new();
    let table = cleanup.table("bulk");
    let dir = cleanup.dir();
    dynamo(&["create-table", &table, "--hash", "id:S", "--range", "k:N"]).ok();
    // Lines in the exact form dump prints (attributes in name order,
    // compact, numbers as DynamoDB normalizes them), so the two sets of
    // lines can be compared as text.
    let mut input = String::new();
    for i in 0..10_000u64 {
        input.push_str(&format!(
            "{{\"big\":{}{:05},\"f\":{}.25,\"flag\":{},\"id\":\"item-{}\",\"k\":{},\"l\":[\"x\",{},null],\"m\":{{\"s\":\"é \\\"q\\\" {i}\"}},\"neg\":-{}}}\n",
            "123456789012345678901234567890123",
            i,
            i,
            i % 2 == 0,
            i % 1000,
            i / 1000,
            i * 3,
            i + 1
        ));
    }
    let file = dir.join("items.jsonl");
    std::fs::write(&file, &input).unwrap();
    let started = Instant::now();
    // Piped stderr: no progress bar, so nothing at all on success.
    assert_eq!(dynamo(&["load", &table, file.to_str().unwrap()]).ok(), "");
    let loaded_in = started.elapsed();
    let started = Instant::now();
    let dumped = dynamo(&["dump", &table]).ok();
    let dumped_in = started.elapsed();
    assert_eq!(dumped.lines().count(), 10_000);
    assert!(
        set(&dumped) == set(&input),
        "dump differs from the loaded file"
    );
    eprintln!("load 10,000 items: {loaded_in:?}; dump: {dumped_in:?}");

    // DynamoDB JSON dump with other segment counts: the same items.
    let wire = dynamo(&["dump", &table, "--dynamodb-json", "--segments", "7"]).ok();
    assert_eq!(wire.lines().count(), 10_000);
    let first = json(wire.lines().next().unwrap());
    assert!(first["big"]["N"]
        .as_str()
        .unwrap()
        .starts_with("1234567890"));
    let ids: BTreeSet<String> = wire
        .lines()
        .map(|l| {
            let j = json(l);
            format!(
                "{}/{}",
                j["id"]["S"].as_str().unwrap(),
                j["k"]["N"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(ids.len(), 10_000);
    let scanned = dynamo(&["scan", &table, "--filter", "flag=true", "--segments", "3"]).ok();
    assert_eq!(scanned.lines().count(), 5_000);

    // A reader that stops early (`dynamo dump t | head -1`): quiet exit.
    let mut child = bare_command()
        .args(["--endpoint", &endpoint(), "dump", &table, "--segments", "2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first_line)
        .unwrap();
    assert!(first_line.starts_with('{'));
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn load_reads_dynamodb_json_lines_and_stdin_and_round_trips_every_type() {
    let mut cleanup = Cleanup::new();
    let table = cleanup.table("types");
    dynamo(&["create-table", &table, "--hash", "id:B"]).ok();
    let lines = [
        r#"{"bs":{"BS":["AAE=","Ag=="]},"id":{"B":"AQI="},"ns":{"NS":["1","2.5"]},"ss":{"SS":["a","b"]}}"#,
        r#"{"id":{"B":"/w=="},"l":{"L":[{"NULL":true},{"BOOL":false},{"M":{"k":{"N":"-1"}}}]}}"#,
    ];
    let input = format!("{}\n\n{}\n", lines[0], lines[1]);
    assert_eq!(
        dynamo_stdin(&["load", &table, "-"], input.as_bytes()).ok(),
        ""
    );
    let dumped = dynamo(&["dump", &table, "--dynamodb-json"]).ok();
    let parse = |l: &str| -> dynamo_blocking::Attributes { serde_json::from_str(l).unwrap() };
    let got: Vec<_> = dumped.lines().map(parse).collect();
    assert_eq!(got.len(), 2);
    for line in lines {
        assert!(got.contains(&parse(line)), "{line} not in {dumped}");
    }
    // A binary key given as a DynamoDB JSON value in --key.
    let out = dynamo(&["query", &table, "--key", r#"id={"B":"/w=="}"#]).ok();
    assert_eq!(out, "{\"id\":\"/w==\",\"l\":[null,false,{\"k\":-1}]}\n");
}

#[test]
fn load_stops_at_a_bad_line_and_hands_back_the_rest() {
    let mut cleanup = Cleanup::new();
    let table = cleanup.table("badline");
    let dir = cleanup.dir();
    dynamo(&["create-table", &table, "--hash", "id:S"]).ok();
    let file = dir.join("in.jsonl");
    std::fs::write(
        &file,
        "{\"id\":\"a\"}\n{\"id\":\"b\"}\nnot json\n{\"id\":\"c\"}\n{\"id\":\"d\"}\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();

    // Without --failed: the message says what was written and where it stopped.
    let err = dynamo(&["load", &table, file]).fails(1);
    assert!(
        err.contains(&format!("{file}: line 3: invalid JSON")),
        "{err}"
    );
    assert!(err.contains("2 items written"), "{err}");
    assert!(err.contains("lines from 3 on were not loaded"), "{err}");

    // With --failed: the bad line and the rest are copied, ready to resume.
    let failed = dir.join("failed.jsonl");
    let failed_arg = failed.to_str().unwrap();
    let err = dynamo(&["load", &table, file, "--failed", failed_arg]).fails(1);
    assert!(err.contains(&format!("copied to {failed_arg}")), "{err}");
    assert_eq!(
        std::fs::read_to_string(&failed).unwrap(),
        "not json\n{\"id\":\"c\"}\n{\"id\":\"d\"}\n"
    );
    let ids = |table: &str| -> BTreeSet<String> {
        dynamo(&["scan", table])
            .ok()
            .lines()
            .map(|l| json(l)["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&table), BTreeSet::from(["a".into(), "b".into()]));
    // Fix the bad line and resume from the failed file.
    let fixed = std::fs::read_to_string(&failed)
        .unwrap()
        .replace("not json", "{\"id\":\"x\"}");
    std::fs::write(&failed, fixed).unwrap();
    dynamo(&["load", &table, failed_arg]).ok();
    assert_eq!(ids(&table).len(), 5);

    // An item without the key (from stdin): the line number and the reason.
    let err = dynamo_stdin(
        &["load", &table, "-"],
        b"{\"id\":\"e\"}\n{\"name\":\"nokey\"}\n",
    )
    .fails(1);
    assert!(
        err.contains("stdin: line 2: key attribute `id` is missing"),
        "{err}"
    );
    assert!(err.contains("1 item written"), "{err}");
    assert!(ids(&table).contains("e"));
}

/// A fake DynamoDB that describes a table and refuses every batch write.
#[test]
fn load_hands_back_items_dynamodb_did_not_write() {
    let mut server = mockito::Server::new();
    let description = r#"{"Table":{"TableName":"tbl","TableStatus":"ACTIVE",
        "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
        "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}]}}"#;
    let _describe = server
        .mock("POST", "/")
        .match_header("x-amz-target", "DynamoDB_20120810.DescribeTable")
        .with_body(description)
        .create();
    let _refuse = server
        .mock("POST", "/")
        .match_header("x-amz-target", "DynamoDB_20120810.BatchWriteItem")
        .with_status(400)
        .with_body(r#"{"__type":"com.amazon.coral.validate#ValidationException","message":"refused for the test"}"#)
        .create();
    let mut cleanup = Cleanup::new();
    let dir = cleanup.dir();
    let input: String = (0..30)
        .map(|i| format!("{{\"id\":\"i{i}\",\"n\":{i}}}\n"))
        .collect();
    let file = dir.join("in.jsonl");
    std::fs::write(&file, &input).unwrap();
    let run = |extra: &[&str]| {
        let mut cmd = bare_command();
        cmd.args([
            "--endpoint",
            &server.url(),
            "load",
            "tbl",
            file.to_str().unwrap(),
        ]);
        Run::from(cmd.args(extra).output().unwrap())
    };

    // To stderr: the message, then the 25 items of the refused batch.
    let err = run(&[]).fails(2);
    let mut lines = err.lines();
    let first = lines.next().unwrap();
    assert!(
        first.contains("table `tbl`") && first.contains("refused for the test"),
        "{err}"
    );
    let summary = lines.next().unwrap();
    assert!(summary.contains("0 items written"), "{summary}");
    assert!(
        summary.contains("25 items sent but not written follow"),
        "{summary}"
    );
    assert!(
        summary.contains("lines from 26 on were not loaded"),
        "{summary}"
    );
    let handed_back: Vec<&str> = lines.collect();
    assert_eq!(handed_back.len(), 25, "{err}");
    assert_eq!(handed_back[0], r#"{"id":{"S":"i0"},"n":{"N":"0"}}"#);

    // To --failed: the 25 items as DynamoDB JSON, then the 5 unread lines.
    let failed = dir.join("failed.jsonl");
    let err = run(&["--failed", failed.to_str().unwrap()]).fails(2);
    assert!(
        err.contains("25 items sent but not written are in"),
        "{err}"
    );
    let saved = std::fs::read_to_string(&failed).unwrap();
    let saved: Vec<&str> = saved.lines().collect();
    assert_eq!(saved.len(), 30);
    assert_eq!(saved[24], r#"{"id":{"S":"i24"},"n":{"N":"24"}}"#);
    assert_eq!(saved[25], r#"{"id":"i25","n":25}"#);
}

/// In a terminal (a pseudo-terminal from `script`), load and dump draw a
/// progress bar on stderr.
#[test]
fn progress_is_drawn_only_on_a_terminal() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` command to make a pseudo-terminal");
        return;
    }
    let mut cleanup = Cleanup::new();
    let table = cleanup.table("progress");
    let dir = cleanup.dir();
    dynamo(&["create-table", &table, "--hash", "id:N"]).ok();
    let file = dir.join("in.jsonl");
    let input: String = (0..300).map(|i| format!("{{\"id\":{i}}}\n")).collect();
    std::fs::write(&file, input).unwrap();
    // `script -qec LINE /dev/null` runs LINE on a pseudo-terminal and copies
    // what it shows (stdout and stderr) to its own stdout.
    let in_terminal = |args: &str| {
        let line = format!(
            "{} --endpoint {} {args}",
            env!("CARGO_BIN_EXE_dynamo"),
            endpoint()
        );
        let mut script = Command::new("script");
        for (k, v) in bare_command().get_envs() {
            match v {
                Some(v) => script.env(k, v),
                None => script.env_remove(k),
            };
        }
        let out = script
            .args(["-qec", &line, "/dev/null"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        Run::from(out)
    };
    let loaded = in_terminal(&format!("load {table} {}", file.display()));
    assert_eq!(loaded.code, 0, "{}", loaded.stdout);
    assert!(
        loaded.stdout.contains("300 items loaded"),
        "{:?}",
        loaded.stdout
    );
    assert!(
        loaded.stdout.contains('\r') && loaded.stdout.contains("100%"),
        "{:?}",
        loaded.stdout
    );
    let dumped = in_terminal(&format!("dump {table} --no-progress"));
    assert_eq!(dumped.code, 0, "{}", dumped.stdout);
    assert!(
        !dumped.stdout.contains("items dumped"),
        "{:?}",
        dumped.stdout
    );
    // Dump's items go to the terminal here, so no bar is mixed in.
    assert_eq!(dumped.stdout.lines().count(), 300);
    let out = dir.join("out.jsonl");
    let dumped = in_terminal(&format!("dump {table} > {}", out.display()));
    assert!(
        dumped.stdout.contains("300 items dumped"),
        "{:?}",
        dumped.stdout
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 300);
}

// ---------------------------------------------------------------- sql

#[test]
fn sql_runs_statements_with_parameters_and_prints_json_lines() {
    let mut cleanup = Cleanup::new();
    let table = cleanup.table("sql");
    dynamo(&["create-table", &table, "--hash", "id:S"]).ok();
    let insert = format!("INSERT INTO \"{table}\" VALUE {{'id': ?, 'age': ?, 'tags': ?}}");
    dynamo(&[
        "sql",
        &insert,
        "--param",
        "\"ada\"",
        "--param",
        "36",
        "--param",
        r#"{"SS":["a","b"]}"#,
    ])
    .ok();
    dynamo(&[
        "sql",
        &insert,
        "--param",
        "\"bob\"",
        "--param",
        "41",
        "--param",
        r#"{"SS":["c"]}"#,
    ])
    .ok();

    let select = format!("SELECT id, age FROM \"{table}\" WHERE id = ?");
    let out = dynamo(&["sql", &select, "--param", "\"ada\""]).ok();
    assert_eq!(out, "{\"age\":36,\"id\":\"ada\"}\n");
    let wire = dynamo(&[
        "sql",
        &select,
        "--param",
        r#"{"S":"bob"}"#,
        "--dynamodb-json",
    ])
    .ok();
    assert_eq!(wire, "{\"age\":{\"N\":\"41\"},\"id\":{\"S\":\"bob\"}}\n");

    let all = dynamo(&["sql", &format!("SELECT * FROM \"{table}\"")]).ok();
    assert_eq!(all.lines().count(), 2, "{all}");
    let one = dynamo(&["sql", &format!("SELECT * FROM \"{table}\""), "--limit", "1"]).ok();
    assert_eq!(one.lines().count(), 1, "{one}");

    // A bad parameter is a usage error, before any request.
    let err = dynamo(&["sql", &select, "--param", "{not json"]).fails(1);
    assert!(err.contains("--param 1"), "{err}");
    // DynamoDB's refusal of a statement is exit status 2.
    let err = dynamo(&["sql", "SELEC nonsense"]).fails(2);
    assert!(err.contains("ValidationException"), "{err}");
}

/// `--max-attempts N` bounds the requests of a failing command; the default
/// policy would send 10.
#[test]
fn max_attempts_bounds_the_requests() {
    let mut server = mockito::Server::new();
    let failing = server
        .mock("POST", "/")
        .with_status(500)
        .with_body(
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"down"}"#,
        )
        .expect(2)
        .create();
    let mut cmd = bare_command();
    cmd.args(["--endpoint", &server.url(), "--max-attempts", "2", "tables"]);
    let err = Run::from(cmd.output().unwrap()).fails(2);
    assert!(err.contains("after 2 attempts"), "{err}");
    failing.assert();

    for bad in ["0", "many", "-1"] {
        let err = dynamo_offline(&["--max-attempts", bad, "tables"]).fails(1);
        assert!(err.contains("--max-attempts"), "{bad}: {err}");
    }
}

/// `--timeout SECS` ends a command whose server never answers, instead of
/// 10 attempts × the 10 s read timeout.
#[test]
fn timeout_ends_a_command_whose_server_never_answers() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    // Accepts connections and keeps them open without a word.
    let _silent = std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    let mut cmd = bare_command();
    cmd.args(["--endpoint", &url, "--timeout", "1.5", "tables"]);
    let err = Run::from(cmd.output().unwrap()).fails(2);
    assert!(err.contains("operation timed out"), "{err}");

    for bad in ["0", "soon", "-3", "NaN"] {
        let err = dynamo_offline(&["--timeout", bad, "tables"]).fails(1);
        assert!(err.contains("--timeout"), "{bad}: {err}");
    }
}

/// A password in `--endpoint`, even one holding `/`, `#` or `?`, never
/// reaches stderr.
#[test]
fn an_endpoint_password_is_never_printed() {
    for endpoint in [
        "http://user:pa/ss@localhost:8000",
        "http://user:pa#ss@localhost",
        "http://user:pa?ss@localhost/x",
    ] {
        let mut cmd = bare_command();
        cmd.args(["--endpoint", endpoint, "tables"]);
        let run = Run::from(cmd.output().unwrap());
        let all = format!("{}{}", run.stdout, run.stderr);
        assert_ne!(run.code, 0);
        assert!(!all.contains("pa/ss") && !all.contains("pa#ss") && !all.contains("pa?ss"));
        assert!(all.contains("***@localhost"), "{all}");
    }
}

// ---------------------------------------------------------------- tail

/// A new table keyed by the string `id`.
fn hash_table(name: &str) -> dynamo_blocking::Table {
    dynamo_blocking::Table::create(
        &client(),
        name,
        dynamo_blocking::KeySchema::hash(("id", dynamo_blocking::ScalarType::S)),
        dynamo_blocking::Capacity::on_demand(),
        Vec::<dynamo_blocking::SecondaryIndex>::new(),
    )
    .unwrap()
}

#[test]
fn tail_prints_changes_once_and_resumes_from_its_checkpoint() {
    let mut cleanup = Cleanup::new();
    let table = cleanup.table("tail");
    let dir = cleanup.dir();
    let handle = hash_table(&table);
    let stderr = dynamo(&["tail", &table]).fails(2);
    assert!(stderr.contains("no stream"), "{stderr}");
    handle
        .enable_stream(dynamo_blocking::wire::StreamViewType::NewAndOldImages)
        .unwrap();
    dynamo(&["put", &table, r#"{"id":"a","n":1}"#]).ok();
    dynamo(&["put", &table, r#"{"id":"a","n":2}"#]).ok();
    dynamo(&["delete", &table, r#"{"id":"a"}"#]).ok();

    let checkpoint = dir.join("t.checkpoint");
    let checkpoint = checkpoint.to_str().unwrap();
    let out = dynamo(&["tail", &table, "--checkpoint", checkpoint]).ok();
    let lines: Vec<Value> = out.lines().map(json).collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert_eq!(lines[0]["event"], "INSERT");
    assert_eq!(lines[0]["new"], json(r#"{"id":"a","n":1}"#));
    assert_eq!(lines[1]["event"], "MODIFY");
    assert_eq!(lines[1]["old"]["n"], 1);
    assert_eq!(lines[1]["new"]["n"], 2);
    assert_eq!(lines[2]["event"], "REMOVE");
    assert_eq!(lines[2]["keys"], json(r#"{"id":"a"}"#));
    assert!(lines[2].get("new").is_none());

    // Resumed: nothing repeated, only what came since.
    assert_eq!(
        dynamo(&["tail", &table, "--checkpoint", checkpoint]).ok(),
        ""
    );
    dynamo(&["put", &table, r#"{"id":"b","n":3}"#]).ok();
    let out = dynamo(&[
        "tail",
        &table,
        "--checkpoint",
        checkpoint,
        "--dynamodb-json",
    ])
    .ok();
    let lines: Vec<Value> = out.lines().map(json).collect();
    assert_eq!(lines.len(), 1, "{out}");
    assert_eq!(lines[0]["new"], json(r#"{"id":{"S":"b"},"n":{"N":"3"}}"#));

    assert_eq!(dynamo(&["tail", &table, "--from", "latest"]).ok(), "");
    let stderr = dynamo_offline(&["tail", &table, "--from", "yesterday"]).fails(1);
    assert!(
        stderr.contains("--from takes trim-horizon or latest"),
        "{stderr}"
    );
}

#[test]
fn tail_follow_prints_a_new_change_as_it_comes() {
    use std::io::BufRead;
    let mut cleanup = Cleanup::new();
    let table = cleanup.table("tailf");
    let handle = hash_table(&table);
    handle
        .enable_stream(dynamo_blocking::wire::StreamViewType::NewImage)
        .unwrap();
    dynamo(&["put", &table, r#"{"id":"before"}"#]).ok();
    let mut child = bare_command()
        .arg("--endpoint")
        .arg(endpoint())
        .args([
            "tail", &table, "--from", "latest", "--follow", "--poll", "100",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run dynamo");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    // The follower picks "latest" when it starts: keep writing until it
    // prints (generous for a loaded machine).
    let deadline = Instant::now() + std::time::Duration::from_secs(60);
    let mut n = 0;
    let line = loop {
        n += 1;
        dynamo(&["put", &table, &format!(r#"{{"id":"after","n":{n}}}"#)]).ok();
        if let Ok(line) = rx.recv_timeout(std::time::Duration::from_secs(2)) {
            break line.unwrap();
        }
        assert!(Instant::now() < deadline, "tail --follow printed nothing");
    };
    let _ = child.kill();
    let _ = child.wait();
    let change = json(&line);
    assert_eq!(change["new"]["id"], "after", "{line}");
}

#[test]
fn verbose_runs_log_requests_and_print_consumed_capacity_and_rate_limits_apply() {
    let mut cleanup = Cleanup::new();
    let table = cleanup.table("capacity");
    dynamo(&["create-table", &table, "--hash", "id:S"]).ok();
    let lines: String = (0..30)
        .map(|i| format!("{{\"id\":\"item{i}\",\"n\":{i}}}\n"))
        .collect();
    // load: 30 puts of small items, one write unit each.
    let loaded = dynamo_stdin(
        &[
            "-v",
            "load",
            &table,
            "-",
            "--rate",
            "1000/s",
            "--no-progress",
        ],
        lines.as_bytes(),
    );
    assert_eq!(loaded.code, 0, "{}", loaded.stderr);
    assert!(
        loaded
            .stderr
            .contains("dynamo: consumed 30.0 capacity units"),
        "{}",
        loaded.stderr
    );
    // scan with -vv: each request at debug, then the totals; never the secret.
    let scanned = Run::from(
        bare_command()
            .env("AWS_SECRET_ACCESS_KEY", "cliSecretValue0123456789")
            .args([
                "--endpoint",
                &endpoint(),
                "-vv",
                "scan",
                &table,
                "--rate",
                "100",
            ])
            .output()
            .unwrap(),
    );
    assert_eq!(scanned.code, 0, "{}", scanned.stderr);
    assert_eq!(scanned.stdout.lines().count(), 30);
    let stderr = &scanned.stderr;
    assert!(
        stderr.contains("credentials from environment variable"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "dynamo: DEBUG Scan table={table} status=200 attempt=1"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("dynamo: consumed "), "{stderr}");
    assert!(!stderr.contains("cliSecretValue0123456789"), "{stderr}");
    // Items only at -vvv.
    assert!(!stderr.contains("item7"), "{stderr}");
    // query and dump print their totals with -v, and -v alone logs no request.
    for args in [
        vec!["-v", "query", &table, "--key", "id=item3"],
        vec!["-v", "dump", &table, "--rate", "50/s", "--no-progress"],
    ] {
        let run = dynamo(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stderr.contains("dynamo: consumed "), "{}", run.stderr);
        assert!(!run.stderr.contains("DEBUG"), "{}", run.stderr);
    }
    // A rate that is not a positive number is a usage error.
    let err = dynamo_offline(&["scan", &table, "--rate", "0/s"]).fails(1);
    assert!(err.contains("--rate: `0/s`"), "{err}");
}
