//! Bad input never panics a decoder.
//!
//! Every response decoder (`AttributeValue`, `Attributes`, `Number` and each
//! `*Output` of `dynamo_core::wire`, plus `ErrorBody`) is fed:
//!
//! * the seed corpus in `tests/fuzz_corpus/` (real-shaped answers, always
//!   replayed; a file named `Decoder.something.json` must be accepted by that
//!   decoder, `any.*.json` files only must not panic);
//! * arbitrary bytes;
//! * text generated from a grammar of DynamoDB JSON that is then mutated:
//!   wrong or doubled type tags, bad base64, huge and malformed numbers,
//!   deep nesting, unicode and escapes, wrong field types, truncation and
//!   byte-level damage.
//!
//! Rejecting is fine; panicking is a bug, and so is accepting something that
//! does not come back equal after re-encoding (see `fuzz_support`).
//!
//! By default each property runs a few hundred cases. For a long run set
//! `DYNAMO_FUZZ_SECONDS` (e.g. `600`): `long_fuzz_run` then generates cases
//! for that long and prints how many ran, e.g.
//!
//! ```text
//! DYNAMO_FUZZ_SECONDS=600 cargo test --release -p dynamo-core --test fuzz_decoders \
//!     long_fuzz_run -- --nocapture
//! ```
//!
//! The libFuzzer target in `tests/fuzz/` (workspace root) runs the same
//! checks under coverage guidance with `cargo +nightly fuzz`.

mod fuzz_support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fuzz_support::{check_bytes, DECODERS};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

// ---------------------------------------------------------------------------
// Corpus replay.

fn corpus() -> Vec<(String, Vec<u8>)> {
    // Cargo's value at run time first: a test binary built in another
    // checkout of the same sources (sharing the build folder) would carry
    // that checkout's path.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let dir = manifest_dir.join("tests/fuzz_corpus");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("corpus entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let bytes = std::fs::read(&path).expect("corpus file");
            (name, bytes)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_seed_corpus_decodes_as_labelled_and_never_panics() {
    let files = corpus();
    assert!(files.len() >= 12, "the seed corpus went missing");
    for (name, bytes) in &files {
        let accepted = check_bytes(bytes);
        let label = name.split('.').next().unwrap_or_default();
        if label != "any" {
            assert!(
                DECODERS.contains(&label),
                "{name}: unknown decoder label `{label}`"
            );
            assert!(
                accepted.contains(&label),
                "{name} should decode as {label}; accepted by {accepted:?}"
            );
        }
        // Every prefix of a real answer is also fair input.
        for cut in (0..bytes.len()).step_by(7) {
            check_bytes(&bytes[..cut]);
        }
    }
}

// ---------------------------------------------------------------------------
// Generators.

/// Text a DynamoDB `S` value or attribute name might hold: plain, unicode,
/// escapes (some invalid, e.g. lone surrogates), control characters.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9#_.-]{0,12}".prop_map(|s| json_string(&s)),
        any::<String>().prop_map(|s| json_string(&s)),
        Just(r#""\ud800""#.to_string()),
        Just(r#""\udc00\ud800""#.to_string()),
        Just(r#""\ud83d\ude00""#.to_string()),
        Just(r#""\u0000\b\f\n\r\t\/\\\"""#.to_string()),
        Just(r#""\x41""#.to_string()),
        Just(format!("\"{}\"", "é".repeat(300))),
        Just("\"unterminated".to_string()),
    ]
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// The text of a DynamoDB number: valid ones near the limits and every
/// way of being wrong.
fn number_text() -> impl Strategy<Value = String> {
    let sign = prop_oneof![Just(""), Just("-"), Just("+"), Just("--")];
    let digits = prop_oneof!["[0-9]{1,5}", "[1-9][0-9]{36,40}", "0{1,60}[1-9]?"];
    let fraction = prop_oneof![Just(String::new()), "\\.[0-9]{0,6}".prop_map(|s| s)];
    let exponent = prop_oneof![
        Just(String::new()),
        (-140i64..140).prop_map(|e| format!("E{e}")),
        any::<i64>().prop_map(|e| format!("e{e}")),
        Just("e".to_string()),
        Just("E+".to_string()),
        Just("e99999999999999999999999999".to_string()),
        Just("e-99999999999999999999999999".to_string()),
    ];
    prop_oneof![
        4 => (sign, digits, fraction, exponent)
            .prop_map(|(s, d, f, e)| format!("{s}{d}{f}{e}")),
        1 => prop_oneof![
            Just("NaN".to_string()),
            Just("-Infinity".to_string()),
            Just("inf".to_string()),
            Just(".".to_string()),
            Just("".to_string()),
            Just(" 1".to_string()),
            Just("1 ".to_string()),
            Just("0x1F".to_string()),
            Just("1_000".to_string()),
            Just("1.2.3".to_string()),
            Just("١٢".to_string()),
            Just(format!("1{}", "0".repeat(5000))),
            Just(format!("0.{}1", "0".repeat(5000))),
            Just(format!("{}e-5000", "9".repeat(38))),
        ],
    ]
    .prop_map(|t| json_string(&t))
}

fn base64_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..24).prop_map(|b| {
            use std::fmt::Write;
            // A valid encoding, written by hand to avoid a dev-dependency.
            const TABLE: &[u8; 64] =
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            let mut out = String::new();
            for chunk in b.chunks(3) {
                let n = chunk.iter().fold(0u32, |acc, &x| (acc << 8) | u32::from(x))
                    << (8 * (3 - chunk.len()));
                for i in 0..4 {
                    if i <= chunk.len() {
                        let _ = write!(
                            out,
                            "{}",
                            TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char
                        );
                    } else {
                        out.push('=');
                    }
                }
            }
            out
        }),
        "[A-Za-z0-9+/=_-]{0,12}",
        Just("YQ".to_string()),
        Just("YQ=".to_string()),
        Just("YQ===".to_string()),
        Just("Y Q==".to_string()),
        Just("=YQ=".to_string()),
        Just("YR==".to_string()),
    ]
    .prop_map(|s| json_string(&s))
}

/// Something that is not what the field wants.
fn wrong_json() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        Just("0".to_string()),
        Just("-1".to_string()),
        Just("1.5".to_string()),
        Just("1e400".to_string()),
        Just("18446744073709551616".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("\"\"".to_string()),
        Just("[null]".to_string()),
    ]
}

/// A DynamoDB attribute value, often valid, sometimes subtly wrong.
fn attribute_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        4 => text().prop_map(|t| format!(r#"{{"S":{t}}}"#)),
        4 => number_text().prop_map(|n| format!(r#"{{"N":{n}}}"#)),
        2 => base64_text().prop_map(|b| format!(r#"{{"B":{b}}}"#)),
        1 => prop::collection::vec(text(), 0..4).prop_map(|v| format!(r#"{{"SS":[{}]}}"#, v.join(","))),
        1 => prop::collection::vec(number_text(), 0..4).prop_map(|v| format!(r#"{{"NS":[{}]}}"#, v.join(","))),
        1 => prop::collection::vec(base64_text(), 0..4).prop_map(|v| format!(r#"{{"BS":[{}]}}"#, v.join(","))),
        2 => any::<bool>().prop_map(|b| format!(r#"{{"BOOL":{b}}}"#)),
        2 => prop_oneof![Just("true"), Just("false"), Just("\"true\""), Just("1")]
            .prop_map(|b| format!(r#"{{"NULL":{b}}}"#)),
        // Wrong tags, wrong payloads, two tags, no tag.
        1 => (prop_oneof![Just("s"), Just("X"), Just(""), Just("BOOLEAN"), Just("n"), Just("Ss")], text())
            .prop_map(|(tag, t)| format!(r#"{{"{tag}":{t}}}"#)),
        1 => (prop_oneof![Just("S"), Just("N"), Just("B"), Just("SS"), Just("L"), Just("M"), Just("BOOL")], wrong_json())
            .prop_map(|(tag, w)| format!(r#"{{"{tag}":{w}}}"#)),
        1 => (text(), number_text()).prop_map(|(t, n)| format!(r#"{{"S":{t},"N":{n}}}"#)),
        1 => Just("{}".to_string()),
        1 => wrong_json(),
    ];
    leaf.prop_recursive(5, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5)
                .prop_map(|v| format!(r#"{{"L":[{}]}}"#, v.join(","))),
            prop::collection::vec((text(), inner), 0..5)
                .prop_map(|v| format!(r#"{{"M":{}}}"#, object(&v))),
        ]
    })
}

fn object(entries: &[(String, String)]) -> String {
    let body: Vec<String> = entries.iter().map(|(k, v)| format!("{k}:{v}")).collect();
    format!("{{{}}}", body.join(","))
}

fn attributes() -> impl Strategy<Value = String> {
    prop::collection::vec((text(), attribute_value()), 0..5).prop_map(|v| object(&v))
}

/// A number where the field wants one: counts, capacity units, dates.
fn count() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (0u64..100_000).prop_map(|n| n.to_string()),
        1 => any::<u64>().prop_map(|n| n.to_string()),
        1 => any::<f64>().prop_map(|f| if f.is_finite() { format!("{f:?}") } else { "1e308".into() }),
        1 => (-1_000i64..1_000, -320i32..320).prop_map(|(m, e)| format!("{m}e{e}")),
        1 => wrong_json(),
    ]
}

fn consumed_capacity() -> impl Strategy<Value = String> {
    (text(), count(), count()).prop_map(|(t, a, b)| {
        format!(
            r#"{{"TableName":{t},"CapacityUnits":{a},"Table":{{"ReadCapacityUnits":{b}}},"GlobalSecondaryIndexes":{{"i":{{"CapacityUnits":{a}}}}}}}"#
        )
    })
}

fn write_request() -> impl Strategy<Value = String> {
    prop_oneof![
        attributes().prop_map(|a| format!(r#"{{"PutRequest":{{"Item":{a}}}}}"#)),
        attributes().prop_map(|a| format!(r#"{{"DeleteRequest":{{"Key":{a}}}}}"#)),
        attributes().prop_map(|a| format!(
            r#"{{"PutRequest":{{"Item":{a}}},"DeleteRequest":{{"Key":{a}}}}}"#
        )),
        attributes().prop_map(|a| format!(r#"{{"UpdateRequest":{{"Key":{a}}}}}"#)),
        wrong_json(),
    ]
}

fn key_schema() -> impl Strategy<Value = String> {
    let element = (
        text(),
        prop_oneof![
            Just("\"HASH\""),
            Just("\"RANGE\""),
            Just("\"hash\""),
            Just("1")
        ],
    )
        .prop_map(|(n, k)| format!(r#"{{"AttributeName":{n},"KeyType":{k}}}"#));
    prop::collection::vec(element, 0..3).prop_map(|v| format!("[{}]", v.join(",")))
}

fn table_description() -> impl Strategy<Value = String> {
    let definition = (
        text(),
        prop_oneof![
            Just("\"S\""),
            Just("\"N\""),
            Just("\"B\""),
            Just("\"BOOL\""),
            Just("null")
        ],
    )
        .prop_map(|(n, t)| format!(r#"{{"AttributeName":{n},"AttributeType":{t}}}"#));
    let projection = prop_oneof![
        Just(r#"{"ProjectionType":"ALL"}"#.to_string()),
        Just(r#"{"ProjectionType":"INCLUDE","NonKeyAttributes":["a"]}"#.to_string()),
        Just(r#"{"ProjectionType":"SOMETIMES"}"#.to_string()),
        Just("{}".to_string()),
    ];
    (
        text(),
        key_schema(),
        prop::collection::vec(definition, 0..4),
        (count(), count(), count()),
        projection,
        key_schema(),
        prop_oneof![Just("\"ACTIVE\""), Just("\"CREATING\""), Just("null"), Just("7")],
    )
        .prop_map(|(name, keys, defs, (r, w, date), projection, index_keys, status)| {
            format!(
                r#"{{"TableName":{name},"TableStatus":{status},"KeySchema":{keys},"AttributeDefinitions":[{}],"CreationDateTime":{date},"ProvisionedThroughput":{{"ReadCapacityUnits":{r},"WriteCapacityUnits":{w},"LastIncreaseDateTime":{date}}},"BillingModeSummary":{{"BillingMode":"PAY_PER_REQUEST"}},"LocalSecondaryIndexes":[{{"IndexName":"l","KeySchema":{index_keys},"Projection":{projection}}}],"GlobalSecondaryIndexes":[{{"IndexName":"g","KeySchema":{index_keys},"Projection":{projection},"IndexStatus":{status},"ProvisionedThroughput":{{"ReadCapacityUnits":{r}}}}}]}}"#,
                defs.join(",")
            )
        })
}

/// A whole response body of one of the operations, or an error body.
fn response() -> impl Strategy<Value = String> {
    prop_oneof![
        (attributes(), consumed_capacity())
            .prop_map(|(a, c)| format!(r#"{{"Item":{a},"ConsumedCapacity":{c}}}"#)),
        (attributes(), count()).prop_map(|(a, c)| format!(r#"{{"Attributes":{a},"ConsumedCapacity":{{"CapacityUnits":{c}}},"ItemCollectionMetrics":{{"ItemCollectionKey":{a},"SizeEstimateRangeGB":[{c},{c}]}}}}"#)),
        (prop::collection::vec(attributes(), 0..4), count(), count(), attributes())
            .prop_map(|(items, c, s, k)| format!(r#"{{"Items":[{}],"Count":{c},"ScannedCount":{s},"LastEvaluatedKey":{k}}}"#, items.join(","))),
        (text(), prop::collection::vec(write_request(), 0..4), consumed_capacity())
            .prop_map(|(t, w, c)| format!(r#"{{"UnprocessedItems":{{{t}:[{}]}},"ConsumedCapacity":[{c}]}}"#, w.join(","))),
        (text(), prop::collection::vec(attributes(), 0..3), any::<bool>())
            .prop_map(|(t, keys, consistent)| {
                let keys = keys.join(",");
                format!(r##"{{"Responses":{{{t}:[{keys}]}},"UnprocessedKeys":{{{t}:{{"Keys":[{keys}],"ConsistentRead":{consistent},"ProjectionExpression":"#a","ExpressionAttributeNames":{{"#a":"a"}}}}}}}}"##)
            }),
        table_description().prop_map(|t| format!(r#"{{"Table":{t}}}"#)),
        table_description().prop_map(|t| format!(r#"{{"TableDescription":{t}}}"#)),
        (prop::collection::vec(text(), 0..4), text())
            .prop_map(|(names, last)| format!(r#"{{"TableNames":[{}],"LastEvaluatedTableName":{last}}}"#, names.join(","))),
        (text(), text()).prop_map(|(s, n)| format!(r#"{{"TimeToLiveDescription":{{"TimeToLiveStatus":{s},"AttributeName":{n}}}}}"#)),
        (any::<bool>(), text()).prop_map(|(e, n)| format!(r#"{{"TimeToLiveSpecification":{{"Enabled":{e},"AttributeName":{n}}}}}"#)),
        prop::collection::vec(prop_oneof![attributes().prop_map(|a| format!(r#"{{"Item":{a}}}"#)), Just("{}".to_string())], 0..4)
            .prop_map(|r| format!(r#"{{"Responses":[{}]}}"#, r.join(","))),
        (text(), text(), prop::collection::vec((text(), attributes()), 0..3), attributes()).prop_map(|(ty, m, reasons, item)| {
            let reasons: Vec<String> = reasons.iter().map(|(c, i)| format!(r#"{{"Code":{c},"Message":{m},"Item":{i}}}"#)).collect();
            format!(r#"{{"__type":{ty},"message":{m},"Message":{m},"CancellationReasons":[{}],"Item":{item}}}"#, reasons.join(","))
        }),
        write_request(),
        attribute_value(),
        attributes(),
        number_text(),
    ]
}

/// Damage done to generated text after the fact.
#[derive(Clone, Debug)]
enum Damage {
    None,
    Truncate(prop::sample::Index),
    Insert(prop::sample::Index, u8),
    Remove(prop::sample::Index),
    Duplicate(prop::sample::Index, prop::sample::Index),
    Flip(prop::sample::Index, u8),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        6 => Just(Damage::None),
        1 => any::<prop::sample::Index>().prop_map(Damage::Truncate),
        1 => (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Damage::Insert(i, b)),
        1 => any::<prop::sample::Index>().prop_map(Damage::Remove),
        1 => (any::<prop::sample::Index>(), any::<prop::sample::Index>()).prop_map(|(i, j)| Damage::Duplicate(i, j)),
        1 => (any::<prop::sample::Index>(), 1u8..=255).prop_map(|(i, b)| Damage::Flip(i, b)),
    ]
}

fn apply(text: String, damage: &Damage) -> Vec<u8> {
    let mut bytes = text.into_bytes();
    if bytes.is_empty() {
        return bytes;
    }
    match damage {
        Damage::None => {}
        Damage::Truncate(i) => bytes.truncate(i.index(bytes.len())),
        Damage::Insert(i, b) => {
            let at = i.index(bytes.len() + 1);
            bytes.insert(at, *b);
        }
        Damage::Remove(i) => {
            bytes.remove(i.index(bytes.len()));
        }
        Damage::Duplicate(i, j) => {
            let (a, b) = (i.index(bytes.len()), j.index(bytes.len()));
            let (from, to) = (a.min(b), a.max(b));
            let slice = bytes[from..to].to_vec();
            bytes.splice(to..to, slice);
        }
        Damage::Flip(i, b) => {
            let at = i.index(bytes.len());
            bytes[at] ^= b;
        }
    }
    bytes
}

/// Nesting far past serde_json's and DynamoDB's limits, of lists, maps or
/// both, closed or not.
fn deep_nesting() -> impl Strategy<Value = Vec<u8>> {
    (1usize..3000, 0u8..3, any::<bool>()).prop_map(|(depth, kind, closed)| {
        let (open, close) = match kind {
            0 => (r#"{"L":["#, "]}"),
            1 => (r#"{"M":{"a":"#, "}}"),
            _ => (r#"{"Item":{"a":{"L":[{"M":{"b":"#, "}}]}}}"),
        };
        let mut text = open.repeat(depth);
        text.push_str(r#"{"NULL":true}"#);
        if closed {
            text.push_str(&close.repeat(depth));
        }
        text.into_bytes()
    })
}

fn fuzz_input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        6 => (response(), damage()).prop_map(|(text, d)| apply(text, &d)),
        2 => prop::collection::vec(any::<u8>(), 0..256),
        1 => deep_nesting(),
    ]
}

// ---------------------------------------------------------------------------
// Properties.

fn check(input: &[u8]) -> Result<(), TestCaseError> {
    check_bytes(input);
    Ok(())
}

proptest! {
    #![proptest_config(Config { cases: 400, ..Config::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check(&bytes)?;
    }

    #[test]
    fn mutated_dynamodb_json_never_panics(input in fuzz_input()) {
        check(&input)?;
    }

}

proptest! {
    // Each case is up to ~100 KB of brackets: fewer cases keep this quick.
    #![proptest_config(Config { cases: 64, ..Config::default() })]

    #[test]
    fn deep_nesting_is_refused_without_overflow(input in deep_nesting()) {
        check(&input)?;
    }
}

/// The long mode: `DYNAMO_FUZZ_SECONDS=N` generates cases for N seconds
/// (nothing to do when unset) and prints the figures.
#[test]
fn long_fuzz_run() {
    let Some(seconds) = std::env::var("DYNAMO_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
    else {
        return;
    };
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut cases: u64 = 0;
    let mut accepted: u64 = 0;
    let mut batches = 0u64;
    while Instant::now() < deadline {
        // A fresh, randomly seeded runner per batch; a failure is shrunk and
        // reported with its minimal input.
        let mut runner = TestRunner::new(Config {
            cases: 2_000,
            failure_persistence: None,
            ..Config::default()
        });
        let counted = std::cell::Cell::new((0u64, 0u64));
        let result = runner.run(&fuzz_input(), |input| {
            let n = check_bytes(&input).len() as u64;
            let (c, a) = counted.get();
            counted.set((c + 1, a + u64::from(n > 0)));
            Ok(())
        });
        let (c, a) = counted.get();
        cases += c;
        accepted += a;
        batches += 1;
        if let Err(e) = result {
            panic!("after {cases} cases: {e}");
        }
    }
    println!(
        "fuzz_decoders long run: {cases} cases in {:.1} s ({batches} batches), \
         {accepted} accepted by at least one decoder, 0 panics",
        started.elapsed().as_secs_f64()
    );
}
