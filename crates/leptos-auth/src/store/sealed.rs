//! Provider tokens encrypted at rest, whatever the store: [`Auth::new`](crate::Auth::new)
//! wraps the accounts of the app's store in [`SealedAccounts`], which encrypts access, refresh
//! and ID tokens on their way into the store and decrypts them on their way out. A copy of the database
//! alone does not give anyone a user's GitHub or Google access.

use std::sync::Arc;

use async_trait::async_trait;

use super::{Account, AccountStore, AccountTokens, NewUser, Store, StoreError, User};
use crate::{
    keys::Keys,
    secret::{AccessToken, RefreshToken},
};

pub(crate) struct SealedAccounts {
    inner: Arc<dyn Store>,
    keys: Keys,
}

impl SealedAccounts {
    pub fn new(inner: Arc<dyn Store>, keys: Keys) -> Self {
        SealedAccounts { inner, keys }
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
impl AccountStore for SealedAccounts {
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
}
