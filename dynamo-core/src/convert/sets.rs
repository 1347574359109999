//! Sets (`HashSet`, `BTreeSet`) of strings, numbers and byte vectors.
//!
//! DynamoDB sets are non-empty and hold no duplicates. An empty Rust set is
//! therefore "absent" (left out of the item, and decoded back from a missing
//! attribute), and encoding one on its own is an error.

use std::collections::{BTreeSet, HashSet};
use std::hash::{BuildHasher, Hash};

use crate::{
    AttributeType, AttributeValue, ConvertError, FromAttribute, InvalidValue, Number, ToAttribute,
};

/// A type that can be a member of a DynamoDB set: strings make `SS`, numbers
/// `NS`, byte vectors `BS`.
pub trait SetMember: Sized {
    /// The set type these members make: `SS`, `NS` or `BS`.
    const SET_TYPE: AttributeType;

    /// Builds the set value from its members (at least one, all distinct).
    #[doc(hidden)]
    fn make_set<'a>(
        members: impl Iterator<Item = &'a Self>,
    ) -> Result<AttributeValue, ConvertError>
    where
        Self: 'a;

    /// Reads the members out of a set value.
    #[doc(hidden)]
    fn members(value: AttributeValue) -> Result<Vec<Self>, ConvertError>;
}

impl SetMember for String {
    const SET_TYPE: AttributeType = AttributeType::Ss;
    fn make_set<'a>(
        members: impl Iterator<Item = &'a Self>,
    ) -> Result<AttributeValue, ConvertError> {
        Ok(AttributeValue::Ss(members.cloned().collect()))
    }
    fn members(value: AttributeValue) -> Result<Vec<Self>, ConvertError> {
        match value {
            AttributeValue::Ss(v) => Ok(v),
            other => Err(ConvertError::type_mismatch("SS", other.attribute_type())),
        }
    }
}

impl SetMember for Vec<u8> {
    const SET_TYPE: AttributeType = AttributeType::Bs;
    fn make_set<'a>(
        members: impl Iterator<Item = &'a Self>,
    ) -> Result<AttributeValue, ConvertError> {
        Ok(AttributeValue::Bs(members.cloned().collect()))
    }
    fn members(value: AttributeValue) -> Result<Vec<Self>, ConvertError> {
        match value {
            AttributeValue::Bs(v) => Ok(v),
            other => Err(ConvertError::type_mismatch("BS", other.attribute_type())),
        }
    }
}

fn number_members(value: AttributeValue) -> Result<Vec<Number>, ConvertError> {
    match value {
        AttributeValue::Ns(v) => Ok(v),
        other => Err(ConvertError::type_mismatch("NS", other.attribute_type())),
    }
}

impl SetMember for Number {
    const SET_TYPE: AttributeType = AttributeType::Ns;
    fn make_set<'a>(
        members: impl Iterator<Item = &'a Self>,
    ) -> Result<AttributeValue, ConvertError> {
        Ok(AttributeValue::Ns(members.cloned().collect()))
    }
    fn members(value: AttributeValue) -> Result<Vec<Self>, ConvertError> {
        number_members(value)
    }
}

macro_rules! number_set_members {
    ($($t:ty),*) => {$(
        impl SetMember for $t {
            const SET_TYPE: AttributeType = AttributeType::Ns;
            fn make_set<'a>(members: impl Iterator<Item = &'a Self>) -> Result<AttributeValue, ConvertError> {
                members
                    .map(|m| Number::try_from(*m).map_err(ConvertError::from))
                    .collect::<Result<Vec<_>, _>>()
                    .map(AttributeValue::Ns)
            }
            fn members(value: AttributeValue) -> Result<Vec<Self>, ConvertError> {
                number_members(value)?
                    .iter()
                    .map(|n| <$t>::try_from(n).map_err(ConvertError::from))
                    .collect()
            }
        }
    )*};
}

number_set_members!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

fn encode_set<'a, T: SetMember + 'a>(
    len: usize,
    members: impl Iterator<Item = &'a T>,
) -> Result<AttributeValue, ConvertError> {
    if len == 0 {
        return Err(InvalidValue::EmptySet(T::SET_TYPE).into());
    }
    T::make_set(members)
}

impl<T: SetMember + Ord> ToAttribute for BTreeSet<T> {
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
        encode_set(self.len(), self.iter())
    }
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}

impl<T: SetMember + Ord> FromAttribute for BTreeSet<T> {
    fn from_attribute(value: AttributeValue) -> Result<Self, ConvertError> {
        Ok(T::members(value)?.into_iter().collect())
    }
    fn from_missing() -> Result<Self, ConvertError> {
        Ok(BTreeSet::new())
    }
}

impl<T: SetMember + Eq + Hash, S: BuildHasher> ToAttribute for HashSet<T, S> {
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
        encode_set(self.len(), self.iter())
    }
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}

impl<T: SetMember + Eq + Hash, S: BuildHasher + Default> FromAttribute for HashSet<T, S> {
    fn from_attribute(value: AttributeValue) -> Result<Self, ConvertError> {
        Ok(T::members(value)?.into_iter().collect())
    }
    fn from_missing() -> Result<Self, ConvertError> {
        Ok(HashSet::default())
    }
}
