//! The state of a passkey ceremony between its two requests. webauthn-rs hands over a state
//! with the options (the challenge, the policy, who is registering) that must come back,
//! unaltered and once, with the browser's answer — possibly to another instance. It travels
//! with the options to the page and back with the answer (`ceremony`), encrypted and bound
//! to a random handle; the handle is a one-time store row that lives five minutes. The answer
//! takes the row first: an expired, used or never-issued handle ends the ceremony before
//! anything is verified.
//!
//! Not in a cookie: a page may run two ceremonies at once (the autofill's and the button's),
//! and so may two tabs; one cookie would let the second overwrite the first.

use serde::{Deserialize, Serialize};
use webauthn_rs::prelude::{DiscoverableAuthentication, PasskeyRegistration, Uuid};

use super::PasskeyError;
use crate::{Auth, store::TokenPurpose};

/// The sealed value's field name: a sealed value from elsewhere does not open as this.
const SEALED_FIELD: &str = "passkey-ceremony";

/// A ceremony in progress.
#[derive(Serialize, Deserialize)]
pub(super) enum Ceremony {
    /// Adding a passkey to an account, or creating an account with one.
    Register {
        registrant: Registrant,
        user_handle: Uuid,
        state: PasskeyRegistration,
    },
    /// Signing in with any passkey of the site (no user named beforehand).
    SignIn { state: DiscoverableAuthentication },
}

/// Who a registration is for.
#[derive(Serialize, Deserialize)]
pub(super) enum Registrant {
    /// The signed-in user with this id.
    User(String),
    /// Somebody signing up: the account is created when the passkey verifies.
    NewUser { email: String, name: Option<String> },
}

impl Auth {
    /// Starts a ceremony: the sealed token that carries it to the page and back.
    pub(super) async fn begin_ceremony(&self, ceremony: &Ceremony) -> Result<String, PasskeyError> {
        let handle = self
            .issue_email_token("", TokenPurpose::PasskeyChallenge)
            .await?;
        let state = serde_json::to_string(ceremony).map_err(|e| {
            tracing::error!(error = %e, "a passkey ceremony state did not serialise");
            PasskeyError::NotAvailable
        })?;
        let sealed = self.keys().seal(SEALED_FIELD, &handle, &state);
        Ok(format!("{handle}.{sealed}"))
    }

    /// Ends the ceremony of `token` (from [`Auth::begin_ceremony`]): its state, once,
    /// within five minutes of its start.
    pub(super) async fn finish_ceremony(&self, token: &str) -> Result<Ceremony, PasskeyError> {
        let Some((handle, sealed)) = token.split_once('.') else {
            return Err(PasskeyError::ChallengeExpired);
        };
        match self
            .redeem_email_token(handle, TokenPurpose::PasskeyChallenge)
            .await
        {
            Ok(_) => self
                .keys()
                .open(SEALED_FIELD, handle, sealed)
                .and_then(|state| serde_json::from_str(&state).ok())
                .ok_or(PasskeyError::ChallengeExpired),
            Err(crate::email::tokens::TokenRefused::Store(e)) => Err(e.into()),
            Err(refused) => {
                tracing::info!(reason = %refused, "a passkey answer came without a live ceremony");
                Err(PasskeyError::ChallengeExpired)
            }
        }
    }
}
