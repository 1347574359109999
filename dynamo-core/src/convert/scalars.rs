//! Strings, booleans, numbers and bytes.

use crate::{AttributeValue, ConvertError, FromAttribute, Number, ToAttribute};

impl ToAttribute for str {
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
        Ok(AttributeValue::S(self.to_owned()))
    }
}

impl ToAttribute for String {
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
        Ok(AttributeValue::S(self.clone()))
    }
}

impl FromAttribute for String {
    fn from_attribute(value: AttributeValue) -> Result<Self, ConvertError> {
        match value {
            AttributeValue::S(s) => Ok(s),
            other => Err(ConvertError::type_mismatch("S", other.attribute_type())),
        }
    }
}

impl ToAttribute for bool {
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
        Ok(AttributeValue::Bool(*self))
    }
}

impl FromAttribute for bool {
    fn from_attribute(value: AttributeValue) -> Result<Self, ConvertError> {
        match value {
            AttributeValue::Bool(b) => Ok(b),
            other => Err(ConvertError::type_mismatch("BOOL", other.attribute_type())),
        }
    }
}

impl ToAttribute for Number {
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
        Ok(AttributeValue::N(self.clone()))
    }
}

impl FromAttribute for Number {
    fn from_attribute(value: AttributeValue) -> Result<Self, ConvertError> {
        match value {
            AttributeValue::N(n) => Ok(n),
            other => Err(ConvertError::type_mismatch("N", other.attribute_type())),
        }
    }
}

/// Decodes the number inside an `N`, then converts it with `convert`.
pub(crate) fn decode_number<T>(
    value: AttributeValue,
    convert: impl FnOnce(&Number) -> Result<T, crate::NumberError>,
) -> Result<T, ConvertError> {
    match value {
        AttributeValue::N(n) => convert(&n).map_err(ConvertError::from),
        other => Err(ConvertError::type_mismatch("N", other.attribute_type())),
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl ToAttribute for $t {
            fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
                Ok(AttributeValue::N(Number::from(*self)))
            }
        }

        impl FromAttribute for $t {
            fn from_attribute(value: AttributeValue) -> Result<Self, ConvertError> {
                decode_number(value, |n| <$t>::try_from(n))
            }
        }
    )*};
}

integers!(i8, i16, i32, i64, isize, u16, u32, u64, usize);

macro_rules! fallible_numbers {
    ($($t:ty),*) => {$(
        impl ToAttribute for $t {
            fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
                Ok(AttributeValue::N(Number::try_from(*self)?))
            }
        }

        impl FromAttribute for $t {
            fn from_attribute(value: AttributeValue) -> Result<Self, ConvertError> {
                decode_number(value, |n| <$t>::try_from(n))
            }
        }
    )*};
}

fallible_numbers!(i128, u128, f32, f64);

// u8 is a number on its own, but a run of them is binary data (`B`).
impl ToAttribute for u8 {
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
        Ok(AttributeValue::N(Number::from(*self)))
    }
    fn slice_to_attribute(items: &[Self]) -> Result<AttributeValue, ConvertError> {
        Ok(AttributeValue::B(items.to_vec()))
    }
}

impl FromAttribute for u8 {
    fn from_attribute(value: AttributeValue) -> Result<Self, ConvertError> {
        decode_number(value, |n| u8::try_from(n))
    }
    fn vec_from_attribute(value: AttributeValue) -> Result<Vec<Self>, ConvertError> {
        match value {
            AttributeValue::B(b) => Ok(b),
            other => Err(ConvertError::type_mismatch("B", other.attribute_type())),
        }
    }
}

impl ToAttribute for char {
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
        Ok(AttributeValue::S(self.to_string()))
    }
}

impl FromAttribute for char {
    fn from_attribute(value: AttributeValue) -> Result<Self, ConvertError> {
        let s = String::from_attribute(value)?;
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Ok(c),
            _ => Err(ConvertError::other(format!(
                "expected a single character, found a string of {} characters",
                s.chars().count()
            ))),
        }
    }
}
