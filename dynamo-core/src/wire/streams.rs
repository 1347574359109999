//! DynamoDB Streams (API `DynamoDBStreams_20120810`): ListStreams,
//! DescribeStream, GetShardIterator, GetRecords, and the stream settings of
//! CreateTable/UpdateTable/DescribeTable.
//!
//! The Streams operations are sent with
//! `X-Amz-Target: DynamoDBStreams_20120810.<NAME>` (see
//! [`STREAMS_TARGET_PREFIX`]) to the streams endpoint
//! (`streams.dynamodb.<region>.amazonaws.com`) and signed for the service
//! `dynamodb`, like every DynamoDB request.
//!
//! ```
//! use dynamo_core::wire::{GetShardIteratorInput, Operation, ShardIteratorType, STREAMS_TARGET_PREFIX};
//! let req = GetShardIteratorInput::new("arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2026", "shardId-00000001700000000000-0000abcd", ShardIteratorType::TrimHorizon);
//! assert_eq!(GetShardIteratorInput::TARGET_PREFIX, STREAMS_TARGET_PREFIX);
//! assert!(serde_json::to_string(&req)?.contains(r#""ShardIteratorType":"TRIM_HORIZON""#));
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::schema_wire::KeySchemaElement;
use crate::Attributes;

/// The `X-Amz-Target` prefix of the Streams operations.
pub const STREAMS_TARGET_PREFIX: &str = "DynamoDBStreams_20120810";

/// What a stream record carries of the item (`StreamViewType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StreamViewType {
    /// Only the key attributes of the changed item.
    KeysOnly,
    /// The item as it is after the change.
    NewImage,
    /// The item as it was before the change.
    OldImage,
    /// Both the item before and after the change.
    NewAndOldImages,
}

impl StreamViewType {
    /// The wire name, e.g. `NEW_AND_OLD_IMAGES`.
    pub fn as_str(self) -> &'static str {
        match self {
            StreamViewType::KeysOnly => "KEYS_ONLY",
            StreamViewType::NewImage => "NEW_IMAGE",
            StreamViewType::OldImage => "OLD_IMAGE",
            StreamViewType::NewAndOldImages => "NEW_AND_OLD_IMAGES",
        }
    }

    /// Whether records carry the item after the change.
    pub fn has_new_image(self) -> bool {
        matches!(
            self,
            StreamViewType::NewImage | StreamViewType::NewAndOldImages
        )
    }

    /// Whether records carry the item before the change.
    pub fn has_old_image(self) -> bool {
        matches!(
            self,
            StreamViewType::OldImage | StreamViewType::NewAndOldImages
        )
    }
}

/// `StreamSpecification` of CreateTable, UpdateTable and DescribeTable.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct StreamSpecification {
    /// Whether the table has a stream.
    pub stream_enabled: bool,
    /// What the records carry (required when enabling).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_view_type: Option<StreamViewType>,
}

impl StreamSpecification {
    /// A stream whose records carry `view`.
    pub fn enabled(view: StreamViewType) -> Self {
        StreamSpecification {
            stream_enabled: true,
            stream_view_type: Some(view),
        }
    }

    /// No stream.
    pub fn disabled() -> Self {
        StreamSpecification {
            stream_enabled: false,
            stream_view_type: None,
        }
    }
}

/// `ShardIteratorType`: where in a shard an iterator starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ShardIteratorType {
    /// At the given sequence number.
    AtSequenceNumber,
    /// Just after the given sequence number.
    AfterSequenceNumber,
    /// At the oldest record still kept (24 hours).
    TrimHorizon,
    /// Just after the newest record.
    Latest,
}

impl ShardIteratorType {
    /// Whether the type needs a sequence number.
    pub fn needs_sequence_number(self) -> bool {
        matches!(
            self,
            ShardIteratorType::AtSequenceNumber | ShardIteratorType::AfterSequenceNumber
        )
    }
}

/// ListStreams.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListStreamsInput {
    /// Only the streams of this table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
    /// At most this many streams (1 to 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `LastEvaluatedStreamArn` of the previous page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusive_start_stream_arn: Option<String>,
}

/// ListStreams' answer.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ListStreamsOutput {
    /// The streams of this page.
    pub streams: Vec<StreamSummary>,
    /// Set when there are more pages.
    pub last_evaluated_stream_arn: Option<String>,
}

/// One stream of a ListStreams answer (`Stream`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct StreamSummary {
    /// The stream ARN.
    pub stream_arn: String,
    /// The table.
    pub table_name: String,
    /// A timestamp naming the stream among the table's streams.
    pub stream_label: Option<String>,
}

/// DescribeStream.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeStreamInput {
    /// The stream ARN.
    pub stream_arn: String,
    /// At most this many shards (1 to 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `LastEvaluatedShardId` of the previous page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusive_start_shard_id: Option<String>,
}

/// DescribeStream's answer.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct DescribeStreamOutput {
    /// The stream.
    pub stream_description: StreamDescription,
}

/// `StreamDescription`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct StreamDescription {
    /// The stream ARN.
    pub stream_arn: String,
    /// The stream label.
    pub stream_label: Option<String>,
    /// `ENABLING`, `ENABLED`, `DISABLING` or `DISABLED`.
    pub stream_status: Option<String>,
    /// What the records carry.
    pub stream_view_type: Option<StreamViewType>,
    /// Epoch seconds.
    pub creation_request_date_time: Option<f64>,
    /// The table.
    pub table_name: Option<String>,
    /// The table's key.
    pub key_schema: Vec<KeySchemaElement>,
    /// The shards of this page.
    pub shards: Vec<Shard>,
    /// Set when there are more shards to describe.
    pub last_evaluated_shard_id: Option<String>,
}

/// One shard of a stream.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Shard {
    /// The shard id.
    pub shard_id: String,
    /// Its sequence numbers; an ending number means the shard is closed.
    pub sequence_number_range: SequenceNumberRange,
    /// The shard it split from, which must be read first.
    pub parent_shard_id: Option<String>,
}

impl Shard {
    /// A shard value (for tests and fakes).
    pub fn new(
        shard_id: impl Into<String>,
        parent_shard_id: Option<String>,
        ending_sequence_number: Option<String>,
    ) -> Self {
        Shard {
            shard_id: shard_id.into(),
            sequence_number_range: SequenceNumberRange {
                starting_sequence_number: None,
                ending_sequence_number,
            },
            parent_shard_id,
        }
    }

    /// Whether the shard takes no more records.
    pub fn is_closed(&self) -> bool {
        self.sequence_number_range.ending_sequence_number.is_some()
    }
}

/// `SequenceNumberRange`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct SequenceNumberRange {
    /// The first sequence number.
    pub starting_sequence_number: Option<String>,
    /// The last one, once the shard is closed.
    pub ending_sequence_number: Option<String>,
}

/// GetShardIterator.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetShardIteratorInput {
    /// The stream ARN.
    pub stream_arn: String,
    /// The shard.
    pub shard_id: String,
    /// Where to start.
    pub shard_iterator_type: ShardIteratorType,
    /// With `AT_SEQUENCE_NUMBER` and `AFTER_SEQUENCE_NUMBER` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sequence_number: Option<String>,
}

impl GetShardIteratorInput {
    /// An iterator request of a type that needs no sequence number.
    pub fn new(
        stream_arn: impl Into<String>,
        shard_id: impl Into<String>,
        shard_iterator_type: ShardIteratorType,
    ) -> Self {
        GetShardIteratorInput {
            stream_arn: stream_arn.into(),
            shard_id: shard_id.into(),
            shard_iterator_type,
            sequence_number: None,
        }
    }

    /// An iterator request starting just after `sequence_number`.
    pub fn after(
        stream_arn: impl Into<String>,
        shard_id: impl Into<String>,
        sequence_number: impl Into<String>,
    ) -> Self {
        GetShardIteratorInput {
            sequence_number: Some(sequence_number.into()),
            ..Self::new(stream_arn, shard_id, ShardIteratorType::AfterSequenceNumber)
        }
    }
}

/// GetShardIterator's answer.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct GetShardIteratorOutput {
    /// The iterator (valid for 15 minutes).
    pub shard_iterator: Option<String>,
}

/// GetRecords.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetRecordsInput {
    /// From GetShardIterator or the previous GetRecords.
    pub shard_iterator: String,
    /// At most this many records (1 to 1000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// GetRecords' answer.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct GetRecordsOutput {
    /// The records, oldest first.
    pub records: Vec<Record>,
    /// Where to read next; absent once a closed shard is read to its end.
    pub next_shard_iterator: Option<String>,
}

/// One change of a GetRecords answer (`Record`; its fields are camelCase on
/// the wire).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Record {
    /// Unique id of the record.
    #[serde(rename = "eventID")]
    pub event_id: String,
    /// `INSERT`, `MODIFY` or `REMOVE`.
    #[serde(rename = "eventName")]
    pub event_name: String,
    /// The record format version.
    #[serde(rename = "eventVersion", skip_serializing_if = "Option::is_none")]
    pub event_version: Option<String>,
    /// `aws:dynamodb`.
    #[serde(rename = "eventSource", skip_serializing_if = "Option::is_none")]
    pub event_source: Option<String>,
    /// The region of the table.
    #[serde(rename = "awsRegion", skip_serializing_if = "Option::is_none")]
    pub aws_region: Option<String>,
    /// The change itself.
    pub dynamodb: StreamRecord,
    /// Set for deletes made by Time to Live.
    #[serde(rename = "userIdentity", skip_serializing_if = "Option::is_none")]
    pub user_identity: Option<Identity>,
}

/// `StreamRecord`: the keys, images and position of one change.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct StreamRecord {
    /// Epoch seconds, rounded down to the minute by DynamoDB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approximate_creation_date_time: Option<f64>,
    /// The key attributes of the changed item.
    pub keys: Attributes,
    /// The item after the change (per the view type).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_image: Option<Attributes>,
    /// The item before the change (per the view type).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_image: Option<Attributes>,
    /// The position of the record in its shard.
    pub sequence_number: String,
    /// The size of the record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<u64>,
    /// What the record carries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_view_type: Option<StreamViewType>,
}

/// `Identity`: who made a change (`dynamodb.amazonaws.com` for TTL deletes).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Identity {
    /// The principal.
    pub principal_id: Option<String>,
    /// `Service` for TTL deletes.
    #[serde(rename = "Type")]
    pub identity_type: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_as_the_api_reference_shows_it() {
        let json = r#"{"Records":[{"awsRegion":"us-west-2","dynamodb":{
            "ApproximateCreationDateTime":1.46548854E9,
            "Keys":{"ForumName":{"S":"DynamoDB"},"Subject":{"S":"DynamoDB Thread 3"}},
            "SequenceNumber":"300000000000000499659","SizeBytes":41,
            "StreamViewType":"KEYS_ONLY"},
            "eventID":"e2fd9c34eff2d779b297b26f5fef4206","eventName":"INSERT",
            "eventSource":"aws:dynamodb","eventVersion":"1.0"}],
            "NextShardIterator":"arn:aws:dynamodb:us-west-2:111122223333:table/Forum/stream/2015-05-20T20:51:10.252|1|AAAA"}"#;
        let out: GetRecordsOutput = serde_json::from_str(json).unwrap();
        let record = &out.records[0];
        assert_eq!(record.event_id, "e2fd9c34eff2d779b297b26f5fef4206");
        assert_eq!(record.event_name, "INSERT");
        assert_eq!(record.dynamodb.sequence_number, "300000000000000499659");
        assert_eq!(
            record.dynamodb.stream_view_type,
            Some(StreamViewType::KeysOnly)
        );
        assert_eq!(record.dynamodb.keys.len(), 2);
        assert!(record.dynamodb.new_image.is_none());
        assert_eq!(
            record.dynamodb.approximate_creation_date_time,
            Some(1_465_488_540.0)
        );
        assert!(out.next_shard_iterator.is_some());
    }

    #[test]
    fn shards_and_iterator_requests() {
        let json = r#"{"StreamDescription":{"StreamArn":"a","StreamStatus":"ENABLED",
            "StreamViewType":"NEW_AND_OLD_IMAGES","Shards":[
            {"ShardId":"s1","SequenceNumberRange":{"StartingSequenceNumber":"1","EndingSequenceNumber":"9"}},
            {"ShardId":"s2","ParentShardId":"s1","SequenceNumberRange":{"StartingSequenceNumber":"10"}}]}}"#;
        let out: DescribeStreamOutput = serde_json::from_str(json).unwrap();
        let shards = &out.stream_description.shards;
        assert!(shards[0].is_closed());
        assert!(!shards[1].is_closed());
        assert_eq!(shards[1].parent_shard_id.as_deref(), Some("s1"));
        let after = GetShardIteratorInput::after("a", "s2", "12");
        assert_eq!(
            serde_json::to_string(&after).unwrap(),
            r#"{"StreamArn":"a","ShardId":"s2","ShardIteratorType":"AFTER_SEQUENCE_NUMBER","SequenceNumber":"12"}"#
        );
        let spec = StreamSpecification::enabled(StreamViewType::NewAndOldImages);
        assert_eq!(
            serde_json::to_string(&spec).unwrap(),
            r#"{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"}"#
        );
        assert_eq!(
            serde_json::to_string(&StreamSpecification::disabled()).unwrap(),
            r#"{"StreamEnabled":false}"#
        );
    }
}
