//! [`Client`]: signed, retried DynamoDB requests over one connection pool.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use dynamo_core::wire::Operation;
use serde::de::DeserializeOwned;

use crate::config::{self, ConfigError, Endpoint, Environment, Settings, Source};
use crate::credentials::cache::CredentialsCache;
use crate::credentials::chain::DefaultChain;
use crate::error::{Error, ServiceErrorKind};
use crate::logging::AttemptLog;
use crate::response::decode;
use crate::retry::{Failure, Retrier, RetryPolicy, RetryQuota};
use crate::sigv4::{
    sign_with_cache, SignableRequest, SigningKeyCache, SigningParams, SigningSettings,
};
use crate::transport::{HttpTransport, Timeouts, DEFAULT_IDLE_CONNECTIONS};
use crate::{Credentials, ProvideCredentials};

/// The JSON protocol's content type.
const CONTENT_TYPE: &str = "application/x-amz-json-1.0";

/// A DynamoDB client: resolved configuration, a request signer and a
/// keep-alive connection pool.
///
/// Cheap to clone (it is an `Arc` inside) and safe to share between threads:
/// clones share connections and the cached signing key.
///
/// ```no_run
/// use dynamo_blocking::Client;
/// // Credentials, region and endpoint from the environment and ~/.aws:
/// let client = Client::from_env()?;
/// for name in client.list_tables() {
///     println!("{}", name?);
/// }
/// # Ok::<(), dynamo_blocking::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: HttpTransport,
    credentials: CredentialsCache,
    region: String,
    signing_keys: SigningKeyCache,
    endpoint: Endpoint,
    /// Where Streams operations go: the streams endpoint of the region on
    /// AWS, the configured endpoint otherwise (DynamoDB Local serves both).
    streams_endpoint: Endpoint,
    retry: RetryPolicy,
    /// The retry policy's token bucket, shared by clones.
    quota: Option<RetryQuota>,
    operation_timeout: Option<Duration>,
    sleep: fn(Duration),
    counters: Mutex<BTreeMap<&'static str, u64>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint.url())
            .field("region", &self.inner.region)
            .field("credentials", &self.inner.credentials.provider_name())
            .field("retry", &self.inner.retry)
            .finish()
    }
}

/// Builds a [`Client`]; anything not set explicitly is resolved from the
/// environment and the shared AWS files, as the official SDKs do.
///
/// ```
/// use std::time::Duration;
/// use dynamo_blocking::{Client, Credentials, RetryPolicy};
/// let client = Client::builder()
///     .endpoint("http://127.0.0.1:8000")
///     .region("us-east-1")
///     .credentials(Credentials::new("local", "local"))
///     .retry_policy(RetryPolicy::default().max_attempts(3))
///     .read_timeout(Duration::from_secs(5))
///     .operation_timeout(Duration::from_secs(30))
///     .build()?;
/// assert_eq!(client.endpoint().url(), "http://127.0.0.1:8000");
/// # Ok::<(), dynamo_blocking::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    settings: Settings,
    environment: Option<Environment>,
    provider: Option<CustomProvider>,
    retry: RetryPolicy,
    timeouts: Timeouts,
    operation_timeout: Option<Duration>,
    idle_connections: usize,
    sleep: fn(Duration),
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            settings: Settings::new(),
            environment: None,
            provider: None,
            retry: RetryPolicy::default(),
            // A connect beyond 3 s is a network problem, not a slow server;
            // DynamoDB answers single requests in milliseconds, so 10 s
            // leaves room for large batch and scan pages.
            timeouts: Timeouts {
                connect: Duration::from_secs(3),
                send: Duration::from_secs(10),
                read: Duration::from_secs(10),
            },
            operation_timeout: None,
            idle_connections: DEFAULT_IDLE_CONNECTIONS,
            sleep: std::thread::sleep,
        }
    }
}

/// A user's provider; `Debug` cannot look inside it.
#[derive(Clone)]
struct CustomProvider(Arc<dyn ProvideCredentials>);

impl fmt::Debug for CustomProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CustomProvider")
    }
}

impl ClientBuilder {
    /// Uses these credentials instead of resolving them.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.settings = self.settings.with_credentials(credentials);
        self
    }

    /// Asks `provider` for credentials instead of the default chain (and
    /// instead of [`credentials`](Self::credentials)). The client calls it
    /// lazily, on the first request, and again before the credentials it
    /// returned expire; see [`ProvideCredentials`].
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.provider = Some(CustomProvider(Arc::new(provider)));
        self
    }

    /// Uses this region.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.settings = self.settings.with_region(region);
        self
    }

    /// Sends requests to this URL (e.g. DynamoDB Local's
    /// `http://127.0.0.1:8000`). Plain `http` is used only when given here
    /// or in the environment or profile.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.settings = self.settings.with_endpoint(url);
        self
    }

    /// Reads this profile of the shared AWS files instead of `AWS_PROFILE`.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.settings = self.settings.with_profile(profile);
        self
    }

    /// Resolves unset settings from this environment instead of the process
    /// environment (for tests and sandboxes).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment);
        self
    }

    /// How failed requests are retried.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Longest wait to open a connection (default 3 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.connect = timeout;
        self
    }

    /// Longest wait for an answer once the request is sent (default 10 s).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.read = timeout;
        self
    }

    /// Longest time to send a request, head and body (default 10 s): a
    /// server that stops reading fails the attempt with a retried
    /// [`TransportErrorKind::Timeout`](crate::TransportErrorKind::Timeout).
    pub fn send_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.send = timeout;
        self
    }

    /// Longest time for a whole call, every attempt and backoff included
    /// (the AWS SDKs' operation timeout; default none). When it runs out the
    /// call fails with [`TransportErrorKind::OperationTimeout`](crate::TransportErrorKind::OperationTimeout),
    /// not retried.
    ///
    /// Without it, a server that accepts connections but never answers
    /// costs up to attempts × (send + read timeout) plus the backoffs: about
    /// 116 s with the defaults.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// How many open connections the client keeps for reuse between
    /// requests (default 64). Each thread sharing the client holds one
    /// connection during a request; with more threads than this, the extra
    /// connections are closed after their request and opened again for the
    /// next one.
    ///
    /// ```
    /// use dynamo_blocking::{Client, Credentials};
    ///
    /// let client = Client::builder()
    ///     .region("eu-west-1")
    ///     .credentials(Credentials::new("AKIDEXAMPLE", "example-secret"))
    ///     .max_idle_connections(128)
    ///     .build()?;
    /// # Ok::<(), dynamo_blocking::Error>(())
    /// ```
    pub fn max_idle_connections(mut self, connections: usize) -> Self {
        self.idle_connections = connections;
        self
    }

    /// Replaces how the client sleeps between retries (tests use a no-op).
    #[doc(hidden)]
    pub fn sleep_fn(mut self, sleep: fn(Duration)) -> Self {
        self.sleep = sleep;
        self
    }

    /// Resolves the configuration and builds the client. Fails with a
    /// [`Error::Config`] that says where it looked when credentials or the
    /// region cannot be found.
    ///
    /// With the default chain the first credentials are fetched here, so a
    /// missing or broken source fails the build; they are refreshed later
    /// as they near expiry. A custom provider is first asked on the first
    /// request.
    pub fn build(self) -> Result<Client, Error> {
        let env = self.environment.unwrap_or_else(Environment::process);
        let (credentials, region, region_source, endpoint, endpoint_source) = match self.provider {
            Some(CustomProvider(provider)) => {
                let (region, region_source) = config::resolve_region(&self.settings, &env)?;
                let (endpoint, endpoint_source) =
                    config::resolve_endpoint(&self.settings, &env, &region)?;
                let cache = CredentialsCache::new(provider);
                (cache, region, region_source, endpoint, endpoint_source)
            }
            None => {
                let resolved = config::resolve(&self.settings, &env)?;
                let provider: Arc<dyn ProvideCredentials> = match self.settings.credentials() {
                    Some(_) => Arc::new(resolved.credentials.clone()),
                    None => Arc::new(DefaultChain {
                        settings: self.settings,
                        env,
                    }),
                };
                let cache = CredentialsCache::new(provider);
                cache.seed(resolved.credentials);
                (
                    cache,
                    resolved.region,
                    resolved.region_source,
                    resolved.endpoint,
                    resolved.endpoint_source,
                )
            }
        };
        let streams_endpoint = match endpoint_source {
            Source::Default => {
                Endpoint::streams_for_region(&region).map_err(|e| ConfigError::InvalidRegion {
                    region: region.clone(),
                    origin: region_source,
                    reason: format!("cannot build the streams endpoint from it: {}", e.reason()),
                })?
            }
            _ => endpoint.clone(),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                transport: HttpTransport::new(self.timeouts, self.idle_connections),
                credentials,
                region,
                signing_keys: SigningKeyCache::new(),
                endpoint,
                streams_endpoint,
                retry: self.retry,
                quota: self.retry.quota().map(RetryQuota::new),
                operation_timeout: self.operation_timeout,
                sleep: self.sleep,
                counters: Mutex::new(BTreeMap::new()),
            }),
        })
    }
}

impl Client {
    /// A client configured from the environment and the shared AWS files.
    pub fn from_env() -> Result<Client, Error> {
        Client::builder().build()
    }

    /// A builder for explicit settings.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Where requests go.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// The region requests are signed for.
    pub fn region(&self) -> &str {
        &self.inner.region
    }

    /// Where the credentials in use came from (e.g. `environment variable
    /// AWS_ACCESS_KEY_ID`, `EC2 instance metadata (...)`), once the client
    /// has some; never a secret.
    pub fn credentials_source(&self) -> Option<String> {
        self.inner.credentials.provider_name()
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.inner.retry
    }

    /// How many connections this client and its clones have opened. Once
    /// warm, a client keeping enough idle connections for its threads (see
    /// [`ClientBuilder::max_idle_connections`]) opens no more.
    pub fn connections_opened(&self) -> u64 {
        self.inner.transport.connections_opened()
    }

    /// How many requests (attempts included) this client and its clones
    /// have sent for `operation` (e.g. `"DescribeTable"`).
    pub fn requests_sent(&self, operation: &str) -> u64 {
        let counters = self
            .inner
            .counters
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        counters.get(operation).copied().unwrap_or(0)
    }

    /// Sleeps the retry policy's backoff before retry number `retry`; used by
    /// the batch calls between resends of unprocessed items.
    pub(crate) fn backoff(&self, retry: u32) {
        (self.inner.sleep)(self.inner.retry.backoff(retry));
    }

    /// Sends one operation and returns DynamoDB's answer, retrying per the
    /// client's [`RetryPolicy`]. What DynamoDB would refuse anyway (see
    /// [`Operation::validate`]) fails first, with no request sent.
    ///
    /// ```no_run
    /// use dynamo_blocking::{key, wire, Client};
    /// let client = Client::from_env()?;
    /// let answer = client.send(&wire::GetItemInput::new("users", key! { "username" => "johndoe" }))?;
    /// println!("{:?}", answer.item);
    /// # Ok::<(), dynamo_blocking::Error>(())
    /// ```
    pub fn send<O: Operation>(&self, operation: &O) -> Result<O::Output, Error> {
        operation.validate()?;
        // Most requests fit: no copying as the buffer would grow from
        // serde_json's 128 bytes by doubling.
        let mut body = Vec::with_capacity(2048);
        serde_json::to_writer(&mut body, operation).map_err(|e| Error::Encode {
            operation: O::NAME,
            detail: e.to_string(),
        })?;
        self.send_raw((O::TARGET_PREFIX, O::NAME), &body)
    }

    /// Sends an already encoded request body for `operation`, named by its
    /// target prefix (see [`Operation::TARGET_PREFIX`]) and name.
    pub(crate) fn send_raw<T: DeserializeOwned>(
        &self,
        operation: (&'static str, &'static str),
        body: &[u8],
    ) -> Result<T, Error> {
        // Credentials revoked or expired early are fetched again and the
        // request tried once more, outside the retry budget.
        let mut refreshed = false;
        let tables = crate::logging::tables_of(body);
        let mut attempt = 0;
        Retrier {
            operation: operation.1,
            policy: self.inner.retry,
            quota: self.inner.quota.as_ref(),
            sleep: self.inner.sleep,
            operation_timeout: self.inner.operation_timeout,
        }
        .run(|deadline| loop {
            let credentials = self.inner.credentials.get().map_err(Error::from)?;
            attempt += 1;
            let log = AttemptLog {
                operation: operation.1,
                tables: &tables,
                attempt,
                latency: Duration::ZERO,
                sent_bytes: body.len(),
            };
            match self.attempt::<T>(operation, body, &credentials, deadline, log) {
                Err(Failure {
                    error: Error::Service(e),
                    ..
                }) if e.kind == ServiceErrorKind::ExpiredToken && !refreshed => {
                    refreshed = true;
                    self.inner.credentials.expire(&credentials);
                }
                outcome => return outcome,
            }
        })
        .map_err(|e| e.with_request(operation.1, body))
    }

    /// Tokens left in the client's retry quota (`None` without a quota);
    /// see [`RetryPolicy`].
    ///
    /// ```
    /// use dynamo_blocking::{Client, Credentials, RetryPolicy};
    /// let client = Client::builder()
    ///     .endpoint("http://127.0.0.1:8000")
    ///     .region("us-east-1")
    ///     .credentials(Credentials::new("local", "local"))
    ///     .retry_policy(RetryPolicy::default().with_quota(100))
    ///     .build()?;
    /// assert_eq!(client.retry_quota_left(), Some(100));
    /// # Ok::<(), dynamo_blocking::Error>(())
    /// ```
    pub fn retry_quota_left(&self) -> Option<u32> {
        self.inner.quota.as_ref().map(RetryQuota::available)
    }

    fn attempt<T: DeserializeOwned>(
        &self,
        (prefix, operation): (&'static str, &'static str),
        body: &[u8],
        credentials: &Credentials,
        deadline: Option<Instant>,
        mut log: AttemptLog<'_>,
    ) -> Result<T, Failure> {
        self.count(operation);
        // Built by hand: `format!` costs several times as much here.
        let mut target = String::with_capacity(prefix.len() + 1 + operation.len());
        target.push_str(prefix);
        target.push('.');
        target.push_str(operation);
        let endpoint = if prefix == dynamo_core::wire::STREAMS_TARGET_PREFIX {
            &self.inner.streams_endpoint
        } else {
            &self.inner.endpoint
        };
        let unsigned = [
            ("host", endpoint.host_header()),
            ("content-type", CONTENT_TYPE),
            ("x-amz-target", target.as_str()),
        ];
        let path = if endpoint.path_prefix().is_empty() {
            "/"
        } else {
            endpoint.path_prefix()
        };
        let signed = sign_with_cache(
            &SignableRequest {
                method: "POST",
                url_path: path,
                query: "",
                headers: &unsigned,
                payload: body,
            },
            &SigningParams {
                credentials,
                region: &self.inner.region,
                service: "dynamodb",
                time: Utc::now(),
                settings: SigningSettings::default(),
            },
            &self.inner.signing_keys,
        );
        let mut headers: Vec<(&str, &str)> = Vec::with_capacity(unsigned.len() + 4);
        headers.extend(unsigned);
        headers.extend(signed.headers.iter().map(|(k, v)| (*k, v.as_str())));
        // Timed for the debug log only: reading the clock is a measurable
        // share of a warm request's client CPU.
        let started = log::log_enabled!(log::Level::Debug).then(Instant::now);
        let posted = self
            .inner
            .transport
            .post(endpoint.url(), &headers, body, deadline);
        log.latency = started.map_or(Duration::ZERO, |s| s.elapsed());
        let raw = posted.inspect_err(|e| log.failed(e))?;
        log.answered(raw.status, raw.request_id.as_deref(), body, &raw.body);
        decode(raw)
    }

    fn count(&self, operation: &'static str) {
        let mut counters = self
            .inner
            .counters
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        *counters.entry(operation).or_insert(0) += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(endpoint: Option<&str>) -> Client {
        let mut builder = Client::builder()
            .region("eu-west-1")
            .credentials(Credentials::new("AKID", "secret"))
            .environment(Environment::empty());
        if let Some(url) = endpoint {
            builder = builder.endpoint(url);
        }
        builder.build().unwrap()
    }

    #[test]
    fn streams_go_to_the_streams_endpoint_on_aws_and_to_a_configured_one_elsewhere() {
        let aws = client(None);
        assert_eq!(
            aws.endpoint().url(),
            "https://dynamodb.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            aws.inner.streams_endpoint.url(),
            "https://streams.dynamodb.eu-west-1.amazonaws.com"
        );
        let local = client(Some("http://127.0.0.1:8000"));
        assert_eq!(local.inner.streams_endpoint.url(), "http://127.0.0.1:8000");
    }
}
