//! Provider tokens encrypted at rest, whatever the store: [`Auth::new`](crate::Auth::new)
//! wraps the app's store in [`SealedTokens`], which encrypts access, refresh and ID tokens
//! on their way into the store and decrypts them on their way out. A copy of the database
//! alone does not give anyone a user's GitHub or Google access.

use std::sync::Arc;

use async_trait::async_trait;

use super::{
    Account, AccountTokens, Counter, NewUser, SessionRecord, Store, StoreError, User,
    VerificationToken,
};
use crate::{
    AuditRecord,
    keys::Keys,
    secret::{AccessToken, RefreshToken},
};

pub(crate) struct SealedTokens {
    inner: Arc<dyn Store>,
    keys: Keys,
}

impl SealedTokens {
    pub fn new(inner: Arc<dyn Store>, keys: Keys) -> Self {
        SealedTokens { inner, keys }
    }

    /// The tokens as stored for the account `row`: each sealed to its field and its row.
    fn seal(&self, row: &str, tokens: &AccountTokens) -> AccountTokens {
        let seal = |field: &str, value: &str| self.keys.seal(field, row, value);
        AccountTokens {
            access_token: tokens
                .access_token
                .as_ref()
                .map(|t| AccessToken::new(seal("access_token", t.secret()))),
            refresh_token: tokens
                .refresh_token
                .as_ref()
                .map(|t| RefreshToken::new(seal("refresh_token", t.secret()))),
            id_token: tokens.id_token.as_ref().map(|t| seal("id_token", t)),
            ..tokens.clone()
        }
    }

    /// A token that does not decrypt for this field of this row (every secret that sealed it
    /// was retired, or it was copied from elsewhere, or it is plain text) reads as absent:
    /// the user signs in with the provider again.
    fn open(&self, row: &str, tokens: AccountTokens) -> AccountTokens {
        let open = |field: &str, value: &str| self.keys.open(field, row, value);
        AccountTokens {
            access_token: tokens
                .access_token
                .and_then(|t| open("access_token", t.secret()))
                .map(AccessToken::new),
            refresh_token: tokens
                .refresh_token
                .and_then(|t| open("refresh_token", t.secret()))
                .map(RefreshToken::new),
            id_token: tokens.id_token.and_then(|t| open("id_token", &t)),
            ..tokens
        }
    }

    fn open_account(&self, account: Account) -> Account {
        Account {
            tokens: self.open(&account.id, account.tokens.clone()),
            ..account
        }
    }

    /// Seals, bound to their rows, the tokens stored before they were (in clear, or bound to
    /// their field only); how many accounts changed. Idempotent: sealed rows are skipped.
    pub async fn migrate(&self) -> Result<usize, StoreError> {
        let mut changed = 0;
        for account in self.inner.all_accounts().await? {
            // A row may mix both: its sealed fields are kept as they are.
            let legacy = |field: &str, value: &str| match Keys::is_sealed(value) {
                true => self.keys.open(field, &account.id, value),
                false => self.keys.open_legacy(field, value),
            };
            let tokens = &account.tokens;
            let stored = [
                tokens.access_token.as_ref().map(AccessToken::secret),
                tokens.refresh_token.as_ref().map(RefreshToken::secret),
                tokens.id_token.as_deref(),
            ];
            if stored.iter().flatten().all(|value| Keys::is_sealed(value)) {
                continue;
            }
            let plain = AccountTokens {
                access_token: tokens
                    .access_token
                    .as_ref()
                    .and_then(|t| legacy("access_token", t.secret()))
                    .map(AccessToken::new),
                refresh_token: tokens
                    .refresh_token
                    .as_ref()
                    .and_then(|t| legacy("refresh_token", t.secret()))
                    .map(RefreshToken::new),
                id_token: tokens
                    .id_token
                    .as_deref()
                    .and_then(|t| legacy("id_token", t)),
                ..tokens.clone()
            };
            self.inner
                .update_account_tokens(&account.id, &self.seal(&account.id, &plain))
                .await?;
            changed += 1;
        }
        Ok(changed)
    }
}

#[async_trait]
impl Store for SealedTokens {
    async fn create_user(&self, user: NewUser) -> Result<User, StoreError> {
        self.inner.create_user(user).await
    }

    async fn user_by_id(&self, id: &str) -> Result<Option<User>, StoreError> {
        self.inner.user_by_id(id).await
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        self.inner.user_by_email(email).await
    }

    async fn user_with_password(&self, email: &str) -> Result<Option<(User, String)>, StoreError> {
        self.inner.user_with_password(email).await
    }

    async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        self.inner.list_users().await
    }

    async fn mark_email_verified(&self, user_id: &str) -> Result<(), StoreError> {
        self.inner.mark_email_verified(user_id).await
    }

    async fn link_account(&self, account: Account) -> Result<(), StoreError> {
        let tokens = self.seal(&account.id, &account.tokens);
        self.inner.link_account(Account { tokens, ..account }).await
    }

    async fn create_user_with_account(
        &self,
        user: NewUser,
        email_verified: bool,
        account: Account,
    ) -> Result<User, StoreError> {
        let tokens = self.seal(&account.id, &account.tokens);
        self.inner
            .create_user_with_account(user, email_verified, Account { tokens, ..account })
            .await
    }

    async fn account(
        &self,
        provider: &str,
        provider_account_id: &str,
    ) -> Result<Option<Account>, StoreError> {
        let account = self.inner.account(provider, provider_account_id).await?;
        Ok(account.map(|a| self.open_account(a)))
    }

    async fn accounts_of_user(&self, user_id: &str) -> Result<Vec<Account>, StoreError> {
        let accounts = self.inner.accounts_of_user(user_id).await?;
        Ok(accounts.into_iter().map(|a| self.open_account(a)).collect())
    }

    async fn all_accounts(&self) -> Result<Vec<Account>, StoreError> {
        let accounts = self.inner.all_accounts().await?;
        Ok(accounts.into_iter().map(|a| self.open_account(a)).collect())
    }

    async fn update_account_tokens(
        &self,
        account_id: &str,
        tokens: &AccountTokens,
    ) -> Result<(), StoreError> {
        self.inner
            .update_account_tokens(account_id, &self.seal(account_id, tokens))
            .await
    }

    async fn unlink_account(&self, user_id: &str, provider: &str) -> Result<(), StoreError> {
        self.inner.unlink_account(user_id, provider).await
    }

    async fn has_password(&self, user_id: &str) -> Result<bool, StoreError> {
        self.inner.has_password(user_id).await
    }

    async fn import_users(&self, users: Vec<NewUser>) -> Result<Vec<bool>, StoreError> {
        self.inner.import_users(users).await
    }

    async fn count_event(&self, key: &str, now: i64, window: i64) -> Result<Counter, StoreError> {
        self.inner.count_event(key, now, window).await
    }

    async fn lock_counter(&self, key: &str, until: i64) -> Result<(), StoreError> {
        self.inner.lock_counter(key, until).await
    }

    async fn counter(&self, key: &str) -> Result<Option<Counter>, StoreError> {
        self.inner.counter(key).await
    }

    async fn clear_counter(&self, key: &str) -> Result<(), StoreError> {
        self.inner.clear_counter(key).await
    }

    async fn prune_expired(&self, now: i64, audit_before: i64) -> Result<(), StoreError> {
        self.inner.prune_expired(now, audit_before).await
    }

    async fn delete_verification_tokens(&self, identifier: &str) -> Result<u64, StoreError> {
        self.inner.delete_verification_tokens(identifier).await
    }

    async fn create_verification_token(&self, token: &VerificationToken) -> Result<(), StoreError> {
        self.inner.create_verification_token(token).await
    }

    async fn take_verification_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<VerificationToken>, StoreError> {
        self.inner.take_verification_token(token_hash).await
    }

    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
        self.inner.create_session(session).await
    }

    async fn session(&self, id: &str) -> Result<Option<SessionRecord>, StoreError> {
        self.inner.session(id).await
    }

    async fn session_by_token_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<SessionRecord>, StoreError> {
        self.inner.session_by_token_hash(token_hash).await
    }

    async fn touch_session(
        &self,
        id: &str,
        last_seen_at: i64,
        expires_at: i64,
        data: Option<&str>,
    ) -> Result<(), StoreError> {
        self.inner
            .touch_session(id, last_seen_at, expires_at, data)
            .await
    }

    async fn sessions_of_user(&self, user_id: &str) -> Result<Vec<SessionRecord>, StoreError> {
        self.inner.sessions_of_user(user_id).await
    }

    async fn delete_session(&self, user_id: &str, id: &str) -> Result<bool, StoreError> {
        self.inner.delete_session(user_id, id).await
    }

    async fn delete_sessions_of_user(
        &self,
        user_id: &str,
        except: Option<&str>,
    ) -> Result<u64, StoreError> {
        self.inner.delete_sessions_of_user(user_id, except).await
    }

    async fn set_password_hash(
        &self,
        user_id: &str,
        password_hash: &str,
    ) -> Result<(), StoreError> {
        self.inner.set_password_hash(user_id, password_hash).await
    }

    async fn remove_password(&self, user_id: &str) -> Result<(), StoreError> {
        self.inner.remove_password(user_id).await
    }

    async fn record_audit_event(&self, event: &AuditRecord) -> Result<(), StoreError> {
        self.inner.record_audit_event(event).await
    }

    async fn audit_events(
        &self,
        user_id: Option<&str>,
        limit: u32,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        self.inner.audit_events(user_id, limit).await
    }
}
