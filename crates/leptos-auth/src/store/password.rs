//! argon2id password hashing, off the async runtime's worker threads.

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
    .await
    .ok_or(PasswordHashError::Thread)?
}

/// Checks a password against a PHC string. With `None` it still spends the time of a real
/// verification (against a fixed hash), so "no such user" and "wrong password" take as long.
pub async fn verify_password(password: String, phc: Option<String>) -> bool {
    password_threads::run(move || {
        let phc = phc.unwrap_or_else(|| DUMMY_HASH.to_owned());
        if is_bcrypt(&phc) {
            return bcrypt::verify(password.as_bytes(), &phc).unwrap_or(false);
        }
        let ok = PasswordHash::new(&phc)
            .map(|hash| argon2().verify_password(password.as_bytes(), &hash).is_ok())
            .unwrap_or(false);
        ok && phc != DUMMY_HASH
    })
    .await
    .unwrap_or(false)
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
        assert!(verify_password("correct horse".into(), Some(hash.clone())).await);
        assert!(!verify_password("wrong".into(), Some(hash)).await);
        assert!(!verify_password("anything".into(), None).await);
    }

    #[tokio::test]
    async fn imported_bcrypt_hashes_verify_and_ask_to_be_replaced() {
        let bcrypt = bcrypt::hash("old password", 4).unwrap();
        assert!(needs_rehash(&bcrypt));
        assert!(verify_password("old password".into(), Some(bcrypt.clone())).await);
        assert!(!verify_password("wrong".into(), Some(bcrypt)).await);
        let argon = hash_password("new password".into()).await.unwrap();
        assert!(!needs_rehash(&argon));
    }
}
