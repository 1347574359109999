//! The precedence logic behind [`resolve`](super::resolve), and the loading
//! of the shared `credentials` and `config` files.

use std::io;
use std::path::{Path, PathBuf};

use super::endpoint::{check_region, Endpoint};
use super::env::Environment;
use super::error::{ConfigError, Source};
use super::ini::Ini;
use super::Settings;
use crate::Credentials;

const ACCESS_KEY_ID: &str = "AWS_ACCESS_KEY_ID";
const SECRET_ACCESS_KEY: &str = "AWS_SECRET_ACCESS_KEY";
const SESSION_TOKEN: &str = "AWS_SESSION_TOKEN";
const PROFILE: &str = "AWS_PROFILE";
const REGION: &str = "AWS_REGION";
const DEFAULT_REGION: &str = "AWS_DEFAULT_REGION";
const ENDPOINT_URL_DYNAMODB: &str = "AWS_ENDPOINT_URL_DYNAMODB";
const ENDPOINT_URL: &str = "AWS_ENDPOINT_URL";
const IGNORE_CONFIGURED_ENDPOINT_URLS: &str = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";
const SHARED_CREDENTIALS_FILE: &str = "AWS_SHARED_CREDENTIALS_FILE";
const CONFIG_FILE: &str = "AWS_CONFIG_FILE";

/// The name of DynamoDB in `[services ...]` sections of the config file.
const SERVICE_KEY: &str = "dynamodb";

/// Profile keys that select credential providers this library lacks; named
/// in the "missing credentials" message so users understand why a profile
/// that works with the AWS CLI does not work here.
const UNSUPPORTED_PROVIDER_KEYS: [&str; 6] = [
    "role_arn",
    "credential_process",
    "sso_session",
    "sso_start_url",
    "web_identity_token_file",
    "credential_source",
];

/// Resolves settings in precedence order, loading the shared files at most
/// once and only when a setting is not given explicitly or by the
/// environment.
pub(crate) struct Resolver<'a> {
    explicit: &'a Settings,
    env: &'a Environment,
    profile: String,
    /// Where the profile name came from; `None` when it is the default.
    profile_origin: Option<Source>,
    files: Option<Profiles>,
}

impl<'a> Resolver<'a> {
    pub(crate) fn new(explicit: &'a Settings, env: &'a Environment) -> Self {
        let (profile, profile_origin) = if let Some(name) = non_blank(explicit.profile()) {
            (name.to_string(), Some(Source::Explicit))
        } else if let Some(name) = env.get_trimmed(PROFILE) {
            (name, Some(Source::EnvVar(PROFILE)))
        } else {
            ("default".to_string(), None)
        };
        Resolver {
            explicit,
            env,
            profile,
            profile_origin,
            files: None,
        }
    }

    /// The name of the selected profile.
    pub(crate) fn profile(&self) -> &str {
        &self.profile
    }

    /// Explicit credentials; else the environment; else the credentials
    /// file, then the config file.
    pub(crate) fn credentials(&mut self) -> Result<(Credentials, Source), ConfigError> {
        if let Some(credentials) = self.explicit.credentials() {
            return Ok((credentials.clone(), Source::Explicit));
        }
        let mut looked_at = vec!["explicit settings (none given)".to_string()];

        let id = self.env.get_trimmed(ACCESS_KEY_ID);
        let secret = self.env.get_trimmed(SECRET_ACCESS_KEY);
        match (id, secret) {
            (Some(id), Some(secret)) => {
                let mut credentials = Credentials::new(id, secret);
                if let Some(token) = self.env.get_trimmed(SESSION_TOKEN) {
                    credentials = credentials.with_session_token(token);
                }
                return Ok((credentials, Source::EnvVar(ACCESS_KEY_ID)));
            }
            (Some(_), None) => {
                return Err(ConfigError::IncompleteCredentials {
                    origin: Source::EnvVar(ACCESS_KEY_ID),
                    present: ACCESS_KEY_ID,
                    missing: SECRET_ACCESS_KEY,
                })
            }
            (None, Some(_)) => {
                return Err(ConfigError::IncompleteCredentials {
                    origin: Source::EnvVar(SECRET_ACCESS_KEY),
                    present: SECRET_ACCESS_KEY,
                    missing: ACCESS_KEY_ID,
                })
            }
            (None, None) => looked_at.push(format!(
                "environment variables {ACCESS_KEY_ID}/{SECRET_ACCESS_KEY} (not set)"
            )),
        }

        let profiles = self.profiles()?;
        let candidates = [
            (&profiles.credentials, profiles.credentials_section()),
            (&profiles.config, profiles.config_section()),
        ];
        for (file, section) in candidates {
            if let Some(found) = file.static_credentials(&section, &mut looked_at)? {
                return Ok(found);
            }
        }
        Err(ConfigError::MissingCredentials { looked_at })
    }

    /// Explicit region; else `AWS_REGION`; else `AWS_DEFAULT_REGION`; else
    /// the profile's `region` in the config file.
    pub(crate) fn region(&mut self) -> Result<(String, Source), ConfigError> {
        let (region, origin) = if let Some(region) = non_blank(self.explicit.region()) {
            (region.to_string(), Source::Explicit)
        } else if let Some(region) = self.env.get_trimmed(REGION) {
            (region, Source::EnvVar(REGION))
        } else if let Some(region) = self.env.get_trimmed(DEFAULT_REGION) {
            (region, Source::EnvVar(DEFAULT_REGION))
        } else {
            let profiles = self.profiles()?;
            let section = profiles.config_section();
            match profiles.config.get(&section, "region") {
                Some(region) => (region.to_string(), profiles.config.source(&section)),
                None => {
                    let looked_at = vec![
                        "explicit settings (none given)".to_string(),
                        format!("environment variable {REGION} (not set)"),
                        format!("environment variable {DEFAULT_REGION} (not set)"),
                        profiles
                            .config
                            .describe_miss(&section, "no region key", &profiles.profile),
                    ];
                    return Err(ConfigError::MissingRegion { looked_at });
                }
            }
        };
        check_region(&region).map_err(|reason| ConfigError::InvalidRegion {
            region: region.clone(),
            origin: origin.clone(),
            reason,
        })?;
        Ok((region, origin))
    }

    /// Explicit endpoint; else `AWS_ENDPOINT_URL_DYNAMODB`; else
    /// `AWS_ENDPOINT_URL`; else the profile's `services` section, then its
    /// `endpoint_url`; else the standard AWS endpoint of `region`.
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` (or the profile's
    /// `ignore_configured_endpoint_urls = true`) skips the environment and
    /// the profile.
    pub(crate) fn endpoint(&mut self, region: &str) -> Result<(Endpoint, Source), ConfigError> {
        if let Some(url) = non_blank(self.explicit.endpoint()) {
            return parse_endpoint(url, Source::Explicit);
        }
        let ignore_from_env = self
            .env
            .get_trimmed(IGNORE_CONFIGURED_ENDPOINT_URLS)
            .map(|v| v.eq_ignore_ascii_case("true"));
        if ignore_from_env != Some(true) {
            let from_env = [ENDPOINT_URL_DYNAMODB, ENDPOINT_URL]
                .into_iter()
                .find_map(|name| {
                    self.env
                        .get_trimmed(name)
                        .map(|url| (url, Source::EnvVar(name)))
                });
            let configured = match from_env {
                Some(found) => Some(found),
                None => self.profiles()?.endpoint_url(),
            };
            if let Some((url, origin)) = configured {
                let ignore = match ignore_from_env {
                    Some(flag) => flag,
                    None => self.profiles()?.ignores_configured_endpoints(),
                };
                if !ignore {
                    return parse_endpoint(&url, origin);
                }
            }
        }
        let endpoint = Endpoint::for_region(region).map_err(|e| ConfigError::InvalidRegion {
            region: region.to_string(),
            origin: Source::Explicit,
            reason: format!("cannot build the default endpoint from it: {}", e.reason()),
        })?;
        Ok((endpoint, Source::Default))
    }

    /// The shared files, loaded on first use. Fails if a file exists but
    /// cannot be read, or if a profile selected by name exists in neither.
    fn profiles(&mut self) -> Result<&Profiles, ConfigError> {
        let profiles = match self.files.take() {
            Some(profiles) => profiles,
            None => Profiles::load(self.env, &self.profile, self.profile_origin.as_ref())?,
        };
        Ok(self.files.insert(profiles))
    }
}

/// The selected profile's view of both shared files.
struct Profiles {
    profile: String,
    credentials: SharedFile,
    config: SharedFile,
}

impl Profiles {
    fn load(
        env: &Environment,
        profile: &str,
        origin: Option<&Source>,
    ) -> Result<Profiles, ConfigError> {
        let home = home_dir(env);
        let credentials =
            SharedFile::load(env, SHARED_CREDENTIALS_FILE, "credentials", home.as_deref())?;
        let config = SharedFile::load(env, CONFIG_FILE, "config", home.as_deref())?;
        let profiles = Profiles {
            profile: profile.to_string(),
            credentials,
            config,
        };
        if let Some(origin) = origin {
            let credentials_section = profiles.credentials_section();
            let config_section = profiles.config_section();
            let exists = profiles.credentials.has_section(&credentials_section)
                || profiles.config.has_section(&config_section);
            if !exists && profile != "default" {
                return Err(ConfigError::ProfileNotFound {
                    profile: profile.to_string(),
                    origin: origin.clone(),
                    looked_at: vec![
                        profiles
                            .credentials
                            .describe_miss(&credentials_section, "", profile),
                        profiles.config.describe_miss(&config_section, "", profile),
                    ],
                });
            }
        }
        Ok(profiles)
    }

    /// In the credentials file a profile's section is its bare name.
    fn credentials_section(&self) -> String {
        self.profile.clone()
    }

    /// In the config file it is `[profile NAME]`; the default profile may
    /// also be written `[default]` (`[profile default]` wins if both exist).
    fn config_section(&self) -> String {
        let prefixed = format!("profile {}", self.profile);
        if self.profile == "default" && !self.config.has_section(&prefixed) {
            return "default".to_string();
        }
        prefixed
    }

    /// The endpoint configured in the config file: the DynamoDB entry of the
    /// profile's `services` section, else the profile's `endpoint_url`.
    fn endpoint_url(&self) -> Option<(String, Source)> {
        let section = self.config_section();
        if let Some(services) = self.config.get(&section, "services") {
            let services_section = format!("services {services}");
            let key = format!("{SERVICE_KEY}.endpoint_url");
            if let Some(url) = self.config.get(&services_section, &key) {
                return Some((url.to_string(), self.config.source(&services_section)));
            }
        }
        let url = self.config.get(&section, "endpoint_url")?;
        Some((url.to_string(), self.config.source(&section)))
    }

    fn ignores_configured_endpoints(&self) -> bool {
        self.config
            .get(&self.config_section(), "ignore_configured_endpoint_urls")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }
}

/// One shared file: where it is, and its contents if it exists.
struct SharedFile {
    /// `None` when the file could not be located (no home directory).
    path: Option<PathBuf>,
    /// How the file is named in messages.
    label: String,
    /// `None` when the file does not exist or could not be located.
    ini: Option<Ini>,
    /// Why `ini` is `None`.
    absent: &'static str,
}

impl SharedFile {
    /// Locates the file (`override_var`, else `~/.aws/{name}`) and reads it.
    /// A missing file is not an error; an unreadable one is.
    fn load(
        env: &Environment,
        override_var: &str,
        name: &str,
        home: Option<&Path>,
    ) -> Result<SharedFile, ConfigError> {
        let path = match env.get(override_var) {
            Some(path) => Some(expand_home(&path, home)),
            None => home.map(|home| home.join(".aws").join(name)),
        };
        let Some(path) = path else {
            return Ok(SharedFile {
                path: None,
                label: format!("~/.aws/{name}"),
                ini: None,
                absent: "not located: HOME and USERPROFILE are unset",
            });
        };
        let label = path.display().to_string();
        match std::fs::read(&path) {
            Ok(bytes) => Ok(SharedFile {
                path: Some(path),
                label,
                ini: Some(Ini::parse(&String::from_utf8_lossy(&bytes))),
                absent: "",
            }),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(SharedFile {
                path: Some(path),
                label,
                ini: None,
                absent: "file not found",
            }),
            Err(error) => Err(ConfigError::UnreadableFile { path, error }),
        }
    }

    fn has_section(&self, section: &str) -> bool {
        self.ini
            .as_ref()
            .is_some_and(|ini| ini.has_section(section))
    }

    fn get(&self, section: &str, key: &str) -> Option<&str> {
        self.ini.as_ref()?.get(section, key)
    }

    fn source(&self, section: &str) -> Source {
        Source::SharedFile {
            path: self
                .path
                .clone()
                .unwrap_or_else(|| PathBuf::from(&self.label)),
            section: section.to_string(),
        }
    }

    /// A `looked_at` entry for a lookup of `section` that found nothing:
    /// says whether the file or the section is missing, else `what`.
    fn describe_miss(&self, section: &str, what: &str, profile: &str) -> String {
        let note = if self.ini.is_none() {
            self.absent.to_string()
        } else if !self.has_section(section) {
            let misplaced = section.starts_with("profile ") && self.has_section(profile);
            if misplaced {
                format!("no such section; [{profile}] is ignored in the config file, write [profile {profile}]")
            } else {
                "no such profile".to_string()
            }
        } else {
            what.to_string()
        };
        if note.is_empty() {
            format!("{} [{section}]", self.label)
        } else {
            format!("{} [{section}] ({note})", self.label)
        }
    }

    /// The access key pair (and token) in `section`, if it has one. A half
    /// pair is an error; anything else missing is recorded in `looked_at`.
    fn static_credentials(
        &self,
        section: &str,
        looked_at: &mut Vec<String>,
    ) -> Result<Option<(Credentials, Source)>, ConfigError> {
        let id = self.get(section, "aws_access_key_id");
        let secret = self.get(section, "aws_secret_access_key");
        match (id, secret) {
            (Some(id), Some(secret)) => {
                let mut credentials = Credentials::new(id, secret);
                if let Some(token) = self.get(section, "aws_session_token") {
                    credentials = credentials.with_session_token(token);
                }
                Ok(Some((credentials, self.source(section))))
            }
            (Some(_), None) => Err(ConfigError::IncompleteCredentials {
                origin: self.source(section),
                present: "aws_access_key_id",
                missing: "aws_secret_access_key",
            }),
            (None, Some(_)) => Err(ConfigError::IncompleteCredentials {
                origin: self.source(section),
                present: "aws_secret_access_key",
                missing: "aws_access_key_id",
            }),
            (None, None) => {
                let mut what = "no aws_access_key_id/aws_secret_access_key".to_string();
                let unsupported: Vec<&str> = UNSUPPORTED_PROVIDER_KEYS
                    .into_iter()
                    .filter(|key| self.get(section, key).is_some())
                    .collect();
                if !unsupported.is_empty() {
                    what.push_str(&format!(
                        "; it uses {}, which this library does not support",
                        unsupported.join(", ")
                    ));
                }
                let profile = section.strip_prefix("profile ").unwrap_or(section);
                looked_at.push(self.describe_miss(section, &what, profile));
                Ok(None)
            }
        }
    }
}

/// The home directory: `HOME`, else `USERPROFILE`, else `HOMEDRIVE` +
/// `HOMEPATH` (Windows).
fn home_dir(env: &Environment) -> Option<PathBuf> {
    if let Some(home) = env.get("HOME").or_else(|| env.get("USERPROFILE")) {
        return Some(PathBuf::from(home));
    }
    match (env.get("HOMEDRIVE"), env.get("HOMEPATH")) {
        (Some(drive), Some(path)) => Some(PathBuf::from(format!("{drive}{path}"))),
        _ => None,
    }
}

/// Expands a leading `~` (alone, or followed by `/` or `\`) to `home`.
fn expand_home(path: &str, home: Option<&Path>) -> PathBuf {
    if let Some(home) = home {
        if path == "~" {
            return home.to_path_buf();
        }
        if let Some(rest) = path.strip_prefix("~/").or_else(|| path.strip_prefix("~\\")) {
            return home.join(rest);
        }
    }
    PathBuf::from(path)
}

fn non_blank(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

fn parse_endpoint(url: &str, origin: Source) -> Result<(Endpoint, Source), ConfigError> {
    match Endpoint::parse(url) {
        Ok(endpoint) => Ok((endpoint, origin)),
        Err(e) => Err(ConfigError::InvalidEndpoint {
            value: e.value().to_string(),
            origin,
            reason: e.reason().to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_directory_fallbacks() {
        let env = Environment::from_pairs([("HOME", "/h"), ("USERPROFILE", "/u")]);
        assert_eq!(home_dir(&env), Some(PathBuf::from("/h")));
        let env = Environment::from_pairs([("HOME", ""), ("USERPROFILE", "/u")]);
        assert_eq!(home_dir(&env), Some(PathBuf::from("/u")));
        let env = Environment::from_pairs([("HOMEDRIVE", "C:"), ("HOMEPATH", "\\Users\\me")]);
        assert_eq!(home_dir(&env), Some(PathBuf::from("C:\\Users\\me")));
        assert_eq!(home_dir(&Environment::empty()), None);
    }

    #[test]
    fn tilde_expansion() {
        let home = Path::new("/h");
        assert_eq!(expand_home("~/x/y", Some(home)), PathBuf::from("/h/x/y"));
        assert_eq!(expand_home("~", Some(home)), PathBuf::from("/h"));
        assert_eq!(
            expand_home("~other/x", Some(home)),
            PathBuf::from("~other/x")
        );
        assert_eq!(expand_home("/abs", Some(home)), PathBuf::from("/abs"));
        assert_eq!(expand_home("~/x", None), PathBuf::from("~/x"));
    }

    #[test]
    fn region_names() {
        for ok in [
            "us-east-1",
            "cn-north-1",
            "local",
            "fakeRegion",
            "my_region",
        ] {
            assert!(check_region(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "us east 1",
            "us-east-1/",
            "-us",
            "us-",
            "ü",
            "a.b",
            &"x".repeat(64),
        ] {
            assert!(check_region(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unlocated_files_are_reported_not_fatal() {
        let settings = Settings::new();
        let env = Environment::empty();
        let err = Resolver::new(&settings, &env).credentials().unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("~/.aws/credentials [default] (not located"),
            "{text}"
        );
        assert!(
            text.contains("~/.aws/config [default] (not located"),
            "{text}"
        );
    }
}
