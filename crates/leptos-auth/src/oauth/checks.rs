//! The OAuth checks (state, PKCE verifier, OIDC nonce) travel in short-lived signed cookies:
//! `value.expiry.hmac(name|binding|value|expiry)`. Signed so a cookie planted by a sibling
//! site cannot choose them; bound to their name so one cannot stand in for another; bound
//! to the provider and the browser's state when the sign-in started (`binding`), so they
//! cannot complete another provider's callback or a callback in another browser.

use crate::{clock::now_secs, keys::Keys};

/// How long a sign-in may take at the provider.
pub(crate) const CHECK_MAX_AGE: u64 = 15 * 60;

/// The cookie value carrying `value` for `name`.
pub(crate) fn seal(keys: &Keys, name: &str, binding: &str, value: &str) -> String {
    let expiry = now_secs() + CHECK_MAX_AGE as i64;
    let signature = keys.sign(&format!("{name}|{binding}|{value}|{expiry}"));
    format!("{value}.{expiry}.{signature}")
}

/// The value inside a check cookie, if it is genuine, meant for `name` and `binding`, and
/// not expired.
pub(crate) fn open(keys: &Keys, name: &str, binding: &str, sealed: &str) -> Option<String> {
    let mut parts = sealed.rsplitn(3, '.');
    let (signature, expiry, value) = (parts.next()?, parts.next()?, parts.next()?);
    let expiry_secs: i64 = expiry.parse().ok()?;
    let signed = format!("{name}|{binding}|{value}|{expiry}");
    if expiry_secs < now_secs() || !keys.verify(&signed, signature) {
        return None;
    }
    Some(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_cookies_are_bound_to_their_name_and_signed() {
        let keys = Keys::derive(&["secret".into()]);
        let sealed = seal(&keys, "authjs.state", "oidc|browser", "abc");
        let open_as = |name, binding| open(&keys, name, binding, &sealed);
        assert_eq!(
            open_as("authjs.state", "oidc|browser").as_deref(),
            Some("abc")
        );
        assert_eq!(
            open_as("authjs.nonce", "oidc|browser"),
            None,
            "another name"
        );
        assert_eq!(
            open_as("authjs.state", "github|browser"),
            None,
            "another provider"
        );
        assert_eq!(
            open_as("authjs.state", "oidc|other"),
            None,
            "another browser"
        );
        let forged = sealed.replacen("abc", "abd", 1);
        assert_eq!(open(&keys, "authjs.state", "oidc|browser", &forged), None);
        use crate::keys::secrets_match as matches;
        assert!(matches("abc", "abc") && !matches("abc", "abd") && !matches("ab", "abc"));
    }
}
