//! A blocking, synchronous Amazon DynamoDB client.
//!
//! No async runtime: every call blocks the calling thread until DynamoDB
//! answers. The layers, from the top:
//!
//! - [`TypedTable`]: a table of `#[derive(DynamoItem)]` structs.
//! - [`Table`] and [`Item`]: boto's `dynamodb2` high-level API with dynamic
//!   items, dirty tracking and three saves; [`Query`], [`Scan`],
//!   [`ParallelScan`], [`BatchGet`] and [`BatchWriter`] for many items.
//! - [`Client`]: one method per DynamoDB operation over [`wire`] types, signed
//!   ([`sigv4`]), configured like the AWS SDKs ([`config`]) and retried
//!   ([`RetryPolicy`]).
//! - [`local`] (feature `local`): DynamoDB Local for tests.
//!
//! ```no_run
//! use dynamo_blocking::{key, Client, Table};
//!
//! let client = Client::from_env()?;
//! let users = Table::new(&client, "users");
//! if let Some(mut john) = users.get_item(key! { "username" => "johndoe" })? {
//!     john.set("first_name", "Johann")?;
//!     john.save()?; // fails if someone changed the item since we read it
//! }
//! for user in users.query().key_eq("username", "johndoe") {
//!     println!("{:?}", user?.attributes());
//! }
//! # Ok::<(), dynamo_blocking::Error>(())
//! ```

#![warn(missing_docs)]

mod batch_write;
mod client;
pub mod config;
mod credentials;
mod error;
mod item;
#[cfg(feature = "local")]
pub mod local;
mod operations;
mod partiql;
mod read;
mod retry;
pub mod sigv4;
mod table;
mod transaction;
mod transport;
mod typed;

pub use batch_write::BatchWriter;
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
    DynamoItem, ExprError, FromAttribute, GlobalIndex, IntegerAttribute, InvalidValue, ItemKey,
    KeyAttribute, KeyCondition, KeyError, KeySchema, KeyType, KeyedItem, LocalIndex, NameError,
    NoRange, Number, NumberError, NumberErrorKind, Projection, ScalarType, SecondaryIndex,
    SetMember, Throughput, ToAttribute, TtlAttribute, Update,
};
pub use dynamo_derive::{DynamoItem, DynamoValue};
// Single-table design: composed keys and several entity types in one table.
#[doc(hidden)]
pub use dynamo_core::push_part;
pub use dynamo_core::{
    DynamoEntity, Entity, EntityLayout, KeyText, LayoutMismatch, TemplatePart, ENTITY_ATTRIBUTE,
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
pub use table::{Overwrite, ReadOptions, Table, TableMeta};
pub use transaction::{CancelReason, Transaction};
pub use typed::{
    BatchGetOrError, TypedBatchGet, TypedBatchWriter, TypedIndexQuery, TypedItems, TypedQuery,
    TypedScan, TypedTable, TypedUpdate,
};

/// This crate's README example, compiled as a doctest so it stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;
