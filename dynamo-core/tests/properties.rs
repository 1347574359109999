//! Property tests: every value the model accepts survives JSON, and the
//! number rules agree with a straightforward restatement of DynamoDB's.

use dynamo_core::{AttributeValue, Attributes, Number};
use proptest::prelude::*;

fn number() -> impl Strategy<Value = Number> {
    (any::<bool>(), "[1-9][0-9]{0,37}", -130i64..=88).prop_map(|(neg, digits, exp)| {
        let sign = if neg { "-" } else { "" };
        Number::parse(&format!("{sign}{digits}E{exp}")).expect("generated within range")
    })
}

fn value() -> impl Strategy<Value = AttributeValue> {
    let leaf = prop_oneof![
        ".{0,20}".prop_map(AttributeValue::S),
        number().prop_map(AttributeValue::N),
        prop::collection::vec(any::<u8>(), 0..20).prop_map(AttributeValue::B),
        any::<bool>().prop_map(AttributeValue::Bool),
        Just(AttributeValue::Null),
        prop::collection::btree_set(".{0,8}", 1..5)
            .prop_map(|s| AttributeValue::Ss(s.into_iter().collect())),
        prop::collection::btree_set(any::<i64>(), 1..5)
            .prop_map(|s| AttributeValue::Ns(s.into_iter().map(Number::from).collect())),
        prop::collection::btree_set(prop::collection::vec(any::<u8>(), 0..6), 1..4)
            .prop_map(|s| AttributeValue::Bs(s.into_iter().collect())),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(AttributeValue::L),
            prop::collection::btree_map(".{0,8}", inner, 0..6)
                .prop_map(|m| AttributeValue::M(Attributes::from(m))),
        ]
    })
}

proptest! {
    #[test]
    fn values_round_trip_through_json(v in value()) {
        prop_assert!(v.validate().is_ok());
        let text = serde_json::to_string(&v).unwrap();
        let back: AttributeValue = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&back, &v);
        // And the text itself is stable: numbers keep their exact spelling.
        prop_assert_eq!(serde_json::to_string(&back).unwrap(), text);
    }

    #[test]
    fn numbers_round_trip_through_their_normal_form(n in number()) {
        let norm = n.normalized();
        prop_assert_eq!(&Number::parse(norm.as_str()).unwrap(), &n);
    }

    #[test]
    fn integers_convert_exactly(i in any::<i64>()) {
        prop_assert_eq!(i64::try_from(&Number::from(i)).unwrap(), i);
    }

    #[test]
    fn floats_convert_exactly_or_not_at_all(f in any::<f64>()) {
        match Number::from_f64(f) {
            Ok(n) => prop_assert_eq!(n.to_f64().unwrap(), f),
            Err(_) => prop_assert!(!f.is_finite() || f.abs() >= 1e126 || (f != 0.0 && f.abs() < 1e-130)),
        }
    }

    /// Any string of 39 or more significant digits is refused.
    #[test]
    fn thirty_nine_significant_digits_are_refused(digits in "[1-9][0-9]{37}[1-9]", exp in -80i64..80) {
        let text = format!("{digits}E{exp}");
        prop_assert!(Number::parse(&text).is_err());
    }

    /// Any magnitude outside [1E-130, 1E126) is refused.
    #[test]
    fn out_of_range_magnitudes_are_refused(d in "[1-9]", exp in prop_oneof![126i64..5000, -5000i64..-130]) {
        let text = format!("{d}E{exp}");
        prop_assert!(Number::parse(&text).is_err());
    }

    /// Arbitrary strings never panic the parser, and whatever it accepts is
    /// made only of characters a decimal can have.
    #[test]
    fn arbitrary_strings_never_panic(s in ".{0,40}") {
        if Number::parse(&s).is_ok() {
            prop_assert!(s.chars().all(|c| c.is_ascii_digit() || "+-.eE".contains(c)));
        }
    }
}
