//! `#[derive(DynamoItem)]` and `#[derive(DynamoValue)]` for dynamo-rs.
//!
//! Use them through `dynamo_blocking`, which re-exports both derives and
//! everything the generated code refers to.
//!
//! The reference below is also the documentation of each derive, so it
//! shows on `dynamo_blocking::DynamoItem` and `dynamo_blocking::DynamoValue`
//! too (it is kept in `doc/*.md` beside this crate's sources).
//!
//! Attribute parsing lives in `attrs`, the checked intermediate model in
//! `model`, code generation in `codegen`.
//!
//! # `#[derive(DynamoItem)]`
//!
#![doc = include_str!("../doc/dynamo_item.md")]
//!
//! # `#[derive(DynamoValue)]`
//!
#![doc = include_str!("../doc/dynamo_value.md")]
#![warn(missing_docs)]

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

mod attrs;
mod case;
mod codegen;
mod errors;
mod model;
mod types;

/// Stores a struct as a DynamoDB item.
///
#[doc = include_str!("../doc/dynamo_item.md")]
#[proc_macro_derive(DynamoItem, attributes(dynamo))]
pub fn derive_dynamo_item(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    model::Item::from_input(&input)
        .map(|item| codegen::item(&item))
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Stores an enum of unit variants as a string.
///
#[doc = include_str!("../doc/dynamo_value.md")]
#[proc_macro_derive(DynamoValue, attributes(dynamo))]
pub fn derive_dynamo_value(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    model::ValueEnum::from_input(&input)
        .map(|value| codegen::value_enum(&value))
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
