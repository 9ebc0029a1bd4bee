//! Keys derived from the configured secrets, one per purpose, so a key that leaks through
//! one mechanism cannot forge another's tokens.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// Shortest secret accepted in production: 32 bytes, as for an HS256 key.
pub const MIN_SECRET_LEN: usize = 32;

type HmacSha256 = Hmac<Sha256>;

/// One secret's derived keys.
#[derive(Clone)]
pub(crate) struct KeySet {
    /// HS256 key of session JWTs.
    pub jwt: Vec<u8>,
    /// Short public id of the JWT key, written as `kid` in the JWT header.
    pub kid: String,
    /// HMAC key of CSRF cookies and other signed cookies.
    pub cookie: Vec<u8>,
    /// XChaCha20-Poly1305 key of provider tokens stored in the database.
    pub tokens_at_rest: Vec<u8>,
}

/// The derived keys of every secret: the first signs, all verify (rotation).
#[derive(Clone)]
pub(crate) struct Keys {
    sets: Vec<KeySet>,
}

impl Keys {
    pub fn derive(secrets: &[String]) -> Keys {
        let sets = secrets
            .iter()
            .map(|secret| {
                let jwt = derive(secret, b"leptos-auth session jwt");
                let kid = hex(&Sha256::digest(&jwt)[..8]);
                KeySet {
                    jwt,
                    kid,
                    cookie: derive(secret, b"leptos-auth signed cookie"),
                    tokens_at_rest: derive(secret, b"leptos-auth provider tokens at rest"),
                }
            })
            .collect();
        Keys { sets }
    }

    /// The key set that signs new tokens.
    pub fn current(&self) -> &KeySet {
        &self.sets[0]
    }

    /// Every key set, current first.
    pub fn all(&self) -> &[KeySet] {
        &self.sets
    }

    /// HMAC-SHA256 of `message` with the current cookie key, hex-encoded.
    pub fn sign(&self, message: &str) -> String {
        hex(&hmac(&self.current().cookie, message.as_bytes()))
    }

    /// Whether `signature` is a valid [`Keys::sign`] of `message` under any key, checked in
    /// constant time.
    pub fn verify(&self, message: &str, signature: &str) -> bool {
        self.sets.iter().any(|set| {
            let mut mac = HmacSha256::new_from_slice(&set.cookie).expect("any key length");
            mac.update(message.as_bytes());
            // An HMAC-SHA256 is 64 hex digits: anything much longer is not worth decoding.
            signature.len() <= 128
                && decode_hex(signature).is_some_and(|sig| mac.verify_slice(&sig).is_ok())
        })
    }
}

/// Marks an encrypted value bound to its field and its row: `enc2.<hex(nonce ‖ ciphertext)>`.
const SEALED_PREFIX: &str = "enc2.";
/// Values written before they were bound to their row: `enc1.`, bound to the field only.
const FIELD_SEALED_PREFIX: &str = "enc1.";

impl Keys {
    /// Encrypts `value` with the current key, bound to `field` (e.g. `refresh_token`) and
    /// `row` (the account it belongs to): a stored value copied to another field or another
    /// row does not decrypt there.
    pub fn seal(&self, field: &str, row: &str, value: &str) -> String {
        format!(
            "{SEALED_PREFIX}{}",
            self.encrypt(&associated(field, row), value)
        )
    }

    /// Decrypts a [`Keys::seal`]ed value of `field` in `row`, under any key. Anything else —
    /// another field's or row's value, a value that never was encrypted, or one no key
    /// decrypts — is `None`.
    pub fn open(&self, field: &str, row: &str, stored: &str) -> Option<String> {
        let sealed = stored.strip_prefix(SEALED_PREFIX)?;
        self.decrypt(&associated(field, row), sealed)
    }

    /// Reads a value stored before values were bound to their row (`enc1.`, or plain text
    /// from before encryption), for the one-time migration of such rows; `None` for
    /// anything else.
    pub fn open_legacy(&self, field: &str, stored: &str) -> Option<String> {
        if stored.starts_with(SEALED_PREFIX) {
            return None;
        }
        match stored.strip_prefix(FIELD_SEALED_PREFIX) {
            Some(sealed) => self.decrypt(field.as_bytes(), sealed),
            None => Some(stored.to_owned()),
        }
    }

    /// Whether `stored` is sealed the current way (bound to its row).
    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(SEALED_PREFIX)
    }

    fn encrypt(&self, associated: &[u8], value: &str) -> String {
        use chacha20poly1305::{
            KeyInit, XChaCha20Poly1305, XNonce,
            aead::{Aead, Payload},
        };

        let cipher = XChaCha20Poly1305::new_from_slice(&self.current().tokens_at_rest)
            .expect("a 32-byte key");
        let nonce: [u8; 24] = rand::random();
        let payload = Payload {
            msg: value.as_bytes(),
            aad: associated,
        };
        let ciphertext = cipher
            .encrypt(XNonce::from_slice(&nonce), payload)
            .expect("encryption of a short value");
        format!("{}{}", hex(&nonce), hex(&ciphertext))
    }

    fn decrypt(&self, associated: &[u8], sealed: &str) -> Option<String> {
        use chacha20poly1305::{
            KeyInit, XChaCha20Poly1305, XNonce,
            aead::{Aead, Payload},
        };

        let bytes = decode_hex(sealed).filter(|b| b.len() > 24)?;
        let (nonce, ciphertext) = bytes.split_at(24);
        self.sets.iter().find_map(|set| {
            let cipher = XChaCha20Poly1305::new_from_slice(&set.tokens_at_rest).ok()?;
            let payload = Payload {
                msg: ciphertext,
                aad: associated,
            };
            let plain = cipher.decrypt(XNonce::from_slice(nonce), payload).ok()?;
            String::from_utf8(plain).ok()
        })
    }
}

/// The associated data of a sealed value: its field and its row, unambiguously joined (a
/// field name never holds a NUL).
fn associated(field: &str, row: &str) -> Vec<u8> {
    [field.as_bytes(), b"\0", row.as_bytes()].concat()
}

fn derive(secret: &str, purpose: &[u8]) -> Vec<u8> {
    hmac(secret.as_bytes(), purpose)
}

fn hmac(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = HmacSha256::new_from_slice(key).expect("any key length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// `n` random bytes from the OS, hex-encoded.
/// Constant-time equality of two secrets of one kind (CSRF tokens, OAuth `state`, nonces):
/// how long the comparison takes says nothing about where they differ.
pub(crate) fn secrets_match(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

pub(crate) fn random_hex(n: usize) -> String {
    use rand::RngCore;
    let mut bytes = vec![0u8; n];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_under_rotated_secrets_only() {
        let old = Keys::derive(&["old secret".into()]);
        let rotated = Keys::derive(&["new secret".into(), "old secret".into()]);
        let stranger = Keys::derive(&["other secret".into()]);
        let signature = old.sign("token");
        assert!(rotated.verify("token", &signature));
        assert!(!stranger.verify("token", &signature));
        assert!(!rotated.verify("other token", &signature));
        assert!(!rotated.verify("token", "zz"));
    }

    #[test]
    fn tokens_at_rest_are_encrypted_bound_to_their_field_and_row_and_survive_rotation() {
        let keys = Keys::derive(&["old secret".into()]);
        let sealed = keys.seal("refresh_token", "acc-1", "rt-123");
        assert!(sealed.starts_with("enc2.") && !sealed.contains("rt-123"));
        assert_ne!(
            sealed,
            keys.seal("refresh_token", "acc-1", "rt-123"),
            "fresh nonce each time"
        );
        assert_eq!(
            keys.open("refresh_token", "acc-1", &sealed).as_deref(),
            Some("rt-123")
        );
        assert_eq!(
            keys.open("access_token", "acc-1", &sealed),
            None,
            "another field"
        );
        assert_eq!(
            keys.open("refresh_token", "acc-2", &sealed),
            None,
            "another row"
        );
        let rotated = Keys::derive(&["new secret".into(), "old secret".into()]);
        assert_eq!(
            rotated.open("refresh_token", "acc-1", &sealed).as_deref(),
            Some("rt-123")
        );
        assert_eq!(
            Keys::derive(&["other".into()]).open("refresh_token", "acc-1", &sealed),
            None
        );
        // Plain text is never taken for a sealed value; only the migration reads it.
        assert_eq!(
            keys.open("refresh_token", "acc-1", "plain-from-before"),
            None
        );
        assert_eq!(
            keys.open_legacy("refresh_token", "plain-from-before")
                .as_deref(),
            Some("plain-from-before")
        );
        assert_eq!(keys.open_legacy("refresh_token", &sealed), None);
        let field_bound = format!("enc1.{}", keys.encrypt(b"refresh_token", "rt-old"));
        assert_eq!(keys.open("refresh_token", "acc-1", &field_bound), None);
        assert_eq!(
            keys.open_legacy("refresh_token", &field_bound).as_deref(),
            Some("rt-old")
        );
        // The last hex digit changed (to another one whatever it was).
        let last = if sealed.ends_with('0') { "1" } else { "0" };
        let tampered = format!("{}{last}", &sealed[..sealed.len() - 1]);
        assert_eq!(keys.open("refresh_token", "acc-1", &tampered), None);
    }
}
