//! Whoever proves an address owns the account it names.
//!
//! Anybody can create an account with somebody else's address (password sign-up, or an
//! OAuth provider that does not verify emails) and prepare a way back in: a password of
//! their own, a session kept open, a provider account of theirs linked while signed in. This
//! is "pre-account hijacking" (Sudhodanan & Paverd, 2022). So the first time somebody
//! *proves* they read mail at the address of an account whose email was never verified — a
//! sign-in link, a reset link, "this was not me" on a verification link, or a provider
//! that vouches for the address where email linking is allowed — the account is taken back
//! before anything else happens: every session ends, every mailed link is void, the
//! password goes, every linked provider account and every passkey goes. The prover keeps
//! the account.
//! README › Security lists these rules.

use crate::{
    Auth,
    audit::AuditEvent,
    context::RequestContext,
    store::{StoreError, User, normalize_email},
};

/// How somebody proved they own the address: recorded as the audit event's provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Proof<'a> {
    /// A magic sign-in link.
    SignInLink,
    /// A password-reset link.
    PasswordReset,
    /// "This was not me" on a verification link.
    VerificationLink,
    /// An OAuth/OIDC provider that verified the address (its id).
    Provider(&'a str),
}

impl Proof<'_> {
    fn name(&self) -> &str {
        match self {
            Proof::SignInLink => "email",
            Proof::PasswordReset => "password_reset",
            Proof::VerificationLink => "verification_link",
            Proof::Provider(id) => id,
        }
    }
}

impl Auth {
    /// `user`'s address was just proven by `proof`. An account whose email was never
    /// verified is taken back first (see the module docs); then the email is marked verified.
    /// Returns the user as it now is.
    pub(crate) async fn address_proven(
        &self,
        ctx: &RequestContext,
        user: User,
        proof: Proof<'_>,
    ) -> Result<User, StoreError> {
        if user.email_verified.is_some() {
            return Ok(user);
        }
        self.take_back(ctx, &user, proof).await?;
        self.store().mark_email_verified(&user.id).await?;
        self.audit(
            ctx,
            Some(&user.id),
            AuditEvent::EmailVerified,
            Some(proof.name()),
        )
        .await;
        Ok(self.store().user_by_id(&user.id).await?.unwrap_or(user))
    }

    /// Removes every way into `user`'s account that nothing proved belongs to the owner of
    /// its address. Sessions go first, so that no session keeps working while the rest
    /// changes, and once more at the end, for a sign-in that slipped in between with the
    /// old password or provider account; each step is an audit event the owner sees in their
    /// security log.
    async fn take_back(
        &self,
        ctx: &RequestContext,
        user: &User,
        proof: Proof<'_>,
    ) -> Result<(), StoreError> {
        let store = self.store();
        let sessions_ended = self.revoke_all_sessions(&user.id, None).await?;
        if sessions_ended > 0 {
            self.audit(ctx, Some(&user.id), AuditEvent::SessionRevoked, None)
                .await;
        }
        let links_voided = self.void_mailed_links(ctx, user).await?;
        let had_password = store.has_password(&user.id).await?;
        if had_password {
            store.remove_password(&user.id).await?;
            self.audit(ctx, Some(&user.id), AuditEvent::PasswordRemoved, None)
                .await;
        }
        let accounts = store.accounts_of_user(&user.id).await?;
        for account in &accounts {
            store.unlink_account(&user.id, &account.provider).await?;
            self.audit(
                ctx,
                Some(&user.id),
                AuditEvent::UnlinkAccount,
                Some(&account.provider),
            )
            .await;
        }
        let passkeys = store.passkeys_of_user(&user.id).await?;
        for passkey in &passkeys {
            store.delete_passkey(&user.id, &passkey.id).await?;
            self.audit(
                ctx,
                Some(&user.id),
                AuditEvent::PasskeyRemoved,
                Some("passkey"),
            )
            .await;
        }
        // A second factor the other person set up would lock the owner out.
        let two_factor_removed = store.delete_two_factor(&user.id).await?;
        if two_factor_removed {
            self.audit(ctx, Some(&user.id), AuditEvent::TwoFactorDisabled, None)
                .await;
        }
        let slipped_in = self.revoke_all_sessions(&user.id, None).await?;
        tracing::warn!(
            user = %user.id,
            proof = proof.name(),
            slipped_in,
            sessions_ended,
            links_voided,
            password_removed = had_password,
            accounts_unlinked = accounts.len(),
            passkeys_removed = passkeys.len(),
            two_factor_removed,
            "the owner of an unverified account's address proved it: the account was taken \
             back from whoever else could sign in to it"
        );
        Ok(())
    }

    /// Voids every sign-in, reset and verification link mailed for `user`'s address (after
    /// a take-back, a password reset or a password change); how many there were.
    pub(crate) async fn void_mailed_links(
        &self,
        ctx: &RequestContext,
        user: &User,
    ) -> Result<u64, StoreError> {
        let Some(email) = user.email.as_deref() else {
            return Ok(0);
        };
        let voided = self
            .store()
            .delete_verification_tokens(&normalize_email(email))
            .await?;
        if voided > 0 {
            self.audit(ctx, Some(&user.id), AuditEvent::LinksVoided, None)
                .await;
        }
        Ok(voided)
    }
}
