//! Partial BatchWriteItem and BatchGetItem answers that are true to what
//! happened: the withheld write requests or keys are cut from the request
//! before it is forwarded (so DynamoDB never applies or reads them) and are
//! then reported back as `UnprocessedItems` / `UnprocessedKeys`.

use serde_json::{Map, Value};

use super::rng::XorShift64;

/// Which batch operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BatchKind {
    Write,
    Get,
}

impl BatchKind {
    pub(crate) fn of(operation: Option<&str>) -> Option<BatchKind> {
        match operation? {
            "BatchWriteItem" => Some(BatchKind::Write),
            "BatchGetItem" => Some(BatchKind::Get),
            _ => None,
        }
    }
}

/// A request cut down for forwarding, and what was cut.
#[derive(Clone, Debug)]
pub(crate) struct Partial {
    pub kind: BatchKind,
    /// The request body to forward.
    pub forwarded_body: Vec<u8>,
    /// Table -> withheld write requests (`Write`), or table -> a
    /// `KeysAndAttributes` object holding the withheld keys (`Get`).
    pub withheld: Map<String, Value>,
    /// How many write requests or keys were withheld.
    pub count: usize,
}

/// Positions `(table, index)` of every write request or key in a request.
fn entries(kind: BatchKind, request_items: &Map<String, Value>) -> Option<Vec<(String, usize)>> {
    let mut out = Vec::new();
    for (table, value) in request_items {
        let list = match kind {
            BatchKind::Write => value.as_array()?,
            BatchKind::Get => value.get("Keys")?.as_array()?,
        };
        out.extend((0..list.len()).map(|i| (table.clone(), i)));
    }
    Some(out)
}

/// Chooses at least one and at most all-but-one of the request's entries
/// to withhold and returns the cut request. `None` when the body is not a
/// batch request this understands or has fewer than two entries.
pub(crate) fn plan(kind: BatchKind, body: &[u8], rng: &mut XorShift64) -> Option<Partial> {
    let mut request: Value = serde_json::from_slice(body).ok()?;
    let items = request.get_mut("RequestItems")?.as_object_mut()?;
    let all = entries(kind, items)?;
    if all.len() < 2 {
        return None;
    }
    // Partial Fisher-Yates: the first `count` of `order` are withheld.
    let count = 1 + rng.below(all.len() - 1);
    let mut order: Vec<usize> = (0..all.len()).collect();
    for i in 0..count {
        let j = i + rng.below(all.len() - i);
        order.swap(i, j);
    }
    let mut withheld_positions: Vec<&(String, usize)> =
        order[..count].iter().map(|&i| &all[i]).collect();
    withheld_positions.sort();

    let mut withheld = Map::new();
    for (table, value) in items.iter_mut() {
        let mine: Vec<usize> = withheld_positions
            .iter()
            .filter(|(t, _)| t == table)
            .map(|(_, i)| *i)
            .collect();
        if mine.is_empty() {
            continue;
        }
        let list = match kind {
            BatchKind::Write => value.as_array_mut()?,
            BatchKind::Get => value.get_mut("Keys")?.as_array_mut()?,
        };
        let taken: Vec<Value> = mine.iter().map(|&i| list[i].clone()).collect();
        let mut index = 0;
        list.retain(|_| {
            let keep = !mine.contains(&index);
            index += 1;
            keep
        });
        let entry = match kind {
            BatchKind::Write => Value::Array(taken),
            BatchKind::Get => {
                // The same read options, with only the withheld keys.
                let mut keys_and_attributes = value.as_object()?.clone();
                keys_and_attributes.insert("Keys".into(), Value::Array(taken));
                Value::Object(keys_and_attributes)
            }
        };
        withheld.insert(table.clone(), entry);
    }
    // A table left with nothing to do must not appear in the request.
    items.retain(|_, value| match kind {
        BatchKind::Write => value.as_array().is_some_and(|l| !l.is_empty()),
        BatchKind::Get => value
            .get("Keys")
            .and_then(Value::as_array)
            .is_some_and(|l| !l.is_empty()),
    });
    Some(Partial {
        kind,
        forwarded_body: serde_json::to_vec(&request).ok()?,
        withheld,
        count,
    })
}

/// Adds the withheld part to DynamoDB's answer to the cut request. `None`
/// when the answer is not a JSON object.
pub(crate) fn merge(partial: &Partial, answer: &[u8]) -> Option<Vec<u8>> {
    let mut answer: Value = serde_json::from_slice(answer).ok()?;
    let object = answer.as_object_mut()?;
    let field = match partial.kind {
        BatchKind::Write => "UnprocessedItems",
        BatchKind::Get => "UnprocessedKeys",
    };
    let unprocessed = object
        .entry(field)
        .or_insert_with(|| Value::Object(Map::new()));
    if !unprocessed.is_object() {
        *unprocessed = Value::Object(Map::new());
    }
    let unprocessed = unprocessed.as_object_mut()?;
    for (table, withheld) in &partial.withheld {
        match (partial.kind, unprocessed.get_mut(table)) {
            (BatchKind::Write, Some(Value::Array(existing))) => {
                existing.extend(withheld.as_array()?.iter().cloned());
            }
            (BatchKind::Get, Some(existing)) => {
                let keys = existing.get_mut("Keys").and_then(Value::as_array_mut)?;
                keys.extend(withheld.get("Keys")?.as_array()?.iter().cloned());
            }
            _ => {
                unprocessed.insert(table.clone(), withheld.clone());
            }
        }
    }
    serde_json::to_vec(&answer).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn write_request(n: usize) -> Vec<u8> {
        let puts: Vec<Value> = (0..n)
            .map(|i| json!({"PutRequest": {"Item": {"id": {"S": format!("k{i}")}}}}))
            .collect();
        let deletes = vec![json!({"DeleteRequest": {"Key": {"id": {"S": "gone"}}}})];
        serde_json::to_vec(&json!({
            "RequestItems": {"a": puts, "b": deletes},
            "ReturnConsumedCapacity": "TOTAL",
        }))
        .unwrap()
    }

    fn ids(list: &Value) -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|r| r.to_string())
            .collect()
    }

    #[test]
    fn withheld_writes_are_cut_from_the_request_and_reported() {
        for seed in 0..50 {
            let mut rng = XorShift64::new(seed);
            let body = write_request(5);
            let partial = plan(BatchKind::Write, &body, &mut rng).unwrap();
            assert!((1..=5).contains(&partial.count));
            let sent: Value = serde_json::from_slice(&partial.forwarded_body).unwrap();
            assert_eq!(sent["ReturnConsumedCapacity"], "TOTAL");
            let merged = merge(&partial, br#"{"UnprocessedItems":{}}"#).unwrap();
            let merged: Value = serde_json::from_slice(&merged).unwrap();
            // Forwarded + withheld = the original, with nothing in both.
            let original: Value = serde_json::from_slice(&body).unwrap();
            for table in ["a", "b"] {
                let mut all = ids(&original["RequestItems"][table]);
                let mut got = sent["RequestItems"].get(table).map(ids).unwrap_or_default();
                got.extend(
                    merged["UnprocessedItems"]
                        .get(table)
                        .map(ids)
                        .unwrap_or_default(),
                );
                all.sort();
                got.sort();
                assert_eq!(all, got, "seed {seed}");
            }
            let forwarded: usize = sent["RequestItems"]
                .as_object()
                .unwrap()
                .values()
                .map(|l| l.as_array().unwrap().len())
                .sum();
            assert_eq!(forwarded + partial.count, 6);
            assert!(forwarded >= 1);
        }
    }

    #[test]
    fn withheld_keys_keep_their_read_options() {
        let body = serde_json::to_vec(&json!({"RequestItems": {"t": {
            "Keys": [{"id": {"S": "1"}}, {"id": {"S": "2"}}, {"id": {"S": "3"}}],
            "ConsistentRead": true,
            "ProjectionExpression": "#i",
            "ExpressionAttributeNames": {"#i": "id"},
        }}}))
        .unwrap();
        let mut rng = XorShift64::new(7);
        let partial = plan(BatchKind::Get, &body, &mut rng).unwrap();
        let merged = merge(
            &partial,
            br#"{"Responses":{"t":[]},"UnprocessedKeys":{"t":{"Keys":[{"id":{"S":"9"}}]}}}"#,
        )
        .unwrap();
        let merged: Value = serde_json::from_slice(&merged).unwrap();
        let keys = merged["UnprocessedKeys"]["t"]["Keys"].as_array().unwrap();
        assert_eq!(keys.len(), 1 + partial.count);
        let sent: Value = serde_json::from_slice(&partial.forwarded_body).unwrap();
        assert_eq!(sent["RequestItems"]["t"]["ConsistentRead"], true);
        assert_eq!(
            sent["RequestItems"]["t"]["Keys"].as_array().unwrap().len() + partial.count,
            3
        );
        assert_eq!(partial.withheld["t"]["ProjectionExpression"], "#i");
    }

    #[test]
    fn a_single_entry_or_foreign_body_is_left_alone() {
        let mut rng = XorShift64::new(1);
        assert!(plan(BatchKind::Write, &write_request(0), &mut rng).is_none());
        assert!(plan(BatchKind::Write, b"not json", &mut rng).is_none());
        assert!(plan(BatchKind::Get, br#"{"RequestItems":{"t":[]}}"#, &mut rng).is_none());
    }
}
