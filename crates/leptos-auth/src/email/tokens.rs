//! One-time email tokens: 32 random bytes in the link, only their SHA-256 in the store,
//! one purpose each, used at most once.

use sha2::{Digest, Sha256};

use crate::{
    Auth,
    clock::now_secs,
    keys::{hex, random_hex},
    store::{StoreError, TokenPurpose, VerificationToken},
};

/// How long a link works: a day for sign-in and verification links, an hour for a password
/// reset (it can take over an account).
pub(crate) fn lifetime_secs(purpose: TokenPurpose) -> i64 {
    match purpose {
        TokenPurpose::SignIn | TokenPurpose::VerifyEmail => 24 * 60 * 60,
        TokenPurpose::PasswordReset => 60 * 60,
        TokenPurpose::PasskeyChallenge => 5 * 60,
    }
}

/// Whether `token` has the shape of the tokens we issue (64 hex digits). Anything else is
/// refused without a lookup, and never echoed back.
pub(crate) fn looks_like_a_token(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

fn hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Why a token was not accepted (for the log; the browser only sees `Verification`).
#[derive(Debug, thiserror::Error)]
pub(crate) enum TokenRefused {
    #[error("no such token (never issued, or used already)")]
    Unknown,
    #[error("the token is for another purpose")]
    WrongPurpose,
    #[error("the token expired")]
    Expired,
    #[error("the token was sent to another address")]
    WrongEmail,
    #[error("the store failed")]
    Store(#[source] StoreError),
}

impl Auth {
    /// A new token for `email`: stored hashed, returned for the link.
    pub(crate) async fn issue_email_token(
        &self,
        email: &str,
        purpose: TokenPurpose,
    ) -> Result<String, StoreError> {
        let token = random_hex(32);
        self.store()
            .create_verification_token(&VerificationToken {
                token_hash: hash(&token),
                identifier: email.to_owned(),
                purpose,
                expires_at: now_secs() + lifetime_secs(purpose),
            })
            .await?;
        Ok(token)
    }

    /// Uses `token` for `purpose`: the address it was sent to, when it exists, is for this
    /// purpose and has not expired. Whatever the outcome, a presented token is gone.
    pub(crate) async fn redeem_email_token(
        &self,
        token: &str,
        purpose: TokenPurpose,
    ) -> Result<String, TokenRefused> {
        if !looks_like_a_token(token) {
            return Err(TokenRefused::Unknown);
        }
        let stored = self
            .store()
            .take_verification_token(&hash(&token.to_ascii_lowercase()))
            .await
            .map_err(TokenRefused::Store)?
            .ok_or(TokenRefused::Unknown)?;
        if stored.purpose != purpose {
            return Err(TokenRefused::WrongPurpose);
        }
        if stored.expires_at < now_secs() {
            return Err(TokenRefused::Expired);
        }
        Ok(stored.identifier)
    }
}
