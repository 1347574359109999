//! Condition, key-condition, projection and update expressions, rendered to
//! DynamoDB's expression strings with placeholders.
//!
//! - [`attr`] / [`Path`] / [`Field`]: the attributes expressions talk about.
//! - [`Condition`]: filters and write conditions (`=`, `BETWEEN`, `IN`,
//!   `begins_with`, `attribute_exists`..., combined with `AND` / `OR` / `NOT`).
//! - [`KeyCondition`]: a Query's key condition, checked against a
//!   [`KeySchema`](crate::KeySchema).
//! - [`Update`]: `SET` / `REMOVE` / `ADD` / `DELETE` update expressions.
//! - [`projection`]: which attributes to read.
//! - [`Placeholders`]: the `#n` / `:v` maps shared by the expressions of one
//!   request; every name and value goes through one.
//! - [`apply_to_query`] and friends: fill a request's expression fields.
//!
//! ```
//! use dynamo_core::expr::{attr, projection, KeyCondition, Placeholders};
//! let mut ph = Placeholders::new();
//! let key = KeyCondition::hash_eq("account_type", "standard_user")
//!     .range_begins_with("last_name", "D");
//! let filter = attr("date").gt(1_700_000_000).and(attr("status").ne("banned"));
//! assert_eq!(key.render(&mut ph)?, "#n0 = :v0 AND begins_with(#n1, :v1)");
//! assert_eq!(filter.render(&mut ph)?, "#n2 > :v2 AND #n3 <> :v3");
//! assert_eq!(projection(&["last_name", "date"], &mut ph), "#n1, #n2");
//! let (names, values) = ph.into_parts();
//! assert_eq!(names.unwrap().len(), 4);
//! assert_eq!(values.unwrap().len(), 4);
//! # Ok::<(), dynamo_core::expr::ExprError>(())
//! ```

#[macro_use]
mod methods;

mod apply;
mod condition;
mod error;
mod field;
mod key_condition;
mod multi_key;
mod operand;
mod path;
mod placeholders;
mod projection;
mod update;

pub use apply::{
    apply_multi_key_to_query, apply_to_delete_item, apply_to_get_item, apply_to_put_item,
    apply_to_query, apply_to_scan, apply_to_update_item,
};
pub use condition::Condition;
pub use error::{ExprError, MAX_IN_VALUES};
pub use field::{
    Field, FieldValue, HasMembers, HasPrefix, ListElements, ListField, MembersTarget, SetField,
    SetMembers, UpdateTarget,
};
pub use key_condition::{KeyCondition, RangeCondition};
pub use multi_key::MultiKeyCondition;
pub use operand::Size;
pub use path::{attr, Path};
pub use placeholders::Placeholders;
pub use projection::projection;
pub use update::Update;
