//! `#[derive(DynamoItem)]` and `#[derive(DynamoValue)]` for dynamo-rs.
//!
//! Use them through `dynamo_blocking`, which re-exports both derives and
//! everything the generated code refers to.
//!
//! Attribute parsing lives in `attrs`, the checked intermediate model in
//! `model`, code generation in `codegen`.
//!
//! # `#[derive(DynamoItem)]`
//!
//! On a struct with named fields. Each field is stored as one attribute,
//! converted with `ToAttribute` / `FromAttribute`.
//!
//! ```
//! use dynamo_blocking::{DynamoItem, DynamoValue, KeyedItem, ItemKey};
//!
//! #[derive(DynamoValue, Clone, Copy, Debug, PartialEq)]
//! #[dynamo(rename_all = "snake_case")]
//! enum AccountType { StandardUser, Admin }
//!
//! #[derive(DynamoItem, Debug, PartialEq)]
//! #[dynamo(table = "users")]
//! #[dynamo(local_index(name = "DateJoinedIndex", range = "date_joined", projection = "all"))]
//! #[dynamo(global_index(name = "EmailIndex", hash = "email", projection = "keys_only"))]
//! struct User {
//!     #[dynamo(hash_key)]
//!     account_type: AccountType,
//!     #[dynamo(range_key)]
//!     last_name: String,
//!     date_joined: i64,
//!     #[dynamo(rename = "mail")]
//!     email: Option<String>,
//!     #[dynamo(version)]
//!     version: u64,
//! }
//!
//! let user = User {
//!     account_type: AccountType::StandardUser,
//!     last_name: "Doe".into(),
//!     date_joined: 1_700_000_000,
//!     email: None,
//!     version: 1,
//! };
//! let item = user.to_item()?;
//! assert_eq!(item["account_type"].as_s(), Some("standard_user"));
//! assert!(!item.contains("mail")); // None is left out
//! assert_eq!(User::from_item(item)?, user);
//!
//! assert_eq!(User::TABLE_NAME, Some("users"));
//! assert_eq!(user.key().to_key()?.len(), 2);
//! assert_eq!(User::fields().email.name(), "mail");
//! # Ok::<(), dynamo_blocking::ConvertError>(())
//! ```
//!
//! ## Struct options: `#[dynamo(...)]` on the struct (may be repeated)
//!
//! | Option | Meaning |
//! |---|---|
//! | `table = "users"` | `KeyedItem::TABLE_NAME` (checked against DynamoDB's naming rule). |
//! | `rename_all = "camelCase"` | Renames every field: `lowercase`, `UPPERCASE`, `PascalCase`, `camelCase`, `snake_case`, `SCREAMING_SNAKE_CASE`, `kebab-case`, `SCREAMING-KEBAB-CASE` (serde's names and rules). |
//! | `local_index(name = "...", range = "field", projection = ...)` | A local secondary index: the table's hash key and `range`. The table must have a range key. |
//! | `global_index(name = "...", hash = "field", range = "field", projection = ...)` | A global secondary index; `range` is optional. |
//! | `crate = "dynamo_core"` | The path the generated code uses instead of `::dynamo_blocking`. |
//! | `hash = "pk"`, `range = "sk"` | Key attributes composed by key templates (single-table design), instead of `hash_key` / `range_key` fields. |
//! | `key(hash = "USER#{user_id}", range = "ORDER#{placed_at}#{order_id}")` | Their templates: `{field}` names a Rust field, which must implement `TemplatePart`. Generates `<Name>Hash` (the hash key of typed queries, `From` the field or a tuple of the fields), and `range_key(...)`, `range_prefix()`, `range_prefix_<field>(...)` building range values (`KeyText`). |
//! | `entity = "order"` | Writes `entity = "order"` on every item (`Entity`); `#[derive(DynamoEntity)]` reads mixed items into an enum by it. |
//!
//! A `global_index` key may have several attributes (a multi-attribute key,
//! up to four each): `hash = ["tournament", "region"], range = ["round", "bracket"]`;
//! query it with `TypedTable::query_index_keys`.
//!
//! `hash`, `range` and `include` name **Rust fields** (as written in the
//! struct); the index uses their stored names, after `rename` / `rename_all`.
//! An index key field may be an `Option` (a sparse index: items without the
//! attribute are not in the index). A key's scalar type (S, N, B) comes from
//! the field's Rust type through `KeyType`.
//!
//! `projection` is one of `projection = "all"` (the default when omitted),
//! `projection = "keys_only"` or `projection = include("field", "other")`.
//!
//! ## Field options: `#[dynamo(...)]` on a field
//!
//! | Option | Meaning |
//! |---|---|
//! | `hash_key` | The table's hash (partition) key. One per struct. |
//! | `range_key` | The table's range (sort) key. At most one; needs a `hash_key`. |
//! | `rename = "mail"` | The attribute name (overrides `rename_all`). |
//! | `skip` | Not stored; set to `Default::default()` (or the `default` function) when decoding. Cannot be a key, `version`, `ttl`, or named by an index. |
//! | `default` | A missing attribute decodes as `Default::default()` instead of being an error. |
//! | `default = "path::to::function"` | The same with a function returning the value. |
//! | `with = "path::to::module"` | Convert with `module::to_attribute(&T) -> Result<AttributeValue, ConvertError>` and `module::from_attribute(AttributeValue) -> Result<T, ConvertError>`. The value is always stored; a missing attribute is an error unless `default` is given. Not on key fields. |
//! | `version` | The optimistic-locking number: `KeyedItem::VERSION_ATTRIBUTE` and `set_version`. An integer type, `Number`, or an `Option` of one. |
//! | `ttl` | The expiry time in epoch seconds: `KeyedItem::TTL_ATTRIBUTE`. An integer type or an `Option` of one (any type with `with`). |
//!
//! `table`, `range_key`, indexes, `version` and `ttl` need a `hash_key`. A
//! struct with none of these is a plain item that can nest inside another
//! (as an `M`).
//!
//! ## What is generated for `struct User`
//!
//! - `impl DynamoItem for User`: `to_item` leaves out absent values (`None`,
//!   empty sets); `from_item` ignores attributes it does not know; errors
//!   name the struct and the attribute. `attribute_names()` lists the stored
//!   names in field order.
//! - `impl ToAttribute for User` and `impl FromAttribute for User`, as an `M`.
//! - `struct UserFields` (one `expr::Field<T>` per stored field, named like
//!   the Rust field) and `User::fields()`.
//! - With a `hash_key`: `struct UserKey` (the key fields, same names and
//!   types, same visibility as the struct; `Debug`, `Clone`, `PartialEq`, so
//!   key field types need those traits), `impl ItemKey for UserKey` and
//!   `impl KeyedItem for User`.
//!
//! Generic structs are not supported.
//!
//! # `#[derive(DynamoValue)]`
//!
//! On an enum of unit variants: stored as a string (`S`) of the variant name,
//! renamed with `#[dynamo(rename_all = "...")]` on the enum or
//! `#[dynamo(rename = "...")]` on a variant (`crate = "..."` works as above).
//! Generates `ToAttribute`, `FromAttribute` and `KeyType` (so the enum can be
//! a key). An unknown string is an error naming the enum and the value.
//!
#![warn(missing_docs)]

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

mod attrs;
mod case;
mod codegen;
mod codegen_template;
mod entity;
mod errors;
mod model;
mod template;
mod types;

/// Stores a struct as a DynamoDB item; see the [crate documentation](crate).
#[proc_macro_derive(DynamoItem, attributes(dynamo))]
pub fn derive_dynamo_item(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    model::Item::from_input(&input)
        .map(|item| codegen::item(&item))
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Stores an enum of unit variants as a string; see the
/// [crate documentation](crate).
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
