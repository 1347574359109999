//! Decoder checks shared by `tests/fuzz_decoders.rs` (proptest, runs in
//! `cargo test`) and the cargo-fuzz target in `tests/fuzz/` at the
//! workspace root (libFuzzer, nightly).
//!
//! [`check_bytes`] feeds one input to every response decoder of the crate.
//! A decoder may reject it (that is the point of most inputs) but must not
//! panic, and whatever it accepts must survive re-encoding: encode the
//! decoded value back to DynamoDB JSON, decode that again, and get an equal
//! value. Types that only implement `Deserialize` are re-encoded field by
//! field from their parts, which do implement `Serialize`.

#![allow(dead_code)]

use dynamo_core::wire::*;
use dynamo_core::{AttributeValue, Attributes, Number};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// Names of the decoders [`check_bytes`] runs, in order, for reports.
pub const DECODERS: [&str; 22] = [
    "AttributeValue",
    "Attributes",
    "Number",
    "GetItemOutput",
    "PutItemOutput",
    "UpdateItemOutput",
    "DeleteItemOutput",
    "QueryOutput",
    "BatchWriteItemOutput",
    "BatchGetItemOutput",
    "DescribeTableOutput",
    "CreateTableOutput",
    "UpdateTableOutput",
    "DeleteTableOutput",
    "ListTablesOutput",
    "DescribeTimeToLiveOutput",
    "UpdateTimeToLiveOutput",
    "TransactWriteItemsOutput",
    "TransactGetItemsOutput",
    "ErrorBody",
    "TableDescription",
    "WriteRequest",
];

/// Runs every decoder on `bytes`; returns the names of those that accepted
/// it. Panics when a decoder panics or an accepted value does not survive
/// re-encoding.
pub fn check_bytes(bytes: &[u8]) -> Vec<&'static str> {
    let mut accepted = Vec::new();
    let mut note = |name: &'static str, ok: bool| {
        if ok {
            accepted.push(name);
        }
    };
    note("AttributeValue", value_round_trip(bytes));
    note("Attributes", attributes_round_trip(bytes));
    note("Number", number_round_trip(bytes));
    note(
        "GetItemOutput",
        round_trip::<GetItemOutput>(
            bytes,
            |o| json!({"Item": o.item, "ConsumedCapacity": o.consumed_capacity}),
        ),
    );
    note(
        "PutItemOutput",
        round_trip::<PutItemOutput>(bytes, |o| {
            write_output(
                &o.attributes,
                &o.consumed_capacity,
                &o.item_collection_metrics,
            )
        }),
    );
    note(
        "UpdateItemOutput",
        round_trip::<UpdateItemOutput>(bytes, |o| {
            write_output(
                &o.attributes,
                &o.consumed_capacity,
                &o.item_collection_metrics,
            )
        }),
    );
    note(
        "DeleteItemOutput",
        round_trip::<DeleteItemOutput>(bytes, |o| {
            write_output(
                &o.attributes,
                &o.consumed_capacity,
                &o.item_collection_metrics,
            )
        }),
    );
    note(
        "QueryOutput",
        round_trip::<QueryOutput>(bytes, |o| {
            json!({
                "Items": o.items,
                "Count": o.count,
                "ScannedCount": o.scanned_count,
                "LastEvaluatedKey": o.last_evaluated_key,
                "ConsumedCapacity": o.consumed_capacity,
            })
        }),
    );
    note(
        "BatchWriteItemOutput",
        round_trip::<BatchWriteItemOutput>(
            bytes,
            |o| json!({"UnprocessedItems": o.unprocessed_items, "ConsumedCapacity": o.consumed_capacity}),
        ),
    );
    note(
        "BatchGetItemOutput",
        round_trip::<BatchGetItemOutput>(bytes, |o| {
            json!({
                "Responses": o.responses,
                "UnprocessedKeys": o.unprocessed_keys,
                "ConsumedCapacity": o.consumed_capacity,
            })
        }),
    );
    note(
        "DescribeTableOutput",
        round_trip::<DescribeTableOutput>(bytes, |o| {
            exercise_table(&o.table);
            json!({"Table": o.table})
        }),
    );
    note(
        "CreateTableOutput",
        round_trip::<CreateTableOutput>(
            bytes,
            |o| json!({"TableDescription": o.table_description}),
        ),
    );
    note(
        "UpdateTableOutput",
        round_trip::<UpdateTableOutput>(
            bytes,
            |o| json!({"TableDescription": o.table_description}),
        ),
    );
    note(
        "DeleteTableOutput",
        round_trip::<DeleteTableOutput>(
            bytes,
            |o| json!({"TableDescription": o.table_description}),
        ),
    );
    note(
        "ListTablesOutput",
        round_trip::<ListTablesOutput>(
            bytes,
            |o| json!({"TableNames": o.table_names, "LastEvaluatedTableName": o.last_evaluated_table_name}),
        ),
    );
    note(
        "DescribeTimeToLiveOutput",
        round_trip::<DescribeTimeToLiveOutput>(bytes, |o| {
            let d = &o.time_to_live_description;
            json!({"TimeToLiveDescription": {
                "TimeToLiveStatus": d.time_to_live_status,
                "AttributeName": d.attribute_name,
            }})
        }),
    );
    note(
        "UpdateTimeToLiveOutput",
        round_trip::<UpdateTimeToLiveOutput>(
            bytes,
            |o| json!({"TimeToLiveSpecification": o.time_to_live_specification}),
        ),
    );
    note(
        "TransactWriteItemsOutput",
        round_trip::<TransactWriteItemsOutput>(
            bytes,
            |o| json!({"ConsumedCapacity": o.consumed_capacity}),
        ),
    );
    note(
        "TransactGetItemsOutput",
        round_trip::<TransactGetItemsOutput>(bytes, |o| {
            let responses: Vec<Value> = o
                .responses
                .iter()
                .map(|r| json!({"Item": r.item}))
                .collect();
            json!({"Responses": responses, "ConsumedCapacity": o.consumed_capacity})
        }),
    );
    note(
        "ErrorBody",
        round_trip::<ErrorBody>(bytes, |o| {
            let _ = o.code();
            let reasons: Option<Vec<Value>> = o.cancellation_reasons.as_ref().map(|rs| {
                rs.iter()
                    .map(|r| json!({"Code": r.code, "Message": r.message, "Item": r.item}))
                    .collect()
            });
            json!({
                "__type": o.error_type,
                "message": o.message,
                "CancellationReasons": reasons,
                "Item": o.item,
            })
        }),
    );
    note(
        "TableDescription",
        round_trip::<TableDescription>(bytes, |o| {
            exercise_table(o);
            serde_json::to_value(o).expect("a decoded table description encodes")
        }),
    );
    note(
        "WriteRequest",
        round_trip::<WriteRequest>(bytes, |o| {
            serde_json::to_value(o).expect("a decoded write request encodes")
        }),
    );
    accepted
}

fn write_output(
    attributes: &Option<Attributes>,
    capacity: &Option<ConsumedCapacity>,
    metrics: &Option<ItemCollectionMetrics>,
) -> Value {
    json!({
        "Attributes": attributes,
        "ConsumedCapacity": capacity,
        "ItemCollectionMetrics": metrics,
    })
}

/// Decodes `bytes` as `T`; when accepted, re-encodes with `encode`, decodes
/// again and requires equality. Returns whether `T` accepted `bytes`.
fn round_trip<T>(bytes: &[u8], encode: impl Fn(&T) -> Value) -> bool
where
    T: DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let Ok(first) = serde_json::from_slice::<T>(bytes) else {
        return false;
    };
    let text = serde_json::to_string(&encode(&first)).expect("re-encoding cannot fail");
    let second: T = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => panic!(
            "{} accepted an input but refused its own re-encoding: {e}\nre-encoded: {}",
            std::any::type_name::<T>(),
            clip(&text)
        ),
    };
    // serde_json (without its `float_roundtrip` feature) may read a float
    // back one unit in the last place off; that is the only change allowed.
    assert!(
        first == second || same_up_to_float_rounding(&encode(&first), &encode(&second)),
        "{} changed through re-encoding\nfirst:  {first:?}\nsecond: {second:?}",
        std::any::type_name::<T>()
    );
    true
}

/// Whether two JSON values are equal except for floats that differ by a
/// few units in the last place.
fn same_up_to_float_rounding(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            _ if x == y => true,
            (Some(x), Some(y)) => {
                x == y || (x - y).abs() <= x.abs().max(y.abs()) * 4.0 * f64::EPSILON
            }
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(x, y)| same_up_to_float_rounding(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_up_to_float_rounding(v, w)))
        }
        _ => a == b,
    }
}

fn value_round_trip(bytes: &[u8]) -> bool {
    let Ok(value) = serde_json::from_slice::<AttributeValue>(bytes) else {
        return false;
    };
    exercise_value(&value);
    same_after_encoding(&value);
    true
}

fn attributes_round_trip(bytes: &[u8]) -> bool {
    let Ok(attributes) = serde_json::from_slice::<Attributes>(bytes) else {
        return false;
    };
    let _ = attributes.size();
    for value in attributes.values() {
        exercise_value(value);
    }
    same_after_encoding(&attributes);
    true
}

fn number_round_trip(bytes: &[u8]) -> bool {
    let Ok(number) = serde_json::from_slice::<Number>(bytes) else {
        return false;
    };
    exercise_number(&number);
    same_after_encoding(&number);
    true
}

/// Encodes, decodes and compares; also checks that encoding is stable (the
/// second encoding is the same text as the first).
fn same_after_encoding<T>(value: &T)
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let text = serde_json::to_string(value).expect("a decoded value encodes");
    let back: T = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => panic!(
            "a decoded value's own encoding is refused: {e}\n{}",
            clip(&text)
        ),
    };
    assert_eq!(&back, value, "value changed through its encoding");
    let again = serde_json::to_string(&back).expect("encodes");
    assert_eq!(again, text, "encoding is not stable");
}

/// Calls the value's accessors that do real work, to catch panics there.
fn exercise_value(value: &AttributeValue) {
    let _ = value.validate();
    let _ = value.size();
    let _ = format!("{value:?}");
    match value {
        AttributeValue::N(n) => exercise_number(n),
        AttributeValue::Ns(ns) if ns.len() <= 64 => ns.iter().for_each(exercise_number),
        AttributeValue::L(items) => items.iter().for_each(exercise_value),
        AttributeValue::M(map) => map.values().for_each(exercise_value),
        _ => {}
    }
}

fn exercise_number(n: &Number) {
    let normal = n.normalized();
    assert_eq!(
        &normal,
        n,
        "normalizing {:?} changed its value",
        clip(n.as_str())
    );
    let reparsed = Number::parse(normal.as_str()).unwrap_or_else(|e| {
        panic!(
            "the normal form {:?} of an accepted number {:?} is refused: {e}",
            clip(normal.as_str()),
            clip(n.as_str())
        )
    });
    assert_eq!(&reparsed, n);
    let _ = (n.is_zero(), n.is_negative(), n.is_integer());
    if let Ok(f) = n.to_f64() {
        assert_eq!(Number::from_f64(f).ok().as_ref(), Some(n));
    }
    let _ = n.to_f32();
    let _ = i64::try_from(n);
    let _ = u64::try_from(n);
    let _ = i128::try_from(n);
    let _ = u8::try_from(n);
    let _ = n.partial_cmp(&Number::from(0));
}

fn exercise_table(table: &TableDescription) {
    let _ = table.schema();
    let _ = table.indexes();
    let _ = table.capacity();
    let _ = table.is_active();
}

fn clip(text: &str) -> String {
    text.chars().take(300).collect()
}
