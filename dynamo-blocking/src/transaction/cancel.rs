//! [`CancelReason`]: why each action of a cancelled transaction failed.

use dynamo_core::{Attributes, DynamoItem};

use crate::{Error, ServiceErrorKind};

/// Why one action of a cancelled transaction failed, in action order; from
/// [`Error::cancel_reasons`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum CancelReason {
    /// This action was fine; another one cancelled the transaction.
    None,
    /// Its condition was false. `item` is the stored item (`None`: there
    /// was no item).
    ConditionFailed {
        /// The item the condition was checked against.
        item: Option<Attributes>,
    },
    /// Another transaction or write was changing the item at the same time:
    /// read again and retry.
    Conflict,
    /// Throughput was exceeded or the request throttled: retry later.
    Throughput,
    /// The action is invalid (an item grew past 400 KB, a type mismatch...).
    Validation {
        /// DynamoDB's message.
        message: String,
    },
    /// Any other code.
    Other {
        /// The code, e.g. `ItemCollectionSizeLimitExceeded`.
        code: String,
        /// DynamoDB's message.
        message: Option<String>,
    },
}

impl CancelReason {
    fn from_wire(reason: &dynamo_core::wire::CancellationReason) -> Self {
        let message = reason.message.clone();
        match reason.code.as_deref() {
            None | Some("None") => CancelReason::None,
            Some("ConditionalCheckFailed") => CancelReason::ConditionFailed {
                item: reason.item.clone(),
            },
            Some("TransactionConflict") => CancelReason::Conflict,
            Some("ProvisionedThroughputExceeded" | "ThrottlingError") => CancelReason::Throughput,
            Some("ValidationError") => CancelReason::Validation {
                message: message.unwrap_or_default(),
            },
            Some(code) => CancelReason::Other {
                code: code.to_owned(),
                message,
            },
        }
    }

    /// The stored item of a failed condition, decoded as `T`.
    pub fn item<T: DynamoItem>(&self) -> Option<Result<T, Error>> {
        match self {
            CancelReason::ConditionFailed { item: Some(item) } => {
                Some(T::from_item(item.clone()).map_err(Error::from))
            }
            _ => None,
        }
    }
}

impl Error {
    /// For a cancelled transaction, why each action failed (in the order
    /// they were added); `None` for any other error.
    pub fn cancel_reasons(&self) -> Option<Vec<CancelReason>> {
        match self {
            Error::Service(e) if e.kind == ServiceErrorKind::TransactionCanceled => Some(
                e.cancellation_reasons
                    .iter()
                    .map(CancelReason::from_wire)
                    .collect(),
            ),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dynamo_core::item;
    use dynamo_core::wire::CancellationReason;

    fn reason(code: Option<&str>, message: Option<&str>) -> CancellationReason {
        let mut r = CancellationReason::default();
        r.code = code.map(Into::into);
        r.message = message.map(Into::into);
        r
    }

    #[test]
    fn every_documented_code_has_its_reason() {
        let cases = [
            (reason(None, None), CancelReason::None),
            (reason(Some("None"), None), CancelReason::None),
            (
                reason(Some("TransactionConflict"), None),
                CancelReason::Conflict,
            ),
            (
                reason(Some("ProvisionedThroughputExceeded"), None),
                CancelReason::Throughput,
            ),
            (
                reason(Some("ThrottlingError"), None),
                CancelReason::Throughput,
            ),
            (
                reason(Some("ValidationError"), Some("too big")),
                CancelReason::Validation {
                    message: "too big".into(),
                },
            ),
            (
                reason(Some("ItemCollectionSizeLimitExceeded"), Some("10 GB")),
                CancelReason::Other {
                    code: "ItemCollectionSizeLimitExceeded".into(),
                    message: Some("10 GB".into()),
                },
            ),
        ];
        for (wire, expected) in cases {
            assert_eq!(CancelReason::from_wire(&wire), expected);
        }
        let mut failed = reason(Some("ConditionalCheckFailed"), None);
        failed.item = Some(item! { "id" => "a" });
        assert_eq!(
            CancelReason::from_wire(&failed),
            CancelReason::ConditionFailed {
                item: Some(item! { "id" => "a" })
            }
        );
    }
}
