//! Conversions between Rust values and [`AttributeValue`]s.
//!
//! [`ToAttribute`] encodes, [`FromAttribute`] decodes. Both are implemented for
//! the usual Rust types, and `#[derive(DynamoItem)]` implements them for
//! structs. Conversions are checked: a number that does not fit, an empty set
//! or a wrong type is a [`ConvertError`], never a wrap or a silent default.

mod collections;
mod scalars;
mod sets;
pub mod time;

pub use sets::SetMember;

use crate::{AttributeValue, ConvertError};

/// Encodes a Rust value as an attribute value.
///
/// ```
/// use dynamo_core::{AttributeValue, ToAttribute};
/// assert_eq!(7u8.to_attribute()?, AttributeValue::from(7));
/// assert_eq!(vec![1u8, 2].to_attribute()?, AttributeValue::B(vec![1, 2]));
/// assert!(None::<u8>.is_absent());
/// # Ok::<(), dynamo_core::ConvertError>(())
/// ```
pub trait ToAttribute {
    /// The attribute value. Fails for values DynamoDB cannot hold
    /// (NaN, an empty set, a number beyond 38 digits...).
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError>;

    /// Whether, as a top-level attribute, this value is left out of the item
    /// rather than stored (`None`, an empty set). Inside a list `None` is
    /// stored as `NULL`.
    fn is_absent(&self) -> bool {
        false
    }

    /// Encodes a slice of these; `Vec<u8>` and `[u8]` override it to make
    /// binary (`B`) rather than a list of numbers.
    #[doc(hidden)]
    fn slice_to_attribute(items: &[Self]) -> Result<AttributeValue, ConvertError>
    where
        Self: Sized,
    {
        items
            .iter()
            .enumerate()
            .map(|(i, v)| v.to_attribute().map_err(|e| e.in_index(i)))
            .collect::<Result<Vec<_>, _>>()
            .map(AttributeValue::L)
    }
}

/// Decodes a Rust value from an attribute value.
///
/// ```
/// use dynamo_core::{AttributeValue, FromAttribute, Number};
/// let n = AttributeValue::N(Number::parse("300")?);
/// assert_eq!(u16::from_attribute(n.clone())?, 300);
/// assert!(u8::from_attribute(n).is_err()); // out of range, not wrapped
/// assert_eq!(Option::<u8>::from_missing()?, None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait FromAttribute: Sized {
    /// Decodes `value`, or says what was expected and found.
    fn from_attribute(value: AttributeValue) -> Result<Self, ConvertError>;

    /// The value of an absent attribute: an error for most types, `None`
    /// for `Option`, an empty set for sets.
    fn from_missing() -> Result<Self, ConvertError> {
        Err(ConvertError::missing())
    }

    /// Decodes a list of these; `u8` overrides it to read binary (`B`).
    #[doc(hidden)]
    fn vec_from_attribute(value: AttributeValue) -> Result<Vec<Self>, ConvertError> {
        match value {
            AttributeValue::L(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| Self::from_attribute(v).map_err(|e| e.in_index(i)))
                .collect(),
            other => Err(ConvertError::type_mismatch("L", other.attribute_type())),
        }
    }
}

impl<T: ToAttribute + ?Sized> ToAttribute for &T {
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
        (**self).to_attribute()
    }
    fn is_absent(&self) -> bool {
        (**self).is_absent()
    }
}

impl<T: ToAttribute + ?Sized> ToAttribute for Box<T> {
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
        (**self).to_attribute()
    }
    fn is_absent(&self) -> bool {
        (**self).is_absent()
    }
}

impl<T: FromAttribute> FromAttribute for Box<T> {
    fn from_attribute(value: AttributeValue) -> Result<Self, ConvertError> {
        T::from_attribute(value).map(Box::new)
    }
    fn from_missing() -> Result<Self, ConvertError> {
        T::from_missing().map(Box::new)
    }
}

impl<T: ToAttribute> ToAttribute for Option<T> {
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
        match self {
            Some(v) => v.to_attribute(),
            None => Ok(AttributeValue::Null),
        }
    }
    fn is_absent(&self) -> bool {
        match self {
            Some(v) => v.is_absent(),
            None => true,
        }
    }
}

impl<T: FromAttribute> FromAttribute for Option<T> {
    fn from_attribute(value: AttributeValue) -> Result<Self, ConvertError> {
        match value {
            AttributeValue::Null => Ok(None),
            other => T::from_attribute(other).map(Some),
        }
    }
    fn from_missing() -> Result<Self, ConvertError> {
        Ok(None)
    }
}

impl ToAttribute for AttributeValue {
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
        Ok(self.clone())
    }
}

impl FromAttribute for AttributeValue {
    fn from_attribute(value: AttributeValue) -> Result<Self, ConvertError> {
        Ok(value)
    }
}
