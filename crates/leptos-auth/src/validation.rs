//! What an account may be made of: an address mail can reach, and a password of bounded
//! length. Sign-up, the admin CLI, password change and reset all check the same rules.

use crate::store::normalize_email;

/// Shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 8;
/// Longest password accepted (argon2 would take anything; this bounds the work per request).
pub const MAX_PASSWORD_LEN: usize = 256;

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
