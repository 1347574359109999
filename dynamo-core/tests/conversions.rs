//! Round trips and checked failures of the Rust <-> AttributeValue conversions.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Debug;

use chrono::{DateTime, TimeZone, Utc};
use dynamo_core::{
    item, AttributeType, AttributeValue, Attributes, ConvertErrorKind, FromAttribute, InvalidValue,
    Number, NumberErrorKind, ToAttribute,
};

fn round_trip<T: ToAttribute + FromAttribute + PartialEq + Debug>(value: T, wire: &str) {
    let encoded = value.to_attribute().unwrap();
    assert_eq!(serde_json::to_string(&encoded).unwrap(), wire);
    let parsed: AttributeValue = serde_json::from_str(wire).unwrap();
    assert_eq!(T::from_attribute(parsed).unwrap(), value);
}

#[test]
fn scalars_round_trip() {
    round_trip(true, r#"{"BOOL":true}"#);
    round_trip(String::from("hé"), r#"{"S":"hé"}"#);
    round_trip('x', r#"{"S":"x"}"#);
    round_trip(-5i8, r#"{"N":"-5"}"#);
    round_trip(i64::MIN, r#"{"N":"-9223372036854775808"}"#);
    round_trip(u64::MAX, r#"{"N":"18446744073709551615"}"#);
    round_trip(
        10u128.pow(37),
        r#"{"N":"10000000000000000000000000000000000000"}"#,
    );
    round_trip(1.5f64, r#"{"N":"1.5"}"#);
    round_trip(0.1f32, r#"{"N":"0.1"}"#);
    round_trip(vec![0u8, 255], r#"{"B":"AP8="}"#);
    round_trip(Number::parse("3.14").unwrap(), r#"{"N":"3.14"}"#);
}

#[test]
fn byte_slices_are_binary() {
    let bytes: &[u8] = b"abc";
    assert_eq!(
        bytes.to_attribute().unwrap(),
        AttributeValue::B(b"abc".to_vec())
    );
    assert_eq!(
        [1u8, 2].to_attribute().unwrap(),
        AttributeValue::B(vec![1, 2])
    );
}

#[test]
fn containers_round_trip() {
    round_trip(vec![1i32, 2], r#"{"L":[{"N":"1"},{"N":"2"}]}"#);
    round_trip(vec![Some(1u16), None], r#"{"L":[{"N":"1"},{"NULL":true}]}"#);
    round_trip(vec![vec![1u8]], r#"{"L":[{"B":"AQ=="}]}"#);
    let mut m = BTreeMap::new();
    m.insert("a".to_string(), vec![true]);
    round_trip(m, r#"{"M":{"a":{"L":[{"BOOL":true}]}}}"#);
    let mut h: HashMap<String, String> = HashMap::new();
    h.insert("k".into(), "v".into());
    round_trip(h, r#"{"M":{"k":{"S":"v"}}}"#);
    round_trip(item! { "x" => 1 }, r#"{"M":{"x":{"N":"1"}}}"#);
}

#[test]
fn sets_round_trip() {
    let ss: BTreeSet<String> = ["a", "b"].iter().map(|s| s.to_string()).collect();
    round_trip(ss, r#"{"SS":["a","b"]}"#);
    let ns: BTreeSet<i64> = [3, -1].into_iter().collect();
    round_trip(ns, r#"{"NS":["-1","3"]}"#);
    let bs: BTreeSet<Vec<u8>> = [vec![1u8], vec![2u8]].into_iter().collect();
    round_trip(bs, r#"{"BS":["AQ==","Ag=="]}"#);
    let hs: HashSet<u32> = [7].into_iter().collect();
    round_trip(hs, r#"{"NS":["7"]}"#);
    let numbers: BTreeSet<Number> = [Number::from(1)].into_iter().collect();
    round_trip(numbers, r#"{"NS":["1"]}"#);
}

#[test]
fn empty_sets_are_absent_and_cannot_be_encoded() {
    let empty: BTreeSet<String> = BTreeSet::new();
    assert!(empty.is_absent());
    let err = empty.to_attribute().unwrap_err();
    assert_eq!(
        err.kind(),
        &ConvertErrorKind::Invalid(InvalidValue::EmptySet(AttributeType::Ss))
    );
    assert!(err.to_string().contains("must not be empty"), "{err}");
    assert_eq!(HashSet::<i32>::from_missing().unwrap(), HashSet::new());
    // Inside a list an empty set has nowhere to be absent: it is an error.
    let err = vec![BTreeSet::<i32>::new()].to_attribute().unwrap_err();
    assert!(err.to_string().contains("[0]"), "{err}");
}

#[test]
fn duplicate_set_members_follow_dynamodb() {
    let dup = AttributeValue::Ns(vec![
        Number::parse("1").unwrap(),
        Number::parse("1.0").unwrap(),
    ]);
    assert_eq!(
        dup.validate(),
        Err(InvalidValue::DuplicateSetMember(AttributeType::Ns))
    );
    let dup = AttributeValue::Ss(vec!["a".into(), "a".into()]);
    assert_eq!(
        dup.validate(),
        Err(InvalidValue::DuplicateSetMember(AttributeType::Ss))
    );
    assert!(AttributeValue::Ss(vec!["a".into(), "b".into()])
        .validate()
        .is_ok());
    // Nested sets are checked too.
    let nested = AttributeValue::L(vec![AttributeValue::Bs(vec![])]);
    assert_eq!(
        nested.validate(),
        Err(InvalidValue::EmptySet(AttributeType::Bs))
    );
    // A set decoded from the wire with a repeated member collapses, it does not fail.
    let decoded =
        BTreeSet::<String>::from_attribute(AttributeValue::Ss(vec!["a".into(), "a".into()]))
            .unwrap();
    assert_eq!(decoded.len(), 1);
}

#[test]
fn sets_compare_regardless_of_order() {
    assert_eq!(
        AttributeValue::Ss(vec!["a".into(), "b".into()]),
        AttributeValue::Ss(vec!["b".into(), "a".into()])
    );
    assert_ne!(
        AttributeValue::Ss(vec!["a".into()]),
        AttributeValue::Ss(vec!["a".into(), "b".into()])
    );
}

#[test]
fn nesting_deeper_than_32_is_invalid() {
    let mut v = AttributeValue::Null;
    for _ in 0..32 {
        v = AttributeValue::L(vec![v]);
    }
    assert!(v.validate().is_ok());
    let v = AttributeValue::L(vec![v]);
    assert_eq!(v.validate(), Err(InvalidValue::TooDeep));
}

#[test]
fn options_are_absent_at_top_level_and_null_inside() {
    assert!(None::<String>.is_absent());
    assert!(!Some("x".to_string()).is_absent());
    assert_eq!(
        Option::<String>::from_attribute(AttributeValue::Null).unwrap(),
        None
    );
    assert_eq!(Option::<String>::from_missing().unwrap(), None);
    assert!(String::from_missing().is_err());
}

#[test]
fn integer_decoding_is_checked() {
    let big = AttributeValue::N(Number::parse("300").unwrap());
    let err = u8::from_attribute(big.clone()).unwrap_err();
    assert!(
        matches!(err.kind(), ConvertErrorKind::Number(e) if e.kind() == NumberErrorKind::OutOfRange)
    );
    assert_eq!(u16::from_attribute(big).unwrap(), 300);
    let frac = AttributeValue::N(Number::parse("2.5").unwrap());
    let err = i64::from_attribute(frac).unwrap_err();
    assert!(
        matches!(err.kind(), ConvertErrorKind::Number(e) if e.kind() == NumberErrorKind::NotAnInteger)
    );
    let neg = AttributeValue::N(Number::parse("-1").unwrap());
    assert!(u32::from_attribute(neg).is_err());
}

#[test]
fn float_encoding_is_checked() {
    assert!(f64::NAN.to_attribute().is_err());
    assert!(f64::INFINITY.to_attribute().is_err());
    assert!(1e200f64.to_attribute().is_err());
    assert!(u128::MAX.to_attribute().is_err());
    let precise = AttributeValue::N(Number::parse("1.00000000000000000001").unwrap());
    assert!(
        f64::from_attribute(precise).is_err(),
        "would round silently"
    );
}

#[test]
fn type_mismatches_name_expected_and_found() {
    let err = String::from_attribute(AttributeValue::Bool(true)).unwrap_err();
    assert_eq!(err.to_string(), "expected S, found BOOL");
    let err = Vec::<String>::from_attribute(AttributeValue::L(vec![
        AttributeValue::S("ok".into()),
        AttributeValue::N(Number::from(1)),
    ]))
    .unwrap_err();
    assert_eq!(err.to_string(), "attribute `[1]`: expected S, found N");
    let attrs: Attributes = item! { "m" => item! { "inner" => 5 } };
    let err = attrs.get_as::<BTreeMap<String, String>>("m").unwrap_err();
    assert_eq!(err.to_string(), "attribute `m.inner`: expected S, found N");
    let err = Vec::<u8>::from_attribute(AttributeValue::S("x".into())).unwrap_err();
    assert_eq!(err.to_string(), "expected B, found S");
    let err =
        BTreeSet::<String>::from_attribute(AttributeValue::Ns(vec![Number::from(1)])).unwrap_err();
    assert_eq!(err.to_string(), "expected SS, found NS");
}

#[test]
fn datetimes_are_fixed_width_utc_strings() {
    let t: DateTime<Utc> = Utc.with_ymd_and_hms(2024, 2, 29, 13, 5, 9).unwrap();
    round_trip(t, r#"{"S":"2024-02-29T13:05:09.000000000Z"}"#);
    let millis = t + chrono::Duration::milliseconds(250);
    round_trip(millis, r#"{"S":"2024-02-29T13:05:09.250000000Z"}"#);
    // What older releases wrote (variable fraction) still reads.
    let short =
        DateTime::<Utc>::from_attribute(AttributeValue::S("2024-02-29T13:05:09.25Z".into()));
    assert_eq!(short.unwrap(), millis);
    // Offsets are accepted and normalised to UTC.
    let parsed =
        DateTime::<Utc>::from_attribute(AttributeValue::S("2024-02-29T15:05:09+02:00".into()))
            .unwrap();
    assert_eq!(parsed, t);
    let err = DateTime::<Utc>::from_attribute(AttributeValue::S("yesterday".into())).unwrap_err();
    assert!(err.to_string().contains("`yesterday`"), "{err}");
}
