//! A blocking, synchronous Amazon DynamoDB client.
//!
//! No async runtime: every call blocks the calling thread until DynamoDB answers.

mod batch_write;
mod client;
pub mod config;
mod credentials;
mod error;
mod item;
#[cfg(feature = "local")]
pub mod local;
mod operations;
mod read;
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
