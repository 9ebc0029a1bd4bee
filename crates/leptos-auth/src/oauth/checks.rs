//! The OAuth checks (state, PKCE verifier, OIDC nonce) travel in short-lived signed cookies:
//! `value.expiry.hmac(name|value|expiry)`. Signed so a cookie planted by a sibling site
//! cannot choose them; bound to their name so one cannot stand in for another.

use subtle::ConstantTimeEq;

use crate::{core::now_secs, keys::Keys};

/// How long a sign-in may take at the provider.
pub(crate) const CHECK_MAX_AGE: u64 = 15 * 60;

/// The cookie value carrying `value` for `name`.
pub(crate) fn seal(keys: &Keys, name: &str, value: &str) -> String {
    let expiry = now_secs() + CHECK_MAX_AGE as i64;
    let signature = keys.sign(&format!("{name}|{value}|{expiry}"));
    format!("{value}.{expiry}.{signature}")
}

/// The value inside a check cookie, if it is genuine, meant for `name` and not expired.
pub(crate) fn open(keys: &Keys, name: &str, sealed: &str) -> Option<String> {
    let mut parts = sealed.rsplitn(3, '.');
    let (signature, expiry, value) = (parts.next()?, parts.next()?, parts.next()?);
    let expiry_secs: i64 = expiry.parse().ok()?;
    if expiry_secs < now_secs() || !keys.verify(&format!("{name}|{value}|{expiry}"), signature) {
        return None;
    }
    Some(value.to_owned())
}

/// Constant-time equality of a returned check (e.g. `state`) and the expected one.
pub(crate) fn matches(returned: &str, expected: &str) -> bool {
    returned.len() == expected.len() && bool::from(returned.as_bytes().ct_eq(expected.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_cookies_are_bound_to_their_name_and_signed() {
        let keys = Keys::derive(&["secret".into()]);
        let sealed = seal(&keys, "authjs.state", "abc");
        assert_eq!(open(&keys, "authjs.state", &sealed).as_deref(), Some("abc"));
        assert_eq!(
            open(&keys, "authjs.nonce", &sealed),
            None,
            "not valid under another name"
        );
        let forged = sealed.replacen("abc", "abd", 1);
        assert_eq!(open(&keys, "authjs.state", &forged), None);
        assert!(matches("abc", "abc") && !matches("abc", "abd") && !matches("ab", "abc"));
    }
}
