//! `credential_process`: run a command and read credentials from its
//! standard output (SDKs and Tools Reference Guide, "Process credential
//! provider").
//!
//! The command runs through the shell (`sh -c` on Unix, `cmd /C` on
//! Windows); its standard error goes to ours, so prompts reach the user.
//! Its output is JSON: `Version` (must be 1), `AccessKeyId`,
//! `SecretAccessKey`, optional `SessionToken` and `Expiration` (RFC 3339;
//! without it the credentials never expire). A command that has not
//! finished after [`TIMEOUT`] is killed: no call waits forever.

use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{CredentialsError, CredentialsErrorKind};
use crate::Credentials;

/// How long a credential process may run (it may prompt for an MFA code).
pub(crate) const TIMEOUT: Duration = Duration::from_secs(60);

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Output {
    version: u32,
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiration: Option<String>,
}

/// Runs the `credential_process` of `profile`.
pub(crate) fn run(profile: &str, command: &str) -> Result<Credentials, CredentialsError> {
    run_with_timeout(profile, command, TIMEOUT)
}

pub(crate) fn run_with_timeout(
    profile: &str,
    command: &str,
    timeout: Duration,
) -> Result<Credentials, CredentialsError> {
    let source = format!("profile {profile}: credential_process");
    let failed =
        |what: String| CredentialsError::of(&source, CredentialsErrorKind::ProcessFailed, what);
    let mut shell = if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.arg("/C");
        c
    } else {
        let mut c = Command::new("sh");
        c.arg("-c");
        c
    };
    let mut child = shell
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| failed(format!("cannot start the command: {e}")))?;
    // Read the output on another thread so a chatty process never blocks
    // on a full pipe while we wait for it.
    let mut stdout = child
        .stdout
        .take()
        .ok_or_else(|| failed("no output pipe".into()))?;
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let result = stdout
            .by_ref()
            .take(1024 * 1024)
            .read_to_end(&mut bytes)
            .map(|_| bytes);
        let _ = sender.send(result);
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(failed(format!(
                    "the command did not finish within {timeout:?} and was stopped"
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(failed(format!("cannot wait for the command: {e}"))),
        }
    };
    if !status.success() {
        return Err(failed(format!("the command failed ({status})")));
    }
    // Children the command left behind may hold the pipe open: bounded wait.
    let bytes = match receiver.recv_timeout(Duration::from_secs(5)) {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(e)) => return Err(failed(format!("cannot read the command's output: {e}"))),
        Err(_) => return Err(failed("the command's output did not end".into())),
    };
    let malformed =
        |why: String| CredentialsError::of(&source, CredentialsErrorKind::Malformed, why);
    let output: Output = serde_json::from_slice(&bytes).map_err(|e| {
        malformed(format!(
            "the command's output is not the expected JSON: {}",
            super::http::json_error(&e)
        ))
    })?;
    if output.version != 1 {
        return Err(malformed(format!(
            "output Version {} is not 1",
            output.version
        )));
    }
    let mut credentials = Credentials::new(output.access_key_id, output.secret_access_key);
    if let Some(token) = output.session_token.filter(|t| !t.is_empty()) {
        credentials = credentials.with_session_token(token);
    }
    if let Some(expiration) = output.expiration {
        credentials = credentials.with_expiry(super::http::parse_time(&source, &expiration)?);
    }
    Ok(credentials)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_hanging_process_is_stopped() {
        let started = Instant::now();
        let err = run_with_timeout("p", "sleep 30", Duration::from_millis(300)).unwrap_err();
        assert_eq!(err.kind(), &CredentialsErrorKind::ProcessFailed);
        assert!(err.to_string().contains("did not finish"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(20));
    }

    #[test]
    fn failures_and_bad_output_are_typed() {
        let err = run("p", "exit 3").unwrap_err();
        assert_eq!(err.kind(), &CredentialsErrorKind::ProcessFailed);
        let err = run(
            "p",
            "echo '{\"Version\": 2, \"AccessKeyId\": \"a\", \"SecretAccessKey\": \"s\"}'",
        )
        .unwrap_err();
        assert_eq!(err.kind(), &CredentialsErrorKind::Malformed);
        let err = run("p", "echo '{not json'").unwrap_err();
        assert_eq!(err.kind(), &CredentialsErrorKind::Malformed);
        assert!(
            err.to_string().contains("profile p: credential_process"),
            "{err}"
        );
    }
}
