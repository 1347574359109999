//! Credentials from the selected profile of the shared files.
//!
//! What a profile can say (SDKs and Tools Reference Guide: "Assume role
//! credential provider", "IAM Identity Center credential provider",
//! "Process credential provider", "Static credentials"):
//! * `role_arn` with `source_profile` (whose credentials assume the role;
//!   chains of profiles allowed, a cycle is an error) or `credential_source`
//!   (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`), plus
//!   `external_id`, `role_session_name`, `duration_seconds`;
//! * `role_arn` with `web_identity_token_file` (and `role_session_name`);
//! * `sso_session` (with an `[sso-session NAME]` section) or the legacy
//!   `sso_start_url` + `sso_region`, with `sso_account_id`, `sso_role_name`;
//! * `credential_process`;
//! * static `aws_access_key_id`, `aws_secret_access_key`,
//!   `aws_session_token`.
//!
//! In the selected profile, `role_arn` wins over static keys; in a source
//! profile static keys win (they end the chain), as in the AWS CLI and
//! SDKs. A profile naming itself as `source_profile` uses its own static
//! keys to assume its role.

use super::chain::Context;
use super::sts::{Role, Sts};
use super::{container, environment, imds, process, sso};
use super::{CredentialsError, CredentialsErrorKind};
use crate::config::resolver::Profiles;
use crate::config::{ConfigError, Source};
use crate::Credentials;

/// Where the first credentials of a profile chain come from.
enum Base {
    Static(Credentials),
    WebIdentity {
        role_arn: String,
        token_file: String,
        session_name: Option<String>,
    },
    CredentialSource(String),
    Sso(sso::SsoProfile),
    Process(String),
}

/// The chain's step: `Ok(None)` when the profile holds no credentials of
/// any kind (each file's miss is noted in `looked_at`).
pub(crate) fn load(
    profiles: &Profiles,
    cx: &Context<'_>,
    looked_at: &mut Vec<String>,
) -> Result<Option<(Credentials, Source)>, ConfigError> {
    let selected = profiles.selected().to_string();
    let Some((base, roles, origin)) = plan(profiles, &selected, looked_at)? else {
        return Ok(None);
    };
    let name = |what: &str| format!("profile {selected}: {what}");
    let (mut credentials, mut description) = match base {
        Base::Static(credentials) => (credentials, origin.to_string()),
        Base::WebIdentity {
            role_arn,
            token_file,
            session_name,
        } => (
            Sts::new(cx.env, cx.region).assume_role_with_web_identity(
                &role_arn,
                &token_file,
                session_name.as_deref(),
            )?,
            name(&format!("web identity {role_arn}")),
        ),
        Base::CredentialSource(source) => (
            credential_source(&selected, &source, cx)?,
            name(&format!("credential_source {source}")),
        ),
        Base::Sso(sso) => (sso.credentials(cx.env)?, name(&sso.describe())),
        Base::Process(command) => (
            process::run(&selected, &command)?,
            name("credential_process"),
        ),
    };
    if roles.is_empty()
        && matches!(origin, Source::SharedFile { .. })
        && description == origin.to_string()
    {
        // Plain static keys: the file section is the whole story.
        return Ok(Some((credentials, origin)));
    }
    let sts = Sts::new(cx.env, cx.region);
    for role in roles.iter().rev() {
        credentials = sts.assume_role(&credentials, role)?;
        description = format!("{description}, then assume role {}", role.role_arn);
    }
    Ok(Some((credentials, Source::Provider(description))))
}

/// Walks `source_profile` links from `start` to the base credentials,
/// collecting the roles to assume (outermost first).
fn plan(
    profiles: &Profiles,
    start: &str,
    looked_at: &mut Vec<String>,
) -> Result<Option<(Base, Vec<Role>, Source)>, ConfigError> {
    let mut visited: Vec<String> = Vec::new();
    let mut roles: Vec<Role> = Vec::new();
    let mut name = start.to_string();
    loop {
        let in_chain = !roles.is_empty();
        let source_name = format!("profile {start}");
        if visited.contains(&name) {
            visited.push(name);
            return Err(CredentialsError::of(
                source_name,
                CredentialsErrorKind::ProfileCycle,
                format!(
                    "source_profile links form a cycle: {}",
                    visited.join(" -> ")
                ),
            )
            .into());
        }
        if in_chain && !profiles.has_profile(&name) {
            return Err(CredentialsError::of(
                source_name,
                CredentialsErrorKind::MissingSourceProfile,
                format!(
                    "profile {} names source_profile {name}, which exists in neither shared file",
                    visited.last().map(String::as_str).unwrap_or(start)
                ),
            )
            .into());
        }
        visited.push(name.clone());
        let get = |key: &str| profiles.get(&name, key).map(|(v, _)| v.to_string());
        let mut scratch = Vec::new();
        if in_chain {
            if let Some((credentials, origin)) = profiles.static_credentials(&name, &mut scratch)? {
                return Ok(Some((Base::Static(credentials), roles, origin)));
            }
        }
        let origin = profiles
            .get(&name, "role_arn")
            .or_else(|| profiles.get(&name, "sso_session"))
            .or_else(|| profiles.get(&name, "sso_start_url"))
            .or_else(|| profiles.get(&name, "credential_process"))
            .map(|(_, source)| source);
        if let Some(role_arn) = get("role_arn") {
            if let Some(token_file) = get("web_identity_token_file") {
                let base = Base::WebIdentity {
                    role_arn,
                    token_file,
                    session_name: get("role_session_name"),
                };
                return Ok(Some((base, roles, origin.unwrap_or(Source::Default))));
            }
            let duration_seconds = match get("duration_seconds") {
                None => None,
                Some(text) => Some(text.parse::<u32>().map_err(|_| {
                    CredentialsError::of(
                        format!("profile {name}"),
                        CredentialsErrorKind::InvalidConfig,
                        format!("duration_seconds {text:?} is not a number of seconds"),
                    )
                })?),
            };
            roles.push(Role {
                role_arn,
                external_id: get("external_id"),
                session_name: get("role_session_name"),
                duration_seconds,
            });
            match (get("source_profile"), get("credential_source")) {
                (Some(source), None) if source == name => {
                    // Its own static keys assume its role.
                    return match profiles.static_credentials(&name, &mut scratch)? {
                        Some((credentials, origin)) => {
                            Ok(Some((Base::Static(credentials), roles, origin)))
                        }
                        None => Err(CredentialsError::of(
                            format!("profile {name}"),
                            CredentialsErrorKind::InvalidConfig,
                            "source_profile names the profile itself, which has no static keys",
                        )
                        .into()),
                    };
                }
                (Some(source), None) => {
                    name = source;
                    continue;
                }
                (None, Some(source)) => {
                    return Ok(Some((
                        Base::CredentialSource(source),
                        roles,
                        origin.unwrap_or(Source::Default),
                    )))
                }
                (Some(_), Some(_)) => {
                    return Err(CredentialsError::of(
                        format!("profile {name}"),
                        CredentialsErrorKind::InvalidConfig,
                        "role_arn with both source_profile and credential_source; set only one",
                    )
                    .into())
                }
                (None, None) => return Err(CredentialsError::of(
                    format!("profile {name}"),
                    CredentialsErrorKind::InvalidConfig,
                    "role_arn needs source_profile, credential_source or web_identity_token_file",
                )
                .into()),
            }
        }
        if get("sso_session").is_some() || get("sso_start_url").is_some() {
            let sso = sso::SsoProfile::from_profile(profiles, &name)?;
            return Ok(Some((
                Base::Sso(sso),
                roles,
                origin.unwrap_or(Source::Default),
            )));
        }
        if let Some(command) = get("credential_process") {
            return Ok(Some((
                Base::Process(command),
                roles,
                origin.unwrap_or(Source::Default),
            )));
        }
        if let Some((credentials, origin)) = profiles.static_credentials(&name, looked_at)? {
            return Ok(Some((Base::Static(credentials), roles, origin)));
        }
        if in_chain {
            return Err(CredentialsError::of(
                format!("profile {start}"),
                CredentialsErrorKind::InvalidConfig,
                format!("source profile {name} holds no credentials"),
            )
            .into());
        }
        return Ok(None);
    }
}

/// `credential_source`: where a role's source credentials come from.
fn credential_source(
    profile: &str,
    source: &str,
    cx: &Context<'_>,
) -> Result<Credentials, ConfigError> {
    match source {
        "Environment" => {
            let mut notes = Vec::new();
            match environment::load(cx.env, &mut notes)? {
                Some((credentials, _)) => Ok(credentials),
                None => Err(CredentialsError::of(
                    format!("profile {profile}"),
                    CredentialsErrorKind::NotConfigured,
                    "credential_source = Environment but AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not set",
                )
                .into()),
            }
        }
        "Ec2InstanceMetadata" => Ok(imds::credentials(cx.env, cx.profiles)?),
        "EcsContainer" => Ok(container::credentials(cx.env)?),
        other => Err(CredentialsError::of(
            format!("profile {profile}"),
            CredentialsErrorKind::InvalidConfig,
            format!("credential_source {other:?} is not one of Environment, Ec2InstanceMetadata, EcsContainer"),
        )
        .into()),
    }
}
