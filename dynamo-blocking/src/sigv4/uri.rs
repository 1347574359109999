//! Canonical URI path and canonical query string.
//!
//! Both are written straight into the canonical-request buffer, so the
//! common DynamoDB case (`/` and an empty query) allocates nothing.

use std::borrow::Cow;

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// RFC 3986 unreserved characters: `A-Z a-z 0-9 - . _ ~`.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Appends `%XX` (uppercase hex) for `byte`.
fn push_percent_encoded(out: &mut String, byte: u8) {
    out.push('%');
    out.push(HEX_UPPER[usize::from(byte >> 4)] as char);
    out.push(HEX_UPPER[usize::from(byte & 0x0f)] as char);
}

/// Appends `s` with every byte except unreserved characters (and `/` when
/// `keep_slash`) percent-encoded.
fn push_uri_encoded(out: &mut String, s: &str, keep_slash: bool) {
    // Copy runs of characters that need no escaping in one go.
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if is_unreserved(b) || (keep_slash && b == b'/') {
            continue;
        }
        // A non-empty run holds only unreserved ASCII (and `/`), so both
        // ends fall on char boundaries.
        if start < i {
            out.push_str(&s[start..i]);
        }
        push_percent_encoded(out, b);
        start = i + 1;
    }
    if start < bytes.len() {
        out.push_str(&s[start..]);
    }
}

/// Appends the canonical URI for `path` to `out`.
///
/// `path` is the path as it will be sent. With `normalize`, empty and `.`
/// segments are dropped and `..` removes the previous segment (RFC 3986
/// dot-segment removal plus collapsing of repeated slashes); a trailing
/// slash is kept. Without it the path is used as given (S3 style). Either
/// way each byte outside the unreserved set (other than `/`) is then
/// percent-encoded, so an already-encoded `%20` becomes `%2520`: the
/// "double encoding" AWS expects for every service except S3.
pub(crate) fn push_canonical_path(out: &mut String, path: &str, normalize: bool) {
    if path.is_empty() {
        out.push('/');
        return;
    }
    if !normalize || !needs_normalization(path) {
        if !path.starts_with('/') {
            out.push('/');
        }
        push_uri_encoded(out, path, true);
        return;
    }

    let last = path.rsplit('/').next().unwrap_or("");
    let trailing_slash = matches!(last, "" | "." | "..");
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    out.push('/');
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        push_uri_encoded(out, segment, false);
    }
    if trailing_slash && !segments.is_empty() {
        out.push('/');
    }
}

/// Whether `path` has an empty (other than a final one), `.` or `..` segment.
fn needs_normalization(path: &str) -> bool {
    let rest = path.strip_prefix('/').unwrap_or(path);
    let mut segments = rest.split('/').peekable();
    while let Some(segment) = segments.next() {
        let is_last = segments.peek().is_none();
        match segment {
            "." | ".." => return true,
            "" if !is_last => return true,
            _ => {}
        }
    }
    false
}

/// Appends the canonical query string for the raw query `query` (without
/// the `?`) to `out`.
///
/// Parameters are split on `&` and `=`, percent-decoded, re-encoded with
/// only unreserved characters left bare (`%XX` uppercase, `+` and space
/// become `%2B` and `%20`), then sorted by key and, for equal keys, by value.
/// A parameter without `=` gets an empty value; empty parameters are dropped.
pub(crate) fn push_canonical_query(out: &mut String, query: &str) {
    if query.is_empty() {
        return;
    }
    let mut params: Vec<(Cow<'_, str>, Cow<'_, str>)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (canonical_component(k), canonical_component(v))
        })
        .collect();
    // Equal (key, value) pairs are indistinguishable, so unstable is fine.
    params.sort_unstable();
    for (i, (k, v)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
}

/// The canonical (decoded, then strictly re-encoded) form of one query key
/// or value; borrowed when the input already is canonical.
fn canonical_component(raw: &str) -> Cow<'_, str> {
    if is_canonical_component(raw.as_bytes()) {
        return Cow::Borrowed(raw);
    }
    let decoded = percent_decode(raw.as_bytes());
    let mut out = String::with_capacity(decoded.len() * 3);
    for &b in &decoded {
        if is_unreserved(b) {
            out.push(b as char);
        } else {
            push_percent_encoded(&mut out, b);
        }
    }
    Cow::Owned(out)
}

/// True when re-encoding `raw` would give back `raw`: only unreserved bytes
/// and uppercase `%XX` escapes of bytes that must stay escaped.
fn is_canonical_component(raw: &[u8]) -> bool {
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if is_unreserved(b) {
            i += 1;
            continue;
        }
        if b != b'%' || i + 2 >= raw.len() {
            return false;
        }
        let (hi, lo) = (raw[i + 1], raw[i + 2]);
        let upper_hex = |c: u8| c.is_ascii_digit() || (b'A'..=b'F').contains(&c);
        if !upper_hex(hi) || !upper_hex(lo) {
            return false;
        }
        let byte = (hex_value(hi) << 4) | hex_value(lo);
        if is_unreserved(byte) {
            return false;
        }
        i += 3;
    }
    true
}

fn hex_value(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

/// Decodes `%XX` escapes; a `%` not followed by two hex digits stays literal.
fn percent_decode(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if b == b'%'
            && i + 2 < raw.len()
            && raw[i + 1].is_ascii_hexdigit()
            && raw[i + 2].is_ascii_hexdigit()
        {
            out.push((hex_value(raw[i + 1]) << 4) | hex_value(raw[i + 2]));
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    out
}
