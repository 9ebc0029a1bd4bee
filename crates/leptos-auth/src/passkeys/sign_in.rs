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
    /// The options of a passkey sign-in, and the token that carries its ceremony. Counted
    /// against the per-IP sign-in limit: every answer needs options of its own, so this
    /// limits the answers too.
    pub(crate) async fn passkey_sign_in_options(
        &self,
        ctx: &RequestContext,
    ) -> Result<(Value, String), PasskeyError> {
        let rp = self.relying_party(ctx)?;
        self.rate_limit(ClientIp(ctx.client_ip), LimitedAction::SignIn)
            .await?;
        let (mut options, state) = rp.start_discoverable_authentication().map_err(|e| {
            tracing::error!(error = %e, "could not start a passkey sign-in");
            PasskeyError::NotAvailable
        })?;
        // The page chooses: a button asks at once, autofill asks `conditional`.
        options.mediation = None;
        let token = self.begin_ceremony(&Ceremony::SignIn { state }).await?;
        let options = serde_json::to_value(&options).map_err(|_| PasskeyError::NotAvailable)?;
        Ok((options, token))
    }

    /// Verifies the browser's answer to the sign-in of `ceremony` and signs its user in. A
    /// malformed answer is refused before the ceremony is used up; after that, the ceremony
    /// is over whatever the outcome.
    pub(crate) async fn finish_passkey_sign_in(
        &self,
        ctx: &RequestContext,
        ceremony: &str,
        answer: &Value,
        callback_url: Option<&str>,
    ) -> Result<SignedIn, PasskeyError> {
        let answer = serde_json::from_value::<PublicKeyCredential>(answer.clone())
            .map_err(|_| PasskeyError::InvalidRequest)?;
        let ceremony = self.finish_ceremony(ceremony).await?;
        self.sign_in_answer(ctx, ceremony, &answer, callback_url)
            .await
    }

    async fn sign_in_answer(
        &self,
        ctx: &RequestContext,
        ceremony: Ceremony,
        answer: &PublicKeyCredential,
        callback_url: Option<&str>,
    ) -> Result<SignedIn, PasskeyError> {
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
