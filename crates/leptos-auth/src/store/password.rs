//! argon2id password hashing, off the async runtime's worker threads.

use std::{
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use super::password_threads;
use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
    password_hash::SaltString,
};

/// OWASP's argon2id parameters: 19 MiB of memory, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Why a password could not be hashed.
#[derive(Debug, thiserror::Error)]
pub enum PasswordHashError {
    /// argon2 refused the input.
    #[error("argon2 failed: {0}")]
    Argon2(argon2::password_hash::Error),
    /// The hashing thread did not finish the job.
    #[error("the hashing thread failed")]
    Thread,
    /// Too many hashes are waiting already: try again in a moment.
    #[error("too many passwords are being hashed right now")]
    Busy,
}

impl From<password_threads::JobError> for PasswordHashError {
    fn from(e: password_threads::JobError) -> Self {
        match e {
            password_threads::JobError::Busy => PasswordHashError::Busy,
            password_threads::JobError::Failed => PasswordHashError::Thread,
        }
    }
}

/// Hashes a password to a PHC string, on a hashing thread (`password_threads.rs`): a hash
/// takes tens of milliseconds of CPU and would stall every request sharing the worker thread.
pub async fn hash_password(password: String) -> Result<String, PasswordHashError> {
    password_threads::run(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(PasswordHashError::Argon2)
    })
    .await?
}

/// Checks a password against a PHC string. With `None` it still spends the time of a real
/// verification (against a fixed hash), so "no such user" and "wrong password" take as long.
///
/// Every answer also takes at least as long as a typical verification of the slowest kind
/// of hash seen so far: an imported bcrypt hash (slower than argon2id) must not tell its
/// account apart from an unknown email. `Err(Busy)` at once when too many verifications are
/// waiting already.
pub async fn verify_password(
    password: String,
    phc: Option<String>,
) -> Result<bool, PasswordHashError> {
    let started = std::time::Instant::now();
    let kind = match phc.as_deref() {
        Some(hash) if is_bcrypt(hash) => HashKind::Bcrypt,
        _ => HashKind::Argon2,
    };
    let (valid, took) = password_threads::run(move || {
        let working = std::time::Instant::now();
        let phc = phc.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let valid = if is_bcrypt(&phc) {
            bcrypt::verify(password.as_bytes(), &phc).unwrap_or(false)
        } else {
            let ok = PasswordHash::new(&phc)
                .map(|hash| argon2().verify_password(password.as_bytes(), &hash).is_ok())
                .unwrap_or(false);
            ok && phc != DUMMY_HASH
        };
        (valid, working.elapsed())
    })
    .await?;
    // The work alone is measured: time spent queueing under load must not raise the floor.
    let floor = VERIFY_TIMES.record(kind, took);
    if let Some(wait) = floor.checked_sub(started.elapsed()) {
        tokio::time::sleep(wait).await;
    }
    Ok(valid)
}

#[derive(Debug, Clone, Copy)]
enum HashKind {
    Argon2,
    Bcrypt,
}

/// A moving average of how long a verification of each kind of hash takes (microseconds;
/// 0 until one was seen).
struct VerifyTimes {
    argon2: AtomicU64,
    bcrypt: AtomicU64,
}

static VERIFY_TIMES: VerifyTimes = VerifyTimes {
    argon2: AtomicU64::new(0),
    bcrypt: AtomicU64::new(0),
};

impl VerifyTimes {
    /// Adds a measurement of `kind`; returns the time every verification should take: the
    /// larger average. An outlier moves an average by an eighth of its distance only.
    fn record(&self, kind: HashKind, took: Duration) -> Duration {
        let slot = match kind {
            HashKind::Argon2 => &self.argon2,
            HashKind::Bcrypt => &self.bcrypt,
        };
        let sample = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        let _ = slot.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |average| {
            Some(match average {
                0 => sample,
                average => average - average / 8 + sample / 8,
            })
        });
        let slowest = self
            .argon2
            .load(Ordering::Relaxed)
            .max(self.bcrypt.load(Ordering::Relaxed));
        Duration::from_micros(slowest)
    }
}

/// A bcrypt hash (`$2a$`, `$2b$`, `$2y$`), as imported from NextAuth + MongoDB setups.
fn is_bcrypt(hash: &str) -> bool {
    ["$2a$", "$2b$", "$2y$"].iter().any(|p| hash.starts_with(p))
}

/// Whether a stored hash should be replaced by a fresh argon2id one after a successful
/// sign-in: imported bcrypt hashes, and argon2 hashes with other parameters.
pub fn needs_rehash(hash: &str) -> bool {
    is_bcrypt(hash) || !hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")
}

/// argon2id hash (OWASP parameters) of a random password nobody knows.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$5Ggjw6XZHRMeQxVPBkaWXVtqqgZPoUXrlxDNpUV4/cs";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_use_owasp_parameters() {
        let hash = hash_password("correct horse".into()).await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            verify_password("correct horse".into(), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(!verify_password("wrong".into(), Some(hash)).await.unwrap());
        assert!(!verify_password("anything".into(), None).await.unwrap());
    }

    #[tokio::test]
    async fn imported_bcrypt_hashes_verify_and_ask_to_be_replaced() {
        let bcrypt = bcrypt::hash("old password", 4).unwrap();
        assert!(needs_rehash(&bcrypt));
        assert!(
            verify_password("old password".into(), Some(bcrypt.clone()))
                .await
                .unwrap()
        );
        assert!(!verify_password("wrong".into(), Some(bcrypt)).await.unwrap());
        let argon = hash_password("new password".into()).await.unwrap();
        assert!(!needs_rehash(&argon));
    }
}
