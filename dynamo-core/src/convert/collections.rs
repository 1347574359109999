//! Lists (`Vec`, slices, arrays) and maps (`HashMap`, `BTreeMap`).

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use crate::{AttributeValue, Attributes, ConvertError, FromAttribute, ToAttribute};

impl<T: ToAttribute> ToAttribute for [T] {
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
        T::slice_to_attribute(self)
    }
}

impl<T: ToAttribute, const N: usize> ToAttribute for [T; N] {
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
        T::slice_to_attribute(self)
    }
}

impl<T: ToAttribute> ToAttribute for Vec<T> {
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
        T::slice_to_attribute(self)
    }
}

impl<T: FromAttribute> FromAttribute for Vec<T> {
    fn from_attribute(value: AttributeValue) -> Result<Self, ConvertError> {
        T::vec_from_attribute(value)
    }
}

fn encode_map<'a, T: ToAttribute + 'a>(
    entries: impl Iterator<Item = (&'a String, &'a T)>,
) -> Result<AttributeValue, ConvertError> {
    let mut out = Attributes::new();
    for (k, v) in entries {
        let value = v.to_attribute().map_err(|e| e.in_field(k))?;
        out.insert(k.clone(), value);
    }
    Ok(AttributeValue::M(out))
}

fn decode_map<T: FromAttribute, C: FromIterator<(String, T)>>(
    value: AttributeValue,
) -> Result<C, ConvertError> {
    match value {
        AttributeValue::M(map) => map
            .into_iter()
            .map(|(k, v)| match T::from_attribute(v) {
                Ok(v) => Ok((k, v)),
                Err(e) => Err(e.in_field(&k)),
            })
            .collect(),
        other => Err(ConvertError::type_mismatch("M", other.attribute_type())),
    }
}

impl<T: ToAttribute, S: BuildHasher> ToAttribute for HashMap<String, T, S> {
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
        encode_map(self.iter())
    }
}

impl<T: FromAttribute, S: BuildHasher + Default> FromAttribute for HashMap<String, T, S> {
    fn from_attribute(value: AttributeValue) -> Result<Self, ConvertError> {
        decode_map(value)
    }
}

impl<T: ToAttribute> ToAttribute for BTreeMap<String, T> {
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
        encode_map(self.iter())
    }
}

impl<T: FromAttribute> FromAttribute for BTreeMap<String, T> {
    fn from_attribute(value: AttributeValue) -> Result<Self, ConvertError> {
        decode_map(value)
    }
}

impl ToAttribute for Attributes {
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
        Ok(AttributeValue::M(self.clone()))
    }
}

impl FromAttribute for Attributes {
    fn from_attribute(value: AttributeValue) -> Result<Self, ConvertError> {
        match value {
            AttributeValue::M(map) => Ok(map),
            other => Err(ConvertError::type_mismatch("M", other.attribute_type())),
        }
    }
}
