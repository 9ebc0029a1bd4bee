//! The scale-out store: PostgreSQL through sqlx, so several instances share users, sessions,
//! rate limits and lockouts (docs/architecture.md › Persistence). Selected by
//! `DATABASE_URL=postgres://…`; migrations run at start-up, like SQLite's. The statements are
//! in `sql.rs`, shared with SQLite.

use std::time::Duration;

use sqlx::{PgPool, Postgres, postgres::PgPoolOptions};

use super::{StoreError, sql::Dialect};

/// A [`Store`](super::Store) on a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl Dialect for Postgres {
    const NOW_ISO: &'static str =
        r#"to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')"#;
    const GREATEST: &'static str = "GREATEST";
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
        Self::migrated(pool).await
    }
}

super::sql::sql_store!(PostgresStore, Postgres, "./migrations/postgres");
