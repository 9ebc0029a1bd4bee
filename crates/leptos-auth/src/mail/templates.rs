//! The mails: a sign-in link, a password-reset link, an email-verification link, and the
//! notice that somebody tried to sign up with an address that has an account.
//! Each has a plain-text and an HTML part, names the site, says how long the link works, and
//! what to do when the mail was not expected.

use super::Mail;
use crate::html::escape;

/// What the mail is for: its wording.
pub(crate) enum MailKind {
    SignIn,
    PasswordReset,
    VerifyEmail,
    AccountExists,
}

impl MailKind {
    fn wording(&self, site: &str) -> (String, &'static str, &'static str, &'static str) {
        match self {
            MailKind::SignIn => (
                format!("Sign in to {site}"),
                "Click the button to sign in. The link works once, for 24 hours.",
                "Sign in",
                "If you did not try to sign in, you can ignore this mail.",
            ),
            MailKind::PasswordReset => (
                format!("Reset your password on {site}"),
                "Click the button to choose a new password. The link works once, for one hour.",
                "Choose a new password",
                "If you did not ask for this, you can ignore this mail: your password stays as it is.",
            ),
            MailKind::AccountExists => (
                format!("Somebody tried to sign up on {site} with your address"),
                "An account was about to be created with this address, but you have one already, so nothing was created. If it was you, sign in instead; the sign-in page also helps if you forgot your password.",
                "Sign in",
                "If it was not you, you can ignore this mail: nothing changed.",
            ),
            MailKind::VerifyEmail => (
                format!("Verify your email address on {site}"),
                "Click the button to confirm that this address is yours. The link works once, for 24 hours.",
                "Verify my email",
                "If you did not create an account, somebody else used your address: open the link and choose \"This was not me\" to take the account over, or ignore this mail.",
            ),
        }
    }

    /// The mail to `to`, from `site` (its host name), carrying `link`.
    pub fn mail(&self, site: &str, to: &str, link: String) -> Mail {
        let (subject, body, button, ignore) = self.wording(site);
        let text = format!("{subject}\n\n{body}\n\n{link}\n\n{ignore}\n");
        let html = format!(
            r#"<!DOCTYPE html><html><body style="font-family:system-ui,sans-serif;background:#f6f7fb;padding:24px;color:#1c2033">
<table role="presentation" width="100%" style="max-width:28rem;margin:auto;background:#fff;border:1px solid #dfe3ee;border-radius:12px;padding:24px">
<tr><td><h1 style="font-size:20px;margin:0 0 16px">{subject}</h1>
<p>{body}</p>
<p style="margin:24px 0"><a href="{link}" style="background:#4f46e5;color:#fff;padding:10px 18px;border-radius:8px;text-decoration:none">{button}</a></p>
<p style="font-size:13px;color:#5b6176">Or copy this link into your browser:<br><span style="word-break:break-all">{link}</span></p>
<p style="font-size:13px;color:#5b6176">{ignore}</p></td></tr></table></body></html>"#,
            subject = escape(&subject),
            body = escape(body),
            link = escape(&link),
            button = escape(button),
            ignore = escape(ignore),
        );
        Mail {
            to: to.to_owned(),
            subject,
            text,
            html,
            link,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MailKind;

    #[test]
    fn mails_carry_the_site_and_the_link_in_both_parts() {
        let link =
            "https://app.example.com/api/auth/callback/email?token=a&email=b%40c.d".to_owned();
        for kind in [
            MailKind::SignIn,
            MailKind::PasswordReset,
            MailKind::VerifyEmail,
        ] {
            let mail = kind.mail("app.example.com", "b@c.d", link.clone());
            assert!(mail.subject.contains("app.example.com"));
            assert!(mail.text.contains(&link));
            // In HTML the `&` of the query is escaped, as it must be in an attribute.
            assert!(mail.html.contains("token=a&amp;email=b%40c.d"));
            assert!(!mail.html.contains("<script"));
        }
    }
}
