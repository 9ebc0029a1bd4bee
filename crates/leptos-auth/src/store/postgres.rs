//! The scale-out store: PostgreSQL through sqlx, so several instances share users, sessions, rate
//! limits and lockouts (docs/architecture.md › Persistence). Selected by
//! `DATABASE_URL=postgres://…`; migrations run at start-up, like SQLite's.

use std::time::Duration;

use async_trait::async_trait;
use sqlx::{
    PgPool, Row,
    postgres::{PgPoolOptions, PgRow},
};

use crate::{
    AuditRecord, ProviderKind,
    secret::{AccessToken, RefreshToken},
};

use super::{
    Account, AccountTokens, COUNTER_MEMORY_SECS, Counter, NewUser, SessionRecord, Store,
    StoreError, TokenPurpose, User, VerificationToken, normalize_email,
};

/// A [`Store`] on a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

const USER_COLUMNS: &str = "id, name, email, image, email_verified";

/// `email_verified` as the SQLite store writes it: ISO 8601 with milliseconds, UTC.
const NOW_ISO: &str =
    r#"to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')"#;

fn user_from_row(row: &PgRow) -> User {
    User {
        id: row.get("id"),
        name: row.get("name"),
        email: row.get("email"),
        image: row.get("image"),
        email_verified: row.get("email_verified"),
    }
}

const ACCOUNT_COLUMNS: &str = "id, user_id, provider, provider_account_id, type, access_token, \
     refresh_token, expires_at, scope, token_type, id_token";

fn account_from_row(row: &PgRow) -> Account {
    Account {
        id: row.get("id"),
        user_id: row.get("user_id"),
        provider: row.get("provider"),
        provider_account_id: row.get("provider_account_id"),
        kind: ProviderKind::from_wire(row.get("type")).unwrap_or(ProviderKind::OAuth),
        tokens: AccountTokens {
            access_token: row
                .get::<Option<String>, _>("access_token")
                .map(AccessToken::new),
            refresh_token: row
                .get::<Option<String>, _>("refresh_token")
                .map(RefreshToken::new),
            expires_at: row.get("expires_at"),
            scope: row.get("scope"),
            token_type: row.get("token_type"),
            id_token: row.get("id_token"),
        },
    }
}

const SESSION_COLUMNS: &str = "id, user_id, token_hash, data, created_at, last_seen_at, \
     expires_at, absolute_expires_at, user_agent, ip";

fn session_from_row(row: &PgRow) -> SessionRecord {
    SessionRecord {
        id: row.get("id"),
        user_id: row.get("user_id"),
        token_hash: row.get("token_hash"),
        data: row.get("data"),
        created_at: row.get("created_at"),
        last_seen_at: row.get("last_seen_at"),
        expires_at: row.get("expires_at"),
        absolute_expires_at: row.get("absolute_expires_at"),
        user_agent: row.get("user_agent"),
        ip: row.get("ip"),
    }
}

fn counter_from_row(row: &PgRow) -> Counter {
    Counter {
        count: row.get::<i64, _>("count").try_into().unwrap_or(u32::MAX),
        window_start: row.get("window_start"),
        locked_until: row.get("locked_until"),
        strikes: row.get::<i64, _>("strikes").try_into().unwrap_or(u32::MAX),
    }
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user:password@host:port/database`) and runs the
    /// migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect(url)
            .await?;
        let store = PostgresStore { pool };
        store.migrate().await?;
        Ok(store)
    }

    /// Brings the schema up to date. Safe to run from several instances at once (sqlx
    /// takes an advisory lock).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("./migrations/postgres")
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Database(Box::new(e)))
    }
}

async fn insert_account<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Postgres>,
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
impl Store for PostgresStore {
    async fn create_user(&self, user: NewUser) -> Result<User, StoreError> {
        let row = sqlx::query(&format!(
            "INSERT INTO users (id, name, email, image, password_hash, data) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING {USER_COLUMNS}"
        ))
        .bind(crate::session::csrf::random_hex(16))
        .bind(user.name)
        .bind(user.email.as_deref().map(normalize_email))
        .bind(user.image)
        .bind(user.password_hash)
        .bind(user.data)
        .fetch_one(&self.pool)
        .await?;
        Ok(user_from_row(&row))
    }

    async fn user_by_id(&self, id: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(user_from_row))
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE email = $1"
        ))
        .bind(normalize_email(email))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(user_from_row))
    }

    async fn user_with_password(&self, email: &str) -> Result<Option<(User, String)>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, password_hash FROM users \
             WHERE email = $1 AND password_hash IS NOT NULL"
        ))
        .bind(normalize_email(email))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|row| (user_from_row(&row), row.get("password_hash"))))
    }

    async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users ORDER BY created_at, id"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(user_from_row).collect())
    }

    async fn mark_email_verified(&self, user_id: &str) -> Result<(), StoreError> {
        sqlx::query(&format!(
            "UPDATE users SET email_verified = {NOW_ISO} WHERE id = $1 AND email_verified IS NULL"
        ))
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn link_account(&self, account: Account) -> Result<(), StoreError> {
        insert_account(&self.pool, &account).await
    }

    async fn import_users(&self, users: Vec<NewUser>) -> Result<Vec<bool>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut created = Vec::with_capacity(users.len());
        for user in users {
            let done = sqlx::query(
                "INSERT INTO users (id, name, email, image, password_hash, data) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (email) DO NOTHING",
            )
            .bind(crate::session::csrf::random_hex(16))
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

    async fn create_user_with_account(
        &self,
        user: NewUser,
        email_verified: bool,
        account: Account,
    ) -> Result<User, StoreError> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(&format!(
            "INSERT INTO users (id, name, email, image, password_hash, email_verified) \
             VALUES ($1, $2, $3, $4, $5, CASE WHEN $6 THEN {NOW_ISO} END) \
             RETURNING {USER_COLUMNS}"
        ))
        .bind(crate::session::csrf::random_hex(16))
        .bind(user.name)
        .bind(user.email.as_deref().map(normalize_email))
        .bind(user.image)
        .bind(user.password_hash)
        .bind(email_verified)
        .fetch_one(&mut *tx)
        .await?;
        let created = user_from_row(&row);
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
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts \
             WHERE provider = $1 AND provider_account_id = $2"
        ))
        .bind(provider)
        .bind(provider_account_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(account_from_row))
    }

    async fn accounts_of_user(&self, user_id: &str) -> Result<Vec<Account>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE user_id = $1 ORDER BY provider"
        ))
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(account_from_row).collect())
    }

    async fn all_accounts(&self) -> Result<Vec<Account>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY id"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(account_from_row).collect())
    }

    async fn update_account_tokens(
        &self,
        account_id: &str,
        tokens: &AccountTokens,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE accounts SET access_token = $1, refresh_token = $2, expires_at = $3, \
             scope = $4, token_type = $5, id_token = COALESCE($6, id_token) WHERE id = $7",
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

    async fn unlink_account(&self, user_id: &str, provider: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM accounts WHERE user_id = $1 AND provider = $2")
            .bind(user_id)
            .bind(provider)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn has_password(&self, user_id: &str) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT password_hash IS NOT NULL AS has FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some_and(|r| r.get::<bool, _>("has")))
    }

    async fn count_event(&self, key: &str, now: i64, window: i64) -> Result<Counter, StoreError> {
        // One statement: concurrent instances never lose a count.
        let row = sqlx::query(
            "INSERT INTO auth_counters AS c (key, count, window_start, expires_at) \
             VALUES ($1, 1, $2, $2 + $3) \
             ON CONFLICT (key) DO UPDATE SET \
               count = CASE WHEN c.window_start + $3 <= $2 OR c.count = 0 \
                            THEN 1 ELSE c.count + 1 END, \
               window_start = CASE WHEN c.window_start + $3 <= $2 OR c.count = 0 \
                                   THEN $2 ELSE c.window_start END, \
               expires_at = GREATEST(c.expires_at, CASE WHEN c.window_start + $3 <= $2 \
                                     OR c.count = 0 THEN $2 ELSE c.window_start END + $3) \
             RETURNING count, window_start, locked_until, strikes",
        )
        .bind(key)
        .bind(now)
        .bind(window)
        .fetch_one(&self.pool)
        .await?;
        Ok(counter_from_row(&row))
    }

    async fn lock_counter(&self, key: &str, until: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE auth_counters SET locked_until = $2, strikes = strikes + 1, count = 0, \
             expires_at = GREATEST(expires_at, $2 + $3) WHERE key = $1",
        )
        .bind(key)
        .bind(until)
        .bind(COUNTER_MEMORY_SECS)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn counter(&self, key: &str) -> Result<Option<Counter>, StoreError> {
        let row = sqlx::query(
            "SELECT count, window_start, locked_until, strikes FROM auth_counters WHERE key = $1",
        )
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(counter_from_row))
    }

    async fn clear_counter(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM auth_counters WHERE key = $1")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn prune_expired(&self, now: i64, audit_before: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM auth_counters WHERE expires_at < $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1 OR absolute_expires_at < $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        sqlx::query("DELETE FROM verification_tokens WHERE expires_at < $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        sqlx::query("DELETE FROM audit_events WHERE time < $1")
            .bind(audit_before)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_verification_tokens(&self, identifier: &str) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM verification_tokens WHERE identifier = $1")
            .bind(identifier)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    async fn create_verification_token(&self, token: &VerificationToken) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO verification_tokens (token_hash, identifier, purpose, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(&token.token_hash)
        .bind(&token.identifier)
        .bind(token.purpose.as_str())
        .bind(token.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn take_verification_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<VerificationToken>, StoreError> {
        // DELETE … RETURNING: of two parallel uses, only one gets the row.
        let row = sqlx::query(
            "DELETE FROM verification_tokens WHERE token_hash = $1 \
             RETURNING token_hash, identifier, purpose, expires_at",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.and_then(|row: PgRow| {
            Some(VerificationToken {
                token_hash: row.get("token_hash"),
                identifier: row.get("identifier"),
                purpose: TokenPurpose::from_stored(row.get("purpose"))?,
                expires_at: row.get("expires_at"),
            })
        }))
    }

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
        let row = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(session_from_row))
    }

    async fn session_by_token_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<SessionRecord>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(session_from_row))
    }

    async fn touch_session(
        &self,
        id: &str,
        last_seen_at: i64,
        expires_at: i64,
        data: Option<&str>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE sessions SET last_seen_at = $1, expires_at = $2, data = COALESCE($3, data) \
             WHERE id = $4",
        )
        .bind(last_seen_at)
        .bind(expires_at)
        .bind(data)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn sessions_of_user(&self, user_id: &str) -> Result<Vec<SessionRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE user_id = $1 \
             ORDER BY last_seen_at DESC, id"
        ))
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(session_from_row).collect())
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
        let done =
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2")
                .bind(user_id)
                .bind(except)
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected())
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

    async fn record_audit_event(&self, event: &AuditRecord) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO audit_events (time, user_id, event, provider, ip, user_agent) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
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
        let columns = "time, user_id, event, provider, ip, user_agent";
        let rows = match user_id {
            Some(user_id) => sqlx::query(&format!(
                "SELECT {columns} FROM audit_events WHERE user_id = $1 ORDER BY id DESC LIMIT $2"
            ))
            .bind(user_id)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?,
            None => {
                sqlx::query(&format!(
                    "SELECT {columns} FROM audit_events ORDER BY id DESC LIMIT $1"
                ))
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?
            }
        };
        Ok(rows.iter().map(audit_from_row).collect())
    }
}

fn audit_from_row(row: &PgRow) -> AuditRecord {
    AuditRecord {
        time: row.get("time"),
        user_id: row.get("user_id"),
        event: row.get("event"),
        provider: row.get("provider"),
        ip: row.get("ip"),
        user_agent: row.get("user_agent"),
    }
}
