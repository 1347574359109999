//! The value model shared by every dynamo-rs crate.
