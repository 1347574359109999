//! [`Error`]: everything a call can fail with, typed.
//!
//! Errors come from four places: the caller's input (caught before any
//! request), the configuration, the network, and DynamoDB itself. Each has its
//! own variant so callers can match on what they care about, and helpers such
//! as [`Error::is_conditional_check_failed`] answer the common questions.
//! No variant ever carries a secret key or session token.

use std::fmt;

use dynamo_core::wire::{CancellationReason, RequestError, SchemaWireError, WriteRequest};
use dynamo_core::{Attributes, ConvertError, ExprError, KeyError, LayoutMismatch, NameError};

use crate::config::ConfigError;
use crate::stream::StreamError;

/// Everything a dynamo-blocking call can fail with.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// DynamoDB answered with an error (`__type` in the body).
    Service(Box<ServiceError>),
    /// No answer arrived: connection refused or reset, timeout, TLS failure.
    Transport(TransportError),
    /// An answer arrived but is not a DynamoDB answer: an HTML page from a
    /// proxy, a truncated body, a checksum mismatch.
    Response(Box<ResponseError>),
    /// Credentials, region or endpoint could not be resolved.
    Config(Box<ConfigError>),
    /// A key does not match the table's key schema (no request was sent).
    Key(KeyError),
    /// A table or index name DynamoDB would refuse (no request was sent).
    Name(NameError),
    /// A value could not be converted to or from an attribute value.
    Convert(ConvertError),
    /// A condition, filter, key condition or update expression could not be
    /// built (no request was sent).
    Expression(ExprError),
    /// `put_item` without overwrite found an item with the same key (a lost
    /// conditional write: [`Error::is_conditional_check_failed`] is true).
    AlreadyExists {
        /// The table.
        table: String,
        /// The key that is taken.
        key: Attributes,
    },
    /// [`TypedTable::update`](crate::TypedTable::update) or
    /// [`TypedTable::delete_unchanged`](crate::TypedTable::delete_unchanged)
    /// found no item with this key, and wrote nothing (a lost conditional
    /// write: [`Error::is_conditional_check_failed`] is true). Other
    /// conditional writes on a missing item fail with their condition, as a
    /// [`ServiceErrorKind::ConditionalCheckFailed`].
    NotFound {
        /// The table.
        table: String,
        /// The key with no item.
        key: Attributes,
    },
    /// A versioned typed write (`put`, `save`) found another version stored:
    /// the item was written since the struct was read, so nothing was
    /// written (a lost conditional write:
    /// [`Error::is_conditional_check_failed`] is true). Read the item again
    /// and redo the change.
    VersionConflict {
        /// The table.
        table: String,
        /// The item's key.
        key: Attributes,
        /// The version the struct holds (0: never stored).
        expected: u64,
        /// How many requests were made: more than one means an earlier
        /// attempt may have written the item after all (its answer was
        /// lost), see [`Error::attempts`].
        attempts: u32,
    },
    /// A saved item's key attribute was changed or removed since it was
    /// read; saving would write a different item (no request was sent).
    KeyChanged {
        /// The key attribute.
        attribute: String,
    },
    /// Batch writes that were not applied after every retry: they are handed
    /// back so nothing is lost silently.
    UnprocessedWrites {
        /// The puts and deletes not applied.
        unprocessed: Vec<WriteRequest>,
        /// The last error, when a request failed outright (rather than
        /// DynamoDB leaving items unprocessed).
        cause: Option<Box<Error>>,
    },
    /// Batch-get keys that were not read after every retry.
    UnprocessedKeys {
        /// The keys not read.
        keys: Vec<Attributes>,
        /// The last error, when a request failed outright.
        cause: Option<Box<Error>>,
    },
    /// An item larger than DynamoDB's 400 KB limit (no request was sent).
    ItemTooLarge {
        /// The item's size as DynamoDB counts it.
        size: usize,
    },
    /// A request DynamoDB would refuse for its shape: too many or too few
    /// keys or actions in one batch or transaction, a key attribute name of
    /// the wrong length (no request was sent).
    Request(RequestError),
    /// A typed table was opened without a name, and the item type names no
    /// table (`#[dynamo(table = "...")]`).
    MissingTableName {
        /// The item type.
        item_type: &'static str,
    },
    /// A query or scan names an index the table does not have (no request
    /// was sent).
    UnknownIndex {
        /// The index asked for.
        index: String,
        /// The indexes the table has.
        known: Vec<String>,
    },
    /// A scan segment outside `0..total`, or a total outside 1 to 1,000,000
    /// (no request was sent).
    InvalidSegment {
        /// The segment asked for (`None` for a parallel scan's count).
        segment: Option<u32>,
        /// The number of segments.
        total: u32,
    },
    /// A rate limit that is not a positive, finite number of capacity units
    /// per second (no request was sent).
    InvalidRate {
        /// The rate given.
        units: f64,
    },
    /// A table update that changes nothing (no request was sent).
    NothingToUpdate,
    /// Entity types meant to share a table disagree on its key schema or an
    /// index (no request was sent).
    EntityLayout(LayoutMismatch),
    /// DynamoDB described a table in a form this library cannot read (a key
    /// schema without a hash key, an attribute type it does not know).
    UnreadableDescription(SchemaWireError),
    /// A request could not be encoded as JSON.
    Encode {
        /// The operation.
        operation: &'static str,
        /// The encoder's complaint.
        detail: String,
    },
    /// A waiter gave up before the table reached the awaited state.
    WaitTimeout {
        /// The table.
        table: String,
        /// What it was waiting for.
        awaited: &'static str,
        /// How long it waited.
        waited: std::time::Duration,
    },
    /// A change feed could not go on (see [`StreamError`]).
    Stream(StreamError),
}

/// Largest item DynamoDB stores, in bytes.
pub const MAX_ITEM_SIZE: usize = dynamo_core::wire::MAX_ITEM_BYTES;

/// The kind of a DynamoDB error answer, from its `__type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ServiceErrorKind {
    /// A condition expression was false.
    ConditionalCheckFailed,
    /// The table or index does not exist (or is not ACTIVE yet).
    ResourceNotFound,
    /// The table is being created, updated or deleted.
    ResourceInUse,
    /// The request is malformed or breaks a rule.
    Validation,
    /// The table's provisioned throughput is exhausted.
    ProvisionedThroughputExceeded,
    /// The request rate is too high.
    Throttling,
    /// The account's throughput limit is exceeded.
    RequestLimitExceeded,
    /// An item collection is over 10 GB (tables with local indexes).
    ItemCollectionSizeLimitExceeded,
    /// A transaction was cancelled; see [`ServiceError::cancellation_reasons`].
    TransactionCanceled,
    /// Another transaction is touching the same items.
    TransactionConflict,
    /// A transaction with the same token is still running.
    TransactionInProgress,
    /// Too many concurrent table operations, or another account limit.
    LimitExceeded,
    /// DynamoDB failed internally.
    InternalServerError,
    /// DynamoDB is unavailable.
    ServiceUnavailable,
    /// The credentials may not do this.
    AccessDenied,
    /// The access key id is not known.
    UnrecognizedClient,
    /// The signature does not match (wrong secret key, clock skew...).
    InvalidSignature,
    /// The session token has expired.
    ExpiredToken,
    /// The request was not signed.
    MissingAuthenticationToken,
    /// A Streams shard iterator is older than 15 minutes.
    ExpiredIterator,
    /// A Streams read reached records already trimmed (older than 24 hours).
    TrimmedDataAccess,
    /// Any other `__type`; the raw code is in [`ServiceError::code`].
    Unknown,
}

impl ServiceErrorKind {
    /// The kind named by an error code (the part of `__type` after `#`).
    pub fn from_code(code: &str) -> Self {
        use ServiceErrorKind::*;
        match code {
            "ConditionalCheckFailedException" => ConditionalCheckFailed,
            "ResourceNotFoundException" => ResourceNotFound,
            "ResourceInUseException" => ResourceInUse,
            "ValidationException" => Validation,
            "ProvisionedThroughputExceededException" => ProvisionedThroughputExceeded,
            "ThrottlingException" | "Throttling" => Throttling,
            "RequestLimitExceeded" => RequestLimitExceeded,
            "ItemCollectionSizeLimitExceededException" => ItemCollectionSizeLimitExceeded,
            "TransactionCanceledException" => TransactionCanceled,
            "TransactionConflictException" => TransactionConflict,
            "TransactionInProgressException" => TransactionInProgress,
            "LimitExceededException" => LimitExceeded,
            "InternalServerError" | "InternalFailure" => InternalServerError,
            "ServiceUnavailable" | "ServiceUnavailableException" => ServiceUnavailable,
            "AccessDeniedException" => AccessDenied,
            "UnrecognizedClientException" => UnrecognizedClient,
            "InvalidSignatureException" | "IncompleteSignatureException" => InvalidSignature,
            "ExpiredTokenException" => ExpiredToken,
            "MissingAuthenticationTokenException" => MissingAuthenticationToken,
            "ExpiredIteratorException" => ExpiredIterator,
            "TrimmedDataAccessException" => TrimmedDataAccess,
            _ => Unknown,
        }
    }

    /// Whether this kind means "slow down": retried with backoff.
    pub fn is_throttling(self) -> bool {
        matches!(
            self,
            ServiceErrorKind::ProvisionedThroughputExceeded
                | ServiceErrorKind::Throttling
                | ServiceErrorKind::RequestLimitExceeded
        )
    }
}

/// An error answer from DynamoDB.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ServiceError {
    /// What kind of error.
    pub kind: ServiceErrorKind,
    /// The raw code, e.g. `ResourceNotFoundException`.
    pub code: String,
    /// DynamoDB's message.
    pub message: String,
    /// The HTTP status.
    pub status: u16,
    /// `x-amzn-RequestId`, for AWS support.
    pub request_id: Option<String>,
    /// How many requests were made in all (1 when not retried).
    pub attempts: u32,
    /// For [`ServiceErrorKind::TransactionCanceled`]: one reason per action.
    pub cancellation_reasons: Vec<CancellationReason>,
    /// For a failed condition, the item when it was asked for.
    pub item: Option<Attributes>,
    /// The operation that failed, e.g. `UpdateItem`.
    pub operation: &'static str,
    /// The tables the request named (one, or several for batches and
    /// transactions).
    pub tables: Vec<String>,
}

/// Why no answer arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// Connecting took longer than the connect timeout, or the answer took
    /// longer than the read timeout.
    Timeout,
    /// The connection could not be made (refused, host not found).
    Connect,
    /// The TLS handshake failed (certificate, protocol): not retried.
    Tls,
    /// The connection broke while sending or receiving.
    Io,
    /// Anything else the HTTP client reported (an answer over 32 MB, an
    /// invalid URL...): not retried.
    Other,
    /// The client's operation timeout (the whole call, retries included)
    /// ran out: not retried.
    OperationTimeout,
}

/// No answer arrived.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct TransportError {
    /// What went wrong.
    pub kind: TransportErrorKind,
    /// The HTTP client's description.
    pub message: String,
    /// How many requests were made in all.
    pub attempts: u32,
}

/// Why an answer is not a DynamoDB answer.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseErrorKind {
    /// The body's CRC32 differs from the `x-amz-crc32` header.
    ChecksumMismatch {
        /// The header's value.
        expected: u32,
        /// The body's checksum.
        actual: u32,
    },
    /// The body is not the JSON DynamoDB sends (an HTML page, a cut-off
    /// document, an error without an error code), or its numbers cannot be
    /// true (a `Count` beyond `u64`).
    Malformed,
    /// A page's `LastEvaluatedKey` (or `LastEvaluatedTableName`) names a
    /// page this iteration was already given: following it would loop
    /// forever, so the iteration stops with this error, as the AWS SDKs'
    /// paginators do. `detail` names the operation and the token.
    RepeatedPageToken,
}

/// An answer that is not a DynamoDB answer.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ResponseError {
    /// What is wrong with it.
    pub kind: ResponseErrorKind,
    /// The HTTP status.
    pub status: u16,
    /// `x-amzn-RequestId`, if any.
    pub request_id: Option<String>,
    /// The start of the body (at most 200 characters), to see what came.
    pub body_start: String,
    /// The parser's complaint, for malformed bodies.
    pub detail: String,
    /// How many requests were made in all.
    pub attempts: u32,
}

impl Error {
    /// The DynamoDB error kind, when DynamoDB answered with an error.
    pub fn service_kind(&self) -> Option<ServiceErrorKind> {
        match self {
            Error::Service(e) => Some(e.kind),
            _ => None,
        }
    }

    /// Whether a conditional write lost: its condition was false and nothing
    /// was written. True for every such write, whatever variant reports it:
    /// ConditionalCheckFailed answers (`save` after a concurrent change,
    /// `delete_item_if`...), [`Error::AlreadyExists`], [`Error::NotFound`],
    /// and a transaction cancelled because one of its conditions failed.
    pub fn is_conditional_check_failed(&self) -> bool {
        match self {
            Error::AlreadyExists { .. }
            | Error::NotFound { .. }
            | Error::VersionConflict { .. } => true,
            Error::Service(e) => match e.kind {
                ServiceErrorKind::ConditionalCheckFailed => true,
                ServiceErrorKind::TransactionCanceled => e
                    .cancellation_reasons
                    .iter()
                    .any(|r| r.code.as_deref() == Some("ConditionalCheckFailed")),
                _ => false,
            },
            _ => false,
        }
    }

    /// Whether the table or index does not exist.
    pub fn is_resource_not_found(&self) -> bool {
        self.service_kind() == Some(ServiceErrorKind::ResourceNotFound)
    }

    /// Whether this is throttling of any kind.
    pub fn is_throttling(&self) -> bool {
        self.service_kind()
            .is_some_and(ServiceErrorKind::is_throttling)
    }

    /// How many requests were made before giving up (0 for errors caught
    /// before sending).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Service(e) => e.attempts,
            Error::Transport(e) => e.attempts,
            Error::Response(e) => e.attempts,
            Error::VersionConflict { attempts, .. } => *attempts,
            _ => 0,
        }
    }

    /// `x-amzn-RequestId` of the failed answer, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service(e) => e.request_id.as_deref(),
            Error::Response(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// A copy for threads that waited on the call that failed with this
    /// error, for the kinds a shared request can fail with; `None` for the
    /// others.
    pub(crate) fn copy_for_waiters(&self) -> Option<Error> {
        Some(match self {
            Error::Service(e) => Error::Service(e.clone()),
            Error::Transport(e) => Error::Transport(e.clone()),
            Error::Response(e) => Error::Response(e.clone()),
            Error::Name(e) => Error::Name(e.clone()),
            Error::UnreadableDescription(e) => Error::UnreadableDescription(e.clone()),
            _ => return None,
        })
    }

    /// Names the request a DynamoDB error answered: its operation and the
    /// tables its body names (read only on this error path).
    pub(crate) fn with_request(mut self, operation: &'static str, body: &[u8]) -> Self {
        if let Error::Service(e) = &mut self {
            e.operation = operation;
            e.tables = crate::logging::table_names(body);
        }
        self
    }

    pub(crate) fn set_attempts(&mut self, n: u32) {
        match self {
            Error::Service(e) => e.attempts = n,
            Error::Transport(e) => e.attempts = n,
            Error::Response(e) => e.attempts = n,
            _ => {}
        }
    }
}

fn attempts_suffix(f: &mut fmt::Formatter<'_>, attempts: u32) -> fmt::Result {
    if attempts > 1 {
        write!(f, " (after {attempts} attempts)")
    } else {
        Ok(())
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DynamoDB error {}", self.code)?;
        if !self.operation.is_empty() {
            write!(f, " on {}", self.operation)?;
        }
        if !self.tables.is_empty() {
            write!(f, " of `{}`", self.tables.join("`, `"))?;
        }
        write!(f, ": {}", self.message)?;
        for (i, reason) in self.cancellation_reasons.iter().enumerate() {
            if let Some(code) = reason.code.as_deref().filter(|c| *c != "None") {
                write!(f, "; action {i}: {code}")?;
            }
        }
        write!(f, " [HTTP {}", self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        f.write_str("]")?;
        attempts_suffix(f, self.attempts)
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Tls => "TLS failure",
            TransportErrorKind::Io => "connection failed",
            TransportErrorKind::Other => "HTTP failure",
            TransportErrorKind::OperationTimeout => "operation timed out",
        };
        write!(f, "{what}: {}", self.message)?;
        attempts_suffix(f, self.attempts)
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ResponseErrorKind::ChecksumMismatch { expected, actual } => write!(
                f,
                "response body CRC32 {actual} does not match x-amz-crc32 {expected}"
            )?,
            ResponseErrorKind::Malformed => write!(
                f,
                "HTTP {} with a body that is not a DynamoDB answer ({}): {:?}",
                self.status, self.detail, self.body_start
            )?,
            ResponseErrorKind::RepeatedPageToken => write!(
                f,
                "{}; stopped rather than loop forever: {:?}",
                self.detail, self.body_start
            )?,
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        attempts_suffix(f, self.attempts)
    }
}

/// A key as DynamoDB JSON, for messages.
fn write_key(f: &mut fmt::Formatter<'_>, key: &Attributes) -> fmt::Result {
    match serde_json::to_string(key) {
        Ok(json) => f.write_str(&json),
        Err(_) => write!(f, "{key:?}"),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Service(e) => e.fmt(f),
            Error::Transport(e) => e.fmt(f),
            Error::Response(e) => e.fmt(f),
            Error::Config(e) => e.fmt(f),
            Error::Key(e) => e.fmt(f),
            Error::Name(e) => e.fmt(f),
            Error::Convert(e) => e.fmt(f),
            Error::Expression(e) => e.fmt(f),
            Error::AlreadyExists { table, key } => {
                write!(f, "an item with key ")?;
                write_key(f, key)?;
                write!(f, " already exists in table `{table}`")
            }
            Error::NotFound { table, key } => {
                write!(f, "no item with key ")?;
                write_key(f, key)?;
                write!(f, " in table `{table}`")
            }
            Error::VersionConflict {
                table,
                key,
                expected,
                attempts,
            } => {
                write!(f, "version conflict on the item with key ")?;
                match serde_json::to_string(key) {
                    Ok(json) => f.write_str(&json)?,
                    Err(_) => write!(f, "{key:?}")?,
                }
                write!(f, " in table `{table}`: ")?;
                match expected {
                    0 => f.write_str("the struct holds version 0 (never stored), but the item is stored")?,
                    v => write!(f, "the struct holds version {v}, but another version is stored")?,
                }
                f.write_str("; read the item again and redo the change")?;
                attempts_suffix(f, *attempts)
            }
            Error::KeyChanged { attribute } => write!(
                f,
                "key attribute `{attribute}` changed since the item was read; \
                 save a new item instead of changing a key"
            ),
            Error::UnprocessedWrites { unprocessed, cause } => {
                write!(f, "{} batch writes were not applied", unprocessed.len())?;
                match cause {
                    Some(cause) => write!(f, ": {cause}"),
                    None => f.write_str(" (DynamoDB kept returning them as unprocessed)"),
                }
            }
            Error::UnprocessedKeys { keys, cause } => {
                write!(f, "{} batch-get keys were not read", keys.len())?;
                match cause {
                    Some(cause) => write!(f, ": {cause}"),
                    None => f.write_str(" (DynamoDB kept returning them as unprocessed)"),
                }
            }
            Error::ItemTooLarge { size } => write!(
                f,
                "item is {size} bytes; DynamoDB stores at most {MAX_ITEM_SIZE} bytes (400 KB)"
            ),
            Error::Request(e) => e.fmt(f),
            Error::MissingTableName { item_type } => write!(
                f,
                "`{item_type}` names no table: add #[dynamo(table = \"...\")] or use the *_named constructors"
            ),
            Error::UnknownIndex { index, known } => write!(
                f,
                "the table has no index named `{index}` (it has: {})",
                known.join(", ")
            ),
            Error::InvalidSegment {
                segment: Some(segment),
                total,
            } => write!(
                f,
                "segment {segment} of {total}: segments are numbered 0..total, with total from 1 to 1000000"
            ),
            Error::InvalidSegment {
                segment: None,
                total,
            } => write!(f, "a parallel scan needs 1 to 1000000 segments, not {total}"),
            Error::InvalidRate { units } => write!(
                f,
                "a rate limit must be a positive number of capacity units per second, not {units}"
            ),
            Error::NothingToUpdate => f.write_str("the table update changes nothing"),
            Error::EntityLayout(e) => e.fmt(f),
            Error::UnreadableDescription(e) => {
                write!(f, "cannot read the table description DynamoDB sent: {e}")
            }
            Error::Encode { operation, detail } => {
                write!(f, "cannot encode {operation}: {detail}")
            }
            Error::WaitTimeout {
                table,
                awaited,
                waited,
            } => write!(
                f,
                "table `{table}` was not {awaited} after {:.1} s",
                waited.as_secs_f64()
            ),
            Error::Stream(e) => e.fmt(f),
        }
    }
}

/// `source()` never returns an error whose message `Display` already
/// printed: a variant that prints its inner error (or its cause) passes on
/// that error's own source instead, so an error chain prints each message
/// once.
impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Config(e) => e.source(),
            Error::Key(e) => e.source(),
            Error::Name(e) => e.source(),
            Error::Convert(e) => e.source(),
            Error::Expression(e) => e.source(),
            Error::Request(e) => e.source(),
            Error::UnreadableDescription(e) => e.source(),
            Error::UnprocessedWrites { cause: Some(c), .. }
            | Error::UnprocessedKeys { cause: Some(c), .. } => c.source(),
            _ => None,
        }
    }
}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Error::Config(Box::new(e))
    }
}

impl From<KeyError> for Error {
    fn from(e: KeyError) -> Self {
        Error::Key(e)
    }
}

impl From<NameError> for Error {
    fn from(e: NameError) -> Self {
        Error::Name(e)
    }
}

impl From<ConvertError> for Error {
    fn from(e: ConvertError) -> Self {
        Error::Convert(e)
    }
}

impl From<RequestError> for Error {
    fn from(e: RequestError) -> Self {
        match e {
            RequestError::Name(e) => Error::Name(e),
            RequestError::ItemTooLarge { size } => Error::ItemTooLarge { size },
            RequestError::Value(e) => Error::Convert(e),
            other => Error::Request(other),
        }
    }
}

impl From<StreamError> for Error {
    fn from(e: StreamError) -> Self {
        Error::Stream(e)
    }
}

impl From<ExprError> for Error {
    fn from(e: ExprError) -> Self {
        Error::Expression(e)
    }
}

/// Results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_kinds() {
        assert_eq!(
            ServiceErrorKind::from_code("ThrottlingException"),
            ServiceErrorKind::Throttling
        );
        assert_eq!(
            ServiceErrorKind::from_code("SomethingNewException"),
            ServiceErrorKind::Unknown
        );
        assert!(ServiceErrorKind::ProvisionedThroughputExceeded.is_throttling());
        assert!(!ServiceErrorKind::Validation.is_throttling());
    }

    #[test]
    fn display_says_how_many_attempts() {
        let e = Error::Service(Box::new(ServiceError {
            kind: ServiceErrorKind::Throttling,
            code: "ThrottlingException".into(),
            message: "slow down".into(),
            status: 400,
            request_id: Some("RID".into()),
            attempts: 4,
            cancellation_reasons: vec![],
            item: None,
            operation: "",
            tables: vec![],
        }))
        .with_request("UpdateItem", br#"{"TableName":"orders","Key":{}}"#);
        assert_eq!(
            e.to_string(),
            "DynamoDB error ThrottlingException on UpdateItem of `orders`: slow down \
             [HTTP 400, request id RID] (after 4 attempts)"
        );
    }

    /// Every message of an error chain, outermost first.
    fn chain(e: &(dyn std::error::Error + 'static)) -> Vec<String> {
        std::iter::successors(Some(e), |e| e.source())
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn an_error_chain_prints_each_message_once() {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "no access here");
        let cause = Error::Config(Box::new(ConfigError::UnreadableFile {
            path: "/x/config".into(),
            error: io,
        }));
        let outer = Error::UnprocessedKeys {
            keys: vec![],
            cause: Some(Box::new(cause)),
        };
        let messages = chain(&outer);
        assert!(messages[0].contains("no access here"), "{messages:?}");
        for later in &messages[1..] {
            assert!(!messages[0].contains(later.as_str()), "{messages:?}");
        }
        let expr = Error::from(
            dynamo_core::attr("n")
                .eq(f64::NAN)
                .render(&mut dynamo_core::expr::Placeholders::new())
                .unwrap_err(),
        );
        assert_eq!(chain(&expr).len(), 1, "{:?}", chain(&expr));
    }
}
