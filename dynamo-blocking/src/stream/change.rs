//! [`Change`]: one stream record, with its images decoded.

use chrono::{DateTime, Utc};
use dynamo_core::wire::Record;
use dynamo_core::{Attributes, ConvertError};

use super::StreamError;
use crate::Error;

/// One change to the table, as its stream recorded it. `T` is a derived
/// struct for [`TypedTable::stream`](crate::TypedTable::stream), or
/// [`Attributes`] for [`Table::stream`](crate::Table::stream).
///
/// Which images are present follows the stream's view type: `new` with
/// `NEW_IMAGE` and `NEW_AND_OLD_IMAGES`, `old` with `OLD_IMAGE` and
/// `NEW_AND_OLD_IMAGES`; a `KEYS_ONLY` stream gives only
/// [`ChangeInfo::keys`].
///
/// The three variants are DynamoDB's three event names, so a `match` needs
/// no catch-all arm; each variant may gain fields, so patterns end in `..`.
#[derive(Clone, Debug, PartialEq)]
pub enum Change<T> {
    /// An item was created.
    #[non_exhaustive]
    Insert {
        /// The new item.
        new: Option<T>,
        /// Event id, sequence number, time and keys.
        info: ChangeInfo,
    },
    /// An item was changed.
    #[non_exhaustive]
    Modify {
        /// The item before.
        old: Option<T>,
        /// The item after.
        new: Option<T>,
        /// Event id, sequence number, time and keys.
        info: ChangeInfo,
    },
    /// An item was deleted (by a call or by Time to Live, see
    /// [`ChangeInfo::by_ttl`]).
    #[non_exhaustive]
    Remove {
        /// The item before.
        old: Option<T>,
        /// Event id, sequence number, time and keys.
        info: ChangeInfo,
    },
}

/// What every change carries besides its images.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ChangeInfo {
    /// The record's unique id (`eventID`).
    pub event_id: String,
    /// The shard the record came from.
    pub shard_id: String,
    /// Its position in the shard (`SequenceNumber`).
    pub sequence_number: String,
    /// When the change was made, to the second or minute DynamoDB reports.
    pub approximate_creation: Option<DateTime<Utc>>,
    /// The key attributes of the changed item.
    pub keys: Attributes,
    /// Whether Time to Live deleted the item.
    pub by_ttl: bool,
}

impl<T> Change<T> {
    /// The event id, sequence number, time and keys.
    pub fn info(&self) -> &ChangeInfo {
        match self {
            Change::Insert { info, .. }
            | Change::Modify { info, .. }
            | Change::Remove { info, .. } => info,
        }
    }

    /// The key attributes of the changed item.
    pub fn keys(&self) -> &Attributes {
        &self.info().keys
    }

    /// `INSERT`, `MODIFY` or `REMOVE`, as the stream names it.
    pub fn event_name(&self) -> &'static str {
        match self {
            Change::Insert { .. } => "INSERT",
            Change::Modify { .. } => "MODIFY",
            Change::Remove { .. } => "REMOVE",
        }
    }

    /// The item after the change, if the view type carries it.
    pub fn new_image(&self) -> Option<&T> {
        match self {
            Change::Insert { new, .. } | Change::Modify { new, .. } => new.as_ref(),
            Change::Remove { .. } => None,
        }
    }

    /// The item before the change, if the view type carries it.
    pub fn old_image(&self) -> Option<&T> {
        match self {
            Change::Modify { old, .. } | Change::Remove { old, .. } => old.as_ref(),
            Change::Insert { .. } => None,
        }
    }
}

/// How a feed turns an image into a `T`.
pub(crate) type Decode<T> = fn(Attributes) -> Result<T, ConvertError>;

/// Decodes one record of `shard_id`.
pub(crate) fn decode<T>(
    shard_id: &str,
    record: Record,
    image: Decode<T>,
) -> Result<Change<T>, Error> {
    let stream = record.dynamodb;
    let by_ttl = record.user_identity.as_ref().is_some_and(|u| {
        u.identity_type.as_deref() == Some("Service")
            && u.principal_id.as_deref() == Some("dynamodb.amazonaws.com")
    });
    let info = ChangeInfo {
        event_id: record.event_id,
        shard_id: shard_id.to_owned(),
        sequence_number: stream.sequence_number,
        approximate_creation: stream
            .approximate_creation_date_time
            .and_then(epoch_seconds),
        keys: stream.keys,
        by_ttl,
    };
    let new = stream.new_image.map(image).transpose()?;
    let old = stream.old_image.map(image).transpose()?;
    Ok(match record.event_name.as_str() {
        "INSERT" => Change::Insert { new, info },
        "MODIFY" => Change::Modify { old, new, info },
        "REMOVE" => Change::Remove { old, info },
        _ => {
            return Err(StreamError::UnknownEvent {
                event_name: record.event_name,
                event_id: info.event_id,
            }
            .into())
        }
    })
}

fn epoch_seconds(seconds: f64) -> Option<DateTime<Utc>> {
    if !seconds.is_finite() {
        return None;
    }
    let millis = (seconds * 1000.0).round();
    if millis.abs() > i64::MAX as f64 {
        return None;
    }
    DateTime::from_timestamp_millis(millis as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dynamo_core::item;

    fn record(name: &str, new: Option<Attributes>, old: Option<Attributes>) -> Record {
        let mut r = Record::default();
        r.event_id = "e1".into();
        r.event_name = name.into();
        r.dynamodb.sequence_number = "100".into();
        r.dynamodb.keys = item! { "id" => 1 };
        r.dynamodb.new_image = new;
        r.dynamodb.old_image = old;
        r.dynamodb.approximate_creation_date_time = Some(1_465_488_540.0);
        r
    }

    #[test]
    fn images_follow_the_event() {
        let ok: Decode<Attributes> = Ok;
        let c = decode(
            "s",
            record("MODIFY", Some(item! {"v" => 2}), Some(item! {"v" => 1})),
            ok,
        )
        .unwrap();
        assert_eq!(c.event_name(), "MODIFY");
        assert_eq!(c.new_image(), Some(&item! {"v" => 2}));
        assert_eq!(c.old_image(), Some(&item! {"v" => 1}));
        assert_eq!(c.info().sequence_number, "100");
        assert_eq!(
            c.info().approximate_creation.unwrap().timestamp(),
            1_465_488_540
        );
        let keys_only = decode("s", record("REMOVE", None, None), ok).unwrap();
        assert_eq!(keys_only.old_image(), None);
        assert_eq!(keys_only.keys(), &item! { "id" => 1 });
        let bad = decode("s", record("UPSERT", None, None), ok).unwrap_err();
        assert!(
            matches!(bad, Error::Stream(StreamError::UnknownEvent { .. })),
            "{bad}"
        );
    }

    #[test]
    fn an_image_that_does_not_decode_is_a_convert_error() {
        fn strict(_: Attributes) -> Result<u8, ConvertError> {
            Err(ConvertError::missing().in_field("id"))
        }
        let e = decode("s", record("INSERT", Some(item! {}), None), strict).unwrap_err();
        assert!(matches!(e, Error::Convert(_)), "{e}");
    }
}
