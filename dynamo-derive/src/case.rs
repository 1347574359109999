//! `rename_all` rules: the case conventions serde users know, applied to
//! snake_case field names and PascalCase variant names.

/// A case convention for `#[dynamo(rename_all = "...")]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenameRule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

/// Every rule with its spelling, for parsing and for error messages.
const RULES: &[(&str, RenameRule)] = &[
    ("lowercase", RenameRule::Lower),
    ("UPPERCASE", RenameRule::Upper),
    ("PascalCase", RenameRule::Pascal),
    ("camelCase", RenameRule::Camel),
    ("snake_case", RenameRule::Snake),
    ("SCREAMING_SNAKE_CASE", RenameRule::ScreamingSnake),
    ("kebab-case", RenameRule::Kebab),
    ("SCREAMING-KEBAB-CASE", RenameRule::ScreamingKebab),
];

impl RenameRule {
    pub fn from_name(name: &str) -> Option<RenameRule> {
        RULES.iter().find(|(n, _)| *n == name).map(|&(_, r)| r)
    }

    /// `"lowercase"`, `"UPPERCASE"`, ... for error messages.
    pub fn valid_names() -> String {
        RULES
            .iter()
            .map(|(n, _)| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The rule spelled like `name` but for case and separators
    /// (`"camelcase"` -> `"camelCase"`), to suggest it.
    pub fn similar_name(name: &str) -> Option<&'static str> {
        let squash = |s: &str| {
            s.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase()
        };
        let wanted = squash(name);
        let mut matches = RULES.iter().filter(|(n, _)| squash(n) == wanted);
        match (matches.next(), matches.next()) {
            (Some((n, _)), None) => Some(n),
            _ => None,
        }
    }

    /// Applies the rule to a field name written in snake_case. As in serde,
    /// `lowercase` and `UPPERCASE` keep the underscores of a field name.
    pub fn apply_to_field(self, field: &str) -> String {
        match self {
            RenameRule::Lower => field.to_lowercase(),
            RenameRule::Upper => field.to_uppercase(),
            _ => self.join(field.split('_').filter(|w| !w.is_empty())),
        }
    }

    /// Applies the rule to a variant name written in PascalCase.
    pub fn apply_to_variant(self, variant: &str) -> String {
        self.join(pascal_words(variant).into_iter())
    }

    fn join<'a>(self, words: impl Iterator<Item = &'a str>) -> String {
        let words: Vec<&str> = words.collect();
        let lower = |w: &str| w.to_lowercase();
        let upper = |w: &str| w.to_uppercase();
        match self {
            RenameRule::Lower => words.iter().map(|w| lower(w)).collect::<Vec<_>>().join(""),
            RenameRule::Upper => words.iter().map(|w| upper(w)).collect::<Vec<_>>().join(""),
            RenameRule::Pascal => words.iter().map(|w| capitalize(w)).collect(),
            RenameRule::Camel => words
                .iter()
                .enumerate()
                .map(|(i, w)| if i == 0 { lower(w) } else { capitalize(w) })
                .collect(),
            RenameRule::Snake => words.iter().map(|w| lower(w)).collect::<Vec<_>>().join("_"),
            RenameRule::ScreamingSnake => {
                words.iter().map(|w| upper(w)).collect::<Vec<_>>().join("_")
            }
            RenameRule::Kebab => words.iter().map(|w| lower(w)).collect::<Vec<_>>().join("-"),
            RenameRule::ScreamingKebab => {
                words.iter().map(|w| upper(w)).collect::<Vec<_>>().join("-")
            }
        }
    }
}

/// `"dateJoined"` -> `"DateJoined"`, `"url"` -> `"Url"`.
fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// Splits a PascalCase name before each upper-case letter: `"KeysOnly"` ->
/// `["Keys", "Only"]`. Underscores also separate words.
fn pascal_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices() {
        if c == '_' {
            if start < i {
                words.push(&name[start..i]);
            }
            start = i + 1;
        } else if c.is_uppercase() && i > start {
            words.push(&name[start..i]);
            start = i;
        }
    }
    if start < name.len() {
        words.push(&name[start..]);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::RenameRule::{self, *};

    #[test]
    fn fields() {
        let cases: &[(RenameRule, &str)] = &[
            (Lower, "date_joined"),
            (Upper, "DATE_JOINED"),
            (Pascal, "DateJoined"),
            (Camel, "dateJoined"),
            (Snake, "date_joined"),
            (ScreamingSnake, "DATE_JOINED"),
            (Kebab, "date-joined"),
            (ScreamingKebab, "DATE-JOINED"),
        ];
        for &(rule, expected) in cases {
            assert_eq!(rule.apply_to_field("date_joined"), expected, "{rule:?}");
        }
        assert_eq!(Camel.apply_to_field("id"), "id");
        assert_eq!(Pascal.apply_to_field("a_b_c"), "ABC");
    }

    #[test]
    fn variants() {
        let cases: &[(RenameRule, &str)] = &[
            (Lower, "keysonly"),
            (Upper, "KEYSONLY"),
            (Pascal, "KeysOnly"),
            (Camel, "keysOnly"),
            (Snake, "keys_only"),
            (ScreamingSnake, "KEYS_ONLY"),
            (Kebab, "keys-only"),
            (ScreamingKebab, "KEYS-ONLY"),
        ];
        for &(rule, expected) in cases {
            assert_eq!(rule.apply_to_variant("KeysOnly"), expected, "{rule:?}");
        }
        assert_eq!(Snake.apply_to_variant("A"), "a");
    }

    #[test]
    fn parse() {
        assert_eq!(RenameRule::from_name("camelCase"), Some(Camel));
        assert_eq!(RenameRule::from_name("camelcase"), None);
        assert_eq!(RenameRule::similar_name("camelcase"), Some("camelCase"));
        assert_eq!(RenameRule::similar_name("Kebab_Case"), Some("kebab-case"));
        // Only a single rule with the same letters is suggested.
        assert_eq!(RenameRule::similar_name("snake"), None);
        assert_eq!(RenameRule::similar_name("upper_case"), Some("UPPERCASE"));
    }
}
