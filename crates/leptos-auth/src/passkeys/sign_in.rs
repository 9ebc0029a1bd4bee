//! Signing in with a passkey: any passkey of the site (discoverable credentials, so no email
//! is typed), by button or by the browser's autofill. A verified answer ends like every other
//! sign-in (`sign_in.rs` at the crate root).

use serde_json::Value;
use webauthn_rs::prelude::{DiscoverableKey, PublicKeyCredential, WebauthnError};

use super::{PasskeyError, StoredCredential, ceremony::Ceremony, credential_id_text};
use crate::{
    Auth, ClientIp, audit::AuditEvent, clock::now_secs, context::RequestContext,
    limits::LimitedAction, sign_in::SignedIn,
};

impl Auth {
    /// The options of a passkey sign-in, and the cookies that carry its ceremony.
    pub(crate) async fn passkey_sign_in_options(
        &self,
        ctx: &RequestContext,
    ) -> Result<(Value, Vec<String>), PasskeyError> {
        let rp = self.relying_party(ctx)?;
        self.rate_limit(ClientIp(ctx.client_ip), LimitedAction::SignIn)
            .await?;
        let (mut options, state) = rp.start_discoverable_authentication().map_err(|e| {
            tracing::error!(error = %e, "could not start a passkey sign-in");
            PasskeyError::NotAvailable
        })?;
        // The page chooses: a button asks at once, autofill asks `conditional`.
        options.mediation = None;
        let cookies = self
            .begin_ceremony(ctx, &Ceremony::SignIn { state })
            .await?;
        let options = serde_json::to_value(&options).map_err(|_| PasskeyError::NotAvailable)?;
        Ok((options, cookies))
    }

    /// Verifies the browser's answer to a sign-in and signs its user in. Whatever the
    /// outcome, the ceremony is over: the returned cookies delete it (and, on success, set
    /// the session).
    pub(crate) async fn finish_passkey_sign_in(
        &self,
        ctx: &RequestContext,
        answer: &Value,
        callback_url: Option<&str>,
    ) -> (Result<SignedIn, PasskeyError>, Vec<String>) {
        // A malformed answer is refused before the ceremony is used up.
        let Ok(answer) = serde_json::from_value::<PublicKeyCredential>(answer.clone()) else {
            return (Err(PasskeyError::InvalidRequest), Vec::new());
        };
        let (ceremony, cookies) = self.finish_ceremony(ctx).await;
        let outcome = match ceremony {
            Ok(ceremony) => {
                self.sign_in_answer(ctx, ceremony, &answer, callback_url)
                    .await
            }
            Err(e) => Err(e),
        };
        (outcome, cookies)
    }

    async fn sign_in_answer(
        &self,
        ctx: &RequestContext,
        ceremony: Ceremony,
        answer: &PublicKeyCredential,
        callback_url: Option<&str>,
    ) -> Result<SignedIn, PasskeyError> {
        self.rate_limit(ClientIp(ctx.client_ip), LimitedAction::SignIn)
            .await?;
        let Ceremony::SignIn { state } = ceremony else {
            return Err(PasskeyError::ChallengeExpired);
        };
        let provider = self.passkey_provider().ok_or(PasskeyError::NotAvailable)?;
        let provider_id = provider.id.as_str();
        let rp = self.relying_party(ctx)?;
        let refused = |reason: &str| {
            tracing::warn!(reason, "a passkey sign-in was refused");
            PasskeyError::VerificationFailed
        };
        let (user_handle, credential_id) = rp
            .identify_discoverable_authentication(answer)
            .map_err(|_| refused("no user handle"))?;
        let Some(record) = self
            .store()
            .passkey(&credential_id_text(credential_id))
            .await?
        else {
            self.audit(ctx, None, AuditEvent::SignInFailed, Some(provider_id))
                .await;
            return Err(refused("unknown or deleted passkey"));
        };
        let user_id = record.user_id.as_str();
        let mut stored: StoredCredential =
            serde_json::from_str(&record.credential).map_err(|_| refused("unreadable passkey"))?;
        if stored.user_handle != user_handle {
            self.audit(
                ctx,
                Some(user_id),
                AuditEvent::SignInFailed,
                Some(provider_id),
            )
            .await;
            return Err(refused("the user handle is not the passkey's"));
        }
        let keys = [DiscoverableKey::from(&stored.passkey)];
        let result = match rp.finish_discoverable_authentication(answer, state, &keys) {
            Ok(result) => result,
            Err(WebauthnError::CredentialPossibleCompromise) => {
                self.audit(
                    ctx,
                    Some(user_id),
                    AuditEvent::PasskeyCounterRegressed,
                    Some(provider_id),
                )
                .await;
                return Err(refused("the signature counter went backwards"));
            }
            Err(e) => {
                tracing::info!(error = %e, "passkey assertion did not verify");
                self.audit(
                    ctx,
                    Some(user_id),
                    AuditEvent::SignInFailed,
                    Some(provider_id),
                )
                .await;
                return Err(refused("the assertion did not verify"));
            }
        };
        stored.passkey.update_credential(&result);
        let credential = serde_json::to_string(&stored).map_err(|_| PasskeyError::NotAvailable)?;
        let still_there = self
            .store()
            .record_passkey_use(
                &record.id,
                &credential,
                i64::from(result.counter()),
                result.backup_state(),
                now_secs(),
            )
            .await?;
        let user = match still_there {
            true => self.store().user_by_id(user_id).await?,
            false => None,
        };
        let Some(user) = user else {
            return Err(refused("the passkey or its user was deleted meanwhile"));
        };
        self.complete_sign_in(ctx, &user, provider_id, false, callback_url)
            .await
            .map_err(|failure| PasskeyError::SignIn(failure.log(provider_id)))
    }
}
