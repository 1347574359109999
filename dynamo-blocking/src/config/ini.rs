//! A small parser for the INI dialect of the AWS shared `config` and
//! `credentials` files.
//!
//! The parser never fails: lines it cannot make sense of are skipped, the way
//! the AWS SDKs tolerate hand-edited files. The rules:
//!
//! * Blank lines and lines whose first non-blank character is `#` or `;` are
//!   comments.
//! * `[ name ]` starts a section. Whitespace inside the brackets is trimmed and
//!   runs of inner whitespace collapse to one space, so `[  profile   dev ]`
//!   is the section `profile dev`. A trailing comment after `]` is allowed.
//!   A malformed header (no `]`, junk after it, or more than two words) starts
//!   a section that is ignored, so its properties cannot leak into the section
//!   before it.
//! * `key = value` sets a property of the current section. Whitespace around
//!   the key, the `=` and the value is ignored; keys are case-insensitive
//!   (stored lowercase); a `#` or `;` preceded by whitespace starts a comment
//!   inside a value. Lines without `=`, with an empty key or a key containing
//!   whitespace, and properties outside any section are skipped. Later values
//!   override earlier ones, and a section that appears twice is merged.
//! * An indented `key = value` line following a property whose value is empty
//!   is a sub-property of it (the SDK's `services` form, e.g. `dynamodb =`
//!   followed by `  endpoint_url = ...`); it is stored as `parent.key`. Any
//!   other indented line is an ordinary property, which keeps files with
//!   indented keys working.
//!
//! The parsed file holds secrets, so it deliberately implements no `Debug`.

use std::collections::HashMap;

/// A parsed shared file: sections by normalized header, each a map of
/// lowercase keys to values.
#[derive(Clone, Default)]
pub(crate) struct Ini {
    sections: HashMap<String, HashMap<String, String>>,
}

impl Ini {
    /// Parses `text`. Never fails; see the module documentation for the rules.
    pub(crate) fn parse(text: &str) -> Ini {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut ini = Ini::default();
        // The section properties currently go to, if its header was valid.
        let mut current: Option<String> = None;
        // The key of the last top-level property when its value was empty:
        // indented lines that follow are its sub-properties.
        let mut parent: Option<String> = None;

        for raw in text.lines() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            if line.starts_with('[') {
                parent = None;
                current = parse_header(line);
                if let Some(name) = &current {
                    ini.sections.entry(name.clone()).or_default();
                }
                continue;
            }
            let Some(section) = current.as_ref().and_then(|s| ini.sections.get_mut(s)) else {
                continue;
            };
            let Some((key, value)) = parse_property(line) else {
                continue;
            };
            let indented = raw.starts_with(char::is_whitespace);
            if indented {
                if let Some(parent_key) = &parent {
                    section.insert(format!("{parent_key}.{key}"), value);
                    continue;
                }
            }
            parent = if value.is_empty() {
                Some(key.clone())
            } else {
                None
            };
            section.insert(key, value);
        }
        ini
    }

    /// Whether a section with this (normalized) header exists.
    pub(crate) fn has_section(&self, section: &str) -> bool {
        self.sections.contains_key(section)
    }

    /// The value of `key` (lowercase) in `section`; empty values count as
    /// absent.
    pub(crate) fn get(&self, section: &str, key: &str) -> Option<&str> {
        self.sections
            .get(section)?
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// Parses a trimmed line starting with `[`; `None` if malformed.
fn parse_header(line: &str) -> Option<String> {
    let close = line.find(']')?;
    let after = line[close + 1..].trim_start();
    if !(after.is_empty() || after.starts_with('#') || after.starts_with(';')) {
        return None;
    }
    let words: Vec<&str> = line[1..close].split_whitespace().collect();
    match words.as_slice() {
        [name] => Some((*name).to_string()),
        [kind, name] => Some(format!("{kind} {name}")),
        _ => None,
    }
}

/// Parses a trimmed `key = value` line; `None` if malformed.
fn parse_property(line: &str) -> Option<(String, String)> {
    let (key, value) = line.split_once('=')?;
    let key = key.trim();
    if key.is_empty() || key.contains(char::is_whitespace) {
        return None;
    }
    Some((
        key.to_ascii_lowercase(),
        strip_inline_comment(value).trim().to_string(),
    ))
}

/// Cuts `value` at the first `#` or `;` that follows whitespace.
fn strip_inline_comment(value: &str) -> &str {
    let mut prev_blank = false;
    for (i, c) in value.char_indices() {
        if prev_blank && (c == '#' || c == ';') {
            return &value[..i];
        }
        prev_blank = c.is_whitespace();
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_keys_and_whitespace() {
        let ini = Ini::parse(
            "\u{feff}# leading comment\n\
             ; another comment\n\
             [default]\n\
             region=us-east-1\n\
             \n\
             [  profile    dev  ]   # trailing comment\r\n\
             Region   =   eu-west-1   \r\n\
             aws_access_key_id\t=\tAKID\n",
        );
        assert_eq!(ini.get("default", "region"), Some("us-east-1"));
        assert_eq!(ini.get("profile dev", "region"), Some("eu-west-1"));
        assert_eq!(ini.get("profile dev", "aws_access_key_id"), Some("AKID"));
        assert!(!ini.has_section("dev"));
    }

    #[test]
    fn inline_comments_need_preceding_whitespace() {
        let ini = Ini::parse("[a]\nx = one # comment\ny = two;three\nz = four ; c\nw = #all\n");
        assert_eq!(ini.get("a", "x"), Some("one"));
        assert_eq!(ini.get("a", "y"), Some("two;three"));
        assert_eq!(ini.get("a", "z"), Some("four"));
        assert_eq!(ini.get("a", "w"), None);
    }

    #[test]
    fn malformed_lines_are_skipped_without_panicking() {
        let ini = Ini::parse(
            "orphan = before any section\n\
             [good]\n\
             no equals sign here\n\
             = no key\n\
             two words = x\n\
             ok = yes\n\
             [broken\n\
             leaked = no\n\
             [also broken] junk\n\
             leaked2 = no\n\
             [too many words here]\n\
             leaked3 = no\n\
             []\n\
             [\n\
             ]\n\
             ===\n\
             [good]\n\
             later = merged\n",
        );
        assert_eq!(ini.get("good", "ok"), Some("yes"));
        assert_eq!(ini.get("good", "later"), Some("merged"));
        assert_eq!(ini.get("good", "leaked"), None);
        assert_eq!(ini.get("good", "leaked2"), None);
        assert_eq!(ini.get("good", "leaked3"), None);
        assert_eq!(ini.get("good", "two words"), None);
        assert!(!ini.has_section("broken"));
    }

    #[test]
    fn later_values_win_and_empty_values_are_absent() {
        let ini = Ini::parse("[a]\nk = 1\nk = 2\ne =\n");
        assert_eq!(ini.get("a", "k"), Some("2"));
        assert_eq!(ini.get("a", "e"), None);
        assert_eq!(ini.get("missing", "k"), None);
    }

    #[test]
    fn sub_properties_follow_an_empty_parent() {
        let ini = Ini::parse(
            "[services local]\n\
             dynamodb =\n\
             \x20 endpoint_url = http://localhost:8000\n\
             \x20 # comment inside\n\
             \x20 other = 1\n\
             s3 =\n\
             \tendpoint_url = http://localhost:9000\n\
             top = level\n",
        );
        assert_eq!(
            ini.get("services local", "dynamodb.endpoint_url"),
            Some("http://localhost:8000")
        );
        assert_eq!(ini.get("services local", "dynamodb.other"), Some("1"));
        assert_eq!(
            ini.get("services local", "s3.endpoint_url"),
            Some("http://localhost:9000")
        );
        assert_eq!(ini.get("services local", "endpoint_url"), None);
        assert_eq!(ini.get("services local", "top"), Some("level"));
    }

    #[test]
    fn indented_keys_without_empty_parent_are_ordinary() {
        let ini =
            Ini::parse("[default]\n  aws_access_key_id = AKID\n  aws_secret_access_key = S\n");
        assert_eq!(ini.get("default", "aws_access_key_id"), Some("AKID"));
        assert_eq!(ini.get("default", "aws_secret_access_key"), Some("S"));
    }

    #[test]
    fn arbitrary_bytes_do_not_panic() {
        for text in [
            "[",
            "]",
            "[]]",
            "[a]\n=",
            "[a]\n  =\n  =",
            "[a]\nk=\n \u{2003}x=é\n",
            "\u{feff}",
        ] {
            let _ = Ini::parse(text);
        }
    }
}
