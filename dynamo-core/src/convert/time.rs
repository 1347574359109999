//! Timestamps: `chrono::DateTime<Utc>` as a fixed-width UTC string (`S`).
//!
//! The form is always `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ`: four-digit year,
//! nine fractional digits, `Z`. Every value has the same width, so string
//! order is time order and dates work as range keys (`range_le`, `reverse`)
//! and in comparisons. Years outside 0000–9999 do not fit the form and are a
//! [`ConvertError`]. Reading accepts any RFC 3339 timestamp (older items,
//! other writers) and normalises it to UTC.
//!
//! For numbers instead, store a field with
//! `#[dynamo(with = "dynamo_core::time::epoch_seconds")]` or
//! [`epoch_millis`](crate::time::epoch_millis). A `#[dynamo(ttl)]` field may
//! be a `DateTime<Utc>`: it is stored as epoch seconds, as DynamoDB's TTL
//! requires (see [`TtlAttribute`](crate::TtlAttribute)).

use chrono::{DateTime, Datelike, Utc};

use crate::{AttributeValue, ConvertError, FromAttribute, Number, ToAttribute};

/// The fixed-width form, before the year check.
const FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.9fZ";

impl ToAttribute for DateTime<Utc> {
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
        if !(0..=9999).contains(&self.year()) {
            return Err(ConvertError::other(format!(
                "{self} is outside the years 0000-9999 that the fixed-width timestamp form holds"
            )));
        }
        Ok(AttributeValue::S(self.format(FORMAT).to_string()))
    }
}

impl FromAttribute for DateTime<Utc> {
    fn from_attribute(value: AttributeValue) -> Result<Self, ConvertError> {
        let text = String::from_attribute(value)?;
        DateTime::parse_from_rfc3339(&text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| ConvertError::other(format!("`{text}` is not an ISO-8601 timestamp: {e}")))
    }
}

/// `#[dynamo(with = "dynamo_core::time::epoch_seconds")]`: a
/// `DateTime<Utc>` stored as whole seconds since 1970-01-01 UTC (`N`).
/// A value with a fraction of a second is refused, not rounded.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use dynamo_core::{time::epoch_seconds, AttributeValue};
/// let t = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
/// assert_eq!(epoch_seconds::to_attribute(&t)?, AttributeValue::from(1_704_067_200));
/// assert_eq!(epoch_seconds::from_attribute(AttributeValue::from(1_704_067_200))?, t);
/// # Ok::<(), dynamo_core::ConvertError>(())
/// ```
pub mod epoch_seconds {
    use super::*;

    /// Whole seconds since the epoch.
    pub fn to_attribute(t: &DateTime<Utc>) -> Result<AttributeValue, ConvertError> {
        if t.timestamp_subsec_nanos() != 0 {
            return Err(ConvertError::other(format!(
                "{t} has a fraction of a second; epoch seconds hold whole seconds \
                 (truncate it, or use epoch_millis)"
            )));
        }
        Ok(AttributeValue::N(Number::from(t.timestamp())))
    }

    /// Reads whole seconds since the epoch.
    pub fn from_attribute(value: AttributeValue) -> Result<DateTime<Utc>, ConvertError> {
        let seconds = i64::from_attribute(value)?;
        DateTime::from_timestamp(seconds, 0)
            .ok_or_else(|| ConvertError::other(format!("{seconds} s is out of the date range")))
    }
}

/// `#[dynamo(with = "dynamo_core::time::epoch_millis")]`: a
/// `DateTime<Utc>` stored as whole milliseconds since 1970-01-01 UTC (`N`).
/// A value with a fraction of a millisecond is refused, not rounded.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use dynamo_core::{time::epoch_millis, AttributeValue};
/// let t = Utc.timestamp_millis_opt(1_704_067_200_250).unwrap();
/// assert_eq!(epoch_millis::to_attribute(&t)?, AttributeValue::from(1_704_067_200_250i64));
/// assert_eq!(epoch_millis::from_attribute(AttributeValue::from(1_704_067_200_250i64))?, t);
/// # Ok::<(), dynamo_core::ConvertError>(())
/// ```
pub mod epoch_millis {
    use super::*;

    /// Whole milliseconds since the epoch.
    pub fn to_attribute(t: &DateTime<Utc>) -> Result<AttributeValue, ConvertError> {
        if t.timestamp_subsec_nanos() % 1_000_000 != 0 {
            return Err(ConvertError::other(format!(
                "{t} has a fraction of a millisecond; epoch milliseconds hold whole milliseconds"
            )));
        }
        Ok(AttributeValue::N(Number::from(t.timestamp_millis())))
    }

    /// Reads whole milliseconds since the epoch.
    pub fn from_attribute(value: AttributeValue) -> Result<DateTime<Utc>, ConvertError> {
        let millis = i64::from_attribute(value)?;
        DateTime::from_timestamp_millis(millis)
            .ok_or_else(|| ConvertError::other(format!("{millis} ms is out of the date range")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn text(t: DateTime<Utc>) -> String {
        match t.to_attribute().unwrap() {
            AttributeValue::S(s) => s,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_form_has_one_width_and_sorts_like_time() {
        let noon = Utc.with_ymd_and_hms(2024, 2, 29, 12, 0, 0).unwrap();
        let times = [
            noon,
            noon + Duration::milliseconds(500),
            noon + Duration::seconds(1),
            noon + Duration::nanoseconds(1),
            Utc.with_ymd_and_hms(0, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap()
                + Duration::nanoseconds(999_999_999),
            Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap(),
        ];
        assert_eq!(text(noon), "2024-02-29T12:00:00.000000000Z");
        assert_eq!(text(times[1]), "2024-02-29T12:00:00.500000000Z");
        let mut by_time = times.to_vec();
        by_time.sort();
        let mut by_text: Vec<String> = times.iter().map(|t| text(*t)).collect();
        by_text.sort();
        assert_eq!(
            by_text,
            by_time.iter().map(|t| text(*t)).collect::<Vec<_>>()
        );
        assert!(by_text.iter().all(|s| s.len() == 30));
    }

    #[test]
    fn years_beyond_four_digits_are_refused() {
        let far = Utc.with_ymd_and_hms(10000, 1, 1, 0, 0, 0).unwrap();
        assert!(far.to_attribute().is_err());
        let before = Utc.with_ymd_and_hms(-1, 1, 1, 0, 0, 0).unwrap();
        assert!(before.to_attribute().is_err());
    }

    #[test]
    fn epoch_forms_refuse_what_they_would_round() {
        let t = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        assert!(epoch_seconds::to_attribute(&(t + Duration::milliseconds(1))).is_err());
        assert!(epoch_millis::to_attribute(&(t + Duration::microseconds(1))).is_err());
        assert_eq!(
            epoch_millis::to_attribute(&(t + Duration::milliseconds(1))).unwrap(),
            AttributeValue::from(1_704_067_200_001i64)
        );
    }
}
