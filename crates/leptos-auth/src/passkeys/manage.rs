//! The signed-in user's passkeys: list, rename, delete; and removing the password of an
//! account that signs in with a passkey instead.

use axum::http::request::Parts;

use super::{PasskeyError, registration::MAX_NAME_CHARS};
use crate::{
    Auth, ClientIp, audit::AuditEvent, clock::iso8601, context::RequestContext,
    limits::LimitedAction, session::PasskeyInfo, store::User,
};

impl Auth {
    /// The passkeys of the request's user, oldest first.
    pub async fn passkeys(&self, request: &Parts) -> Result<Vec<PasskeyInfo>, PasskeyError> {
        self.passkeys_in(&self.context_of(request)).await
    }

    /// Renames one of the request's user's passkeys (1 to 64 characters).
    pub async fn rename_passkey(
        &self,
        request: &Parts,
        id: &str,
        name: &str,
    ) -> Result<(), PasskeyError> {
        self.rename_passkey_in(&self.context_of(request), id, name)
            .await
    }

    /// Deletes one of the request's user's passkeys; it signs nobody in afterwards.
    pub async fn delete_passkey(&self, request: &Parts, id: &str) -> Result<(), PasskeyError> {
        self.delete_passkey_in(&self.context_of(request), id).await
    }

    /// Removes the request's user's password, when the account has a passkey to sign in
    /// with instead and the sign-in is recent (as for adding a passkey).
    pub async fn remove_password(&self, request: &Parts) -> Result<(), PasskeyError> {
        self.remove_password_in(&self.context_of(request)).await
    }

    pub(crate) async fn passkeys_in(
        &self,
        ctx: &RequestContext,
    ) -> Result<Vec<PasskeyInfo>, PasskeyError> {
        let user = self.passkey_owner(ctx, false).await?;
        let records = self.store().passkeys_of_user(&user.id).await?;
        Ok(records
            .into_iter()
            .map(|record| PasskeyInfo {
                id: record.id,
                name: record.name,
                created_at: iso8601(record.created_at),
                last_used_at: record.last_used_at.map(iso8601),
                synced: record.backup_state,
            })
            .collect())
    }

    pub(crate) async fn rename_passkey_in(
        &self,
        ctx: &RequestContext,
        id: &str,
        name: &str,
    ) -> Result<(), PasskeyError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return Err(PasskeyError::InvalidName);
        }
        let user = self.passkey_owner(ctx, false).await?;
        match self.store().rename_passkey(&user.id, id, name).await? {
            true => Ok(()),
            false => Err(PasskeyError::NotFound),
        }
    }

    pub(crate) async fn delete_passkey_in(
        &self,
        ctx: &RequestContext,
        id: &str,
    ) -> Result<(), PasskeyError> {
        let user = self.passkey_owner(ctx, true).await?;
        if !self.store().delete_passkey(&user.id, id).await? {
            return Err(PasskeyError::NotFound);
        }
        self.audit(
            ctx,
            Some(&user.id),
            AuditEvent::PasskeyRemoved,
            Some("passkey"),
        )
        .await;
        Ok(())
    }

    pub(crate) async fn remove_password_in(
        &self,
        ctx: &RequestContext,
    ) -> Result<(), PasskeyError> {
        self.rate_limit(ClientIp(ctx.client_ip), LimitedAction::Password)
            .await?;
        self.passkey_provider().ok_or(PasskeyError::NotAvailable)?;
        let token = self
            .sessions()
            .read_session(ctx)
            .await?
            .ok_or(PasskeyError::SessionRequired)?;
        super::require_fresh(self, &token)?;
        let user = self
            .store()
            .user_by_id(&token.sub)
            .await?
            .ok_or(PasskeyError::SessionRequired)?;
        if self.store().passkeys_of_user(&user.id).await?.is_empty() {
            return Err(PasskeyError::NoPasskey);
        }
        if self.store().has_password(&user.id).await? {
            self.store().remove_password(&user.id).await?;
            self.audit(ctx, Some(&user.id), AuditEvent::PasswordRemoved, None)
                .await;
        }
        Ok(())
    }

    /// The signed-in user whose passkeys a request manages; with `fresh`, only when they
    /// authenticated recently (removing a passkey).
    async fn passkey_owner(&self, ctx: &RequestContext, fresh: bool) -> Result<User, PasskeyError> {
        self.passkey_provider().ok_or(PasskeyError::NotAvailable)?;
        let token = self
            .sessions()
            .read_session(ctx)
            .await?
            .ok_or(PasskeyError::SessionRequired)?;
        if fresh {
            super::require_fresh(self, &token)?;
        }
        self.store()
            .user_by_id(&token.sub)
            .await?
            .ok_or(PasskeyError::SessionRequired)
    }
}
