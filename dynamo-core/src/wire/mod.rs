//! DynamoDB's JSON protocol (API version 2012-08-10) as plain data.
//!
//! One request and one response struct per operation, named and shaped
//! exactly as the wire is (`PascalCase` fields, absent fields omitted). No I/O
//! happens here: a transport serializes an [`Operation`], sends it with
//! `X-Amz-Target: DynamoDB_20120810.<NAME>` and deserializes its `Output`.
//!
//! ```
//! use dynamo_core::wire::{GetItemInput, Operation};
//! use dynamo_core::key;
//! let req = GetItemInput::new("users", key! { "username" => "johndoe" });
//! assert_eq!(GetItemInput::NAME, "GetItem");
//! assert_eq!(
//!     serde_json::to_string(&req)?,
//!     r#"{"TableName":"users","Key":{"username":{"S":"johndoe"}}}"#
//! );
//! # Ok::<(), serde_json::Error>(())
//! ```

mod batch;
mod common;
mod error_body;
mod items;
mod partiql;
mod read;
mod schema_wire;
mod streams;
mod tables;
mod transact;
mod validate;

pub use batch::*;
pub use common::*;
pub use error_body::*;
pub use items::*;
pub use partiql::*;
pub use read::*;
pub use schema_wire::*;
pub use streams::*;
pub use tables::*;
pub use transact::*;
pub use validate::{
    validate_item, RequestError, MAX_ITEM_BYTES, MAX_KEY_NAME_BYTES, MAX_TRANSACT_BYTES,
    MAX_TRANSACT_ITEMS,
};

use serde::de::DeserializeOwned;
use serde::Serialize;

/// A DynamoDB operation: its request body is `Self`, its answer `Output`.
pub trait Operation: Serialize {
    /// The operation name, as in `X-Amz-Target: DynamoDB_20120810.<NAME>`.
    const NAME: &'static str;
    /// The API the operation belongs to, the part of `X-Amz-Target` before
    /// the dot: `DynamoDB_20120810`, or [`STREAMS_TARGET_PREFIX`] for the
    /// Streams operations (which go to the streams endpoint).
    const TARGET_PREFIX: &'static str = "DynamoDB_20120810";
    /// The response body.
    type Output: DeserializeOwned;

    /// Checks what DynamoDB would refuse without a round trip: table and
    /// index names, batch and transaction sizes, the 400 KB item limit, set
    /// rules, key attribute names.
    fn validate(&self) -> Result<(), RequestError>;
}

/// `Name: NameInput => NameOutput`: the operation's name on the wire and its
/// request and response types (named as in the AWS API model).
macro_rules! operation {
    ($($name:ident: $req:ident => $out:ident),* $(,)?) => {
        operation!(@prefix "DynamoDB_20120810"; $($name: $req => $out),*);
    };
    (@prefix $prefix:expr; $($name:ident: $req:ident => $out:ident),*) => {$(
        impl Operation for $req {
            const NAME: &'static str = stringify!($name);
            const TARGET_PREFIX: &'static str = $prefix;
            type Output = $out;

            fn validate(&self) -> Result<(), RequestError> {
                validate::Check::check(self)
            }
        }
    )*};
}

operation! {
    CreateTable: CreateTableInput => CreateTableOutput,
    DescribeTable: DescribeTableInput => DescribeTableOutput,
    UpdateTable: UpdateTableInput => UpdateTableOutput,
    DeleteTable: DeleteTableInput => DeleteTableOutput,
    ListTables: ListTablesInput => ListTablesOutput,
    DescribeTimeToLive: DescribeTimeToLiveInput => DescribeTimeToLiveOutput,
    UpdateTimeToLive: UpdateTimeToLiveInput => UpdateTimeToLiveOutput,
    PutItem: PutItemInput => PutItemOutput,
    GetItem: GetItemInput => GetItemOutput,
    UpdateItem: UpdateItemInput => UpdateItemOutput,
    DeleteItem: DeleteItemInput => DeleteItemOutput,
    BatchWriteItem: BatchWriteItemInput => BatchWriteItemOutput,
    BatchGetItem: BatchGetItemInput => BatchGetItemOutput,
    Query: QueryInput => QueryOutput,
    Scan: ScanInput => ScanOutput,
    TransactWriteItems: TransactWriteItemsInput => TransactWriteItemsOutput,
    TransactGetItems: TransactGetItemsInput => TransactGetItemsOutput,
    ExecuteStatement: ExecuteStatementInput => ExecuteStatementOutput,
    BatchExecuteStatement: BatchExecuteStatementInput => BatchExecuteStatementOutput,
    ExecuteTransaction: ExecuteTransactionInput => ExecuteTransactionOutput,
}

operation!(@prefix STREAMS_TARGET_PREFIX;
    ListStreams: ListStreamsInput => ListStreamsOutput,
    DescribeStream: DescribeStreamInput => DescribeStreamOutput,
    GetShardIterator: GetShardIteratorInput => GetShardIteratorOutput,
    GetRecords: GetRecordsInput => GetRecordsOutput
);
