//! [`StreamError`]: why a change feed could not go on.

use std::fmt;

/// Why a change feed stopped (inside [`Error::Stream`](crate::Error::Stream)).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StreamError {
    /// The table has no stream: enable one with
    /// [`Table::enable_stream`](crate::Table::enable_stream).
    NotEnabled {
        /// The table.
        table: String,
    },
    /// Records the feed had not read yet were trimmed (DynamoDB keeps them
    /// 24 hours). Choose [`Feed::skip_trimmed`](crate::Feed::skip_trimmed) to
    /// go on from the oldest record still kept instead.
    Trimmed {
        /// The shard.
        shard_id: String,
        /// The last sequence number read in that shard, if any.
        after: Option<String>,
    },
    /// DynamoDB handed back the iterator it was given together with records:
    /// reading on would return the same records forever.
    RepeatedIterator {
        /// The shard.
        shard_id: String,
    },
    /// A closed shard kept answering empty pages without reaching its end.
    NoProgress {
        /// The shard.
        shard_id: String,
        /// How many empty pages in a row.
        pages: u32,
    },
    /// Fresh shard iterators kept expiring before they could be used.
    IteratorKeepsExpiring {
        /// The shard.
        shard_id: String,
        /// How many times the iterator was renewed in a row.
        renewals: u32,
    },
    /// GetShardIterator answered without an iterator.
    NoIterator {
        /// The shard.
        shard_id: String,
    },
    /// A record whose `eventName` is not INSERT, MODIFY or REMOVE.
    UnknownEvent {
        /// The event name.
        event_name: String,
        /// The record's event id.
        event_id: String,
    },
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::NotEnabled { table } => {
                write!(
                    f,
                    "table `{table}` has no stream enabled; turn one on with \
                     Table::enable_stream or #[dynamo(stream = \"new_and_old_images\")]"
                )
            }
            StreamError::Trimmed { shard_id, after } => {
                write!(f, "stream records of shard {shard_id} ")?;
                if let Some(seq) = after {
                    write!(f, "after sequence number {seq} ")?;
                }
                f.write_str("were trimmed before they were read (DynamoDB keeps them 24 hours)")
            }
            StreamError::RepeatedIterator { shard_id } => write!(
                f,
                "DynamoDB returned the same shard iterator for shard {shard_id} with records; \
                 stopped instead of reading them again forever"
            ),
            StreamError::NoProgress { shard_id, pages } => write!(
                f,
                "closed shard {shard_id} answered {pages} empty pages in a row without reaching its end"
            ),
            StreamError::IteratorKeepsExpiring { shard_id, renewals } => write!(
                f,
                "the iterator of shard {shard_id} expired {renewals} times in a row right after renewal"
            ),
            StreamError::NoIterator { shard_id } => {
                write!(f, "GetShardIterator returned no iterator for shard {shard_id}")
            }
            StreamError::UnknownEvent {
                event_name,
                event_id,
            } => write!(f, "stream record {event_id} has unknown event name {event_name:?}"),
        }
    }
}

impl std::error::Error for StreamError {}
