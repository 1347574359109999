//! The value model shared by every dynamo-rs crate.
//!
//! - [`AttributeValue`]: one DynamoDB value of any type, whose serde form is
//!   DynamoDB's JSON wire shape.
//! - [`Number`]: DynamoDB's exact decimal, with checked conversions.
//! - [`Attributes`]: an item, a key or a nested map; written literally with
//!   [`item!`] and [`key!`].
//! - [`ToAttribute`] / [`FromAttribute`]: conversions for Rust types.
//! - [`KeySchema`], [`LocalIndex`], [`GlobalIndex`], [`Capacity`]: what a table
//!   is made of.
//!
//! ```
//! use dynamo_core::{item, AttributeValue};
//! let john = item! { "username" => "johndoe", "age" => 31 };
//! assert_eq!(
//!     serde_json::to_string(&john)?,
//!     r#"{"age":{"N":"31"},"username":{"S":"johndoe"}}"#
//! );
//! # Ok::<(), serde_json::Error>(())
//! ```

#![warn(missing_docs)]

mod attributes;
mod convert;
mod convert_error;
mod entity;
pub mod expr;
mod index_partition;
mod item_traits;
mod key_template;
mod key_type;
mod number;
mod schema;
mod value;
mod value_serde;
pub mod wire;

pub use attributes::Attributes;
pub use convert::{time, FromAttribute, SetMember, ToAttribute};
pub use convert_error::{ConvertError, ConvertErrorKind, KeyTemplateMismatch};
pub use entity::{
    shared_layout, DynamoEntity, Entity, EntityLayout, LayoutMismatch, ENTITY_ATTRIBUTE,
};
pub use expr::{attr, Condition, ExprError, KeyCondition, Update};
pub use index_partition::IndexPartition;
pub use item_traits::{DynamoItem, ItemKey, KeyedItem, NoRange};
#[doc(hidden)]
pub use key_template::{push_part, KeyReader};
pub use key_template::{FromTemplatePart, KeyText, TemplatePart};
pub use key_type::{IntegerAttribute, KeyType, TtlAttribute};
pub use number::{Number, NumberError, NumberErrorKind};
pub use schema::{
    validate_index_name, validate_table_name, Capacity, GlobalIndex, KeyAttribute, KeyError,
    KeySchema, LocalIndex, NameError, Projection, ScalarType, SecondaryIndex, Throughput,
    MAX_INDEX_KEY_ATTRIBUTES,
};
pub use value::{AttributeType, AttributeValue, InvalidValue, MAX_NESTING_DEPTH};
