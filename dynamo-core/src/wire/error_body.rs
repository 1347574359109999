//! The body of an error response.

use serde::Deserialize;

use crate::Attributes;

/// An error answer: `{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"..."}`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ErrorBody {
    /// The fully qualified error type.
    #[serde(rename = "__type", default)]
    pub error_type: String,
    /// The message (DynamoDB spells the key `message` or `Message`).
    #[serde(alias = "Message", default)]
    pub message: Option<String>,
    /// For TransactionCanceledException: one reason per action, in order.
    #[serde(rename = "CancellationReasons", default)]
    pub cancellation_reasons: Option<Vec<CancellationReason>>,
    /// For ConditionalCheckFailedException with `ReturnValuesOnConditionCheckFailure`.
    #[serde(rename = "Item", default)]
    pub item: Option<Attributes>,
}

impl ErrorBody {
    /// The short error code: `__type` without its `namespace#` prefix and
    /// `:url` suffix, as the AWS SDKs read it (`ResourceNotFoundException`).
    pub fn code(&self) -> &str {
        error_code(&self.error_type)
    }
}

/// The bare error name of an error type as AWS JSON servers send it (in
/// `__type`, `code` or the `x-amzn-ErrorType` header): without a leading
/// `namespace#` and a trailing `:url`, as the AWS SDKs read it.
///
/// ```
/// use dynamo_core::wire::error_code;
/// assert_eq!(error_code("com.amazonaws.dynamodb.v20120810#ThrottlingException"), "ThrottlingException");
/// assert_eq!(error_code("ThrottlingException:http://internal.amazon.com/coral/"), "ThrottlingException");
/// ```
pub fn error_code(raw: &str) -> &str {
    let code = raw.split_once(':').map_or(raw, |(name, _)| name);
    code.split_once('#').map_or(code, |(_, name)| name).trim()
}

/// Why one action of a transaction was cancelled.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct CancellationReason {
    /// `None` for actions that did not fail, else e.g. `ConditionalCheckFailed`.
    pub code: Option<String>,
    /// The message.
    pub message: Option<String>,
    /// The item, when asked for.
    pub item: Option<Attributes>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_is_the_part_after_the_hash() {
        let body: ErrorBody = serde_json::from_str(
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","Message":"Requested resource not found"}"#,
        )
        .unwrap();
        assert_eq!(body.code(), "ResourceNotFoundException");
        assert_eq!(
            body.message.as_deref(),
            Some("Requested resource not found")
        );
        let bare: ErrorBody = serde_json::from_str(r#"{"__type":"ThrottlingException"}"#).unwrap();
        assert_eq!(bare.code(), "ThrottlingException");
        let suffixed: ErrorBody = serde_json::from_str(
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException:http://internal.amazon.com/x"}"#,
        )
        .unwrap();
        assert_eq!(suffixed.code(), "ThrottlingException");
    }
}
