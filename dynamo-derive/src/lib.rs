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
mod codegen_index;
mod codegen_template;
mod entity;
mod errors;
mod model;
mod template;
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

/// Reads items of several entity types sharing one table into an enum, one
/// variant per type, chosen by the item's `entity` attribute.
///
/// Each variant holds one struct with `#[dynamo(entity = "...")]`. A variant
/// marked `#[dynamo(unknown)]` holding `Attributes` takes items of any
/// other entity; without one, such items are a `ConvertError`.
///
/// ```
/// use dynamo_blocking::{DynamoEntity, DynamoItem, Attributes};
///
/// #[derive(DynamoItem, Debug, PartialEq)]
/// #[dynamo(table = "shop", hash = "pk", range = "sk", entity = "customer")]
/// #[dynamo(key(hash = "CUSTOMER#{customer_id}", range = "PROFILE"))]
/// struct Customer { customer_id: String, name: String }
///
/// #[derive(DynamoItem, Debug, PartialEq)]
/// #[dynamo(table = "shop", hash = "pk", range = "sk", entity = "order")]
/// #[dynamo(key(hash = "CUSTOMER#{customer_id}", range = "ORDER#{order_id}"))]
/// struct Order { customer_id: String, order_id: u64 }
///
/// #[derive(DynamoEntity, Debug, PartialEq)]
/// enum ShopRow {
///     Customer(Customer),
///     Order(Order),
///     #[dynamo(unknown)]
///     Other(Attributes),
/// }
///
/// let order = Order { customer_id: "42".into(), order_id: 7 };
/// let item = order.to_item()?;
/// assert_eq!(item["pk"].as_s(), Some("CUSTOMER#42"));
/// assert_eq!(item["sk"].as_s(), Some("ORDER#00000000000000000007"));
/// assert_eq!(item["entity"].as_s(), Some("order"));
/// assert_eq!(ShopRow::from_item(item)?, ShopRow::Order(order));
/// # Ok::<(), dynamo_blocking::ConvertError>(())
/// ```
#[proc_macro_derive(DynamoEntity, attributes(dynamo))]
pub fn derive_dynamo_entity(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    entity::EntityEnum::from_input(&input)
        .map(|e| entity::codegen(&e))
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
