//! The SQL body of the SQLite and PostgreSQL stores, written once. Both databases read the
//! same statements: numbered placeholders (`$1`), `RETURNING`, `ON CONFLICT … DO UPDATE`,
//! `IS DISTINCT FROM`. What differs is a [`Dialect`] of two SQL functions; rows are mapped by
//! `sqlx::FromRow`.
//!
//! [`sql_store!`] expands to the eight store traits for a type with a `pool` field, the way
//! axum-login and tower-sessions share their SQL stores: a generic body over
//! `sqlx::Database` would need a bound for every type bound or read, on every method.

use crate::{
    provider_kind::ProviderKind,
    secret::{AccessToken, RefreshToken},
};

use super::{Account, AccountTokens, Counter, TokenPurpose, User, VerificationToken};

/// The SQL that differs between the databases.
pub(super) trait Dialect {
    /// An expression for "now" as `email_verified` stores it: ISO 8601 with milliseconds,
    /// UTC (`2026-12-06T16:03:05.123Z`), the same on both databases.
    const NOW_ISO: &'static str;
    /// The function taking the larger of two values.
    const GREATEST: &'static str;
}

pub(super) const USER_COLUMNS: &str = "id, name, email, image, email_verified";

pub(super) const ACCOUNT_COLUMNS: &str = "id, user_id, provider, provider_account_id, type, \
     access_token, refresh_token, expires_at, scope, token_type, id_token";

pub(super) const SESSION_COLUMNS: &str = "id, user_id, token_hash, data, created_at, \
     last_seen_at, expires_at, absolute_expires_at, user_agent, ip";

pub(super) const AUDIT_COLUMNS: &str = "time, user_id, event, provider, ip, user_agent";

pub(super) const PASSKEY_COLUMNS: &str = "id, user_id, credential, name, counter, \
     backup_eligible, backup_state, transports, aaguid, created_at, last_used_at";

pub(super) const TWO_FACTOR_COLUMNS: &str =
    "user_id, secret, enabled_at, last_step, backup_codes, created_at";

/// A user with the password hash (`user_with_password`).
#[derive(sqlx::FromRow)]
pub(super) struct UserWithPassword {
    #[sqlx(flatten)]
    pub user: User,
    pub password_hash: String,
}

#[derive(sqlx::FromRow)]
pub(super) struct AccountRow {
    id: String,
    user_id: String,
    provider: String,
    provider_account_id: String,
    #[sqlx(rename = "type")]
    kind: String,
    access_token: Option<String>,
    refresh_token: Option<String>,
    expires_at: Option<i64>,
    scope: Option<String>,
    token_type: Option<String>,
    id_token: Option<String>,
}

impl From<AccountRow> for Account {
    fn from(row: AccountRow) -> Self {
        Account {
            id: row.id,
            user_id: row.user_id,
            provider: row.provider,
            provider_account_id: row.provider_account_id,
            kind: ProviderKind::from_wire(&row.kind).unwrap_or(ProviderKind::OAuth),
            tokens: AccountTokens {
                access_token: row.access_token.map(AccessToken::new),
                refresh_token: row.refresh_token.map(RefreshToken::new),
                expires_at: row.expires_at,
                scope: row.scope,
                token_type: row.token_type,
                id_token: row.id_token,
            },
        }
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct CounterRow {
    count: i64,
    window_start: i64,
    locked_until: i64,
    strikes: i64,
}

impl From<CounterRow> for Counter {
    fn from(row: CounterRow) -> Self {
        Counter {
            count: row.count.try_into().unwrap_or(u32::MAX),
            window_start: row.window_start,
            locked_until: row.locked_until,
            strikes: row.strikes.try_into().unwrap_or(u32::MAX),
        }
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct TokenRow {
    token_hash: String,
    identifier: String,
    purpose: String,
    expires_at: i64,
}

impl TokenRow {
    /// `None` for a purpose this version does not know: such a token works for nothing.
    pub fn into_token(self) -> Option<VerificationToken> {
        Some(VerificationToken {
            token_hash: self.token_hash,
            identifier: self.identifier,
            purpose: TokenPurpose::from_stored(&self.purpose)?,
            expires_at: self.expires_at,
        })
    }
}

/// The eight store traits for `$store` (a struct with `pool: sqlx::Pool<$db>`), on the
/// statements above and the `Dialect` of `$db`, and its `migrate` from `$migrations`.
macro_rules! sql_store {
    ($store:ty, $db:ty, $migrations:literal) => {
        impl $store {
            /// The store on `pool`, its schema brought up to date.
            async fn migrated(pool: sqlx::Pool<$db>) -> Result<Self, $crate::store::StoreError> {
                let store = Self { pool };
                store.migrate().await?;
                Ok(store)
            }

            /// Brings the schema up to date. On PostgreSQL several instances may run it at
            /// once (sqlx takes an advisory lock).
            pub async fn migrate(&self) -> Result<(), $crate::store::StoreError> {
                sqlx::migrate!($migrations)
                    .run(&self.pool)
                    .await
                    .map_err(|e| $crate::store::StoreError::Database(Box::new(e)))
            }
        }

        const _: () = {
            use async_trait::async_trait;
            use sqlx::Row;

            use $crate::{
                secret::{AccessToken, RefreshToken},
                store::{
                    Account, AccountStore, AccountTokens, AuditRecord, AuditStore,
                    COUNTER_MEMORY_SECS, Counter, CounterStore, NewUser, PasskeyRecord,
                    PasskeyStore, SessionRecord, SessionStore, StoreError, TwoFactorRecord,
                    TwoFactorStore, User, UserStore, VerificationToken, VerificationTokenStore,
                    normalize_email,
                },
            };

            use super::sql::{
                ACCOUNT_COLUMNS, AUDIT_COLUMNS, AccountRow, CounterRow, Dialect, PASSKEY_COLUMNS,
                SESSION_COLUMNS, TWO_FACTOR_COLUMNS, TokenRow, USER_COLUMNS, UserWithPassword,
            };

            const NOW_ISO: &str = <$db as Dialect>::NOW_ISO;
            const GREATEST: &str = <$db as Dialect>::GREATEST;

            fn new_id() -> String {
                $crate::keys::random_hex(16)
            }

            async fn insert_account<'e>(
                executor: impl sqlx::Executor<'e, Database = $db>,
                account: &Account,
            ) -> Result<(), StoreError> {
                let t = &account.tokens;
                sqlx::query(&format!(
                    "INSERT INTO accounts ({ACCOUNT_COLUMNS}) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
                ))
                .bind(&account.id)
                .bind(&account.user_id)
                .bind(&account.provider)
                .bind(&account.provider_account_id)
                .bind(account.kind.as_str())
                .bind(t.access_token.as_ref().map(AccessToken::secret))
                .bind(t.refresh_token.as_ref().map(RefreshToken::secret))
                .bind(t.expires_at)
                .bind(&t.scope)
                .bind(&t.token_type)
                .bind(&t.id_token)
                .execute(executor)
                .await?;
                Ok(())
            }

            #[async_trait]
            impl UserStore for $store {
                async fn create_user(&self, user: NewUser) -> Result<User, StoreError> {
                    Ok(sqlx::query_as(&format!(
                        "INSERT INTO users (id, name, email, image, password_hash, data) \
                         VALUES ($1, $2, $3, $4, $5, $6) RETURNING {USER_COLUMNS}"
                    ))
                    .bind(new_id())
                    .bind(user.name)
                    .bind(user.email.as_deref().map(normalize_email))
                    .bind(user.image)
                    .bind(user.password_hash)
                    .bind(user.data)
                    .fetch_one(&self.pool)
                    .await?)
                }

                async fn import_users(
                    &self,
                    users: Vec<NewUser>,
                ) -> Result<Vec<bool>, StoreError> {
                    let mut tx = self.pool.begin().await?;
                    let mut created = Vec::with_capacity(users.len());
                    for user in users {
                        let done = sqlx::query(
                            "INSERT INTO users (id, name, email, image, password_hash, data) \
                             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (email) DO NOTHING",
                        )
                        .bind(new_id())
                        .bind(user.name)
                        .bind(user.email.as_deref().map(normalize_email))
                        .bind(user.image)
                        .bind(user.password_hash)
                        .bind(user.data)
                        .execute(&mut *tx)
                        .await?;
                        created.push(done.rows_affected() == 1);
                    }
                    tx.commit().await?;
                    Ok(created)
                }

                async fn user_by_id(&self, id: &str) -> Result<Option<User>, StoreError> {
                    Ok(
                        sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
                            .bind(id)
                            .fetch_optional(&self.pool)
                            .await?,
                    )
                }

                async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
                    Ok(sqlx::query_as(&format!(
                        "SELECT {USER_COLUMNS} FROM users WHERE email = $1"
                    ))
                    .bind(normalize_email(email))
                    .fetch_optional(&self.pool)
                    .await?)
                }

                async fn user_with_password(
                    &self,
                    email: &str,
                ) -> Result<Option<(User, String)>, StoreError> {
                    let row: Option<UserWithPassword> = sqlx::query_as(&format!(
                        "SELECT {USER_COLUMNS}, password_hash FROM users \
                         WHERE email = $1 AND password_hash IS NOT NULL"
                    ))
                    .bind(normalize_email(email))
                    .fetch_optional(&self.pool)
                    .await?;
                    Ok(row.map(|row| (row.user, row.password_hash)))
                }

                async fn list_users(&self) -> Result<Vec<User>, StoreError> {
                    Ok(sqlx::query_as(&format!(
                        "SELECT {USER_COLUMNS} FROM users ORDER BY created_at, id"
                    ))
                    .fetch_all(&self.pool)
                    .await?)
                }

                async fn mark_email_verified(&self, user_id: &str) -> Result<(), StoreError> {
                    sqlx::query(&format!(
                        "UPDATE users SET email_verified = {NOW_ISO} \
                         WHERE id = $1 AND email_verified IS NULL"
                    ))
                    .bind(user_id)
                    .execute(&self.pool)
                    .await?;
                    Ok(())
                }

                async fn has_password(&self, user_id: &str) -> Result<bool, StoreError> {
                    let row = sqlx::query(
                        "SELECT password_hash IS NOT NULL AS has FROM users WHERE id = $1",
                    )
                    .bind(user_id)
                    .fetch_optional(&self.pool)
                    .await?;
                    Ok(row.is_some_and(|r| r.get::<bool, _>("has")))
                }

                async fn set_password_hash(
                    &self,
                    user_id: &str,
                    password_hash: &str,
                ) -> Result<(), StoreError> {
                    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                        .bind(password_hash)
                        .bind(user_id)
                        .execute(&self.pool)
                        .await?;
                    Ok(())
                }

                async fn remove_password(&self, user_id: &str) -> Result<(), StoreError> {
                    sqlx::query("UPDATE users SET password_hash = NULL WHERE id = $1")
                        .bind(user_id)
                        .execute(&self.pool)
                        .await?;
                    Ok(())
                }
            }

            #[async_trait]
            impl AccountStore for $store {
                async fn link_account(&self, account: Account) -> Result<(), StoreError> {
                    insert_account(&self.pool, &account).await
                }

                async fn create_user_with_account(
                    &self,
                    user: NewUser,
                    email_verified: bool,
                    account: Account,
                ) -> Result<User, StoreError> {
                    let mut tx = self.pool.begin().await?;
                    let created: User = sqlx::query_as(&format!(
                        "INSERT INTO users (id, name, email, image, password_hash, \
                         email_verified) \
                         VALUES ($1, $2, $3, $4, $5, CASE WHEN $6 THEN {NOW_ISO} END) \
                         RETURNING {USER_COLUMNS}"
                    ))
                    .bind(new_id())
                    .bind(user.name)
                    .bind(user.email.as_deref().map(normalize_email))
                    .bind(user.image)
                    .bind(user.password_hash)
                    .bind(email_verified)
                    .fetch_one(&mut *tx)
                    .await?;
                    let account = Account {
                        user_id: created.id.clone(),
                        ..account
                    };
                    insert_account(&mut *tx, &account).await?;
                    tx.commit().await?;
                    Ok(created)
                }

                async fn account(
                    &self,
                    provider: &str,
                    provider_account_id: &str,
                ) -> Result<Option<Account>, StoreError> {
                    let row: Option<AccountRow> = sqlx::query_as(&format!(
                        "SELECT {ACCOUNT_COLUMNS} FROM accounts \
                         WHERE provider = $1 AND provider_account_id = $2"
                    ))
                    .bind(provider)
                    .bind(provider_account_id)
                    .fetch_optional(&self.pool)
                    .await?;
                    Ok(row.map(Account::from))
                }

                async fn accounts_of_user(
                    &self,
                    user_id: &str,
                ) -> Result<Vec<Account>, StoreError> {
                    let rows: Vec<AccountRow> = sqlx::query_as(&format!(
                        "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE user_id = $1 \
                         ORDER BY provider"
                    ))
                    .bind(user_id)
                    .fetch_all(&self.pool)
                    .await?;
                    Ok(rows.into_iter().map(Account::from).collect())
                }

                async fn all_accounts(&self) -> Result<Vec<Account>, StoreError> {
                    let rows: Vec<AccountRow> = sqlx::query_as(&format!(
                        "SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY id"
                    ))
                    .fetch_all(&self.pool)
                    .await?;
                    Ok(rows.into_iter().map(Account::from).collect())
                }

                async fn update_account_tokens(
                    &self,
                    account_id: &str,
                    tokens: &AccountTokens,
                ) -> Result<(), StoreError> {
                    sqlx::query(
                        "UPDATE accounts SET access_token = $1, refresh_token = $2, \
                         expires_at = $3, scope = $4, token_type = $5, \
                         id_token = COALESCE($6, id_token) WHERE id = $7",
                    )
                    .bind(tokens.access_token.as_ref().map(AccessToken::secret))
                    .bind(tokens.refresh_token.as_ref().map(RefreshToken::secret))
                    .bind(tokens.expires_at)
                    .bind(&tokens.scope)
                    .bind(&tokens.token_type)
                    .bind(&tokens.id_token)
                    .bind(account_id)
                    .execute(&self.pool)
                    .await?;
                    Ok(())
                }

                async fn unlink_account(
                    &self,
                    user_id: &str,
                    provider: &str,
                ) -> Result<(), StoreError> {
                    sqlx::query("DELETE FROM accounts WHERE user_id = $1 AND provider = $2")
                        .bind(user_id)
                        .bind(provider)
                        .execute(&self.pool)
                        .await?;
                    Ok(())
                }
            }

            #[async_trait]
            impl SessionStore for $store {
                async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
                    sqlx::query(&format!(
                        "INSERT INTO sessions ({SESSION_COLUMNS}) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                    ))
                    .bind(&session.id)
                    .bind(&session.user_id)
                    .bind(&session.token_hash)
                    .bind(&session.data)
                    .bind(session.created_at)
                    .bind(session.last_seen_at)
                    .bind(session.expires_at)
                    .bind(session.absolute_expires_at)
                    .bind(&session.user_agent)
                    .bind(&session.ip)
                    .execute(&self.pool)
                    .await?;
                    Ok(())
                }

                async fn session(&self, id: &str) -> Result<Option<SessionRecord>, StoreError> {
                    Ok(sqlx::query_as(&format!(
                        "SELECT {SESSION_COLUMNS} FROM sessions WHERE id = $1"
                    ))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
                }

                async fn session_by_token_hash(
                    &self,
                    token_hash: &str,
                ) -> Result<Option<SessionRecord>, StoreError> {
                    Ok(sqlx::query_as(&format!(
                        "SELECT {SESSION_COLUMNS} FROM sessions WHERE token_hash = $1"
                    ))
                    .bind(token_hash)
                    .fetch_optional(&self.pool)
                    .await?)
                }

                async fn touch_session(
                    &self,
                    id: &str,
                    last_seen_at: i64,
                    expires_at: i64,
                    data: Option<&str>,
                ) -> Result<(), StoreError> {
                    sqlx::query(
                        "UPDATE sessions SET last_seen_at = $1, expires_at = $2, \
                         data = COALESCE($3, data) WHERE id = $4",
                    )
                    .bind(last_seen_at)
                    .bind(expires_at)
                    .bind(data)
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                    Ok(())
                }

                async fn sessions_of_user(
                    &self,
                    user_id: &str,
                ) -> Result<Vec<SessionRecord>, StoreError> {
                    Ok(sqlx::query_as(&format!(
                        "SELECT {SESSION_COLUMNS} FROM sessions WHERE user_id = $1 \
                         ORDER BY last_seen_at DESC, id"
                    ))
                    .bind(user_id)
                    .fetch_all(&self.pool)
                    .await?)
                }

                async fn delete_session(&self, user_id: &str, id: &str) -> Result<bool, StoreError> {
                    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id = $2")
                        .bind(user_id)
                        .bind(id)
                        .execute(&self.pool)
                        .await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn delete_sessions_of_user(
                    &self,
                    user_id: &str,
                    except: Option<&str>,
                ) -> Result<u64, StoreError> {
                    let done = sqlx::query(
                        "DELETE FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2",
                    )
                    .bind(user_id)
                    .bind(except)
                    .execute(&self.pool)
                    .await?;
                    Ok(done.rows_affected())
                }

                async fn delete_expired_sessions(&self, now: i64) -> Result<(), StoreError> {
                    sqlx::query(
                        "DELETE FROM sessions WHERE expires_at < $1 OR absolute_expires_at < $1",
                    )
                    .bind(now)
                    .execute(&self.pool)
                    .await?;
                    Ok(())
                }
            }

            #[async_trait]
            impl VerificationTokenStore for $store {
                async fn create_verification_token(
                    &self,
                    token: &VerificationToken,
                ) -> Result<(), StoreError> {
                    sqlx::query(
                        "INSERT INTO verification_tokens \
                         (token_hash, identifier, purpose, expires_at) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(&token.token_hash)
                    .bind(&token.identifier)
                    .bind(token.purpose.as_str())
                    .bind(token.expires_at)
                    .execute(&self.pool)
                    .await?;
                    Ok(())
                }

                async fn delete_verification_tokens(
                    &self,
                    identifier: &str,
                ) -> Result<u64, StoreError> {
                    let done = sqlx::query("DELETE FROM verification_tokens WHERE identifier = $1")
                        .bind(identifier)
                        .execute(&self.pool)
                        .await?;
                    Ok(done.rows_affected())
                }

                async fn take_verification_token(
                    &self,
                    token_hash: &str,
                ) -> Result<Option<VerificationToken>, StoreError> {
                    // DELETE … RETURNING: of two parallel uses, only one gets the row.
                    let row: Option<TokenRow> = sqlx::query_as(
                        "DELETE FROM verification_tokens WHERE token_hash = $1 \
                         RETURNING token_hash, identifier, purpose, expires_at",
                    )
                    .bind(token_hash)
                    .fetch_optional(&self.pool)
                    .await?;
                    Ok(row.and_then(TokenRow::into_token))
                }

                async fn delete_expired_verification_tokens(
                    &self,
                    now: i64,
                ) -> Result<(), StoreError> {
                    sqlx::query("DELETE FROM verification_tokens WHERE expires_at < $1")
                        .bind(now)
                        .execute(&self.pool)
                        .await?;
                    Ok(())
                }
            }

            #[async_trait]
            impl CounterStore for $store {
                async fn count_event(
                    &self,
                    key: &str,
                    now: i64,
                    window: i64,
                ) -> Result<Counter, StoreError> {
                    // One statement, so concurrent requests (and instances) never lose a
                    // count. In an UPDATE every right-hand side sees the row as it was before.
                    let row: CounterRow = sqlx::query_as(&format!(
                        "INSERT INTO auth_counters AS c (key, count, window_start, expires_at) \
                         VALUES ($1, 1, $2, $2 + $3) \
                         ON CONFLICT (key) DO UPDATE SET \
                           count = CASE WHEN c.window_start + $3 <= $2 OR c.count = 0 \
                                        THEN 1 ELSE c.count + 1 END, \
                           window_start = CASE WHEN c.window_start + $3 <= $2 OR c.count = 0 \
                                               THEN $2 ELSE c.window_start END, \
                           expires_at = {GREATEST}(c.expires_at, \
                               CASE WHEN c.window_start + $3 <= $2 OR c.count = 0 \
                                    THEN $2 ELSE c.window_start END + $3) \
                         RETURNING count, window_start, locked_until, strikes"
                    ))
                    .bind(key)
                    .bind(now)
                    .bind(window)
                    .fetch_one(&self.pool)
                    .await?;
                    Ok(row.into())
                }

                async fn lock_counter(&self, key: &str, until: i64) -> Result<(), StoreError> {
                    sqlx::query(&format!(
                        "UPDATE auth_counters SET locked_until = $2, strikes = strikes + 1, \
                         count = 0, expires_at = {GREATEST}(expires_at, $2 + $3) WHERE key = $1"
                    ))
                    .bind(key)
                    .bind(until)
                    .bind(COUNTER_MEMORY_SECS)
                    .execute(&self.pool)
                    .await?;
                    Ok(())
                }

                async fn counter(&self, key: &str) -> Result<Option<Counter>, StoreError> {
                    let row: Option<CounterRow> = sqlx::query_as(
                        "SELECT count, window_start, locked_until, strikes FROM auth_counters \
                         WHERE key = $1",
                    )
                    .bind(key)
                    .fetch_optional(&self.pool)
                    .await?;
                    Ok(row.map(Counter::from))
                }

                async fn clear_counter(&self, key: &str) -> Result<(), StoreError> {
                    sqlx::query("DELETE FROM auth_counters WHERE key = $1")
                        .bind(key)
                        .execute(&self.pool)
                        .await?;
                    Ok(())
                }

                async fn delete_expired_counters(&self, now: i64) -> Result<(), StoreError> {
                    sqlx::query("DELETE FROM auth_counters WHERE expires_at < $1")
                        .bind(now)
                        .execute(&self.pool)
                        .await?;
                    Ok(())
                }
            }

            #[async_trait]
            impl AuditStore for $store {
                async fn record_audit_event(&self, event: &AuditRecord) -> Result<(), StoreError> {
                    sqlx::query(&format!(
                        "INSERT INTO audit_events ({AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"
                    ))
                    .bind(event.time)
                    .bind(&event.user_id)
                    .bind(&event.event)
                    .bind(&event.provider)
                    .bind(&event.ip)
                    .bind(&event.user_agent)
                    .execute(&self.pool)
                    .await?;
                    Ok(())
                }

                async fn audit_events(
                    &self,
                    user_id: Option<&str>,
                    limit: u32,
                ) -> Result<Vec<AuditRecord>, StoreError> {
                    let by_user = format!(
                        "SELECT {AUDIT_COLUMNS} FROM audit_events WHERE user_id = $1 \
                         ORDER BY id DESC LIMIT $2"
                    );
                    let everyone =
                        format!("SELECT {AUDIT_COLUMNS} FROM audit_events ORDER BY id DESC LIMIT $1");
                    let limit = i64::from(limit);
                    let query = match user_id {
                        Some(user_id) => sqlx::query_as(&by_user).bind(user_id).bind(limit),
                        None => sqlx::query_as(&everyone).bind(limit),
                    };
                    Ok(query.fetch_all(&self.pool).await?)
                }

                async fn delete_audit_events_before(&self, before: i64) -> Result<(), StoreError> {
                    sqlx::query("DELETE FROM audit_events WHERE time < $1")
                        .bind(before)
                        .execute(&self.pool)
                        .await?;
                    Ok(())
                }
            }

            #[async_trait]
            impl PasskeyStore for $store {
                async fn create_passkey(&self, passkey: &PasskeyRecord) -> Result<(), StoreError> {
                    sqlx::query(&format!(
                        "INSERT INTO passkeys ({PASSKEY_COLUMNS}) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
                    ))
                    .bind(&passkey.id)
                    .bind(&passkey.user_id)
                    .bind(&passkey.credential)
                    .bind(&passkey.name)
                    .bind(passkey.counter)
                    .bind(passkey.backup_eligible)
                    .bind(passkey.backup_state)
                    .bind(&passkey.transports)
                    .bind(&passkey.aaguid)
                    .bind(passkey.created_at)
                    .bind(passkey.last_used_at)
                    .execute(&self.pool)
                    .await?;
                    Ok(())
                }

                async fn passkey(&self, id: &str) -> Result<Option<PasskeyRecord>, StoreError> {
                    Ok(sqlx::query_as(&format!(
                        "SELECT {PASSKEY_COLUMNS} FROM passkeys WHERE id = $1"
                    ))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
                }

                async fn passkeys_of_user(
                    &self,
                    user_id: &str,
                ) -> Result<Vec<PasskeyRecord>, StoreError> {
                    Ok(sqlx::query_as(&format!(
                        "SELECT {PASSKEY_COLUMNS} FROM passkeys WHERE user_id = $1 \
                         ORDER BY created_at, id"
                    ))
                    .bind(user_id)
                    .fetch_all(&self.pool)
                    .await?)
                }

                async fn record_passkey_use(
                    &self,
                    id: &str,
                    credential: &str,
                    counter: i64,
                    backup_state: bool,
                    used_at: i64,
                ) -> Result<bool, StoreError> {
                    let done = sqlx::query(
                        "UPDATE passkeys SET credential = $1, counter = $2, backup_state = $3, \
                         last_used_at = $4 WHERE id = $5",
                    )
                    .bind(credential)
                    .bind(counter)
                    .bind(backup_state)
                    .bind(used_at)
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn rename_passkey(
                    &self,
                    user_id: &str,
                    id: &str,
                    name: &str,
                ) -> Result<bool, StoreError> {
                    let done =
                        sqlx::query("UPDATE passkeys SET name = $1 WHERE id = $2 AND user_id = $3")
                            .bind(name)
                            .bind(id)
                            .bind(user_id)
                            .execute(&self.pool)
                            .await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn delete_passkey(&self, user_id: &str, id: &str) -> Result<bool, StoreError> {
                    let done = sqlx::query("DELETE FROM passkeys WHERE id = $1 AND user_id = $2")
                        .bind(id)
                        .bind(user_id)
                        .execute(&self.pool)
                        .await?;
                    Ok(done.rows_affected() > 0)
                }
            }

            #[async_trait]
            impl TwoFactorStore for $store {
                async fn two_factor(
                    &self,
                    user_id: &str,
                ) -> Result<Option<TwoFactorRecord>, StoreError> {
                    Ok(sqlx::query_as(&format!(
                        "SELECT {TWO_FACTOR_COLUMNS} FROM two_factor WHERE user_id = $1"
                    ))
                    .bind(user_id)
                    .fetch_optional(&self.pool)
                    .await?)
                }

                async fn put_two_factor(&self, record: &TwoFactorRecord) -> Result<(), StoreError> {
                    sqlx::query(&format!(
                        "INSERT INTO two_factor ({TWO_FACTOR_COLUMNS}) \
                         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id) DO UPDATE SET \
                         secret = $2, enabled_at = $3, last_step = $4, backup_codes = $5, \
                         created_at = $6"
                    ))
                    .bind(&record.user_id)
                    .bind(&record.secret)
                    .bind(record.enabled_at)
                    .bind(record.last_step)
                    .bind(&record.backup_codes)
                    .bind(record.created_at)
                    .execute(&self.pool)
                    .await?;
                    Ok(())
                }

                async fn use_totp_step(&self, user_id: &str, step: i64) -> Result<bool, StoreError> {
                    let done = sqlx::query(
                        "UPDATE two_factor SET last_step = $1 WHERE user_id = $2 AND last_step < $1",
                    )
                    .bind(step)
                    .bind(user_id)
                    .execute(&self.pool)
                    .await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn swap_backup_codes(
                    &self,
                    user_id: &str,
                    expected: &str,
                    new: &str,
                ) -> Result<bool, StoreError> {
                    let done = sqlx::query(
                        "UPDATE two_factor SET backup_codes = $1 \
                         WHERE user_id = $2 AND backup_codes = $3",
                    )
                    .bind(new)
                    .bind(user_id)
                    .bind(expected)
                    .execute(&self.pool)
                    .await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn delete_two_factor(&self, user_id: &str) -> Result<bool, StoreError> {
                    let done = sqlx::query("DELETE FROM two_factor WHERE user_id = $1")
                        .bind(user_id)
                        .execute(&self.pool)
                        .await?;
                    Ok(done.rows_affected() > 0)
                }
            }
        };
    };
}

pub(super) use sql_store;
