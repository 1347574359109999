//! Key templates: key attributes composed from several fields
//! (`CUSTOMER#{customer_id}`, `ORDER#{placed_at}#{order_id}`), as
//! `#[dynamo(key(hash = "...", range = "..."))]` writes them.
//!
//! Every value in a template is written as text that sorts like the value,
//! so range conditions and `begins_with` on a composed key follow the order
//! of its fields ([`TemplatePart`] lists the forms). A value of variable
//! width (a string, an enum name) may not contain the character that follows
//! it in the template: `{customer_id}#` with a customer id `a#b` would make
//! two different keys read alike, so it is a [`ConvertError`] before
//! anything is sent.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};

use crate::{AttributeValue, ConvertError, ToAttribute};

/// A value that can stand in a key template, written as text that sorts like
/// the value. A variable-width value may not contain the character that
/// follows it in its template (the key would be ambiguous).
///
/// | Type | Written as | Width |
/// |---|---|---|
/// | `String`, `&str` | itself | variable |
/// | `u8`, `u16`, `u32`, `u64`, `usize` | decimal, zero-padded to the type's largest value (`u64`: 20 digits) | fixed |
/// | `i8`, `i16`, `i32`, `i64`, `isize` | the value plus 2^(bits-1), as the unsigned type of the same width (so negative numbers sort first) | fixed |
/// | `DateTime<Utc>` | `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ` (as when stored) | fixed |
/// | `NaiveDate` | `YYYY-MM-DD` (years 0000–9999) | fixed |
/// | `#[derive(DynamoValue)]` enums | the stored variant name | variable |
///
/// ```
/// use dynamo_core::TemplatePart;
/// let mut out = String::new();
/// 42u32.write_part(&mut out)?;
/// assert_eq!(out, "0000000042");
/// out.clear();
/// (-1i8).write_part(&mut out)?;
/// assert_eq!(out, "127");
/// # Ok::<(), dynamo_core::ConvertError>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a part of a key template",
    label = "used in a key template",
    note = "key templates hold strings, integers, `DateTime<Utc>`, `NaiveDate` and \
            `#[derive(DynamoValue)]` enums (see `TemplatePart`)"
)]
pub trait TemplatePart {
    /// Whether every value is written with the same number of characters;
    /// such values never need the separator check.
    const FIXED_WIDTH: bool;

    /// Appends the value's text to `out`.
    fn write_part(&self, out: &mut String) -> Result<(), ConvertError>;
}

impl<T: TemplatePart + ?Sized> TemplatePart for &T {
    const FIXED_WIDTH: bool = T::FIXED_WIDTH;
    fn write_part(&self, out: &mut String) -> Result<(), ConvertError> {
        (**self).write_part(out)
    }
}

impl TemplatePart for str {
    const FIXED_WIDTH: bool = false;
    fn write_part(&self, out: &mut String) -> Result<(), ConvertError> {
        out.push_str(self);
        Ok(())
    }
}

impl TemplatePart for String {
    const FIXED_WIDTH: bool = false;
    fn write_part(&self, out: &mut String) -> Result<(), ConvertError> {
        out.push_str(self);
        Ok(())
    }
}

macro_rules! unsigned_parts {
    ($($t:ty),*) => {$(
        impl TemplatePart for $t {
            const FIXED_WIDTH: bool = true;
            fn write_part(&self, out: &mut String) -> Result<(), ConvertError> {
                let width = <$t>::MAX.to_string().len();
                out.push_str(&format!("{:0width$}", self, width = width));
                Ok(())
            }
        }
    )*};
}
unsigned_parts!(u8, u16, u32, u64, usize);

macro_rules! signed_parts {
    ($($t:ty => $u:ty),*) => {$(
        impl TemplatePart for $t {
            const FIXED_WIDTH: bool = true;
            fn write_part(&self, out: &mut String) -> Result<(), ConvertError> {
                // Flipping the sign bit maps MIN..=MAX onto 0..=unsigned MAX
                // in the same order.
                let shifted = (*self as $u) ^ (1 << (<$u>::BITS - 1));
                shifted.write_part(out)
            }
        }
    )*};
}
signed_parts!(i8 => u8, i16 => u16, i32 => u32, i64 => u64, isize => usize);

impl TemplatePart for DateTime<Utc> {
    const FIXED_WIDTH: bool = true;
    fn write_part(&self, out: &mut String) -> Result<(), ConvertError> {
        // The stored form is already fixed width and checks the year range.
        match self.to_attribute()? {
            AttributeValue::S(text) => out.push_str(&text),
            other => unreachable!("timestamps are stored as S, not {:?}", other),
        }
        Ok(())
    }
}

impl TemplatePart for NaiveDate {
    const FIXED_WIDTH: bool = true;
    fn write_part(&self, out: &mut String) -> Result<(), ConvertError> {
        use chrono::Datelike;
        if !(0..=9999).contains(&self.year()) {
            return Err(ConvertError::other(format!(
                "{self} is outside the years 0000-9999 that a key template holds"
            )));
        }
        out.push_str(&self.format("%Y-%m-%d").to_string());
        Ok(())
    }
}

/// A [`TemplatePart`] that can be read back from a composed key, as
/// `#[dynamo(key(..., store_fields = false))]` does for fields stored only
/// inside the key.
///
/// ```
/// use dynamo_core::{FromTemplatePart, TemplatePart};
/// let mut out = String::new();
/// (-5i32).write_part(&mut out)?;
/// assert_eq!(i32::read_part(&out)?, -5);
/// assert_eq!(i32::WIDTH, Some(10));
/// # Ok::<(), dynamo_core::ConvertError>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read back from a key template",
    label = "stored only in a composed key",
    note = "with `store_fields = false` a field is decoded from the key text: use a string, \
            an integer, `DateTime<Utc>`, `NaiveDate` or a `#[derive(DynamoValue)]` enum"
)]
pub trait FromTemplatePart: TemplatePart + Sized {
    /// The number of bytes every value is written with, or `None` when the
    /// width varies (the value then ends at its separator).
    const WIDTH: Option<usize>;

    /// Reads a value from exactly the text [`TemplatePart::write_part`]
    /// wrote for it.
    fn read_part(text: &str) -> Result<Self, ConvertError>;
}

impl FromTemplatePart for String {
    const WIDTH: Option<usize> = None;
    fn read_part(text: &str) -> Result<Self, ConvertError> {
        Ok(text.to_owned())
    }
}

fn digits(text: &str, width: usize) -> Result<&str, ConvertError> {
    if text.len() != width || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ConvertError::other(format!(
            "`{text}` is not {width} decimal digits"
        )));
    }
    Ok(text)
}

macro_rules! unsigned_reads {
    ($($t:ty),*) => {$(
        impl FromTemplatePart for $t {
            const WIDTH: Option<usize> = Some(<$t>::MAX.ilog10() as usize + 1);
            fn read_part(text: &str) -> Result<Self, ConvertError> {
                let width = <$t>::MAX.ilog10() as usize + 1;
                digits(text, width)?.parse::<$t>().map_err(|_| {
                    ConvertError::other(format!("`{text}` does not fit {}", stringify!($t)))
                })
            }
        }
    )*};
}
unsigned_reads!(u8, u16, u32, u64, usize);

macro_rules! signed_reads {
    ($($t:ty => $u:ty),*) => {$(
        impl FromTemplatePart for $t {
            const WIDTH: Option<usize> = <$u as FromTemplatePart>::WIDTH;
            fn read_part(text: &str) -> Result<Self, ConvertError> {
                let shifted = <$u>::read_part(text)?;
                Ok((shifted ^ (1 << (<$u>::BITS - 1))) as $t)
            }
        }
    )*};
}
signed_reads!(i8 => u8, i16 => u16, i32 => u32, i64 => u64, isize => usize);

impl FromTemplatePart for DateTime<Utc> {
    /// `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ`
    const WIDTH: Option<usize> = Some(30);
    fn read_part(text: &str) -> Result<Self, ConvertError> {
        crate::FromAttribute::from_attribute(AttributeValue::S(text.to_owned()))
    }
}

impl FromTemplatePart for NaiveDate {
    const WIDTH: Option<usize> = Some(10);
    fn read_part(text: &str) -> Result<Self, ConvertError> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .filter(|_| text.len() == 10)
            .ok_or_else(|| ConvertError::other(format!("`{text}` is not a YYYY-MM-DD date")))
    }
}

/// Reads the fields of a composed key back, part by part, in template order.
/// Used by the code `#[derive(DynamoItem)]` generates.
#[doc(hidden)]
pub struct KeyReader<'a> {
    key: &'a str,
    rest: &'a str,
    template: &'a str,
}

impl<'a> KeyReader<'a> {
    /// Reads `value`, the stored key attribute composed by `template`.
    pub fn new(value: &'a AttributeValue, template: &'a str) -> Result<Self, ConvertError> {
        match value {
            AttributeValue::S(key) => Ok(KeyReader {
                key,
                rest: key,
                template,
            }),
            other => Err(ConvertError::type_mismatch("S", other.attribute_type())),
        }
    }

    fn mismatch(&self, reason: String) -> ConvertError {
        ConvertError::key_template_mismatch(self.template, self.key, reason)
    }

    /// Skips the literal text `literal`.
    pub fn literal(&mut self, literal: &str) -> Result<(), ConvertError> {
        match self.rest.strip_prefix(literal) {
            Some(rest) => {
                self.rest = rest;
                Ok(())
            }
            None => Err(self.mismatch(format!("expected `{literal}` at `{}`", self.rest))),
        }
    }

    /// Reads the value of `field`, which ends at `separator` when its width
    /// varies.
    pub fn part<T: FromTemplatePart>(
        &mut self,
        field: &str,
        separator: Option<char>,
    ) -> Result<T, ConvertError> {
        let end = match (T::WIDTH, separator) {
            (Some(width), _) => width,
            (None, Some(c)) => self.rest.find(c).unwrap_or(self.rest.len()),
            (None, None) => self.rest.len(),
        };
        let Some(text) = self.rest.get(..end) else {
            return Err(self.mismatch(format!(
                "`{{{field}}}` needs {end} bytes, `{}` is shorter",
                self.rest
            )));
        };
        let value = T::read_part(text).map_err(|e| self.mismatch(format!("`{{{field}}}`: {e}")))?;
        self.rest = &self.rest[end..];
        Ok(value)
    }

    /// Checks that nothing follows the last part.
    pub fn finish(self) -> Result<(), ConvertError> {
        match self.rest {
            "" => Ok(()),
            rest => Err(self.mismatch(format!("`{rest}` follows the end of the template"))),
        }
    }
}

/// Writes `value` into a composed key; `field` and `template` name it in
/// errors, `separator` is the character that follows it in the template.
/// Used by the code `#[derive(DynamoItem)]` generates.
#[doc(hidden)]
pub fn push_part<T: TemplatePart + ?Sized>(
    out: &mut String,
    value: &T,
    field: &str,
    template: &str,
    separator: Option<char>,
) -> Result<(), ConvertError> {
    let start = out.len();
    value.write_part(out).map_err(|e| e.in_field(field))?;
    if let (false, Some(separator)) = (T::FIXED_WIDTH, separator) {
        if out[start..].contains(separator) {
            let text = out[start..].to_owned();
            return Err(ConvertError::other(format!(
                "`{text}` contains `{separator}`, the separator that follows `{{{field}}}` \
                 in the key template `{template}`: the key would be ambiguous"
            ))
            .in_field(field));
        }
    }
    Ok(())
}

/// A key value composed by a key template (a whole key or a prefix of one),
/// stored as a string (`S`).
///
/// Only generated code builds these (`Order::range_key(...)`,
/// `Order::range_prefix_placed_at(...)`), so a typed query on a composed key
/// is always written from the template's fields.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyText(String);

impl KeyText {
    /// Wraps text composed by a template (generated code only).
    #[doc(hidden)]
    pub fn from_template(text: String) -> Self {
        KeyText(text)
    }

    /// The composed text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KeyText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl ToAttribute for KeyText {
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
        Ok(AttributeValue::S(self.0.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text<T: TemplatePart>(value: T) -> String {
        let mut out = String::new();
        value.write_part(&mut out).unwrap();
        out
    }

    #[test]
    fn numbers_sort_as_text() {
        let values = [i64::MIN, -100, -1, 0, 1, 99, 100, i64::MAX];
        let texts: Vec<String> = values.iter().map(|v| text(*v)).collect();
        let mut sorted = texts.clone();
        sorted.sort();
        assert_eq!(texts, sorted);
        assert!(texts.iter().all(|t| t.len() == 20));
        assert_eq!(text(7u64), "00000000000000000007");
        assert_eq!(text(0i32), "2147483648");
    }

    #[test]
    fn separator_inside_a_variable_value_is_refused() {
        let mut out = String::new();
        let err = push_part(
            &mut out,
            "a#b",
            "customer_id",
            "C#{customer_id}#",
            Some('#'),
        )
        .unwrap_err();
        assert!(err.to_string().contains("ambiguous"), "{err}");
        assert!(err.to_string().contains("customer_id"), "{err}");
        // The last value of a template has nothing after it to confuse.
        push_part(&mut out, "a#b", "customer_id", "C#{customer_id}", None).unwrap();
        // Fixed-width values cannot be confused.
        let date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        push_part(&mut out, &date, "day", "{day}-{n}", Some('-')).unwrap();
    }

    fn round_trip<T: FromTemplatePart + PartialEq + std::fmt::Debug>(value: T) {
        let mut out = String::new();
        value.write_part(&mut out).unwrap();
        if let Some(width) = T::WIDTH {
            assert_eq!(out.len(), width, "{out}");
        }
        assert_eq!(T::read_part(&out).unwrap(), value);
    }

    #[test]
    fn parts_read_back() {
        for v in [i64::MIN, -1, 0, 1, i64::MAX] {
            round_trip(v);
        }
        round_trip(u8::MAX);
        round_trip(0u64);
        round_trip(i8::MIN);
        round_trip(String::from("a b"));
        round_trip(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        round_trip(DateTime::<Utc>::from_timestamp(1_700_000_000, 5).unwrap());
        assert!(u8::read_part("256").is_err());
        assert!(u8::read_part("25").is_err());
        assert!(u8::read_part("+25").is_err());
    }

    #[test]
    fn key_reader_splits_at_widths_and_separators() {
        let key = AttributeValue::S("ORDER#ab#00000000000000000042".into());
        let mut r = KeyReader::new(&key, "ORDER#{c}#{n}").unwrap();
        r.literal("ORDER#").unwrap();
        assert_eq!(r.part::<String>("c", Some('#')).unwrap(), "ab");
        r.literal("#").unwrap();
        assert_eq!(r.part::<u64>("n", None).unwrap(), 42);
        r.finish().unwrap();

        let mut r = KeyReader::new(&key, "USER#{c}").unwrap();
        let err = r.literal("USER#").unwrap_err();
        assert!(matches!(
            err.kind(),
            crate::ConvertErrorKind::KeyTemplateMismatch(_)
        ));
        assert_eq!(
            err.to_string(),
            "key `ORDER#ab#00000000000000000042` does not follow the key template `USER#{c}`: \
             expected `USER#` at `ORDER#ab#00000000000000000042`"
        );
        let short = AttributeValue::S("N#12".into());
        let mut r = KeyReader::new(&short, "N#{n}").unwrap();
        r.literal("N#").unwrap();
        assert!(r.part::<u32>("n", None).is_err());
        let mut r = KeyReader::new(&short, "N#{n}").unwrap();
        r.literal("N").unwrap();
        assert!(r.finish().is_err());
    }
}
