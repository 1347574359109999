//! Timestamps: `chrono::DateTime<Utc>` as an ISO-8601 string (`S`).
//!
//! A string keeps the value readable in the console and sorts correctly as a
//! range key, which epoch numbers do too but less legibly. For TTL attributes,
//! which DynamoDB requires to be epoch seconds, store an integer instead.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::{AttributeValue, ConvertError, FromAttribute, ToAttribute};

impl ToAttribute for DateTime<Utc> {
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
        Ok(AttributeValue::S(
            self.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        ))
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
