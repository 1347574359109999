//! The DynamoDB JSON wire form of [`AttributeValue`] and [`Attributes`].
//!
//! Hand-written rather than derived: the wire shape is a one-entry object whose
//! key is the type tag, numbers are strings, binaries are base64, and a decoder
//! must refuse anything else (two tags, an unknown tag, `NULL: false`) with an
//! error rather than guess.

use std::fmt;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::{AttributeType, AttributeValue, Attributes, Number};

struct Base64<'a>(&'a [u8]);

impl Serialize for Base64<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&BASE64.encode(self.0))
    }
}

struct Base64List<'a>(&'a [Vec<u8>]);

impl Serialize for Base64List<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for b in self.0 {
            seq.serialize_element(&Base64(b))?;
        }
        seq.end()
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Number::try_from(text).map_err(de::Error::custom)
    }
}

impl Serialize for AttributeValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        let tag = self.attribute_type().as_str();
        match self {
            AttributeValue::S(v) => map.serialize_entry(tag, v)?,
            AttributeValue::N(v) => map.serialize_entry(tag, v)?,
            AttributeValue::B(v) => map.serialize_entry(tag, &Base64(v))?,
            AttributeValue::Ss(v) => map.serialize_entry(tag, v)?,
            AttributeValue::Ns(v) => map.serialize_entry(tag, v)?,
            AttributeValue::Bs(v) => map.serialize_entry(tag, &Base64List(v))?,
            AttributeValue::Bool(v) => map.serialize_entry(tag, v)?,
            AttributeValue::Null => map.serialize_entry(tag, &true)?,
            AttributeValue::L(v) => map.serialize_entry(tag, v)?,
            AttributeValue::M(v) => map.serialize_entry(tag, v)?,
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for AttributeValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = AttributeValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a DynamoDB attribute value such as {\"S\":\"text\"}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AttributeValue, A::Error> {
        let tag: TypeTag = map
            .next_key()?
            .ok_or_else(|| de::Error::custom("an attribute value needs a type tag, found {}"))?;
        let value = match tag.0 {
            AttributeType::S => AttributeValue::S(map.next_value()?),
            AttributeType::N => AttributeValue::N(map.next_value()?),
            AttributeType::B => AttributeValue::B(map.next_value::<Base64Owned>()?.0),
            AttributeType::Ss => AttributeValue::Ss(map.next_value()?),
            AttributeType::Ns => AttributeValue::Ns(map.next_value()?),
            AttributeType::Bs => AttributeValue::Bs(
                map.next_value::<Vec<Base64Owned>>()?
                    .into_iter()
                    .map(|b| b.0)
                    .collect(),
            ),
            AttributeType::Bool => AttributeValue::Bool(map.next_value()?),
            AttributeType::Null => {
                if !map.next_value::<bool>()? {
                    return Err(de::Error::custom("NULL must be true"));
                }
                AttributeValue::Null
            }
            AttributeType::L => AttributeValue::L(map.next_value()?),
            AttributeType::M => AttributeValue::M(map.next_value()?),
        };
        if map.next_key::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::custom(
                "an attribute value must have exactly one type tag",
            ));
        }
        Ok(value)
    }
}

struct TypeTag(AttributeType);

impl<'de> Deserialize<'de> for TypeTag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TagVisitor;
        impl Visitor<'_> for TagVisitor {
            type Value = TypeTag;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("one of S, N, B, SS, NS, BS, BOOL, NULL, L, M")
            }
            fn visit_str<E: de::Error>(self, tag: &str) -> Result<TypeTag, E> {
                AttributeType::from_tag(tag)
                    .map(TypeTag)
                    .ok_or_else(|| E::custom(format_args!("unknown attribute type tag `{tag}`")))
            }
        }
        d.deserialize_str(TagVisitor)
    }
}

struct Base64Owned(Vec<u8>);

impl<'de> Deserialize<'de> for Base64Owned {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct B64Visitor;
        impl Visitor<'_> for B64Visitor {
            type Value = Base64Owned;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base64 string")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Base64Owned, E> {
                BASE64
                    .decode(text)
                    .map(Base64Owned)
                    .map_err(|e| E::custom(format_args!("invalid base64 in a binary value: {e}")))
            }
        }
        d.deserialize_str(B64Visitor)
    }
}

impl Serialize for Attributes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.len()))?;
        for (k, v) in self.iter() {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Attributes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MapVisitor;
        impl<'de> Visitor<'de> for MapVisitor {
            type Value = Attributes;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of attribute names to DynamoDB attribute values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Attributes, A::Error> {
                let mut out = Attributes::new();
                while let Some((k, v)) = map.next_entry::<String, AttributeValue>()? {
                    out.insert(k, v);
                }
                Ok(out)
            }
        }
        d.deserialize_map(MapVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::item;

    fn json(v: &AttributeValue) -> String {
        serde_json::to_string(v).unwrap()
    }

    fn parse(text: &str) -> Result<AttributeValue, serde_json::Error> {
        serde_json::from_str(text)
    }

    #[test]
    fn every_type_has_the_exact_wire_form() {
        let n = |s: &str| Number::parse(s).unwrap();
        let cases: Vec<(AttributeValue, &str)> = vec![
            (
                AttributeValue::S("hi \"you\"".into()),
                r#"{"S":"hi \"you\""}"#,
            ),
            (AttributeValue::N(n("12.5")), r#"{"N":"12.5"}"#),
            (AttributeValue::N(n("-1E-130")), r#"{"N":"-1E-130"}"#),
            (AttributeValue::B(b"hello".to_vec()), r#"{"B":"aGVsbG8="}"#),
            (AttributeValue::B(vec![]), r#"{"B":""}"#),
            (
                AttributeValue::Ss(vec!["a".into(), "b".into()]),
                r#"{"SS":["a","b"]}"#,
            ),
            (
                AttributeValue::Ns(vec![n("1"), n("2.5")]),
                r#"{"NS":["1","2.5"]}"#,
            ),
            (
                AttributeValue::Bs(vec![vec![0xff], vec![0, 1]]),
                r#"{"BS":["/w==","AAE="]}"#,
            ),
            (AttributeValue::Bool(true), r#"{"BOOL":true}"#),
            (AttributeValue::Bool(false), r#"{"BOOL":false}"#),
            (AttributeValue::Null, r#"{"NULL":true}"#),
            (AttributeValue::L(vec![]), r#"{"L":[]}"#),
            (
                AttributeValue::L(vec![AttributeValue::Null, AttributeValue::S("x".into())]),
                r#"{"L":[{"NULL":true},{"S":"x"}]}"#,
            ),
            (AttributeValue::M(Attributes::new()), r#"{"M":{}}"#),
            (
                AttributeValue::M(item! { "b" => 2, "a" => "x" }),
                r#"{"M":{"a":{"S":"x"},"b":{"N":"2"}}}"#,
            ),
        ];
        for (value, wire) in cases {
            assert_eq!(json(&value), wire);
            assert_eq!(parse(wire).unwrap(), value, "{wire}");
        }
    }

    #[test]
    fn numbers_keep_their_text_through_json() {
        let v = parse(r#"{"N":"0012.500"}"#).unwrap();
        assert_eq!(json(&v), r#"{"N":"0012.500"}"#);
    }

    #[test]
    fn malformed_values_are_errors() {
        for bad in [
            r#"{}"#,
            r#"{"S":"a","N":"1"}"#,
            r#"{"X":"a"}"#,
            r#"{"s":"a"}"#,
            r#"{"N":"abc"}"#,
            r#"{"N":"1e126"}"#,
            r#"{"N":12}"#,
            r#"{"B":"!!!"}"#,
            r#"{"NULL":false}"#,
            r#"{"BOOL":"true"}"#,
            r#"{"L":{}}"#,
            r#"{"M":[]}"#,
            r#"{"SS":"a"}"#,
            r#""S""#,
            r#"[]"#,
            r#"{"L":[{"S":1}]}"#,
        ] {
            assert!(parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let depth = 5000;
        let text = format!("{}{}", r#"{"L":["#.repeat(depth), "]}".repeat(depth));
        assert!(parse(&text).is_err());
    }

    #[test]
    fn attributes_serialize_as_a_plain_object() {
        let attrs = item! { "username" => "johndoe", "age" => 31 };
        assert_eq!(
            serde_json::to_string(&attrs).unwrap(),
            r#"{"age":{"N":"31"},"username":{"S":"johndoe"}}"#
        );
        let back: Attributes =
            serde_json::from_str(r#"{"age":{"N":"31"},"username":{"S":"johndoe"}}"#).unwrap();
        assert_eq!(back, attrs);
    }
}
