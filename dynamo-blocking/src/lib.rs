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
//!     john.set("first_name", "Johann");
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
mod paging;
mod read;
mod response;
mod retry;
pub mod sigv4;
mod table;
mod transport;
mod typed;

pub use batch_write::BatchWriter;
pub use client::{Client, ClientBuilder};
pub use credentials::Credentials;
pub use dynamo_core::*;
pub use dynamo_derive::{DynamoItem, DynamoValue};
pub use error::{
    Error, ResponseError, ResponseErrorKind, Result, ServiceError, ServiceErrorKind,
    TransportError, TransportErrorKind, MAX_ITEM_SIZE,
};
pub use item::{Changes, Item};
pub use operations::TableNames;
pub use read::{BatchGet, BatchGetItems, Items, ParallelItems, ParallelScan, Query, Scan};
pub use retry::RetryPolicy;
pub use table::{Overwrite, ReadOptions, Table, TableMeta};
pub use typed::{
    BatchGetOrError, TypedBatchGet, TypedBatchWriter, TypedIndexQuery, TypedItems, TypedQuery,
    TypedScan, TypedTable,
};

/// The README's Rust examples, compiled as doctests so they stay true (one
/// of them uses the launcher, hence the feature).
#[cfg(all(doctest, feature = "local"))]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;
