//! Persistence in the Auth.js adapter model (SPEC §7): users, accounts, sessions and
//! verification tokens, behind one small trait so SQLite and PostgreSQL are interchangeable.

mod password;
mod sqlite;

use std::fmt;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

pub use password::{hash_password, verify_password};
pub use sqlite::SqliteStore;

/// A user, as stored (never with the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Stable opaque id.
    pub id: String,
    /// Display name.
    pub name: Option<String>,
    /// Email address, lower-cased.
    pub email: Option<String>,
    /// Avatar URL.
    pub image: Option<String>,
    /// When the email address was verified (ISO 8601), if it was.
    pub email_verified: Option<String>,
}

/// What is needed to create a user.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    /// Display name.
    pub name: Option<String>,
    /// Email address (lower-cased by the store).
    pub email: Option<String>,
    /// Avatar URL.
    pub image: Option<String>,
    /// argon2id PHC string, for users who sign in with a password.
    pub password_hash: Option<String>,
}

/// A store failure. Callers map it to `Configuration` for the browser and log the detail.
#[derive(Debug)]
pub enum StoreError {
    /// A unique value (email) is taken.
    Conflict,
    /// The database failed or is unreachable.
    Database(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Conflict => f.write_str("already exists"),
            StoreError::Database(e) => write!(f, "database error: {e}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// The storage interface of the authentication layer. One screen on purpose: a new backend
/// implements these and nothing else.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Creates a user; [`StoreError::Conflict`] when the email is taken.
    async fn create_user(&self, user: NewUser) -> Result<User, StoreError>;
    /// Finds a user by id.
    async fn user_by_id(&self, id: &str) -> Result<Option<User>, StoreError>;
    /// Finds a user by email (case-insensitive).
    async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError>;
    /// The user with this email and their password hash, if they have one.
    async fn user_with_password(&self, email: &str) -> Result<Option<(User, String)>, StoreError>;
    /// Every user, oldest first.
    async fn list_users(&self) -> Result<Vec<User>, StoreError>;
}

/// Lower-cases and trims an email so lookups do not depend on how it was typed.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}
