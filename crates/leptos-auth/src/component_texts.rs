//! What the library's components say, in the visitor's language (README › Languages). The
//! server makes it from its language tables and sends it with the session state, so the
//! client carries no tables and an app's own language reaches the components too. Without
//! it (the state did not load), the components speak English.

use serde::{Deserialize, Serialize};

use crate::AuthError;

/// A text of the library's components.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ComponentText {
    Name,
    Email,
    Password,
    SignUp,
    /// `{provider}`.
    SignInWith,
    SendLinkTo,
    EmailMeALink,
    TooManyFailedSignIns,
    TooManyAttempts,
    TryAgainInAMinute,
    /// `{minutes}`.
    TryAgainInMinutes,
}

impl ComponentText {
    /// Every text, in the order [`ComponentTexts`] carries them.
    pub(crate) const ALL: [ComponentText; 11] = [
        ComponentText::Name,
        ComponentText::Email,
        ComponentText::Password,
        ComponentText::SignUp,
        ComponentText::SignInWith,
        ComponentText::SendLinkTo,
        ComponentText::EmailMeALink,
        ComponentText::TooManyFailedSignIns,
        ComponentText::TooManyAttempts,
        ComponentText::TryAgainInAMinute,
        ComponentText::TryAgainInMinutes,
    ];

    fn english(self) -> &'static str {
        match self {
            ComponentText::Name => "Name",
            ComponentText::Email => "Email",
            ComponentText::Password => "Password",
            ComponentText::SignUp => "Sign up",
            ComponentText::SignInWith => "Sign in with {provider}",
            ComponentText::SendLinkTo => "Send a sign-in link to",
            ComponentText::EmailMeALink => "Email me a sign-in link",
            ComponentText::TooManyFailedSignIns => "Too many failed sign-in attempts.",
            ComponentText::TooManyAttempts => "Too many attempts.",
            ComponentText::TryAgainInAMinute => "Try again in 1 minute.",
            ComponentText::TryAgainInMinutes => "Try again in {minutes} minutes.",
        }
    }
}

/// The components' texts in one language, made by the server for each visitor: their
/// labels, then the messages of the error codes in the order of [`AuthError::ALL`]. One flat
/// list keeps its decoder in the client small.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ComponentTexts(Vec<String>);

impl ComponentTexts {
    pub(crate) fn get(&self, text: ComponentText) -> &str {
        let index = ComponentText::ALL.iter().position(|t| *t == text);
        index
            .and_then(|i| self.0.get(i))
            .map_or(text.english(), String::as_str)
    }

    /// The message of an error code, saying how long to wait when the server said.
    pub(crate) fn error(&self, error: AuthError, retry_after_secs: Option<u64>) -> String {
        match (error, retry_after_secs) {
            (AuthError::AccountLocked | AuthError::RateLimited, Some(secs)) => {
                let reason = if error == AuthError::AccountLocked {
                    self.get(ComponentText::TooManyFailedSignIns)
                } else {
                    self.get(ComponentText::TooManyAttempts)
                };
                let wait = [
                    self.get(ComponentText::TryAgainInAMinute),
                    self.get(ComponentText::TryAgainInMinutes),
                ];
                crate::error::wait_message(reason, secs, wait)
            }
            _ => {
                let index = AuthError::ALL.iter().position(|e| *e == error);
                index
                    .and_then(|i| self.0.get(ComponentText::ALL.len() + i))
                    .map_or_else(|| error.user_message().to_owned(), String::clone)
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl ComponentTexts {
    /// The texts in `language`, made on the server.
    pub(crate) fn in_language(language: &crate::i18n::Language) -> ComponentTexts {
        use crate::i18n::Text;
        let text = |text: ComponentText| match text {
            ComponentText::Name => Text::Name,
            ComponentText::Email => Text::Email,
            ComponentText::Password => Text::Password,
            ComponentText::SignUp => Text::SignUp,
            ComponentText::SignInWith => Text::SignInWith,
            ComponentText::SendLinkTo => Text::SendLinkTo,
            ComponentText::EmailMeALink => Text::EmailMeALink,
            ComponentText::TooManyFailedSignIns => Text::TooManyFailedSignIns,
            ComponentText::TooManyAttempts => Text::TooManyAttempts,
            ComponentText::TryAgainInAMinute => Text::TryAgainInAMinute,
            ComponentText::TryAgainInMinutes => Text::TryAgainInMinutes,
        };
        let texts = ComponentText::ALL.iter().map(|t| language.text(text(*t)));
        let errors = AuthError::ALL
            .iter()
            .map(|e| language.text(Text::Error(*e)));
        ComponentTexts(texts.chain(errors).map(str::to_owned).collect())
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::i18n::{Language, Text};

    #[test]
    fn the_english_fallbacks_are_the_english_table() {
        let english = ComponentTexts::in_language(&Language::english());
        let empty = ComponentTexts::default();
        for text in ComponentText::ALL {
            assert_eq!(english.get(text), empty.get(text), "{text:?}");
        }
        for error in AuthError::ALL {
            assert_eq!(english.error(error, None), empty.error(error, None));
            assert_eq!(
                english.error(error, Some(600)),
                empty.error(error, Some(600))
            );
        }
        assert_eq!(
            english.error(AuthError::RateLimited, Some(60)),
            Language::english().error_message(AuthError::RateLimited, Some(60))
        );
        let _ = Text::SignIn;
    }
}
