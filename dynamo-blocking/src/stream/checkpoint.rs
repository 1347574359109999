//! [`Checkpoint`]: where a feed is, per shard, as a small serializable value.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Where a [`Feed`](crate::Feed) is: its stream and, per shard, the last
/// record handed to the caller. Store it anywhere (it is serde
/// serializable, e.g. as JSON) and resume with
/// [`StartAt::Checkpoint`](crate::StartAt::Checkpoint): the resumed feed
/// hands out exactly the records after it, none lost, none repeated.
///
/// ```
/// use dynamo_blocking::Checkpoint;
/// let saved = r#"{"stream_arn":"arn:aws:dynamodb:us-east-1:1:table/t/stream/x","shards":{"shardId-1":{"after":"100"}}}"#;
/// let checkpoint: Checkpoint = serde_json::from_str(saved)?;
/// assert_eq!(checkpoint.stream_arn(), "arn:aws:dynamodb:us-east-1:1:table/t/stream/x");
/// assert_eq!(serde_json::to_string(&checkpoint)?, saved);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    stream_arn: String,
    /// Shards not listed are read from their oldest record.
    shards: BTreeMap<String, Position>,
}

/// How far one shard was read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Position {
    /// Read to its end (a closed shard), or skipped by a `Latest` start.
    Done,
    /// Read up to and including this sequence number.
    After(String),
    /// A shard opened at `Latest` with no record read yet.
    Latest,
}

impl Checkpoint {
    pub(crate) fn new(stream_arn: String, shards: BTreeMap<String, Position>) -> Self {
        Checkpoint { stream_arn, shards }
    }

    /// The stream the checkpoint belongs to.
    pub fn stream_arn(&self) -> &str {
        &self.stream_arn
    }

    pub(crate) fn into_parts(self) -> (String, BTreeMap<String, Position>) {
        (self.stream_arn, self.shards)
    }
}

/// Compares two sequence numbers (decimal strings of up to 40 digits).
pub(crate) fn compare_sequence(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_numbers_compare_as_numbers() {
        assert_eq!(compare_sequence("9", "10"), Ordering::Less);
        assert_eq!(compare_sequence("000100", "100"), Ordering::Equal);
        assert_eq!(
            compare_sequence("300000000000000499659", "300000000000000499660"),
            Ordering::Less
        );
        assert_eq!(compare_sequence("21", "3"), Ordering::Greater);
    }

    #[test]
    fn positions_round_trip() {
        let mut shards = BTreeMap::new();
        shards.insert("a".to_owned(), Position::Done);
        shards.insert("b".to_owned(), Position::After("42".into()));
        shards.insert("c".to_owned(), Position::Latest);
        let c = Checkpoint::new("arn".into(), shards);
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(
            json,
            r#"{"stream_arn":"arn","shards":{"a":"done","b":{"after":"42"},"c":"latest"}}"#
        );
        assert_eq!(serde_json::from_str::<Checkpoint>(&json).unwrap(), c);
    }
}
