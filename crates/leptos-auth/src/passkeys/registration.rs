//! Adding a passkey: to the signed-in account (after a recent sign-in), or to a new account
//! made with an email and no password (passkey sign-up).

use serde_json::Value;
use webauthn_rs::prelude::{CredentialID, RegisterPublicKeyCredential, Uuid};
use webauthn_rs_proto::ResidentKeyRequirement;

use super::{
    PasskeyError, StoredCredential,
    ceremony::{Ceremony, Registrant},
    credential_id_text, derived_user_handle, require_fresh,
};
use crate::{
    Auth, ClientIp,
    audit::AuditEvent,
    clock::now_secs,
    context::RequestContext,
    limits::LimitedAction,
    sign_in::SignedIn,
    store::{NewUser, PasskeyRecord, StoreError, normalize_email},
    validation::is_valid_email,
};

/// Longest passkey name kept.
pub(super) const MAX_NAME_CHARS: usize = 64;

/// A passkey that was added: to the signed-in account, or to a new one that is now signed
/// in.
pub(crate) enum Registered {
    /// Added to the signed-in user's account.
    Added { id: String },
    /// A new account was created with it and signed in.
    SignedUp(SignedIn),
}

impl Auth {
    /// The options of a registration, and the token that carries its ceremony. Signed in:
    /// a passkey for that account, if the sign-in is recent enough. Signed out: passkey
    /// sign-up, with `email` (and optionally `name`) for the new account.
    pub(crate) async fn passkey_registration_options(
        &self,
        ctx: &RequestContext,
        email: Option<&str>,
        name: Option<&str>,
    ) -> Result<(Value, String), PasskeyError> {
        let rp = self.relying_party(ctx)?;
        let provider = self.passkey_provider().ok_or(PasskeyError::NotAvailable)?;
        let signed_in = self.sessions().read_session(ctx).await?;
        let (registrant, user_handle, user_name, display_name, exclude) = match signed_in {
            Some(token) => {
                self.rate_limit(ClientIp(ctx.client_ip), LimitedAction::Password)
                    .await?;
                require_fresh(self, &token)?;
                let user = self
                    .store()
                    .user_by_id(&token.sub)
                    .await?
                    .ok_or(PasskeyError::SessionRequired)?;
                let existing = self.store().passkeys_of_user(&user.id).await?;
                if existing.len() >= provider.max_per_user {
                    return Err(PasskeyError::TooManyPasskeys);
                }
                let stored: Vec<StoredCredential> = existing
                    .iter()
                    .filter_map(|record| serde_json::from_str(&record.credential).ok())
                    .collect();
                let user_handle = stored
                    .first()
                    .map_or_else(|| derived_user_handle(&user.id), |c| c.user_handle);
                let exclude: Vec<CredentialID> =
                    stored.iter().map(|c| c.passkey.cred_id().clone()).collect();
                let label = user
                    .email
                    .clone()
                    .or_else(|| user.name.clone())
                    .unwrap_or_else(|| user.id.clone());
                let display = user.name.clone().unwrap_or_else(|| label.clone());
                (
                    Registrant::User(user.id),
                    user_handle,
                    label,
                    display,
                    exclude,
                )
            }
            None => {
                if !provider.allow_sign_up {
                    return Err(PasskeyError::SessionRequired);
                }
                self.rate_limit(ClientIp(ctx.client_ip), LimitedAction::SignUp)
                    .await?;
                let email = email
                    .filter(|email| is_valid_email(email))
                    .ok_or(PasskeyError::InvalidEmail)?;
                let email = normalize_email(email);
                let name = name.map(str::trim).filter(|n| !n.is_empty());
                if name.is_some_and(|n| n.chars().count() > 100) {
                    return Err(PasskeyError::InvalidName);
                }
                let display = name.unwrap_or(&email).to_owned();
                let registrant = Registrant::NewUser {
                    email: email.clone(),
                    name: name.map(str::to_owned),
                };
                (
                    registrant,
                    Uuid::from_bytes(rand::random()),
                    email,
                    display,
                    Vec::new(),
                )
            }
        };
        let exclude = (!exclude.is_empty()).then_some(exclude);
        let (mut options, state) = rp
            .start_passkey_registration(user_handle, &user_name, &display_name, exclude)
            .map_err(|e| {
                tracing::error!(error = %e, "could not start a passkey registration");
                PasskeyError::NotAvailable
            })?;
        // Discoverable, so that signing in needs no email: webauthn-rs asks for a
        // server-side credential by default.
        if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
            selection.resident_key = Some(ResidentKeyRequirement::Required);
            selection.require_resident_key = true;
        }
        let ceremony = Ceremony::Register {
            registrant,
            user_handle,
            state,
        };
        let token = self.begin_ceremony(&ceremony).await?;
        let options = serde_json::to_value(&options).map_err(|_| PasskeyError::NotAvailable)?;
        Ok((options, token))
    }

    /// Verifies the browser's answer to the registration of `ceremony` and stores the
    /// passkey (named `name`, or "Passkey"); for a sign-up, creates the account and signs it
    /// in. A malformed answer is refused before the ceremony is used up; after that, the
    /// ceremony is over whatever the outcome.
    pub(crate) async fn finish_passkey_registration(
        &self,
        ctx: &RequestContext,
        ceremony: &str,
        answer: &Value,
        name: Option<&str>,
        callback_url: Option<&str>,
    ) -> Result<Registered, PasskeyError> {
        let answer = serde_json::from_value::<RegisterPublicKeyCredential>(answer.clone())
            .map_err(|_| PasskeyError::InvalidRequest)?;
        let ceremony = self.finish_ceremony(ceremony).await?;
        self.register_answer(ctx, ceremony, &answer, name, callback_url)
            .await
    }

    async fn register_answer(
        &self,
        ctx: &RequestContext,
        ceremony: Ceremony,
        answer: &RegisterPublicKeyCredential,
        name: Option<&str>,
        callback_url: Option<&str>,
    ) -> Result<Registered, PasskeyError> {
        let Ceremony::Register {
            registrant,
            user_handle,
            state,
        } = ceremony
        else {
            return Err(PasskeyError::ChallengeExpired);
        };
        let name = match name.map(str::trim).filter(|n| !n.is_empty()) {
            Some(name) if name.chars().count() > super::registration::MAX_NAME_CHARS => {
                return Err(PasskeyError::InvalidName);
            }
            Some(name) => name.to_owned(),
            None => "Passkey".to_owned(),
        };
        let rp = self.relying_party(ctx)?;
        let passkey = rp
            .finish_passkey_registration(answer, &state)
            .map_err(|e| {
                tracing::warn!(error = %e, "a passkey registration did not verify");
                PasskeyError::VerificationFailed
            })?;
        let provider = self.passkey_provider().ok_or(PasskeyError::NotAvailable)?;
        // A credential id is the passkey's, whoever answers with it (an authenticator of
        // one's own can be made to report any id): refused before a sign-up makes an account.
        let id = credential_id_text(passkey.cred_id());
        if self.store().passkey(&id).await?.is_some() {
            return Err(PasskeyError::AlreadyRegistered);
        }
        let (user, is_new) = match registrant {
            Registrant::User(user_id) => {
                // Still the same signed-in user as when the ceremony started.
                let token = self.sessions().read_session(ctx).await?;
                if token.as_ref().map(|t| t.sub.as_str()) != Some(user_id.as_str()) {
                    return Err(PasskeyError::SessionRequired);
                }
                let user = self
                    .store()
                    .user_by_id(&user_id)
                    .await?
                    .ok_or(PasskeyError::SessionRequired)?;
                if self.store().passkeys_of_user(&user.id).await?.len() >= provider.max_per_user {
                    return Err(PasskeyError::TooManyPasskeys);
                }
                (user, false)
            }
            Registrant::NewUser { email, name } => {
                let new_user = NewUser {
                    name,
                    email: Some(email),
                    ..NewUser::default()
                };
                let user = self
                    .store()
                    .create_user(new_user)
                    .await
                    .map_err(|e| match e {
                        StoreError::Conflict => PasskeyError::EmailTaken,
                        e => e.into(),
                    })?;
                self.config().events.create_user(&user).await;
                self.audit(ctx, Some(&user.id), AuditEvent::SignUp, Some(&provider.id))
                    .await;
                // The address is verified the usual way, by a link; sent after the answer
                // so that a slow mail server does not hold up the sign-up.
                if self.config().can_send_mail() {
                    let (auth, ctx, user) = (self.clone(), ctx.clone(), user.clone());
                    tokio::spawn(async move {
                        if let Err(failure) = auth.send_verification_in(&ctx, &user, None).await {
                            failure.log("passkey");
                        }
                    });
                }
                (user, true)
            }
        };
        let credential = webauthn_rs::prelude::Credential::from(passkey.clone());
        let transports = answer.response.transports.as_ref().map_or_else(
            || "[]".to_owned(),
            |t| serde_json::to_string(t).unwrap_or_else(|_| "[]".into()),
        );
        let stored = StoredCredential {
            user_handle,
            passkey,
        };
        let record = PasskeyRecord {
            id: id.clone(),
            user_id: user.id.clone(),
            credential: serde_json::to_string(&stored).map_err(|_| PasskeyError::NotAvailable)?,
            name,
            counter: i64::from(credential.counter),
            backup_eligible: credential.backup_eligible,
            backup_state: credential.backup_state,
            transports,
            aaguid: aaguid(answer.response.attestation_object.as_ref()).unwrap_or_default(),
            created_at: now_secs(),
            last_used_at: None,
        };
        self.store()
            .create_passkey(&record)
            .await
            .map_err(|e| match e {
                StoreError::Conflict => PasskeyError::AlreadyRegistered,
                e => e.into(),
            })?;
        self.audit(
            ctx,
            Some(&user.id),
            AuditEvent::PasskeyAdded,
            Some(&provider.id),
        )
        .await;
        if !is_new {
            return Ok(Registered::Added { id });
        }
        self.complete_sign_in(ctx, &user, &provider.id, true, callback_url)
            .await
            .map(Registered::SignedUp)
            .map_err(|failure| PasskeyError::SignIn(failure.log(&provider.id)))
    }
}

/// The authenticator model (AAGUID) in a verified attestation object, as a UUID; `None`
/// when it cannot be read. The attestation object is a CBOR map whose `authData` holds
/// RP ID hash (32 bytes), flags (1), counter (4), then the AAGUID (16).
fn aaguid(attestation_object: &[u8]) -> Option<String> {
    const KEY: &[u8] = b"\x68authData";
    let at = attestation_object
        .windows(KEY.len())
        .position(|window| window == KEY)?
        + KEY.len();
    let header = *attestation_object.get(at)?;
    let data_start = match header {
        0x40..=0x57 => at + 1,
        0x58 => at + 2,
        0x59 => at + 3,
        _ => return None,
    };
    let aaguid = attestation_object.get(data_start + 37..data_start + 53)?;
    Some(Uuid::from_slice(aaguid).ok()?.to_string())
}

#[cfg(test)]
mod tests {
    use super::aaguid;

    #[test]
    fn the_aaguid_is_read_from_the_auth_data_of_an_attestation_object() {
        let mut object = vec![0xa3];
        object.extend_from_slice(b"\x63fmt\x64none\x67attStmt\xa0\x68authData\x58\x45");
        object.extend_from_slice(&[0u8; 37]);
        object.extend_from_slice(&[0xab; 16]);
        object.extend_from_slice(&[0u8; 16]);
        assert_eq!(
            aaguid(&object).as_deref(),
            Some("abababab-abab-abab-abab-abababababab")
        );
        assert_eq!(aaguid(b"\xa0"), None);
        assert_eq!(aaguid(b"\x68authData\x58"), None);
    }
}
