//! DynamoDB's number type: an exact decimal carried as a string.
//!
//! DynamoDB numbers are decimals with up to 38 significant digits and a
//! magnitude between 1E-130 and 9.9999999999999999999999999999999999999E+125.
//! They travel as strings on the wire; converting them through `f64` would
//! silently round, so [`Number`] keeps the string and converts only on request,
//! refusing any conversion that would lose information.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

/// Most significant digits DynamoDB stores.
pub const MAX_DIGITS: usize = 38;
/// Largest decimal exponent (of the leading digit) DynamoDB accepts.
pub const MAX_EXPONENT: i64 = 125;
/// Smallest decimal exponent (of the leading digit) DynamoDB accepts.
pub const MIN_EXPONENT: i64 = -130;

/// An exact DynamoDB number.
///
/// The text is kept as given (after validation), so a number read from
/// DynamoDB is sent back byte for byte. Equality, ordering and hashing are
/// numeric: `"1.50"`, `"1.5"` and `"15E-1"` are the same number.
///
/// ```
/// use dynamo_core::Number;
/// let n: Number = "12.50".parse()?;
/// assert_eq!(n.as_str(), "12.50");
/// assert_eq!(n, "1.25E1".parse::<Number>()?);
/// assert_eq!(f64::try_from(&n)?, 12.5);
/// assert!(i32::try_from(&n).is_err()); // not an integer: no silent truncation
/// assert!("1e126".parse::<Number>().is_err()); // beyond DynamoDB's range
/// # Ok::<(), dynamo_core::NumberError>(())
/// ```
#[derive(Clone)]
pub struct Number {
    text: String,
    parts: Decimal,
}

/// Why a string or a Rust value is not a valid DynamoDB number, or why a
/// number does not fit a Rust type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberError {
    input: String,
    kind: NumberErrorKind,
}

/// The kinds of [`NumberError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NumberErrorKind {
    /// Not a decimal number at all (empty, letters, spaces, two dots...).
    Syntax,
    /// NaN or an infinity: DynamoDB has neither.
    NotFinite,
    /// More than 38 significant digits.
    TooManyDigits,
    /// Magnitude above 9.9999999999999999999999999999999999999E+125.
    TooLarge,
    /// Non-zero magnitude below 1E-130.
    TooSmall,
    /// The number does not fit the requested Rust type.
    OutOfRange,
    /// The number has a fractional part and an integer type was requested.
    NotAnInteger,
    /// The conversion to a float would round.
    Inexact,
}

impl NumberError {
    fn new(input: impl Into<String>, kind: NumberErrorKind) -> Self {
        NumberError {
            input: input.into(),
            kind,
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> NumberErrorKind {
        self.kind
    }

    /// The text (or the printed Rust value) that was rejected.
    pub fn input(&self) -> &str {
        &self.input
    }
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match self.kind {
            NumberErrorKind::Syntax => "is not a decimal number",
            NumberErrorKind::NotFinite => "is not finite; DynamoDB has no NaN or infinity",
            NumberErrorKind::TooManyDigits => "has more than 38 significant digits",
            NumberErrorKind::TooLarge => {
                "is larger in magnitude than DynamoDB's maximum 9.9999999999999999999999999999999999999E+125"
            }
            NumberErrorKind::TooSmall => {
                "is smaller in magnitude than DynamoDB's minimum 1E-130"
            }
            NumberErrorKind::OutOfRange => "does not fit in the requested type",
            NumberErrorKind::NotAnInteger => "has a fractional part; an integer was requested",
            NumberErrorKind::Inexact => "cannot be represented exactly as a float",
        };
        // Very long inputs are cut so one bad value cannot flood a log line.
        let shown: String = self.input.chars().take(64).collect();
        let ellipsis = if shown.len() < self.input.len() {
            "..."
        } else {
            ""
        };
        write!(f, "number `{shown}{ellipsis}` {why}")
    }
}

impl std::error::Error for NumberError {}

/// The numeric content of a number: `(-1)^negative × digits × 10^exponent`,
/// with `digits` free of leading and trailing zeros (empty for zero).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Decimal {
    negative: bool,
    digits: Box<[u8]>,
    exponent: i64,
}

impl Decimal {
    fn zero() -> Self {
        Decimal {
            negative: false,
            digits: Box::new([]),
            exponent: 0,
        }
    }

    fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// Exponent of the leading digit in scientific notation (d.ddd × 10^e).
    fn scientific_exponent(&self) -> i64 {
        self.exponent.saturating_add(self.digits.len() as i64 - 1)
    }

    /// Parses the decimal grammar `[+-] (d+[.d*] | .d+) [(e|E)[+-]d+]`.
    ///
    /// Every number of every answer comes through here, so it allocates
    /// once, for the significant digits, and copies nothing else.
    fn parse(text: &str) -> Result<Decimal, NumberErrorKind> {
        let (negative, unsigned) = match text.as_bytes() {
            [b'-', rest @ ..] => (true, rest),
            [b'+', rest @ ..] => (false, rest),
            all => (false, all),
        };
        if [&b"nan"[..], b"inf", b"infinity"]
            .iter()
            .any(|word| unsigned.eq_ignore_ascii_case(word))
        {
            return Err(NumberErrorKind::NotFinite);
        }
        let mantissa_len = unsigned
            .iter()
            .position(|b| matches!(b, b'e' | b'E'))
            .unwrap_or(unsigned.len());
        let (mantissa, exponent_part) = unsigned.split_at(mantissa_len);
        let mut dot = None;
        let mut seen_digit = false;
        let mut nonzero: Option<(usize, usize)> = None;
        for (i, &b) in mantissa.iter().enumerate() {
            match b {
                b'0' => seen_digit = true,
                b'1'..=b'9' => {
                    seen_digit = true;
                    nonzero = Some((nonzero.map_or(i, |(first, _)| first), i));
                }
                b'.' if dot.is_none() => dot = Some(i),
                _ => return Err(NumberErrorKind::Syntax),
            }
        }
        if !seen_digit {
            return Err(NumberErrorKind::Syntax);
        }
        let mut exponent: i64 = 0;
        if let [_e, rest @ ..] = exponent_part {
            let (exp_negative, digits) = match rest {
                [b'-', digits @ ..] => (true, digits),
                [b'+', digits @ ..] => (false, digits),
                digits => (false, digits),
            };
            if digits.is_empty() {
                return Err(NumberErrorKind::Syntax);
            }
            for &b in digits {
                if !b.is_ascii_digit() {
                    return Err(NumberErrorKind::Syntax);
                }
                // Saturate: anything this large is out of range anyway.
                exponent = exponent
                    .saturating_mul(10)
                    .saturating_add(i64::from(b - b'0'));
            }
            if exp_negative {
                exponent = -exponent;
            }
        }
        // Leading and trailing zeros carry no digits, only the exponent.
        let Some((first, last)) = nonzero else {
            return Ok(Decimal::zero());
        };
        let point = dot.unwrap_or(mantissa.len());
        // How many places the last significant digit stands left of the
        // point (negative: right of it).
        let places = if last < point {
            (point - last - 1) as i64
        } else {
            -((last - point) as i64)
        };
        let significant = &mantissa[first..=last];
        let dot_inside = dot.is_some_and(|d| first < d && d < last);
        let mut digits = Vec::with_capacity(significant.len() - usize::from(dot_inside));
        digits.extend(
            significant
                .iter()
                .filter(|&&b| b != b'.')
                .map(|&b| b - b'0'),
        );
        Ok(Decimal {
            negative,
            digits: digits.into_boxed_slice(),
            exponent: exponent.saturating_add(places),
        })
    }

    /// Checks DynamoDB's precision and range rules.
    fn validate(&self) -> Result<(), NumberErrorKind> {
        if self.is_zero() {
            return Ok(());
        }
        if self.digits.len() > MAX_DIGITS {
            return Err(NumberErrorKind::TooManyDigits);
        }
        let e = self.scientific_exponent();
        if e > MAX_EXPONENT {
            return Err(NumberErrorKind::TooLarge);
        }
        if e < MIN_EXPONENT {
            return Err(NumberErrorKind::TooSmall);
        }
        Ok(())
    }

    /// The integer value, when there is no fractional part and it fits i128/u128.
    fn to_integer(&self) -> Result<(bool, u128), NumberErrorKind> {
        if self.is_zero() {
            return Ok((false, 0));
        }
        if self.exponent < 0 {
            return Err(NumberErrorKind::NotAnInteger);
        }
        if self.exponent.saturating_add(self.digits.len() as i64) > 39 {
            return Err(NumberErrorKind::OutOfRange);
        }
        let mut value: u128 = 0;
        let zeros = std::iter::repeat_n(0u8, self.exponent as usize);
        for d in self.digits.iter().copied().chain(zeros) {
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u128::from(d)))
                .ok_or(NumberErrorKind::OutOfRange)?;
        }
        Ok((self.negative, value))
    }

    /// A plain rendering: positional for moderate exponents, scientific beyond.
    fn render(&self) -> String {
        if self.is_zero() {
            return "0".to_owned();
        }
        let mut out = String::with_capacity(self.digits.len() + 8);
        if self.negative {
            out.push('-');
        }
        let digits: String = self.digits.iter().map(|d| char::from(b'0' + d)).collect();
        let sci = self.scientific_exponent();
        if self.exponent >= 0 && sci < 40 {
            out.push_str(&digits);
            out.extend(std::iter::repeat_n('0', self.exponent as usize));
        } else if self.exponent < 0 && sci >= -20 {
            let point = digits.len() as i64 + self.exponent;
            if point > 0 {
                out.push_str(&digits[..point as usize]);
                out.push('.');
                out.push_str(&digits[point as usize..]);
            } else {
                out.push_str("0.");
                out.extend(std::iter::repeat_n('0', (-point) as usize));
                out.push_str(&digits);
            }
        } else {
            out.push_str(&digits[..1]);
            if digits.len() > 1 {
                out.push('.');
                out.push_str(&digits[1..]);
            }
            out.push('E');
            out.push_str(&sci.to_string());
        }
        out
    }

    fn cmp_magnitude(&self, other: &Decimal) -> Ordering {
        match (self.is_zero(), other.is_zero()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            (false, false) => {}
        }
        self.scientific_exponent()
            .cmp(&other.scientific_exponent())
            .then_with(|| self.digits.cmp(&other.digits))
    }
}

impl Number {
    /// Parses and validates a DynamoDB number. Same as `text.parse()`.
    pub fn parse(text: &str) -> Result<Number, NumberError> {
        let parts = Decimal::parse(text)
            .and_then(|d| d.validate().map(|()| d))
            .map_err(|kind| NumberError::new(text, kind))?;
        Ok(Number {
            text: text.to_owned(),
            parts,
        })
    }

    /// The text as given (what goes on the wire).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The same number written without redundant zeros or signs, e.g.
    /// `"012.50"` becomes `"12.5"` and `"-0"` becomes `"0"`.
    ///
    /// ```
    /// # use dynamo_core::Number;
    /// assert_eq!(Number::parse("012.50")?.normalized().as_str(), "12.5");
    /// assert_eq!(Number::parse("1e40")?.normalized().as_str(), "1E40");
    /// # Ok::<(), dynamo_core::NumberError>(())
    /// ```
    pub fn normalized(&self) -> Number {
        Number {
            text: self.parts.render(),
            parts: self.parts.clone(),
        }
    }

    /// How many digits the normal form (see [`Number::normalized`]) shows
    /// before any exponent, counted without rendering it: item sizes are
    /// reckoned from it on every write.
    pub(crate) fn normal_form_digits(&self) -> usize {
        let parts = &self.parts;
        if parts.is_zero() {
            return 1;
        }
        let len = parts.digits.len();
        let sci = parts.scientific_exponent();
        if parts.exponent >= 0 && sci < 40 {
            len + parts.exponent as usize
        } else if parts.exponent < 0 && sci >= -20 {
            let point = len as i64 + parts.exponent;
            if point > 0 {
                len
            } else {
                1 + point.unsigned_abs() as usize + len
            }
        } else {
            len
        }
    }

    /// Whether this number is zero (including `-0`).
    pub fn is_zero(&self) -> bool {
        self.parts.is_zero()
    }

    /// Whether this number is below zero.
    pub fn is_negative(&self) -> bool {
        self.parts.negative && !self.parts.is_zero()
    }

    /// Whether this number has no fractional part.
    pub fn is_integer(&self) -> bool {
        self.parts.is_zero() || self.parts.exponent >= 0
    }

    fn from_validated_parts(
        parts: Decimal,
        input: impl FnOnce() -> String,
    ) -> Result<Self, NumberError> {
        parts
            .validate()
            .map_err(|kind| NumberError::new(input(), kind))?;
        Ok(Number {
            text: parts.render(),
            parts,
        })
    }

    /// Converts a float, exactly as Rust prints it (the shortest decimal that
    /// reads back as the same float). NaN, infinities and magnitudes outside
    /// DynamoDB's range are errors.
    pub fn from_f64(value: f64) -> Result<Number, NumberError> {
        if !value.is_finite() {
            return Err(NumberError::new(
                value.to_string(),
                NumberErrorKind::NotFinite,
            ));
        }
        let parts = Decimal::parse(&format!("{value:e}"))
            .map_err(|kind| NumberError::new(value.to_string(), kind))?;
        Self::from_validated_parts(parts, || format!("{value:e}"))
    }

    /// Converts an `f32`; see [`Number::from_f64`].
    pub fn from_f32(value: f32) -> Result<Number, NumberError> {
        if !value.is_finite() {
            return Err(NumberError::new(
                value.to_string(),
                NumberErrorKind::NotFinite,
            ));
        }
        let parts = Decimal::parse(&format!("{value:e}"))
            .map_err(|kind| NumberError::new(value.to_string(), kind))?;
        Self::from_validated_parts(parts, || format!("{value:e}"))
    }

    /// The value as an `f64`, only if the float holds it exactly (in the sense
    /// that the float's shortest decimal form is this number).
    pub fn to_f64(&self) -> Result<f64, NumberError> {
        let value: f64 = self
            .text
            .parse()
            .map_err(|_| NumberError::new(&self.text, NumberErrorKind::Syntax))?;
        match Number::from_f64(value) {
            Ok(back) if back == *self => Ok(value),
            _ => Err(NumberError::new(&self.text, NumberErrorKind::Inexact)),
        }
    }

    /// The value as an `f32`, only if the float holds it exactly.
    pub fn to_f32(&self) -> Result<f32, NumberError> {
        let value: f32 = self
            .text
            .parse()
            .map_err(|_| NumberError::new(&self.text, NumberErrorKind::Syntax))?;
        match Number::from_f32(value) {
            Ok(back) if back == *self => Ok(value),
            _ => Err(NumberError::new(&self.text, NumberErrorKind::Inexact)),
        }
    }

    fn to_integer(&self) -> Result<(bool, u128), NumberError> {
        self.parts
            .to_integer()
            .map_err(|kind| NumberError::new(&self.text, kind))
    }

    fn out_of_range(&self) -> NumberError {
        NumberError::new(&self.text, NumberErrorKind::OutOfRange)
    }
}

impl FromStr for Number {
    type Err = NumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Number::parse(s)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({})", self.text)
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Number {}

impl Hash for Number {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Zero's sign is not part of its value.
        let negative = self.parts.negative && !self.parts.is_zero();
        negative.hash(state);
        self.parts.digits.hash(state);
        self.parts.exponent.hash(state);
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Self) -> Ordering {
        let a_neg = self.is_negative();
        let b_neg = other.is_negative();
        match (a_neg, b_neg) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.parts.cmp_magnitude(&other.parts),
            (true, true) => other.parts.cmp_magnitude(&self.parts),
        }
    }
}

macro_rules! integer_conversions {
    ($($t:ty),*) => {$(
        impl From<$t> for Number {
            fn from(value: $t) -> Number {
                let text = value.to_string();
                let parts = Decimal::parse(&text).expect("an integer's decimal form parses");
                Number { text, parts }
            }
        }

        impl TryFrom<&Number> for $t {
            type Error = NumberError;
            fn try_from(n: &Number) -> Result<$t, NumberError> {
                let (negative, magnitude) = n.to_integer()?;
                if negative {
                    let magnitude = i128::try_from(magnitude).map_err(|_| n.out_of_range())?;
                    <$t>::try_from(-magnitude).map_err(|_| n.out_of_range())
                } else {
                    <$t>::try_from(magnitude).map_err(|_| n.out_of_range())
                }
            }
        }

        impl TryFrom<Number> for $t {
            type Error = NumberError;
            fn try_from(n: Number) -> Result<$t, NumberError> {
                <$t>::try_from(&n)
            }
        }
    )*};
}

// Up to 64 bits every integer has at most 20 digits, so it is always valid.
integer_conversions!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

macro_rules! wide_integer_conversions {
    ($($t:ty),*) => {$(
        /// 128-bit integers can have 39 significant digits, one more than
        /// DynamoDB keeps, so this conversion can fail.
        impl TryFrom<$t> for Number {
            type Error = NumberError;
            fn try_from(value: $t) -> Result<Number, NumberError> {
                Number::parse(&value.to_string())
            }
        }

        impl TryFrom<&Number> for $t {
            type Error = NumberError;
            fn try_from(n: &Number) -> Result<$t, NumberError> {
                let (negative, magnitude) = n.to_integer()?;
                if negative {
                    if magnitude == i128::MIN.unsigned_abs() {
                        return <$t>::try_from(i128::MIN).map_err(|_| n.out_of_range());
                    }
                    let magnitude = i128::try_from(magnitude).map_err(|_| n.out_of_range())?;
                    <$t>::try_from(-magnitude).map_err(|_| n.out_of_range())
                } else {
                    <$t>::try_from(magnitude).map_err(|_| n.out_of_range())
                }
            }
        }

        impl TryFrom<Number> for $t {
            type Error = NumberError;
            fn try_from(n: Number) -> Result<$t, NumberError> {
                <$t>::try_from(&n)
            }
        }
    )*};
}

wide_integer_conversions!(i128, u128);

impl TryFrom<f64> for Number {
    type Error = NumberError;
    fn try_from(value: f64) -> Result<Number, NumberError> {
        Number::from_f64(value)
    }
}

impl TryFrom<f32> for Number {
    type Error = NumberError;
    fn try_from(value: f32) -> Result<Number, NumberError> {
        Number::from_f32(value)
    }
}

impl TryFrom<&Number> for f64 {
    type Error = NumberError;
    fn try_from(n: &Number) -> Result<f64, NumberError> {
        n.to_f64()
    }
}

impl TryFrom<&Number> for f32 {
    type Error = NumberError;
    fn try_from(n: &Number) -> Result<f32, NumberError> {
        n.to_f32()
    }
}

impl TryFrom<&str> for Number {
    type Error = NumberError;
    fn try_from(text: &str) -> Result<Number, NumberError> {
        Number::parse(text)
    }
}

impl TryFrom<String> for Number {
    type Error = NumberError;
    fn try_from(text: String) -> Result<Number, NumberError> {
        let parts = Decimal::parse(&text)
            .and_then(|d| d.validate().map(|()| d))
            .map_err(|kind| NumberError::new(text.as_str(), kind))?;
        Ok(Number { text, parts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_form_digits_count_what_the_normal_form_shows() {
        let rendered = |n: &Number| {
            let normal = n.normalized();
            let mantissa = normal.as_str().split(['E', 'e']).next().unwrap_or("");
            mantissa.bytes().filter(u8::is_ascii_digit).count()
        };
        for text in [
            "0",
            "-0",
            "7",
            "-7",
            "10",
            "1000",
            "1E39",
            "1E40",
            "123.45",
            "0.5",
            "-0.0012",
            "1E-20",
            "1.5E-21",
            "9.99E-130",
            "1E125",
            "12345678901234567890123456789012345678",
            "0.000000000000000000001",
            "100.00",
            "-3.14159E2",
        ] {
            let n = Number::parse(text).unwrap();
            assert_eq!(n.normal_form_digits(), rendered(&n), "{text}");
        }
    }

    fn kind(text: &str) -> NumberErrorKind {
        Number::parse(text).unwrap_err().kind()
    }

    #[test]
    fn keeps_the_text_exactly() {
        for text in [
            "12.5", "12.50", "-0", "1e5", "1E+5", ".5", "5.", "+7", "0.000",
        ] {
            assert_eq!(Number::parse(text).unwrap().as_str(), text);
        }
    }

    #[test]
    fn thirty_eight_digits_are_accepted_and_thirty_nine_rejected() {
        let d38 = "1".repeat(38);
        assert!(Number::parse(&d38).is_ok());
        assert_eq!(kind(&"1".repeat(39)), NumberErrorKind::TooManyDigits);
        // Leading and trailing zeros are not significant.
        assert!(Number::parse(&format!("000{d38}000")).is_ok());
        assert!(Number::parse(&format!("0.{d38}")).is_ok());
        assert_eq!(kind(&format!("1.{d38}")), NumberErrorKind::TooManyDigits);
    }

    #[test]
    fn range_limits() {
        assert!(Number::parse("1E-130").is_ok());
        assert!(Number::parse("-1E-130").is_ok());
        assert_eq!(kind("9.9E-131"), NumberErrorKind::TooSmall);
        assert_eq!(kind("1E-131"), NumberErrorKind::TooSmall);
        let max = format!("9.{}E+125", "9".repeat(37));
        assert!(Number::parse(&max).is_ok());
        assert!(Number::parse(&format!("-{max}")).is_ok());
        assert_eq!(kind("1e126"), NumberErrorKind::TooLarge);
        assert_eq!(kind("10E125"), NumberErrorKind::TooLarge);
        assert_eq!(kind("1e99999999999999999999999"), NumberErrorKind::TooLarge);
        assert_eq!(
            kind("1e-99999999999999999999999"),
            NumberErrorKind::TooSmall
        );
        // Zero is fine whatever its exponent says.
        assert!(Number::parse("0e999").is_ok());
    }

    #[test]
    fn syntax_errors() {
        for bad in [
            "", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", " 1", "1 ", "0x10", "1_000", "--1", "١",
        ] {
            assert_eq!(kind(bad), NumberErrorKind::Syntax, "{bad:?}");
        }
        for bad in ["NaN", "nan", "inf", "-Infinity", "+inf"] {
            assert_eq!(kind(bad), NumberErrorKind::NotFinite, "{bad:?}");
        }
    }

    #[test]
    fn negative_zero_is_zero() {
        let z = Number::parse("-0").unwrap();
        assert!(z.is_zero());
        assert!(!z.is_negative());
        assert_eq!(z, Number::from(0));
        assert_eq!(z.normalized().as_str(), "0");
        assert_eq!(i32::try_from(&z).unwrap(), 0);
    }

    #[test]
    fn numeric_equality_and_order() {
        let n = |s| Number::parse(s).unwrap();
        assert_eq!(n("1.50"), n("15e-1"));
        assert_eq!(n("100"), n("1E2"));
        // Zeros before, inside and after the significant digits.
        assert_eq!(n("0.0012"), n("12E-4"));
        assert_eq!(n("-00.100e2"), n("-10"));
        assert_eq!(n("120.0"), n("12e1"));
        assert_eq!(n("10.01"), n("1001e-2"));
        assert_eq!(n("5."), n("5"));
        assert_eq!(n(".5"), n("5E-1"));
        assert_ne!(n("1.5"), n("15"));
        assert!(n("-2") < n("-1"));
        assert!(n("-1") < n("0"));
        assert!(n("0.5") < n("1"));
        assert!(n("99") < n("100"));
        assert!(n("1E-130") > n("0"));
        use std::collections::HashSet;
        let set: HashSet<Number> = ["1.0", "1", "10E-1", "-0", "0"]
            .iter()
            .map(|s| n(s))
            .collect();
        assert_eq!(set.len(), 2);
    }

    #[test]
    fn normalized_forms() {
        let norm = |s| Number::parse(s).unwrap().normalized().as_str().to_owned();
        assert_eq!(norm("+007.2500"), "7.25");
        assert_eq!(norm("-0.0012"), "-0.0012");
        assert_eq!(norm("1e3"), "1000");
        assert_eq!(norm("1.5E-30"), "1.5E-30");
        assert_eq!(norm("-1E-130"), "-1E-130");
        assert_eq!(norm("12345E-2"), "123.45");
    }

    #[test]
    fn integer_conversions_are_checked() {
        assert_eq!(i8::try_from(&Number::from(127)).unwrap(), 127);
        assert_eq!(
            i8::try_from(&Number::from(128)).unwrap_err().kind(),
            NumberErrorKind::OutOfRange
        );
        assert_eq!(
            u8::try_from(&Number::from(-1)).unwrap_err().kind(),
            NumberErrorKind::OutOfRange
        );
        assert_eq!(i64::try_from(&Number::from(i64::MIN)).unwrap(), i64::MIN);
        assert_eq!(u64::try_from(&Number::from(u64::MAX)).unwrap(), u64::MAX);
        assert_eq!(
            i32::try_from(&Number::parse("1.5").unwrap())
                .unwrap_err()
                .kind(),
            NumberErrorKind::NotAnInteger
        );
        assert_eq!(i32::try_from(&Number::parse("1.0").unwrap()).unwrap(), 1);
        assert_eq!(
            i32::try_from(&Number::parse("12e2").unwrap()).unwrap(),
            1200
        );
        assert_eq!(
            u64::try_from(&Number::parse("1e30").unwrap())
                .unwrap_err()
                .kind(),
            NumberErrorKind::OutOfRange
        );
        assert_eq!(
            u128::try_from(&Number::parse("1e37").unwrap()).unwrap(),
            10u128.pow(37)
        );
        assert_eq!(
            u128::try_from(&Number::parse("1e125").unwrap())
                .unwrap_err()
                .kind(),
            NumberErrorKind::OutOfRange
        );
        // i128::MIN has 39 digits: not a DynamoDB number.
        assert_eq!(
            Number::try_from(i128::MIN).unwrap_err().kind(),
            NumberErrorKind::TooManyDigits
        );
        assert_eq!(
            Number::try_from(u128::MAX).unwrap_err().kind(),
            NumberErrorKind::TooManyDigits
        );
        // But round-number 128-bit values with few significant digits fit.
        let big = 10u128.pow(38);
        assert_eq!(
            u128::try_from(&Number::try_from(big).unwrap()).unwrap(),
            big
        );
    }

    #[test]
    fn float_conversions_are_exact_or_errors() {
        let n = Number::from_f64(0.1).unwrap();
        assert_eq!(n, Number::parse("0.1").unwrap());
        assert_eq!(n.to_f64().unwrap(), 0.1);
        assert_eq!(
            Number::from_f64(-2.5e-7).unwrap(),
            Number::parse("-0.00000025").unwrap()
        );
        assert_eq!(
            Number::from_f64(f64::NAN).unwrap_err().kind(),
            NumberErrorKind::NotFinite
        );
        assert_eq!(
            Number::from_f64(f64::INFINITY).unwrap_err().kind(),
            NumberErrorKind::NotFinite
        );
        assert_eq!(
            Number::from_f64(1e300).unwrap_err().kind(),
            NumberErrorKind::TooLarge
        );
        assert_eq!(
            Number::from_f64(1e-300).unwrap_err().kind(),
            NumberErrorKind::TooSmall
        );
        assert_eq!(Number::from_f64(-0.0).unwrap(), Number::from(0));
        // More digits than an f64 holds: converting would round.
        let long = Number::parse("0.12345678901234567890123").unwrap();
        assert_eq!(long.to_f64().unwrap_err().kind(), NumberErrorKind::Inexact);
        // f32: 0.1 is exact in f32's own shortest form, 0.1000000001 is not.
        assert_eq!(Number::parse("0.1").unwrap().to_f32().unwrap(), 0.1f32);
        assert_eq!(
            Number::parse("0.1000000001")
                .unwrap()
                .to_f32()
                .unwrap_err()
                .kind(),
            NumberErrorKind::Inexact
        );
        assert_eq!(Number::from_f32(1.5).unwrap().to_f32().unwrap(), 1.5);
        assert_eq!(
            Number::parse("1e100").unwrap().to_f32().unwrap_err().kind(),
            NumberErrorKind::Inexact
        );
    }

    #[test]
    fn error_messages_name_the_input_and_cut_long_ones() {
        let msg = Number::parse("abc").unwrap_err().to_string();
        assert!(
            msg.contains("`abc`") && msg.contains("not a decimal"),
            "{msg}"
        );
        let long = "9".repeat(500);
        let msg = Number::parse(&long).unwrap_err().to_string();
        assert!(
            msg.len() < 200 && msg.contains("38 significant digits"),
            "{msg}"
        );
    }
}
