//! Checking a second-factor code: a 6-digit authenticator code (TOTP, by totp-rs) or a backup
//! code. Each is accepted once: the store takes the TOTP step or the backup code atomically,
//! so a code replayed within its 30 seconds, or sent to two instances at once, works once.

use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, Secret, Totp};

use crate::{
    Auth,
    clock::now_secs,
    keys::hex,
    store::{StoreError, TwoFactorRecord},
};

/// The field a TOTP secret is sealed under: a sealed value of another field does not open
/// as a secret.
const SECRET_FIELD: &str = "two-factor-secret";
/// How many backup codes a user gets.
pub(super) const BACKUP_CODES: usize = 10;
/// Backup code characters: lower-case letters and digits without the look-alikes (0/o, 1/l/i).
const BACKUP_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
/// Characters of a backup code (shown as two groups of five): about 50 bits.
const BACKUP_LEN: usize = 10;
/// RFC 6238's defaults, which every authenticator app reads: 30-second steps.
const STEP_SECS: u64 = 30;

/// How a second factor was proven.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Proof {
    /// A code from the authenticator app.
    Authenticator,
    /// One of the backup codes (now used up).
    BackupCode,
}

/// A new TOTP secret: 160 random bits, as RFC 4226 recommends for HMAC-SHA1.
pub(super) fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; 20];
    rand::thread_rng().fill_bytes(&mut secret);
    secret
}

/// The TOTP of `secret`: SHA-1, 6 digits, 30-second steps, one step of drift either way.
/// `label` (issuer, account) names it in the authenticator app.
pub(super) fn totp(secret: &[u8], label: Option<(&str, &str)>) -> Option<Totp> {
    let mut builder = totp_rs::Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(STEP_SECS)
        .with_secret(Secret::new(secret.to_vec().into_boxed_slice()));
    if let Some((issuer, account)) = label {
        // The otpauth label separates issuer and account with ':': neither may contain one.
        builder = builder
            .with_issuer(Some(issuer.replace(':', " ")))
            .with_account_name(account.replace(':', " "));
    }
    builder
        .build()
        .inspect_err(|e| tracing::error!(error = %e, "cannot build the TOTP"))
        .ok()
}

/// New backup codes: what the user is shown (`abcde-fghjk`) and what the store keeps (their
/// SHA-256, space-separated).
pub(super) fn new_backup_codes() -> (Vec<String>, String) {
    let mut rng = rand::thread_rng();
    let shown: Vec<String> = (0..BACKUP_CODES)
        .map(|_| {
            let code: String = (0..BACKUP_LEN)
                .map(|_| BACKUP_ALPHABET[rng.gen_range(0..BACKUP_ALPHABET.len())] as char)
                .collect();
            format!("{}-{}", &code[..5], &code[5..])
        })
        .collect();
    let stored = shown
        .iter()
        .map(|code| backup_hash(&normalize_backup_code(code).unwrap_or_default()))
        .collect::<Vec<_>>()
        .join(" ");
    (shown, stored)
}

/// How many unused backup codes a stored list holds.
pub(super) fn backup_codes_left(stored: &str) -> usize {
    stored.split_whitespace().count()
}

fn backup_hash(normalized: &str) -> String {
    hex(&Sha256::digest(normalized.as_bytes()))
}

/// A backup code as typed (any case, with or without the dash or spaces), or `None` when
/// it cannot be one.
fn normalize_backup_code(code: &str) -> Option<String> {
    let code: String = code
        .chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (code.len() == BACKUP_LEN && code.bytes().all(|b| BACKUP_ALPHABET.contains(&b))).then_some(code)
}

/// A 6-digit code as typed (spaces allowed: apps show `123 456`).
fn normalize_totp_code(code: &str) -> Option<String> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    (code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

impl Auth {
    /// The user's second factor when it is on (not while it is being set up): what sign-in,
    /// re-authentication, turning it off and new backup codes work with.
    pub(super) async fn enabled_factor(
        &self,
        user_id: &str,
    ) -> Result<Option<TwoFactorRecord>, StoreError> {
        Ok(self
            .store()
            .two_factor(user_id)
            .await?
            .filter(|record| record.enabled_at.is_some()))
    }

    /// `secret` sealed for the store, bound to its user.
    pub(super) fn seal_totp_secret(&self, user_id: &str, secret: &[u8]) -> String {
        self.keys().seal(SECRET_FIELD, user_id, &hex(secret))
    }

    /// The TOTP secret of a stored factor; `None` when it does not open (another secret).
    pub(super) fn open_totp_secret(&self, record: &TwoFactorRecord) -> Option<Vec<u8>> {
        let hex_secret = self
            .keys()
            .open(SECRET_FIELD, &record.user_id, &record.secret)?;
        crate::keys::decode_hex(&hex_secret)
    }

    /// Checks `code` against the factor `record` and uses it up: `Ok(None)` for a wrong,
    /// malformed or already used code.
    pub(super) async fn use_second_factor(
        &self,
        record: &TwoFactorRecord,
        code: &str,
    ) -> Result<Option<Proof>, StoreError> {
        if let Some(code) = normalize_totp_code(code) {
            let Some(step) = self.totp_step(record, &code) else {
                return Ok(None);
            };
            let fresh = self.store().use_totp_step(&record.user_id, step).await?;
            return Ok(fresh.then_some(Proof::Authenticator));
        }
        let Some(code) = normalize_backup_code(code) else {
            return Ok(None);
        };
        let wanted = backup_hash(&code);
        let stored: Vec<&str> = record.backup_codes.split_whitespace().collect();
        // Every stored hash is compared, in constant time, whichever matches.
        let mut found = None;
        for (i, hash) in stored.iter().enumerate() {
            if bool::from(hash.as_bytes().ct_eq(wanted.as_bytes())) {
                found = Some(i);
            }
        }
        let Some(found) = found else {
            return Ok(None);
        };
        let left: Vec<&str> = stored
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != found)
            .map(|(_, hash)| *hash)
            .collect();
        let taken = self
            .store()
            .swap_backup_codes(&record.user_id, &record.backup_codes, &left.join(" "))
            .await?;
        Ok(taken.then_some(Proof::BackupCode))
    }

    /// The time step `code` belongs to (now, or one step before or after), if it is the
    /// factor's code for one of them.
    pub(super) fn totp_step(&self, record: &TwoFactorRecord, code: &str) -> Option<i64> {
        let secret = self.open_totp_secret(record)?;
        let totp = totp(&secret, None)?;
        let now = u64::try_from(now_secs()).ok()?;
        totp.check(code, now)
            .and_then(|step| i64::try_from(step).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backup_codes_are_ten_distinct_codes_stored_only_as_hashes() {
        let (shown, stored) = new_backup_codes();
        assert_eq!(shown.len(), BACKUP_CODES);
        let mut distinct = shown.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), BACKUP_CODES);
        assert_eq!(backup_codes_left(&stored), BACKUP_CODES);
        for code in &shown {
            assert!(!stored.contains(code.as_str()));
            assert!(!stored.contains(&code.replace('-', "")));
        }
    }

    #[test]
    fn codes_are_read_as_people_type_them() {
        assert_eq!(normalize_totp_code("123 456").as_deref(), Some("123456"));
        assert_eq!(normalize_totp_code("12345"), None);
        assert_eq!(normalize_totp_code("12345a"), None);
        assert_eq!(
            normalize_backup_code(" ABCDE-fghjk ").as_deref(),
            Some("abcdefghjk")
        );
        assert_eq!(normalize_backup_code("abcde-fghj0"), None);
        assert_eq!(normalize_backup_code(&"a".repeat(10_000)), None);
    }
}
