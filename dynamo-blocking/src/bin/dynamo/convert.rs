//! Items and values between JSON text and [`AttributeValue`]s, in the two
//! shapes the CLI speaks: plain JSON and DynamoDB JSON.
//!
//! Plain JSON → attribute values: strings → `S`, numbers → `N` (the exact
//! text, see [`crate::json`]), `true`/`false` → `BOOL`, `null` → `NULL`,
//! arrays → `L`, objects → `M`. Sets and binaries cannot be written in plain
//! JSON: use DynamoDB JSON for them.
//!
//! Attribute values → plain JSON: `S` → string, `N` → number (exact digits),
//! `B` → base64 string, `SS`/`NS`/`BS` → arrays, `BOOL`, `NULL`, `L`, `M`.
//!
//! DynamoDB JSON is the wire shape: `{"name":{"S":"x"},"age":{"N":"31"}}`.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use dynamo_blocking::{AttributeType, AttributeValue, Attributes, Number};

use crate::json::{self, Json};

/// How item and key JSON given to the CLI is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// DynamoDB JSON when every top-level value is a one-member object whose
    /// key is a type tag (`S`, `N`, `B`, `SS`, `NS`, `BS`, `BOOL`, `NULL`,
    /// `L`, `M`); plain JSON otherwise.
    Auto,
    /// Always plain JSON (`--plain-json`).
    Plain,
    /// Always DynamoDB JSON (`--dynamodb-json`).
    DynamoDb,
}

/// How items are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Plain,
    DynamoDb,
}

/// Reads an item or a key from JSON text (a leading byte-order mark is
/// ignored).
pub fn parse_item(text: &str, format: InputFormat) -> Result<Attributes, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value = json::parse(text).map_err(|e| e.to_string())?;
    item_from_json(value, format)
}

/// Converts a parsed JSON object to an item or key.
pub fn item_from_json(value: Json, format: InputFormat) -> Result<Attributes, String> {
    let Json::Object(members) = value else {
        return Err(format!(
            "an item or key must be a JSON object, not {}",
            value.kind()
        ));
    };
    let dynamodb = match format {
        InputFormat::DynamoDb => true,
        InputFormat::Plain => false,
        InputFormat::Auto => {
            !members.is_empty() && members.iter().all(|(_, v)| looks_like_dynamodb_value(v))
        }
    };
    let mut item = Attributes::new();
    for (name, value) in members {
        let converted = if dynamodb {
            from_dynamodb_json(value, &name).map_err(|e| {
                if format == InputFormat::Auto {
                    format!("{e} (read as DynamoDB JSON; pass --plain-json to read plain JSON)")
                } else {
                    e
                }
            })?
        } else {
            from_plain_json(value, &name)?
        };
        item.insert(name, converted);
    }
    Ok(item)
}

/// Whether `value` is a one-member object whose key is a DynamoDB type tag.
pub fn looks_like_dynamodb_value(value: &Json) -> bool {
    matches!(value, Json::Object(m) if m.len() == 1 && AttributeType::from_tag(&m[0].0).is_some())
}

fn number(text: &str, path: &str) -> Result<Number, String> {
    Number::parse(text).map_err(|e| format!("`{path}`: {e}"))
}

/// Plain JSON to an attribute value; `path` names it in errors.
pub fn from_plain_json(value: Json, path: &str) -> Result<AttributeValue, String> {
    Ok(match value {
        Json::Null => AttributeValue::Null,
        Json::Bool(b) => AttributeValue::Bool(b),
        Json::Number(n) => AttributeValue::N(number(&n, path)?),
        Json::String(s) => AttributeValue::S(s),
        Json::Array(items) => AttributeValue::L(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| from_plain_json(v, &format!("{path}[{i}]")))
                .collect::<Result<_, _>>()?,
        ),
        Json::Object(members) => {
            let mut map = Attributes::new();
            for (k, v) in members {
                let inner = from_plain_json(v, &format!("{path}.{k}"))?;
                map.insert(k, inner);
            }
            AttributeValue::M(map)
        }
    })
}

/// DynamoDB JSON (`{"S":"x"}`) to an attribute value.
pub fn from_dynamodb_json(value: Json, path: &str) -> Result<AttributeValue, String> {
    let bad = |what: &str| format!("`{path}`: {what}");
    let Json::Object(mut members) = value else {
        return Err(bad(&format!(
            "expected a DynamoDB attribute value such as {{\"S\":\"text\"}}, found {}",
            value.kind()
        )));
    };
    if members.len() != 1 {
        return Err(bad(&format!(
            "a DynamoDB attribute value has exactly one type tag, found {} members",
            members.len()
        )));
    }
    let (tag, inner) = members.remove(0);
    let Some(kind) = AttributeType::from_tag(&tag) else {
        return Err(bad(&format!(
            "unknown type tag `{tag}` (expected S, N, B, SS, NS, BS, BOOL, NULL, L or M)"
        )));
    };
    let wrong = |expected: &str, found: &Json| {
        bad(&format!("{tag} takes {expected}, found {}", found.kind()))
    };
    let string = |v: Json| match v {
        Json::String(s) => Ok(s),
        other => Err(wrong("a string", &other)),
    };
    let strings = |v: Json, what: &str| match v {
        Json::Array(items) => items
            .into_iter()
            .map(|i| match i {
                Json::String(s) => Ok(s),
                other => Err(wrong(what, &other)),
            })
            .collect::<Result<Vec<_>, _>>(),
        other => Err(wrong("an array", &other)),
    };
    let binary = |s: &str| {
        BASE64
            .decode(s)
            .map_err(|e| bad(&format!("invalid base64 in a binary value: {e}")))
    };
    Ok(match kind {
        AttributeType::S => AttributeValue::S(string(inner)?),
        AttributeType::N => AttributeValue::N(number(&string(inner)?, path)?),
        AttributeType::B => AttributeValue::B(binary(&string(inner)?)?),
        AttributeType::Ss => AttributeValue::Ss(strings(inner, "an array of strings")?),
        AttributeType::Ns => AttributeValue::Ns(
            strings(inner, "an array of number strings")?
                .iter()
                .map(|s| number(s, path))
                .collect::<Result<_, _>>()?,
        ),
        AttributeType::Bs => AttributeValue::Bs(
            strings(inner, "an array of base64 strings")?
                .iter()
                .map(|s| binary(s))
                .collect::<Result<_, _>>()?,
        ),
        AttributeType::Bool => match inner {
            Json::Bool(b) => AttributeValue::Bool(b),
            other => return Err(wrong("true or false", &other)),
        },
        AttributeType::Null => match inner {
            Json::Bool(true) => AttributeValue::Null,
            other => return Err(wrong("true", &other)),
        },
        AttributeType::L => match inner {
            Json::Array(items) => AttributeValue::L(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| from_dynamodb_json(v, &format!("{path}[{i}]")))
                    .collect::<Result<_, _>>()?,
            ),
            other => return Err(wrong("an array", &other)),
        },
        AttributeType::M => match inner {
            Json::Object(members) => {
                let mut map = Attributes::new();
                for (k, v) in members {
                    let inner = from_dynamodb_json(v, &format!("{path}.{k}"))?;
                    map.insert(k, inner);
                }
                AttributeValue::M(map)
            }
            other => return Err(wrong("an object", &other)),
        },
    })
}

/// A number as a JSON number literal: its own text when that is valid JSON
/// (`1.50` stays `1.50`), else its normalized form (`.5` becomes `0.5`).
fn number_json(n: &Number) -> Json {
    if json::is_json_number(n.as_str()) {
        Json::Number(n.as_str().to_owned())
    } else {
        Json::Number(n.normalized().as_str().to_owned())
    }
}

/// An attribute value as plain JSON.
pub fn to_plain_json(value: &AttributeValue) -> Json {
    match value {
        AttributeValue::S(s) => Json::String(s.clone()),
        AttributeValue::N(n) => number_json(n),
        AttributeValue::B(b) => Json::String(BASE64.encode(b)),
        AttributeValue::Ss(v) => Json::Array(v.iter().cloned().map(Json::String).collect()),
        AttributeValue::Ns(v) => Json::Array(v.iter().map(number_json).collect()),
        AttributeValue::Bs(v) => {
            Json::Array(v.iter().map(|b| Json::String(BASE64.encode(b))).collect())
        }
        AttributeValue::Bool(b) => Json::Bool(*b),
        AttributeValue::Null => Json::Null,
        AttributeValue::L(items) => Json::Array(items.iter().map(to_plain_json).collect()),
        AttributeValue::M(map) => item_to_plain_json(map),
    }
}

/// An item as a plain JSON object (attributes in name order).
pub fn item_to_plain_json(item: &Attributes) -> Json {
    Json::Object(
        item.iter()
            .map(|(k, v)| (k.clone(), to_plain_json(v)))
            .collect(),
    )
}

/// An item as one line of JSON (no newline) in `format`.
pub fn item_to_line(item: &Attributes, format: OutputFormat) -> String {
    match format {
        OutputFormat::Plain => json::to_string(&item_to_plain_json(item)),
        // The library's serializer is the exact wire form; it cannot fail
        // for attribute values (string keys, no floats).
        OutputFormat::DynamoDb => serde_json::to_string(item).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dynamo_blocking::item;

    fn n(s: &str) -> AttributeValue {
        AttributeValue::N(Number::parse(s).unwrap())
    }

    #[test]
    fn plain_json_maps_to_the_natural_types() {
        let item = parse_item(
            r#"{"username":"johndoe","age":31,"big":12345678901234567890123,"pi":3.14159,
                "tags":["a",1],"ok":true,"nested":{"x":null}}"#,
            InputFormat::Auto,
        )
        .unwrap();
        let expected = item! {
            "username" => "johndoe",
            "age" => n("31"),
            "big" => n("12345678901234567890123"),
            "pi" => n("3.14159"),
            "tags" => AttributeValue::L(vec!["a".into(), n("1")]),
            "ok" => true,
            "nested" => item! { "x" => AttributeValue::Null },
        };
        assert_eq!(item, expected);
        assert_eq!(
            item_to_line(&item, OutputFormat::Plain),
            r#"{"age":31,"big":12345678901234567890123,"nested":{"x":null},"ok":true,"pi":3.14159,"tags":["a",1],"username":"johndoe"}"#
        );
    }

    #[test]
    fn dynamodb_json_is_detected_and_exact() {
        let text = r#"{"id":{"S":"a"},"n":{"N":"1.50"},"b":{"B":"aGk="},"ss":{"SS":["x","y"]},
            "ns":{"NS":["1","2"]},"bs":{"BS":["AA=="]},"t":{"BOOL":true},"z":{"NULL":true},
            "l":{"L":[{"S":"x"}]},"m":{"M":{"k":{"N":"-1"}}}}"#;
        let item = parse_item(text, InputFormat::Auto).unwrap();
        assert_eq!(item["n"], n("1.50"));
        assert_eq!(item["b"], AttributeValue::B(b"hi".to_vec()));
        assert_eq!(item["ss"], AttributeValue::Ss(vec!["y".into(), "x".into()]));
        let line = item_to_line(&item, OutputFormat::DynamoDb);
        assert_eq!(parse_item(&line, InputFormat::DynamoDb).unwrap(), item);
        assert_eq!(
            item_to_line(&item, OutputFormat::Plain),
            r#"{"b":"aGk=","bs":["AA=="],"id":"a","l":["x"],"m":{"k":-1},"n":1.50,"ns":[1,2],"ss":["x","y"],"t":true,"z":null}"#
        );
    }

    #[test]
    fn detection_needs_every_value_tagged_and_can_be_overridden() {
        // One untagged value: plain JSON, so `a` is a map with a key `S`.
        let bom = parse_item("\u{feff}{\"a\":1}", InputFormat::Auto).unwrap();
        assert_eq!(bom["a"], n("1"));
        let mixed = parse_item(r#"{"a":{"S":"x"},"b":1}"#, InputFormat::Auto).unwrap();
        assert_eq!(mixed["a"], AttributeValue::M(item! { "S" => "x" }));
        let plain = parse_item(r#"{"a":{"S":"x"}}"#, InputFormat::Plain).unwrap();
        assert_eq!(plain["a"], AttributeValue::M(item! { "S" => "x" }));
        let forced = parse_item(r#"{"a":"x"}"#, InputFormat::DynamoDb).unwrap_err();
        assert!(
            forced.contains("`a`") && forced.contains("found a string"),
            "{forced}"
        );
        let e = parse_item(r#"{"a":{"N":"abc"}}"#, InputFormat::Auto).unwrap_err();
        assert!(e.contains("--plain-json"), "{e}");
    }

    #[test]
    fn bad_input_is_a_message_naming_the_place() {
        for (text, needle) in [
            ("[1]", "must be a JSON object"),
            ("{\"a\":1e200}", "`a`"),
            ("{\"a\":{\"b\":[1,1e999]}}", "`a.b[1]`"),
            ("{\"a\":", "invalid JSON"),
            (r#"{"a":{"NULL":false}}"#, "NULL takes true"),
            (r#"{"a":{"B":"!!"}}"#, "base64"),
            (r#"{"a":{"N":1}}"#, "N takes a string"),
        ] {
            let e = parse_item(text, InputFormat::Auto).unwrap_err();
            assert!(e.contains(needle), "{text}: {e}");
        }
    }
}
