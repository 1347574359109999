//! Where environment variables come from.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// A source of environment variables for configuration resolution.
///
/// [`Environment::process`] reads the real process environment; the other
/// constructors build an environment from values you supply, so tests can
/// resolve configuration without touching (or racing on) the process
/// environment.
///
/// Empty and whitespace-only values count as unset, whatever the source.
///
/// `Debug` prints variable names only, never values: a map environment
/// usually holds `AWS_SECRET_ACCESS_KEY`.
///
/// ```
/// use dynamo_blocking::config::Environment;
///
/// let env = Environment::from_pairs([("AWS_REGION", "eu-west-1"), ("AWS_PROFILE", "")]);
/// assert_eq!(env.get("AWS_REGION").as_deref(), Some("eu-west-1"));
/// assert_eq!(env.get("AWS_PROFILE"), None); // empty counts as unset
/// assert_eq!(env.get("HOME"), None);
/// ```
#[derive(Clone)]
pub struct Environment {
    source: EnvSource,
}

type Lookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

#[derive(Clone)]
enum EnvSource {
    Process,
    Map(HashMap<String, String>),
    Custom(Lookup),
}

impl Environment {
    /// The environment of the current process, read at lookup time through
    /// [`std::env::var`]. Values that are not valid Unicode count as unset.
    pub fn process() -> Self {
        Environment {
            source: EnvSource::Process,
        }
    }

    /// An environment with no variables at all.
    pub fn empty() -> Self {
        Environment::from_map(HashMap::new())
    }

    /// An environment holding exactly the variables in `map`.
    pub fn from_map(map: HashMap<String, String>) -> Self {
        Environment {
            source: EnvSource::Map(map),
        }
    }

    /// An environment holding exactly the given `(name, value)` pairs; a
    /// later pair overrides an earlier one with the same name.
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Environment::from_map(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    /// An environment answered by `lookup`, for layering or custom sources.
    pub fn from_fn<F>(lookup: F) -> Self
    where
        F: Fn(&str) -> Option<String> + Send + Sync + 'static,
    {
        Environment {
            source: EnvSource::Custom(Arc::new(lookup)),
        }
    }

    /// The value of the variable `name`, or `None` when it is unset, empty
    /// or only whitespace. The value is returned as stored (not trimmed).
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.source {
            EnvSource::Process => std::env::var(name).ok(),
            EnvSource::Map(map) => map.get(name).cloned(),
            EnvSource::Custom(lookup) => lookup(name),
        };
        value.filter(|v| !v.trim().is_empty())
    }

    /// Like [`get`](Self::get), with surrounding whitespace removed.
    pub(crate) fn get_trimmed(&self, name: &str) -> Option<String> {
        self.get(name).map(|v| v.trim().to_string())
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Environment {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Environment::from_pairs(iter)
    }
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            EnvSource::Process => f.write_str("Environment(process)"),
            EnvSource::Custom(_) => f.write_str("Environment(custom)"),
            EnvSource::Map(map) => {
                let mut names: Vec<&str> = map.keys().map(String::as_str).collect();
                names.sort_unstable();
                f.debug_struct("Environment")
                    .field("variables", &names)
                    .finish()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_values_are_unset() {
        let env = Environment::from_pairs([("A", ""), ("B", "  \t"), ("C", " x ")]);
        assert_eq!(env.get("A"), None);
        assert_eq!(env.get("B"), None);
        assert_eq!(env.get("C").as_deref(), Some(" x "));
        assert_eq!(env.get_trimmed("C").as_deref(), Some("x"));
        assert_eq!(env.get("D"), None);
    }

    #[test]
    fn custom_lookup_and_from_iterator() {
        let env = Environment::from_fn(|name| (name == "X").then(|| "1".to_string()));
        assert_eq!(env.get("X").as_deref(), Some("1"));
        assert_eq!(env.get("Y"), None);
        let env: Environment = vec![("K", "v")].into_iter().collect();
        assert_eq!(env.get("K").as_deref(), Some("v"));
    }

    #[test]
    fn process_environment_is_read_not_written() {
        // Cargo sets CARGO_MANIFEST_DIR for test processes; only reads here.
        let env = Environment::process();
        assert_eq!(
            env.get("CARGO_MANIFEST_DIR"),
            std::env::var("CARGO_MANIFEST_DIR").ok()
        );
        assert!(env.get("CARGO_MANIFEST_DIR").is_some());
        assert_eq!(env.get("DYNAMO_RS_CONFIG_TEST_SURELY_UNSET_VARIABLE"), None);
        assert_eq!(format!("{env:?}"), "Environment(process)");
    }

    #[test]
    fn debug_shows_names_but_not_values() {
        let env = Environment::from_pairs([("AWS_SECRET_ACCESS_KEY", "very-secret-value")]);
        let printed = format!("{env:?}");
        assert!(printed.contains("AWS_SECRET_ACCESS_KEY"));
        assert!(!printed.contains("very-secret-value"));
    }
}
