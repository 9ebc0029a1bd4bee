//! The words of the built-in pages, the mails and the library's components, one table per
//! language (README › Languages). English, German and French come with the crate; an app
//! adds or replaces a language with [`AuthConfig::with_language`](crate::AuthConfig) and
//! may choose the language itself with
//! [`AuthConfig::with_language_chooser`](crate::AuthConfig); otherwise each request gets the
//! best match of its `Accept-Language`. Error codes on the wire stay English: only what a
//! person reads is translated.

mod de;
mod en;
mod fr;

use std::{fmt, sync::Arc};

use crate::AuthError;

/// Something a person reads. `{name}` in a text is filled in where it is used (the
/// variant's documentation names them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Text {
    /// "Sign in": titles, buttons and links.
    SignIn,
    /// "Email", a field's label.
    Email,
    /// "Password", a field's label.
    Password,
    /// "Name", a field's label.
    Name,
    /// A provider's button: `{provider}`.
    SignInWith,
    /// Label of the magic-link address field.
    SendLinkTo,
    /// The magic-link button.
    EmailMeALink,
    /// Before the sign-up link on the sign-in page.
    NoAccountYet,
    /// The sign-up link on the sign-in page.
    CreateOne,
    /// Title of the sign-up page.
    CreateAccount,
    /// The sign-up button.
    SignUp,
    /// Before the sign-in link on the sign-up page.
    HaveAnAccount,
    /// "Sign out": title and button.
    SignOut,
    /// The sign-out question.
    SignOutQuestion,
    /// Title of the error page.
    ErrorTitle,
    /// Heading of the error page.
    UnableToSignIn,
    /// The link to the site's home page.
    Home,
    /// The magic-link confirmation: `{email}`.
    SignInAs,
    /// Title of the verification link's page.
    VerifyEmailTitle,
    /// The verification page, signed in as the account: `{address}`.
    ConfirmAddress,
    /// The verification button.
    VerifyMyEmail,
    /// The verification page, signed out: `{address}`.
    AccountCreatedWith,
    /// "This was not me", explained.
    NotMineExplained,
    /// The "this was not me" button.
    NotMe,
    /// Stands for the address when the link did not carry it.
    YourEmailAddress,
    /// Title of the new-password page.
    ChooseNewPassword,
    /// Label of the new password.
    NewPassword,
    /// Button of the new-password page.
    SetPasswordAndSignIn,
    /// A new password of the wrong length: `{min}`, `{max}`.
    NewPasswordLength,
    /// Title of "check your email".
    CheckEmail,
    /// After a magic link was sent.
    SignInLinkSent,
    /// After a sign-up that waits for the address to be verified.
    ConfirmLinkSent,
    /// Title of the second-factor page.
    TwoFactorTitle,
    /// The second-factor page without a pending sign-in.
    TwoFactorGone,
    /// What the second-factor page asks for.
    TwoFactorPrompt,
    /// Label of the code field.
    Code,
    /// The trusted-device box: `{days}`.
    TrustDevice,
    /// The second-factor button.
    Verify,
    /// A link back.
    Cancel,
    /// A wrong second-factor code.
    InvalidTwoFactorCode,
    /// A pending sign-in that expired.
    TwoFactorExpired,
    /// A wrong password when confirming it is you.
    WrongPassword,
    /// Title of the backup codes page.
    BackupCodesTitle,
    /// What backup codes are.
    BackupCodesText,
    /// Copy button.
    Copy,
    /// Download link.
    DownloadAsText,
    /// Link onwards.
    Continue,
    /// The message for an error code.
    Error(AuthError),
    /// A lockout's reason, before how long to wait.
    TooManyFailedSignIns,
    /// A rate limit's reason, before how long to wait.
    TooManyAttempts,
    /// How long to wait, one minute.
    TryAgainInAMinute,
    /// How long to wait: `{minutes}`.
    TryAgainInMinutes,
    /// Subject of the sign-in mail: `{site}`.
    MailSignInSubject,
    /// Body of the sign-in mail.
    MailSignInBody,
    /// What to do with an unexpected sign-in mail.
    MailSignInIgnore,
    /// Subject of the password-reset mail: `{site}`.
    MailResetSubject,
    /// Body of the password-reset mail.
    MailResetBody,
    /// Button of the password-reset mail.
    MailResetButton,
    /// What to do with an unexpected password-reset mail.
    MailResetIgnore,
    /// Subject of the verification mail: `{site}`.
    MailVerifySubject,
    /// Body of the verification mail.
    MailVerifyBody,
    /// What to do with an unexpected verification mail.
    MailVerifyIgnore,
    /// Subject of the "you have an account" notice: `{site}`.
    MailExistsSubject,
    /// Body of the notice.
    MailExistsBody,
    /// What to do with an unexpected notice.
    MailExistsIgnore,
    /// Above the link written out in a mail.
    MailCopyLink,
    /// The passkey sign-in button.
    PasskeySignIn,
    /// The passkey sign-up button.
    PasskeySignUp,
    /// Heading of the passkey list.
    Passkeys,
    /// Example names of a new passkey (a field's placeholder).
    PasskeyNameExample,
    /// The button that adds a passkey.
    AddPasskey,
    /// Before the ways to confirm it is you.
    ConfirmFirst,
    /// Label of the password that confirms it is you.
    YourPassword,
    /// Confirming with the password.
    ConfirmWithPassword,
    /// Confirming with a passkey.
    ConfirmWithPasskey,
    /// The button that removes the password of an account with passkeys.
    RemovePassword,
    /// A failure the server did not explain.
    TryAgain,
    /// The browser has a passkey for this account already.
    PasskeyExists,
    /// The passkey prompt was closed.
    PasskeyPromptClosed,
    /// The passkey could not be used.
    PasskeyFailed,
    /// While the browser's passkey prompt is open.
    FollowPrompt,
    /// A passkey was added.
    PasskeyAdded,
    /// The question of renaming a passkey.
    NewPasskeyName,
    /// The password was removed.
    PasswordRemoved,
    /// When a passkey was added: `{date}`.
    AddedOn,
    /// When a passkey was last used: `{date}`.
    LastUsedOn,
    /// A passkey never used.
    NeverUsed,
    /// A passkey synced between devices.
    Synced,
    /// Rename button.
    Rename,
    /// Delete button.
    Delete,
}

/// A language's table. Answer `None` for a text you do not translate: English is used.
///
/// ```
/// use leptos_auth::{AuthConfig, i18n::Text};
///
/// let config = AuthConfig::new(vec!["a secret of at least thirty-two bytes".into()])
///     .with_language("es", |text: Text| match text {
///         Text::SignIn => Some("Iniciar sesión"),
///         Text::Email => Some("Correo electrónico"),
///         _ => None,
///     });
/// ```
pub trait Translations: Send + Sync + 'static {
    /// The text, in this language.
    fn text(&self, text: Text) -> Option<&str>;
}

impl<F> Translations for F
where
    F: Fn(Text) -> Option<&'static str> + Send + Sync + 'static,
{
    fn text(&self, text: Text) -> Option<&str> {
        self(text)
    }
}

/// A built-in table: every text.
struct Complete(fn(Text) -> &'static str);

impl Translations for Complete {
    fn text(&self, text: Text) -> Option<&str> {
        Some((self.0)(text))
    }
}

/// The language of one request.
#[derive(Clone)]
pub struct Language {
    tag: Arc<str>,
    table: Arc<dyn Translations>,
}

impl fmt::Debug for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.tag)
    }
}

impl Language {
    /// English, the language of last resort.
    pub fn english() -> Language {
        Language {
            tag: "en".into(),
            table: Arc::new(Complete(en::text)),
        }
    }

    /// The language tag (`de`), for `<html lang>`.
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The text in this language, English where its table has none.
    pub fn text(&self, text: Text) -> &str {
        self.table.text(text).unwrap_or_else(|| en::text(text))
    }

    /// The text with its `{name}`s filled in.
    pub fn fill(&self, text: Text, values: &[(&str, &str)]) -> String {
        let mut out = self.text(text).to_owned();
        for (name, value) in values {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    /// The message for an error code, saying how long to wait when the server said.
    pub fn error_message(&self, error: AuthError, retry_after_secs: Option<u64>) -> String {
        match (error, retry_after_secs) {
            (AuthError::AccountLocked | AuthError::RateLimited, Some(secs)) => {
                let reason = if error == AuthError::AccountLocked {
                    self.text(Text::TooManyFailedSignIns)
                } else {
                    self.text(Text::TooManyAttempts)
                };
                let wait = [
                    self.text(Text::TryAgainInAMinute),
                    self.text(Text::TryAgainInMinutes),
                ];
                crate::error::wait_message(reason, secs, wait)
            }
            _ => self.text(Text::Error(error)).to_owned(),
        }
    }
}

/// The app's own choice of a request's language (`AuthConfig::with_language_chooser`).
type Chooser = Arc<dyn Fn(&http::HeaderMap) -> Option<String> + Send + Sync>;

/// The languages an app speaks, and how a request's is chosen.
#[derive(Clone)]
pub(crate) struct Languages {
    /// Tags in lower case, English first.
    known: Vec<Language>,
    chooser: Option<Chooser>,
}

impl Default for Languages {
    fn default() -> Self {
        let built_in = |tag: &str, text: fn(Text) -> &'static str| Language {
            tag: tag.into(),
            table: Arc::new(Complete(text)),
        };
        Languages {
            known: vec![
                Language::english(),
                built_in("de", de::text),
                built_in("fr", fr::text),
            ],
            chooser: None,
        }
    }
}

impl Languages {
    /// Adds `tag`, or replaces the table of a language it already has.
    pub fn add(&mut self, tag: &str, table: Arc<dyn Translations>) {
        let language = Language {
            tag: tag.trim().to_ascii_lowercase().into(),
            table,
        };
        // In place when it is known: English stays first, the language of last resort.
        match self
            .known
            .iter_mut()
            .find(|known| known.tag == language.tag)
        {
            Some(known) => *known = language,
            None => self.known.push(language),
        }
    }

    pub fn set_chooser(
        &mut self,
        chooser: impl Fn(&http::HeaderMap) -> Option<String> + Send + Sync + 'static,
    ) {
        self.chooser = Some(Arc::new(chooser));
    }

    /// The language of a request: the app's choice when it made one, else the first of the
    /// `Accept-Language` tags (by weight) that is known, by its full tag (`fr-ca`) or its
    /// language (`fr`), else English.
    pub fn for_request(&self, headers: &http::HeaderMap) -> Language {
        let chosen = self.chooser.as_ref().and_then(|choose| choose(headers));
        if let Some(language) = chosen.and_then(|tag| self.find(&tag)) {
            return language;
        }
        let Some(accepted) = headers
            .get(http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
        else {
            return self.known[0].clone();
        };
        accept_language::parse(accepted)
            .iter()
            .find_map(|tag| self.find(tag))
            .unwrap_or_else(|| self.known[0].clone())
    }

    fn find(&self, tag: &str) -> Option<Language> {
        let tag = tag.trim().to_ascii_lowercase();
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        let by = |wanted: &str| self.known.iter().find(|l| *l.tag == *wanted).cloned();
        by(&tag).or_else(|| by(primary))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_header(value: &str) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::ACCEPT_LANGUAGE, value.parse().unwrap());
        headers
    }

    #[test]
    fn the_best_known_language_of_the_header_wins() {
        let languages = Languages::default();
        let tag = |value: &str| languages.for_request(&with_header(value)).tag().to_owned();
        assert_eq!(tag("de-DE,de;q=0.9,en;q=0.8"), "de");
        assert_eq!(tag("fr-CA"), "fr");
        assert_eq!(tag("es, fr;q=0.5, de;q=0.7"), "de");
        assert_eq!(tag("ja, zh"), "en");
        assert_eq!(tag(""), "en");
        assert_eq!(tag(";;;q=x,*"), "en");
        assert_eq!(languages.for_request(&http::HeaderMap::new()).tag(), "en");
        // Not text at all (bytes a header may carry): English, no panic.
        let mut headers = http::HeaderMap::new();
        let bytes = http::HeaderValue::from_bytes(b"de\xff").unwrap();
        headers.insert(http::header::ACCEPT_LANGUAGE, bytes);
        assert_eq!(languages.for_request(&headers).tag(), "en");
    }

    #[test]
    fn every_built_in_text_is_filled_and_keeps_its_placeholders() {
        // The texts with `{name}`s: a translation must keep each one.
        let placeholders = [
            (Text::SignInWith, &["{provider}"][..]),
            (Text::SignInAs, &["{email}"]),
            (Text::ConfirmAddress, &["{address}"]),
            (Text::AccountCreatedWith, &["{address}"]),
            (Text::NewPasswordLength, &["{min}", "{max}"]),
            (Text::TrustDevice, &["{days}"]),
            (Text::TryAgainInMinutes, &["{minutes}"]),
            (Text::MailSignInSubject, &["{site}"]),
            (Text::MailResetSubject, &["{site}"]),
            (Text::MailVerifySubject, &["{site}"]),
            (Text::MailExistsSubject, &["{site}"]),
            (Text::AddedOn, &["{date}"]),
            (Text::LastUsedOn, &["{date}"]),
        ];
        for language in Languages::default().known {
            for (text, names) in placeholders {
                for name in names {
                    assert!(
                        language.text(text).contains(name),
                        "{language:?} {text:?} {name}"
                    );
                }
            }
            for error in AuthError::ALL {
                assert!(!language.text(Text::Error(error)).is_empty());
            }
        }
    }

    #[test]
    fn an_app_table_falls_back_to_english() {
        let mut languages = Languages::default();
        languages.add(
            "ES",
            Arc::new(|text: Text| (text == Text::SignIn).then_some("Entrar")),
        );
        let spanish = languages.for_request(&with_header("es-ES"));
        assert_eq!(spanish.text(Text::SignIn), "Entrar");
        assert_eq!(spanish.text(Text::SignUp), "Sign up");
        languages.set_chooser(|_| Some("fr".into()));
        assert_eq!(languages.for_request(&with_header("es")).tag(), "fr");
        // An app's own English words replace the built-in ones and stay the last resort.
        let mut languages = Languages::default();
        languages.add(
            "en",
            Arc::new(|text: Text| (text == Text::SignIn).then_some("Log in")),
        );
        let fallback = languages.for_request(&with_header("ja"));
        assert_eq!(
            (fallback.tag(), fallback.text(Text::SignIn)),
            ("en", "Log in")
        );
    }
}
