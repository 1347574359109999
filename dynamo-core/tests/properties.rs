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
    fn number_sizes_count_the_digits_of_the_normal_form(n in number()) {
        let normal = n.normalized();
        let mantissa = normal.as_str().split(['E', 'e']).next().unwrap_or("");
        let digits = mantissa.bytes().filter(u8::is_ascii_digit).count();
        prop_assert_eq!(AttributeValue::N(n).size(), digits.div_ceil(2) + 1);
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

/// DynamoDB's number rules restated from scratch, as plainly as possible:
/// `[+-] digits [. digits] [(e|E) [+-] digits]` (at least one mantissa
/// digit; `.5` and `5.` are fine), at most 38 significant digits, and a
/// non-zero magnitude in [1E-130, 1E126). Inputs are short, so exponents
/// fit an i128.
fn dynamodb_accepts(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let mantissa = mantissa.strip_prefix(['+', '-']).unwrap_or(mantissa);
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int_part) || !all_digits(frac_part) || int_part.len() + frac_part.len() == 0 {
        return false;
    }
    let exponent: i128 = match exponent {
        None => 0,
        Some(e) => {
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || !all_digits(digits) || digits.len() > 30 {
                return false;
            }
            let value: i128 = digits.parse().unwrap();
            if e.starts_with('-') {
                -value
            } else {
                value
            }
        }
    };
    let all = format!("{int_part}{frac_part}");
    let significant = all.trim_start_matches('0');
    if significant.is_empty() {
        return true; // zero, however written
    }
    let leading_zeros = all.len() - significant.len();
    let significant = significant.trim_end_matches('0');
    if significant.len() > 38 {
        return false;
    }
    // Exponent of the leading significant digit.
    let leading = int_part.len() as i128 - 1 - leading_zeros as i128 + exponent;
    (-130..=125).contains(&leading)
}

fn number_ish() -> impl Strategy<Value = String> {
    prop_oneof![
        // Anything over the characters a number is made of.
        "[-+.eE0-9]{0,12}",
        // Well-formed, around the precision and range limits.
        (
            "[-+]?",
            "0{0,3}",
            "[1-9][0-9]{0,40}",
            prop_oneof![Just(String::new()), "\\.[0-9]{0,4}".prop_map(|s| s)],
            prop_oneof![Just(None), (-175i64..175).prop_map(Some)],
        )
            .prop_map(|(sign, zeros, digits, fraction, exp)| {
                let exp = exp.map(|e| format!("E{e}")).unwrap_or_default();
                format!("{sign}{zeros}{digits}{fraction}{exp}")
            }),
        // Fractions with leading zeros near the small end.
        ("[0-9]{1,3}", -135i64..-120).prop_map(|(d, e)| format!("0.000{d}e{e}")),
    ]
}

proptest! {
    /// `Number` accepts exactly what DynamoDB's rules accept: every string
    /// the rules reject is rejected, and nothing more.
    #[test]
    fn number_parsing_agrees_with_the_rules(text in number_ish()) {
        prop_assert_eq!(
            Number::parse(&text).is_ok(),
            dynamodb_accepts(&text),
            "{:?}", text
        );
    }
}
