//! [`PageTokens`]: the one guard every paginator puts its next-page tokens
//! through, so that a server repeating a token ends the iteration with a
//! typed error instead of looping forever.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use serde::Serialize;

use crate::error::{Error, ResponseError, ResponseErrorKind};
use crate::transport::body_start;

/// The tokens (`LastEvaluatedKey`, `LastEvaluatedTableName`) one iteration
/// has followed.
///
/// DynamoDB never hands out the same token twice in one iteration, so a
/// repeat means the server (or something in between) is broken and the
/// iteration would never end. The AWS SDKs' paginators stop on a repeated
/// token; this one also catches a token that comes back after others (a
/// cycle), remembering a 64-bit fingerprint per page, not the token.
#[derive(Debug)]
pub(crate) struct PageTokens {
    operation: &'static str,
    field: &'static str,
    seen: HashSet<u64>,
}

impl PageTokens {
    /// A guard for `operation`'s `field` (e.g. `"Query"`, `"LastEvaluatedKey"`).
    pub(crate) fn new(operation: &'static str, field: &'static str) -> Self {
        PageTokens {
            operation,
            field,
            seen: HashSet::new(),
        }
    }

    /// Records the token a request started from (a resume key), so a
    /// server handing it back is caught too.
    pub(crate) fn start_from<T: Serialize>(&mut self, token: Option<&T>) {
        if let Some(token) = token {
            self.seen.insert(fingerprint(token).0);
        }
    }

    /// Passes `token` (the next page's start) if this iteration has not
    /// followed it before.
    pub(crate) fn follow<T: Serialize>(&mut self, token: Option<T>) -> Result<Option<T>, Error> {
        let Some(token) = token else {
            return Ok(None);
        };
        let (hash, json) = fingerprint(&token);
        if self.seen.insert(hash) {
            return Ok(Some(token));
        }
        Err(Error::Response(Box::new(ResponseError {
            kind: ResponseErrorKind::RepeatedPageToken,
            status: 200,
            request_id: None,
            body_start: body_start(&json),
            detail: format!(
                "{} returned a {} it had already returned",
                self.operation, self.field
            ),
            attempts: 1,
        })))
    }
}

/// A token's hash and JSON form (keys serialize in a fixed order).
fn fingerprint<T: Serialize>(token: &T) -> (u64, Vec<u8>) {
    let json = serde_json::to_vec(token).unwrap_or_default();
    let mut hasher = DefaultHasher::new();
    json.hash(&mut hasher);
    (hasher.finish(), json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_seen_before_is_refused_even_after_others() {
        let mut tokens = PageTokens::new("ListTables", "LastEvaluatedTableName");
        assert_eq!(tokens.follow(Some("a")).unwrap(), Some("a"));
        assert_eq!(tokens.follow(Some("b")).unwrap(), Some("b"));
        let err = tokens.follow(Some("a")).unwrap_err();
        assert!(err.to_string().contains("ListTables"), "{err}");
        assert_eq!(tokens.follow::<&str>(None).unwrap(), None);
    }

    #[test]
    fn the_start_token_counts_as_seen() {
        let mut tokens = PageTokens::new("Scan", "LastEvaluatedKey");
        tokens.start_from(Some(&"k"));
        assert!(tokens.follow(Some("k")).is_err());
    }
}
