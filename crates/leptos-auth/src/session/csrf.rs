//! CSRF double-submit tokens (docs/architecture.md › Cookies and CSRF): the cookie holds
//! `token|hmac(token)`, the form echoes `token`, and both must match.

use crate::keys::{Keys, random_hex};

/// The token inside a CSRF cookie value, when the cookie is genuine.
pub(crate) fn token_from_cookie(keys: &Keys, cookie_value: &str) -> Option<String> {
    let (token, signature) = cookie_value.split_once('|')?;
    (token.len() == 64 && keys.verify(token, signature)).then(|| token.to_owned())
}

/// A fresh token and the cookie value that carries it.
pub(crate) fn new_token(keys: &Keys) -> (String, String) {
    let token = random_hex(32);
    let cookie_value = format!("{token}|{}", keys.sign(&token));
    (token, cookie_value)
}

/// Whether the submitted token equals the cookie's, compared in constant time.
pub(crate) fn tokens_match(submitted: &str, cookie_token: &str) -> bool {
    crate::keys::secrets_match(submitted, cookie_token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forged_csrf_cookie_is_not_accepted() {
        let keys = Keys::derive(&["secret".into()]);
        let (token, cookie) = new_token(&keys);
        assert_eq!(
            token_from_cookie(&keys, &cookie).as_deref(),
            Some(token.as_str())
        );
        let forged = format!("{}|{}", "a".repeat(64), "0".repeat(64));
        assert_eq!(token_from_cookie(&keys, &forged), None);
        assert!(tokens_match(&token, &token));
        assert!(!tokens_match(&token, &"a".repeat(64)));
    }
}
