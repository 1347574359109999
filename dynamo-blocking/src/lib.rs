//! A blocking, synchronous Amazon DynamoDB client, with a derive macro.
//!
//! No async runtime: every call blocks the calling thread until DynamoDB
//! answers, so the library fits scripts, command-line tools and plain
//! threads. Requests are signed with SigV4, configured and authenticated the
//! way the AWS SDKs do it, retried with backoff, and bounded in time.
//!
//! - [Typed tables](#typed-tables): a `#[derive(DynamoItem)]` struct and its
//!   [`TypedTable`].
//! - [Items without a struct](#items-without-a-struct): [`Table`] and
//!   [`Item`], Python boto's `dynamodb2` API.
//! - [Reading many items](#reading-many-items): lazy queries, scans,
//!   parallel scans and batch gets.
//! - [Writing safely](#writing-safely): conditions, versions, transactions.
//! - [Change feeds](#change-feeds): a table's stream as an iterator.
//! - [Configuration](#configuration), [retries and
//!   timeouts](#retries-and-timeouts), [errors](#errors), [testing with
//!   DynamoDB Local](#testing-with-dynamodb-local), [the low
//!   level](#the-low-level).
//!
//! # Typed tables
//!
//! Derive [`DynamoItem`] on a struct: its fields become attributes, and the
//! table's key, indexes, optimistic version and time to live are declared on
//! it (the attribute reference is on the [`DynamoItem`](derive@DynamoItem)
//! derive). A misspelt field, a key of the wrong type or a condition
//! comparing a field with a value of another type does not compile.
//!
//! ```no_run
//! use dynamo_blocking::{Capacity, Client, DynamoItem, TypedTable, Update};
//!
//! #[derive(DynamoItem, Debug, Clone, PartialEq)]
//! #[dynamo(table = "users")]
//! struct User {
//!     #[dynamo(hash_key)]
//!     account_type: String,
//!     #[dynamo(range_key)]
//!     last_name: String,
//!     first_name: Option<String>, // None: no attribute
//!     visits: u32,
//!     #[dynamo(version)]
//!     version: u64, // 0: never stored
//! }
//!
//! let client = Client::from_env()?;
//! let users = TypedTable::<User>::create(&client, Capacity::on_demand())?;
//! let mut jane = User {
//!     account_type: "standard_user".into(),
//!     last_name: "Doe".into(),
//!     first_name: Some("Jane".into()),
//!     visits: 0,
//!     version: 0,
//! };
//! users.put_new(&jane)?; // fails if the key is taken
//! let f = User::fields();
//! let after = users
//!     .update(&jane.key(), Update::new().increment(f.visits, 1))
//!     .send()?; // only an existing item; the version moves on
//! jane = users.get(&jane.key())?.expect("just written");
//! assert_eq!(jane, after);
//! for user in users.query("standard_user").range_begins_with("D") {
//!     println!("{:?}", user?.first_name);
//! }
//! # Ok::<(), dynamo_blocking::Error>(())
//! ```
//!
//! # Items without a struct
//!
//! A [`Table`] reads and writes [`Item`]s: attribute maps that remember what
//! was read, so [`Item::save`] writes only if nobody changed the item since,
//! and [`Item::partial_save`] sends only what changed.
//!
//! ```no_run
//! use dynamo_blocking::{item, key, Client, Overwrite, Table};
//!
//! let users = Table::new(&Client::from_env()?, "users"); // schema described on first need
//! users.put_item(item! { "username" => "johndoe", "first_name" => "John" }, Overwrite::No)?;
//! if let Some(mut john) = users.get_item(key! { "username" => "johndoe" })? {
//!     john.set("first_name", "Johann")?;
//!     john.save()?; // fails if someone changed the item since we read it
//! }
//! # Ok::<(), dynamo_blocking::Error>(())
//! ```
//!
//! # Reading many items
//!
//! [`Query`], [`Scan`], [`ParallelScan`] and [`BatchGet`] are lazy: nothing
//! is sent until they are iterated, pages are fetched as items are
//! consumed, `limit(n)` counts items across pages, and an iteration can be
//! resumed from [`Items::resume_key`]. A page token DynamoDB repeats ends
//! the iteration with an error instead of looping.
//!
//! ```no_run
//! use dynamo_blocking::{attr, key, Client, Table};
//!
//! let users = Table::new(&Client::from_env()?, "users");
//! let recent = users
//!     .query()
//!     .key_eq("account_type", "standard_user")
//!     .key_begins_with("last_name", "D")
//!     .filter(attr("email").exists())
//!     .reverse()
//!     .limit(2);
//! for user in recent {
//!     println!("{:?}", user?.get("first_name"));
//! }
//! for user in users.scan().parallel(4) { // 4 threads; items in no particular order
//!     println!("{:?}", user?.get("username"));
//! }
//! let owners = users.scan().filter(attr("is_owner").eq(true)).count()?; // no items transferred
//! for user in users.batch_get([key! { "username" => "alice" }, key! { "username" => "bob" }]) {
//!     println!("{:?}", user?.get("username"));
//! }
//! # Ok::<(), dynamo_blocking::Error>(())
//! ```
//!
//! [`Table::batch_write`] queues puts and deletes and sends them 25 at a
//! time; what DynamoDB leaves unprocessed is sent again, and what still fails
//! comes back in [`Error::UnprocessedWrites`]: no item is dropped silently.
//!
//! # Writing safely
//!
//! Every conditional write that loses answers
//! [`Error::is_conditional_check_failed`]. Typed writes follow one version
//! rule (the struct's `#[dynamo(version)]` must match the stored one, and
//! each write stores the next), `update` never creates an item (use
//! `upsert` for that), and [`Transaction`] applies up to 100 writes across
//! tables all together or not at all, with an idempotency token so a retry
//! after a lost answer applies it once. Dates are stored in a fixed-width
//! UTC form, so their string order is their time order.
//!
//! # Change feeds
//!
//! A table with a stream ([`Table::enable_stream`], or
//! `#[dynamo(stream = "new_and_old_images")]`) is read as a [`Feed`] of
//! [`Change`]s: shards in order, each record once, resumable from a
//! serializable [`Checkpoint`].
//!
//! ```no_run
//! use std::time::Duration;
//! use dynamo_blocking::{Change, Client, StartAt, Table};
//!
//! let orders = Table::new(&Client::from_env()?, "orders");
//! let feed = orders.stream()?.from(StartAt::TrimHorizon).follow(Duration::from_secs(5));
//! for change in feed {
//!     match change? {
//!         Change::Insert { new, .. } => println!("new: {new:?}"),
//!         Change::Modify { old, new, .. } => println!("{old:?} -> {new:?}"),
//!         Change::Remove { old, .. } => println!("gone: {old:?}"),
//!     }
//! }
//! # Ok::<(), dynamo_blocking::Error>(())
//! ```
//!
//! # Configuration
//!
//! [`Client::from_env`] finds credentials, region and endpoint where the
//! AWS SDKs find them: explicit settings, then the environment
//! (`AWS_ACCESS_KEY_ID`..., `AWS_REGION`, `AWS_ENDPOINT_URL_DYNAMODB`), then
//! the selected profile of `~/.aws/config` and `~/.aws/credentials`
//! (static keys, assume-role chains, web identity, IAM Identity Center,
//! `credential_process`), then web identity from the environment (EKS),
//! container credentials (ECS, EKS Pod Identity) and the EC2 instance
//! metadata service. Temporary credentials are cached and refreshed before
//! they expire, once for all threads. [`Client::builder`] sets anything
//! explicitly, including a [`ProvideCredentials`] of your own; see
//! [`config`] for every setting.
//!
//! ```no_run
//! use std::time::Duration;
//! use dynamo_blocking::{Client, RetryPolicy};
//!
//! let client = Client::builder()
//!     .region("eu-west-1")
//!     .retry_policy(RetryPolicy::default().max_attempts(5))
//!     .operation_timeout(Duration::from_secs(30))
//!     .build()?;
//! # Ok::<(), dynamo_blocking::Error>(())
//! ```
//!
//! A [`Client`] is cheap to clone and safe to share between threads: clones
//! share connections, credentials and the retry quota.
//!
//! # Retries and timeouts
//!
//! Throttling, 5xx answers, broken connections, timeouts and damaged
//! answers are retried with capped exponential backoff and full jitter
//! ([`RetryPolicy`]), within a per-client retry quota that stops retrying
//! when most calls fail. Connecting, sending and each read are bounded by
//! timeouts, and an operation timeout bounds a whole call across its
//! attempts: no call waits forever.
//!
//! # Errors
//!
//! Every call returns [`Result`]`<T, `[`Error`]`>`. Input DynamoDB would
//! refuse (a key that does not match the schema, an item over 400 KB, a
//! bad name or expression) is an error before any request is sent;
//! DynamoDB's own errors are [`Error::Service`] with a
//! [`ServiceErrorKind`], the HTTP status, the request id and the number of
//! attempts. No error, `Debug` output or log line carries a secret key,
//! session token or other credential.
//!
//! # Testing with DynamoDB Local
//!
//! With the `local` feature, [`local::DynamoDbLocal`] starts the official
//! emulator on a free port and hands out a client for it; the server stops
//! when the value is dropped, or when the test process dies.
//!
//! # The low level
//!
//! [`Client`] has one method per DynamoDB operation, taking and returning the
//! plain data of [`wire`]; [`expr`] builds condition, key and update
//! expressions with placeholders for every name and value; [`sigv4`] signs
//! requests. The high-level types are built on these, and they are public
//! for what the high level does not cover.
//!
//! # Features
//!
//! - `local`: the DynamoDB Local launcher ([`local`]).
//! - `cli`: the `dynamo` command-line tool.

#![warn(missing_docs)]

mod batch_write;
mod capacity;
mod client;
pub mod config;
mod credentials;
mod error;
mod item;
#[cfg(feature = "local")]
pub mod local;
mod logging;
mod operations;
mod paging;
mod partiql;
mod rate_limit;
mod read;
mod response;
mod retry;
pub mod sigv4;
mod stream;
mod table;
mod transaction;
mod transport;
mod typed;

pub use batch_write::BatchWriter;
pub use capacity::{CapacityMeter, CapacityTotal};
pub use client::{Client, ClientBuilder};
pub use credentials::{Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials};
// The value model, schemas and expressions of dynamo-core, by name: what a
// user of this crate writes (and what the derive's generated code names).
/// The expression builder: conditions, key conditions, updates and the
/// placeholders they render into (re-exported from `dynamo-core`).
pub use dynamo_core::expr;
/// `DateTime<Utc>` storage options for `#[dynamo(with = "...")]`
/// (re-exported from `dynamo-core`).
pub use dynamo_core::time;
/// DynamoDB's JSON protocol as plain data, one request and one response per
/// operation (re-exported from `dynamo-core`). Public for [`Client`], whose
/// methods take and return these types: reach for it when the high-level
/// API does not cover a request.
pub use dynamo_core::wire;
pub use dynamo_core::{attr, item, key};
pub use dynamo_core::{
    AttributeType, AttributeValue, Attributes, Capacity, Condition, ConvertError, ConvertErrorKind,
    DynamoItem, ExprError, FromAttribute, GlobalIndex, IndexPartition, IntegerAttribute,
    InvalidValue, ItemKey, KeyAttribute, KeyCondition, KeyError, KeySchema, KeyTemplateMismatch,
    KeyType, KeyedItem, LocalIndex, NameError, NoRange, Number, NumberError, NumberErrorKind,
    Projection, ScalarType, SecondaryIndex, SetMember, Throughput, ToAttribute, TtlAttribute,
    Update,
};
pub use dynamo_derive::{DynamoItem, DynamoValue};
// Single-table design: composed keys and several entity types in one table.
#[doc(hidden)]
pub use dynamo_core::{push_part, KeyReader};
pub use dynamo_core::{
    DynamoEntity, Entity, EntityLayout, FromTemplatePart, KeyText, LayoutMismatch, TemplatePart,
    ENTITY_ATTRIBUTE,
};
pub use dynamo_derive::DynamoEntity;
pub use error::{
    Error, ResponseError, ResponseErrorKind, Result, ServiceError, ServiceErrorKind,
    TransportError, TransportErrorKind, MAX_ITEM_SIZE,
};
pub use item::{Changes, Item};
pub use operations::TableNames;
pub use partiql::{Statement, StatementError, StatementItems, StatementResult};
pub use read::{BatchGet, BatchGetItems, Items, ParallelItems, ParallelScan, Query, Scan};
pub use retry::RetryPolicy;
pub use stream::{Change, ChangeInfo, Checkpoint, Feed, StartAt, StreamError, StreamViewType};
pub use table::{Overwrite, ReadOptions, Table, TableMeta};
pub use transaction::{CancelReason, Transaction};
pub use typed::{
    BatchGetOrError, IndexQuery, TypedBatchGet, TypedBatchWriter, TypedIndexQuery, TypedItems,
    TypedQuery, TypedScan, TypedTable, TypedUpdate,
};

/// This crate's README example, compiled as a doctest so it stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;
