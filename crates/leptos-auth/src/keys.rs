//! Keys derived from the configured secrets, one per purpose, so a key that leaks through
//! one mechanism cannot forge another's tokens.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

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
            decode_hex(signature).is_some_and(|sig| mac.verify_slice(&sig).is_ok())
        })
    }
}

fn derive(secret: &str, purpose: &[u8]) -> Vec<u8> {
    hmac(secret.as_bytes(), purpose)
}

fn hmac(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = HmacSha256::new_from_slice(key).expect("any key length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || text.len() > 128 {
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
}
