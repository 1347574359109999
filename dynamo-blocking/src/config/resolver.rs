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

    /// Explicit credentials; else the default chain (environment, profile,
    /// web identity, container, instance metadata).
    pub(crate) fn credentials(&mut self) -> Result<(Credentials, Source), ConfigError> {
        if let Some(credentials) = self.explicit.credentials() {
            let mut credentials = credentials.clone();
            if credentials.provider_name().is_none() {
                credentials = credentials.with_provider_name(Source::Explicit.to_string());
            }
            return Ok((credentials, Source::Explicit));
        }
        crate::credentials::chain::load(self)
    }

    /// The environment settings are read from.
    pub(crate) fn env(&self) -> &Environment {
        self.env
    }

    /// The region configured explicitly, in the environment or in the
    /// profile, without asking instance metadata; `None` when unset or
    /// unreadable (credential sources use it for STS).
    pub(crate) fn configured_region(&mut self) -> Option<String> {
        if let Some(region) = non_blank(self.explicit.region()) {
            return Some(region.to_string());
        }
        if let Some(region) = [REGION, DEFAULT_REGION]
            .into_iter()
            .find_map(|name| self.env.get_trimmed(name))
        {
            return Some(region);
        }
        let profiles = self.profiles().ok()?;
        let section = profiles.config_section();
        profiles.config.get(&section, "region").map(str::to_string)
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
            let env = self.env;
            let profiles = self.profiles()?;
            let section = profiles.config_section();
            match profiles.config.get(&section, "region") {
                Some(region) => (region.to_string(), profiles.config.source(&section)),
                None => {
                    let mut looked_at = vec![
                        "explicit settings (none given)".to_string(),
                        format!("environment variable {REGION} (not set)"),
                        format!("environment variable {DEFAULT_REGION} (not set)"),
                        profiles
                            .config
                            .describe_miss(&section, "no region key", &profiles.profile),
                    ];
                    match crate::credentials::imds::region(env, Some(profiles)) {
                        Ok(region) => (region, Source::InstanceMetadata),
                        Err(reason) => {
                            looked_at.push(reason);
                            return Err(ConfigError::MissingRegion { looked_at });
                        }
                    }
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
    pub(crate) fn profiles(&mut self) -> Result<&Profiles, ConfigError> {
        let profiles = match self.files.take() {
            Some(profiles) => profiles,
            None => Profiles::load(self.env, &self.profile, self.profile_origin.as_ref())?,
        };
        Ok(self.files.insert(profiles))
    }
}

/// The selected profile's view of both shared files.
pub(crate) struct Profiles {
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
        self.config_section_of(&self.profile)
    }

    fn config_section_of(&self, profile: &str) -> String {
        let prefixed = format!("profile {profile}");
        if profile == "default" && !self.config.has_section(&prefixed) {
            return "default".to_string();
        }
        prefixed
    }

    /// The name of the selected profile.
    pub(crate) fn selected(&self) -> &str {
        &self.profile
    }

    /// Whether `profile` has a section in either file.
    pub(crate) fn has_profile(&self, profile: &str) -> bool {
        self.credentials.has_section(profile)
            || self.config.has_section(&self.config_section_of(profile))
    }

    /// A key of `profile`: the credentials file wins over the config file,
    /// as in the SDKs.
    pub(crate) fn get(&self, profile: &str, key: &str) -> Option<(&str, Source)> {
        if let Some(value) = self.credentials.get(profile, key) {
            return Some((value, self.credentials.source(profile)));
        }
        let section = self.config_section_of(profile);
        let value = self.config.get(&section, key)?;
        Some((value, self.config.source(&section)))
    }

    /// A key of the config file's `[sso-session NAME]` section.
    pub(crate) fn sso_session(&self, session: &str, key: &str) -> Option<(&str, Source)> {
        let section = format!("sso-session {session}");
        let value = self.config.get(&section, key)?;
        Some((value, self.config.source(&section)))
    }

    /// The static keys of `profile` (credentials file first, then config
    /// file); a half pair is an error; a miss is described in `looked_at`.
    pub(crate) fn static_credentials(
        &self,
        profile: &str,
        looked_at: &mut Vec<String>,
    ) -> Result<Option<(Credentials, Source)>, ConfigError> {
        let candidates = [
            (&self.credentials, profile.to_string()),
            (&self.config, self.config_section_of(profile)),
        ];
        for (file, section) in candidates {
            if let Some(found) = file.static_credentials(&section, looked_at)? {
                return Ok(Some(found));
            }
        }
        Ok(None)
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
                let what = "no aws_access_key_id/aws_secret_access_key".to_string();
                let profile = section.strip_prefix("profile ").unwrap_or(section);
                looked_at.push(self.describe_miss(section, &what, profile));
                Ok(None)
            }
        }
    }
}

/// The home directory: `HOME`, else `USERPROFILE`, else `HOMEDRIVE` +
/// `HOMEPATH` (Windows).
pub(crate) fn home_dir(env: &Environment) -> Option<PathBuf> {
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
        let env = Environment::from_pairs([("AWS_EC2_METADATA_DISABLED", "true")]);
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
