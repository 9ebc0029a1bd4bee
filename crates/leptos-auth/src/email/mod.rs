//! Email: the transport ([`Mailer`]: SMTP, or the log in development), the mails, the one-time
//! tokens they carry, and the three flows built on them (docs/architecture.md › Account safety):
//! magic-link sign-in, password reset and email verification.
//!
//! Every link leads to a page whose form POSTs the token: only that POST uses it, so a mail
//! scanner that follows links does not burn a token.

mod flows;
mod templates;
mod tokens;
mod transport;
mod verification;

pub(crate) use flows::ResetError;
pub(crate) use tokens::looks_like_a_token;
pub use transport::{LogMailer, Mail, MailError, Mailer, SmtpMailer};
pub(crate) use verification::Confirmation;
