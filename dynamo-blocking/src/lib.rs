//! A blocking, synchronous Amazon DynamoDB client.
//!
//! No async runtime: every call blocks the calling thread until DynamoDB answers.

pub mod config;
mod credentials;
pub mod sigv4;

pub use credentials::Credentials;
pub use dynamo_core::*;
pub use dynamo_derive::{DynamoItem, DynamoValue};
