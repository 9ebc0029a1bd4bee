//! Session JWTs (docs/architecture.md › Sessions): HS256 via `jsonwebtoken`, a `kid` per secret for
//! rotation, and a strict reader for which anything doubtful means "signed out".

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::keys::Keys;

/// Clock skew tolerated when checking `exp`.
const LEEWAY_SECS: u64 = 15;
/// A session token longer than this is refused unread (cookies are capped far below anyway).
const MAX_TOKEN_LEN: usize = 16 * 1024;

/// The claims of a session token: the Auth.js defaults plus whatever the `jwt` callback puts
/// in `extra`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Token {
    /// User id.
    pub sub: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Avatar URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picture: Option<String>,
    /// Issued at (seconds since the epoch); the sliding refresh starts from here.
    pub iat: i64,
    /// Expiry (seconds since the epoch).
    pub exp: i64,
    /// Unique token id.
    pub jti: String,
    /// When the user signed in (seconds since the epoch): the session's absolute lifetime
    /// counts from here, however often it slides. Tokens without it count from `iat`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_time: Option<i64>,
    /// When the user last proved who they are: at sign-in, or re-authenticating for a
    /// sensitive action (docs/architecture.md › Fresh sessions). Tokens without it count
    /// from `auth_time`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at: Option<i64>,
    /// The session's id in the store: listing, revoking and signing out go by it. Tokens
    /// without one (from before sessions were stored) cannot be revoked; they expire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// Custom claims added by the `jwt` callback.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Signs a token with the current key.
pub(crate) fn encode(keys: &Keys, token: &Token) -> Result<String, jsonwebtoken::errors::Error> {
    let current = keys.current();
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(current.kid.clone());
    jsonwebtoken::encode(&header, token, &EncodingKey::from_secret(&current.jwt))
}

/// Reads a token. `None` for anything but a well-formed HS256 token, signed by one of our
/// keys (named by its `kid`), not expired: `alg: none`, other algorithms, unknown `kid`,
/// bad signatures, oversized or malformed input.
/// Tokens this instance has verified, by their exact text, so that the steady stream of
/// `GET /session` polls skips base64, HMAC and JSON for a cookie it has already read. A
/// cookie maps only to what verifying that very text produced; entries are used only while
/// unexpired, and the map is emptied when it grows past [`MAX_VERIFIED`].
#[derive(Default)]
pub(crate) struct VerifiedTokens(std::sync::Mutex<std::collections::HashMap<String, Token>>);

/// Verified tokens kept before the cache starts over (about 1 KiB each).
const MAX_VERIFIED: usize = 4096;

impl VerifiedTokens {
    /// [`decode`], remembered.
    pub fn decode(&self, keys: &Keys, jwt: &str, now: i64) -> Option<Token> {
        let unexpired = |token: &Token| now <= token.exp.saturating_add(LEEWAY_SECS as i64);
        let mut cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(token) = cache.get(jwt).filter(|t| unexpired(t)) {
            return Some(token.clone());
        }
        drop(cache);
        let token = decode(keys, jwt).filter(unexpired)?;
        cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= MAX_VERIFIED {
            cache.clear();
        }
        cache.insert(jwt.to_owned(), token.clone());
        Some(token)
    }
}

pub(crate) fn decode(keys: &Keys, jwt: &str) -> Option<Token> {
    if jwt.len() > MAX_TOKEN_LEN {
        return None;
    }
    let header = jsonwebtoken::decode_header(jwt).ok()?;
    if header.alg != Algorithm::HS256 {
        return None;
    }
    let kid = header.kid?;
    let key = keys.all().iter().find(|set| set.kid == kid)?;
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = LEEWAY_SECS;
    validation.set_required_spec_claims(&["exp", "iat", "sub"]);
    jsonwebtoken::decode::<Token>(jwt, &DecodingKey::from_secret(&key.jwt), &validation)
        .ok()
        .map(|data| data.claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
    }

    fn token(exp: i64) -> Token {
        Token {
            sub: "user-1".into(),
            name: Some("Ada".into()),
            email: Some("ada@example.com".into()),
            picture: None,
            iat: now(),
            exp,
            jti: "j".into(),
            auth_time: None,
            verified_at: None,
            sid: None,
            extra: Map::new(),
        }
    }

    #[test]
    fn valid_token_round_trips_and_verifies_after_rotation() {
        let old = Keys::derive(&["old".into()]);
        let jwt = encode(&old, &token(now() + 60)).unwrap();
        assert_eq!(decode(&old, &jwt).unwrap().sub, "user-1");
        let rotated = Keys::derive(&["new".into(), "old".into()]);
        assert!(decode(&rotated, &jwt).is_some(), "old secrets still verify");
        let replaced = Keys::derive(&["new".into()]);
        assert!(
            decode(&replaced, &jwt).is_none(),
            "a dropped secret no longer verifies"
        );
    }

    #[test]
    fn remembered_tokens_are_only_verified_ones_and_only_until_they_expire() {
        let keys = Keys::derive(&["s".into()]);
        let verified = VerifiedTokens::default();
        let jwt = encode(&keys, &token(now() + 60)).unwrap();
        assert_eq!(verified.decode(&keys, &jwt, now()).unwrap().sub, "user-1");
        // From the cache now: still the same claims, and still refused once expired.
        assert_eq!(verified.decode(&keys, &jwt, now()).unwrap().sub, "user-1");
        assert!(verified.decode(&keys, &jwt, now() + 60 + 16).is_none());
        // A forgery is never remembered as anything.
        let other = Keys::derive(&["another secret".into()]);
        let forged = encode(&other, &token(now() + 60)).unwrap();
        assert!(verified.decode(&keys, &forged, now()).is_none());
        assert!(verified.decode(&keys, &forged, now()).is_none());
    }

    #[test]
    fn expired_token_is_rejected_beyond_the_leeway() {
        let keys = Keys::derive(&["s".into()]);
        let within_leeway = encode(&keys, &token(now() - 5)).unwrap();
        assert!(decode(&keys, &within_leeway).is_some());
        let expired = encode(&keys, &token(now() - 60)).unwrap();
        assert!(decode(&keys, &expired).is_none());
    }

    #[test]
    fn alg_none_and_garbage_are_rejected() {
        use base64::Engine as _;
        let keys = Keys::derive(&["s".into()]);
        let b64 = |v: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
        let kid = &keys.current().kid;
        let claims = serde_json::to_string(&token(now() + 60)).unwrap();
        let none = format!(
            "{}.{}.",
            b64(&format!(r#"{{"alg":"none","kid":"{kid}"}}"#)),
            b64(&claims)
        );
        assert!(decode(&keys, &none).is_none());
        for garbage in ["", "a.b.c", "not a token", &"x".repeat(MAX_TOKEN_LEN + 1)] {
            assert!(decode(&keys, garbage).is_none());
        }
    }
}
