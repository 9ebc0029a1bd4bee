//! The mails: a sign-in link, a password-reset link, an email-verification link, and the
//! notice that somebody tried to sign up with an address that has an account.
//! Each has a plain-text and an HTML part, names the site, says how long the link works, and
//! what to do when the mail was not expected.

use super::Mail;
use crate::{
    html::escape,
    i18n::{Language, Text},
    theme::Theme,
};

/// What the mail is for: its wording.
pub(crate) enum MailKind {
    SignIn,
    PasswordReset,
    VerifyEmail,
    AccountExists,
}

impl MailKind {
    /// Subject, text, button and "if this was not you", in `lang`.
    fn wording(&self, lang: &Language, site: &str) -> (String, String, String, String) {
        let [subject, body, button, ignore] = match self {
            MailKind::SignIn => [
                Text::MailSignInSubject,
                Text::MailSignInBody,
                Text::SignIn,
                Text::MailSignInIgnore,
            ],
            MailKind::PasswordReset => [
                Text::MailResetSubject,
                Text::MailResetBody,
                Text::MailResetButton,
                Text::MailResetIgnore,
            ],
            MailKind::AccountExists => [
                Text::MailExistsSubject,
                Text::MailExistsBody,
                Text::SignIn,
                Text::MailExistsIgnore,
            ],
            MailKind::VerifyEmail => [
                Text::MailVerifySubject,
                Text::MailVerifyBody,
                Text::VerifyMyEmail,
                Text::MailVerifyIgnore,
            ],
        };
        (
            lang.fill(subject, &[("site", site)]),
            lang.text(body).to_owned(),
            lang.text(button).to_owned(),
            lang.text(ignore).to_owned(),
        )
    }

    /// The mail to `to`, from `site` (its host name, `base_url` its address), carrying
    /// `link`, in `lang` and in the colours and with the logo of `theme`.
    pub fn mail(
        &self,
        theme: &Theme,
        lang: &Language,
        base_url: &str,
        site: &str,
        to: &str,
        link: String,
    ) -> Mail {
        let (subject, body, button, ignore) = self.wording(lang, site);
        let (button_bg, button_fg) = theme.mail_button_colors();
        let logo = theme.logo_html(
            Some(base_url),
            "max-height:48px;max-width:200px;margin:0 0 16px",
        );
        let copy_link = lang.text(Text::MailCopyLink);
        let text = format!("{subject}\n\n{body}\n\n{link}\n\n{ignore}\n");
        let html = format!(
            r#"<!DOCTYPE html><html lang="{lang}"><body style="font-family:system-ui,sans-serif;background:#f6f7fb;padding:24px;color:#1c2033">
<table role="presentation" width="100%" style="max-width:28rem;margin:auto;background:#fff;border:1px solid #dfe3ee;border-radius:12px;padding:24px">
<tr><td>{logo}<h1 style="font-size:20px;margin:0 0 16px">{subject}</h1>
<p>{body}</p>
<p style="margin:24px 0"><a href="{link}" style="background:{button_bg};color:{button_fg};padding:10px 18px;border-radius:8px;text-decoration:none">{button}</a></p>
<p style="font-size:13px;color:#5b6176">{copy_link}<br><span style="word-break:break-all">{link}</span></p>
<p style="font-size:13px;color:#5b6176">{ignore}</p></td></tr></table></body></html>"#,
            lang = escape(lang.tag()),
            subject = escape(&subject),
            body = escape(&body),
            link = escape(&link),
            button = escape(&button),
            ignore = escape(&ignore),
            copy_link = escape(copy_link),
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
    use crate::{
        i18n::Language,
        theme::{Color, Theme},
    };

    #[test]
    fn mails_carry_the_site_and_the_link_in_both_parts() {
        let link =
            "https://app.example.com/api/auth/callback/email?token=a&email=b%40c.d".to_owned();
        for kind in [
            MailKind::SignIn,
            MailKind::PasswordReset,
            MailKind::VerifyEmail,
        ] {
            let mail = kind.mail(
                &Theme::default(),
                &Language::english(),
                "https://app.example.com",
                "app.example.com",
                "b@c.d",
                link.clone(),
            );
            assert!(mail.subject.contains("app.example.com"));
            assert!(mail.text.contains(&link));
            // In HTML the `&` of the query is escaped, as it must be in an attribute.
            assert!(mail.html.contains("token=a&amp;email=b%40c.d"));
            assert!(!mail.html.contains("<script"));
        }
    }

    #[test]
    fn mails_wear_the_theme() {
        let theme = Theme {
            brand_color: Color::parse("#0f766e"),
            button_text: Color::parse("#fefefe"),
            logo: Some("/logo.svg".into()),
            ..Theme::default()
        };
        let mail = MailKind::SignIn.mail(
            &theme,
            &Language::english(),
            "https://app.example.com",
            "app.example.com",
            "b@c.d",
            "https://app.example.com/x".into(),
        );
        assert!(
            mail.html.contains("background:#0f766e;color:#fefefe"),
            "{}",
            mail.html
        );
        assert!(
            mail.html
                .contains(r#"<img src="https://app.example.com/logo.svg""#)
        );
    }
}
