//! Compile-time facts about field types that `#[derive(DynamoItem)]` relies on.
//!
//! - [`KeyType`]: the types that can be key attributes, with their
//!   [`ScalarType`]. The derive reads a key field's scalar type from here, so
//!   a field that cannot be a key is a compile error on the field's type.
//! - [`IntegerAttribute`]: the types a `#[dynamo(version)]` field can have.
//! - [`TtlAttribute`]: the types a `#[dynamo(ttl)]` field can have, and how
//!   they become epoch seconds.
//!
//! Implement [`KeyType`] for your own newtypes to use them as keys:
//!
//! ```
//! use dynamo_core::{AttributeValue, ConvertError, FromAttribute, KeyType, ScalarType, ToAttribute};
//!
//! struct UserId(String);
//!
//! impl ToAttribute for UserId {
//!     fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
//!         self.0.to_attribute()
//!     }
//! }
//! impl FromAttribute for UserId {
//!     fn from_attribute(value: AttributeValue) -> Result<Self, ConvertError> {
//!         String::from_attribute(value).map(UserId)
//!     }
//! }
//! impl KeyType for UserId {
//!     const SCALAR: ScalarType = ScalarType::S;
//! }
//! assert_eq!(<UserId as KeyType>::SCALAR, ScalarType::S);
//! assert_eq!(<Vec<u8> as KeyType>::SCALAR, ScalarType::B);
//! ```

use chrono::{DateTime, Utc};

use crate::{AttributeValue, ConvertError, FromAttribute, Number, ScalarType, ToAttribute};

/// A Rust type that can be a key attribute (table or index key): strings,
/// numbers and binaries only.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a DynamoDB key attribute",
    label = "not a string, number or binary type",
    note = "a key attribute must be a string (`String`, `char`, `DateTime<Utc>`, a `#[derive(DynamoValue)]` enum), a number (integers, floats, `Number`) or binary (`Vec<u8>`)",
    note = "implement `KeyType` for your own newtypes to use them as keys"
)]
pub trait KeyType {
    /// The key attribute's type.
    const SCALAR: ScalarType;
}

macro_rules! key_types {
    ($scalar:ident: $($t:ty),*) => {$(
        impl KeyType for $t {
            const SCALAR: ScalarType = ScalarType::$scalar;
        }
    )*};
}

key_types!(S: String, str, char, DateTime<Utc>);
key_types!(N: i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64, Number);
key_types!(B: Vec<u8>, [u8]);

impl<T: KeyType + ?Sized> KeyType for &T {
    const SCALAR: ScalarType = T::SCALAR;
}

impl<T: KeyType + ?Sized> KeyType for Box<T> {
    const SCALAR: ScalarType = T::SCALAR;
}

/// A type stored as an integer number (`N`): what a `#[dynamo(version)]`
/// field can be. `Option` of one is allowed too (a missing version means
/// "never stored").
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an integer type",
    label = "`version` fields must be integers",
    note = "use an integer type (`u64`, `i64`...), `Number`, or an `Option` of one"
)]
pub trait IntegerAttribute: FromAttribute {}

macro_rules! integer_attributes {
    ($($t:ty),*) => {$(
        impl IntegerAttribute for $t {}
        impl TtlAttribute for $t {
            fn to_ttl(&self) -> Result<Option<AttributeValue>, ConvertError> {
                self.to_attribute().map(Some)
            }
            fn from_ttl(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
                value.map_or_else(Self::from_missing, Self::from_attribute)
            }
        }
    )*};
}

integer_attributes!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, Number);

impl<T: IntegerAttribute> IntegerAttribute for Option<T> {}

/// What a `#[dynamo(ttl)]` field can be: an integer of epoch seconds, a
/// `DateTime<Utc>`, or an `Option` of either (`None`: never expires).
/// DynamoDB's TTL reads epoch seconds, so a `DateTime<Utc>` is stored as
/// its whole seconds (a fraction of a second is dropped: TTL has second
/// precision).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use dynamo_core::{AttributeValue, TtlAttribute};
/// let t = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
/// assert_eq!(t.to_ttl()?, Some(AttributeValue::from(1_704_067_200)));
/// assert_eq!(None::<chrono::DateTime<Utc>>.to_ttl()?, None);
/// # Ok::<(), dynamo_core::ConvertError>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a TTL attribute",
    label = "`ttl` fields hold the expiry time",
    note = "use `DateTime<Utc>`, an integer of epoch seconds (`u64`, `i64`...), or an `Option` of one"
)]
pub trait TtlAttribute: Sized {
    /// The stored epoch seconds, or `None` to leave the attribute out.
    fn to_ttl(&self) -> Result<Option<AttributeValue>, ConvertError>;
    /// Reads the attribute (`None` when absent).
    fn from_ttl(value: Option<AttributeValue>) -> Result<Self, ConvertError>;
}

impl TtlAttribute for DateTime<Utc> {
    fn to_ttl(&self) -> Result<Option<AttributeValue>, ConvertError> {
        Ok(Some(AttributeValue::N(Number::from(self.timestamp()))))
    }
    fn from_ttl(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
        match value {
            Some(v) => crate::time::epoch_seconds::from_attribute(v),
            None => Err(ConvertError::missing()),
        }
    }
}

impl<T: TtlAttribute> TtlAttribute for Option<T> {
    fn to_ttl(&self) -> Result<Option<AttributeValue>, ConvertError> {
        match self {
            Some(v) => v.to_ttl(),
            None => Ok(None),
        }
    }
    fn from_ttl(value: Option<AttributeValue>) -> Result<Self, ConvertError> {
        match value {
            None | Some(AttributeValue::Null) => Ok(None),
            some => T::from_ttl(some).map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars() {
        assert_eq!(<String as KeyType>::SCALAR, ScalarType::S);
        assert_eq!(<&str as KeyType>::SCALAR, ScalarType::S);
        assert_eq!(<DateTime<Utc> as KeyType>::SCALAR, ScalarType::S);
        assert_eq!(<u128 as KeyType>::SCALAR, ScalarType::N);
        assert_eq!(<f32 as KeyType>::SCALAR, ScalarType::N);
        assert_eq!(<Number as KeyType>::SCALAR, ScalarType::N);
        assert_eq!(<Vec<u8> as KeyType>::SCALAR, ScalarType::B);
    }
}
