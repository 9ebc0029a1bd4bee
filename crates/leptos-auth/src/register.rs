//! Creating password users (sign-up page, admin CLI) with the checks both need.

use crate::{
    Auth,
    store::{NewUser, StoreError, User, hash_password, normalize_email},
};

/// Shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 8;
/// Longest password accepted (argon2 would take anything; this bounds the work per request).
pub const MAX_PASSWORD_LEN: usize = 256;

/// Why a user could not be registered. The messages are fit to show to the person signing
/// up; the cause of `Unavailable` is for the log only.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// Not an email address.
    #[error("Please enter a valid email address.")]
    InvalidEmail,
    /// Too short or too long.
    #[error(
        "The password must be between {MIN_PASSWORD_LEN} and {MAX_PASSWORD_LEN} characters long."
    )]
    WeakPassword,
    /// Name too long.
    #[error("The name must be at most 100 characters.")]
    InvalidName,
    /// Someone already signed up with this email.
    #[error("An account with this email already exists.")]
    EmailTaken,
    /// Hashing or the database failed.
    #[error("The account could not be created right now. Please try again.")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// An address mail can be sent to, as it will be stored (trimmed, NFKC, lower case): a
/// dot-atom local part (letters, digits, `!#$%&'*+-/=?^_`{|}~` and single dots) and a
/// domain of at least two labels of letters, digits and inner hyphens.
///
/// Stricter than RFC 5322 on purpose: no quoted local parts, comments, display names
/// (`Name <a@b.c>`) or address literals. Each of those would either be refused by the mail
/// transport later (an error the user could have been told about at once) or let one inbox
/// go by many spellings, each with its own mail budget.
pub fn is_valid_email(email: &str) -> bool {
    let email = normalize_email(email);
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let atom_char = |c: char| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
    let local_ok = local.len() <= 64
        && !local.is_empty()
        && local
            .split('.')
            .all(|atom| !atom.is_empty() && atom.chars().all(atom_char));
    let label_ok = |label: &str| {
        (1..=63).contains(&label.len())
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let domain_ok = domain.split('.').count() >= 2 && domain.split('.').all(label_ok);
    email.len() <= 254 && local_ok && domain_ok
}

impl Auth {
    /// Creates a user who signs in with email and password (hashed with argon2id).
    pub async fn register(
        &self,
        email: &str,
        name: Option<&str>,
        password: &str,
    ) -> Result<User, RegisterError> {
        if !is_valid_email(email) {
            return Err(RegisterError::InvalidEmail);
        }
        let length = password.chars().count();
        if !(MIN_PASSWORD_LEN..=MAX_PASSWORD_LEN).contains(&length) {
            return Err(RegisterError::WeakPassword);
        }
        let name = name.map(str::trim).filter(|n| !n.is_empty());
        if name.is_some_and(|n| n.chars().count() > 100) {
            return Err(RegisterError::InvalidName);
        }
        let password_hash = hash_password(password.to_owned())
            .await
            .map_err(|e| RegisterError::Unavailable(e.into()))?;
        let new_user = NewUser {
            name: name.map(str::to_owned),
            email: Some(normalize_email(email)),
            image: None,
            password_hash: Some(password_hash),
            data: None,
        };
        let user = self
            .store()
            .create_user(new_user)
            .await
            .map_err(|e| match e {
                StoreError::Conflict => RegisterError::EmailTaken,
                e => RegisterError::Unavailable(e.into()),
            })?;
        self.config().events.create_user(&user).await;
        Ok(user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: [&str; 6] = [
        "ada@example.com",
        " Ada.Lovelace+x@mail.example.org ",
        "o'brien@example.ie",
        "x_y-z{1}@sub-domain.example.co.uk",
        "josé@exemple.fr",
        "ADA@EXAMPLE.COM",
    ];

    #[test]
    fn email_check_accepts_addresses_and_refuses_the_rest() {
        for good in GOOD {
            assert!(is_valid_email(good), "{good}");
        }
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "a@b@c.com",
            // Display names, comments, quoting and literals: other spellings of an inbox.
            "Ada <ada@example.com>",
            "n1<ada@example.com>",
            "ada@example.com>",
            "(c)ada@example.com",
            "ada@example.com(c)",
            "\"a,b\"@example.com",
            "a\"@example.com",
            "ada@[127.0.0.1]",
            // Dots and hyphens in the wrong places.
            ".ada@example.com",
            "ada.@example.com",
            "a..da@example.com",
            "ada@-example.com",
            "ada@example-.com",
            "ada@example..com",
            "ada@.example.com",
            "ada@example.com.",
            // Invisible or control characters, and what NFKC turns into a space.
            "a\u{200b}@example.com",
            "ada@example.com\0",
            "a\r\nBcc: eve@example.com@x.com",
            "a\u{a8}@example.com",
        ] {
            assert!(!is_valid_email(bad), "{bad:?}");
        }
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert!(!is_valid_email(&long_local));
    }

    /// Whatever passes the check, the mail transport takes as it will be stored.
    #[test]
    fn every_accepted_address_is_one_the_transport_accepts() {
        for good in GOOD {
            let stored = normalize_email(good);
            assert!(
                stored.parse::<lettre::Address>().is_ok(),
                "{stored} is refused by lettre"
            );
        }
    }
}
