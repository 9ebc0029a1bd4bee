//! The embedded default store: SQLite through sqlx (WAL mode, migrations at start-up). The
//! statements are in `sql.rs`, shared with PostgreSQL.

use std::{str::FromStr, time::Duration};

use sqlx::{
    Sqlite, SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions},
};

use super::{StoreError, sql::Dialect};

/// A [`Store`](super::Store) on a SQLite file (or `sqlite::memory:`).
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl Dialect for Sqlite {
    const NOW_ISO: &'static str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
    const GREATEST: &'static str = "MAX";
}

impl SqliteStore {
    /// Opens (creating it if needed) the database at `url`, e.g.
    /// `sqlite://data/leptos-auth.db`, and runs the migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        if let Some(dir) = options.get_filename().parent() {
            super::create_private_dir(dir).map_err(|e| StoreError::Database(Box::new(e)))?;
        }
        // SQLite writes one at a time; twice the cores covers the readers. Each connection
        // is a thread with its own page cache, so a burst does not get to open more.
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        let pool = SqlitePoolOptions::new()
            .max_connections((cores as u32 * 2).clamp(2, 8))
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await?;
        Self::migrated(pool).await
    }
}

super::sql::sql_store!(SqliteStore, Sqlite, "./migrations/sqlite");
