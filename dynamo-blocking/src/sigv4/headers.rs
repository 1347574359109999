//! Canonical headers and the signed-headers list.

use std::borrow::Cow;

/// Headers left out of the signature even when present on the request:
/// `authorization` (the signature itself) and headers that HTTP clients,
/// proxies or tracing agents may add or rewrite after signing.
const NEVER_SIGNED: &[&str] = &[
    "authorization",
    "connection",
    "expect",
    "transfer-encoding",
    "user-agent",
    "x-amzn-trace-id",
];

/// Whether a header (lowercase name) is left out of the signature.
pub(crate) fn is_never_signed(lowercase_name: &str) -> bool {
    NEVER_SIGNED.contains(&lowercase_name)
}

/// The trimmed, lowercase form of a header name; borrowed when the name is
/// already lowercase.
pub(crate) fn lowercase_name(name: &str) -> Cow<'_, str> {
    let name = name.trim();
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// Writes the canonical header block to `out` and the signed-headers list
/// to `signed`.
///
/// `entries` are `(lowercase name, raw value)` pairs, already sorted by name
/// with a *stable* sort so repeated headers keep their order. Repeated
/// names become one line with the values joined by `,`. Each line ends
/// with `\n`.
pub(crate) fn push_canonical_headers(
    out: &mut String,
    signed: &mut String,
    entries: &[(Cow<'_, str>, &str)],
) {
    let mut previous: Option<&str> = None;
    for (name, value) in entries {
        let name: &str = name;
        if previous == Some(name) {
            out.push(',');
        } else {
            if previous.is_some() {
                out.push('\n');
                signed.push(';');
            }
            out.push_str(name);
            out.push(':');
            signed.push_str(name);
            previous = Some(name);
        }
        push_normalized_value(out, value);
    }
    if previous.is_some() {
        out.push('\n');
    }
}

/// Appends `value` trimmed, with every run of whitespace (spaces, tabs and
/// the line breaks of folded multi-line values) collapsed to one space.
fn push_normalized_value(out: &mut String, value: &str) {
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    // The usual value (a date, a host, a content type) has no spaces to
    // collapse or trim: copied at once.
    if !value.bytes().fold(false, |any, b| any | is_space(b)) {
        out.push_str(value);
        return;
    }
    let mut first = true;
    for word in value
        .split([' ', '\t', '\r', '\n'])
        .filter(|w| !w.is_empty())
    {
        if !first {
            out.push(' ');
        }
        out.push_str(word);
        first = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(v: &str) -> String {
        let mut out = String::new();
        push_normalized_value(&mut out, v);
        out
    }

    #[test]
    fn values_are_trimmed_and_collapsed() {
        assert_eq!(value("  value1 "), "value1");
        assert_eq!(value("\"a   b   c\""), "\"a b c\"");
        assert_eq!(
            value("value1\n  value2\n     value3"),
            "value1 value2 value3"
        );
        assert_eq!(value("a\t\r\n b"), "a b");
        assert_eq!(value(""), "");
        assert_eq!(value("   "), "");
    }

    #[test]
    fn repeated_headers_are_joined_in_order() {
        let entries = [
            (Cow::Borrowed("host"), "example.com"),
            (Cow::Borrowed("my-header1"), "value2"),
            (Cow::Borrowed("my-header1"), " value1 "),
            (Cow::Borrowed("x-amz-date"), "20150830T123600Z"),
        ];
        let (mut out, mut signed) = (String::new(), String::new());
        push_canonical_headers(&mut out, &mut signed, &entries);
        assert_eq!(
            out,
            "host:example.com\nmy-header1:value2,value1\nx-amz-date:20150830T123600Z\n"
        );
        assert_eq!(signed, "host;my-header1;x-amz-date");
    }

    #[test]
    fn names_are_lowercased_lazily() {
        assert!(matches!(lowercase_name("host"), Cow::Borrowed("host")));
        assert_eq!(lowercase_name(" My-Header1 "), "my-header1");
    }
}
