//! Sending mail: the transport ([`Mailer`]: SMTP, or the log in development) and the mails
//! the flows in `email/` send, in plain text and HTML.

mod templates;
mod transport;

pub(crate) use templates::MailKind;
pub use transport::{LogMailer, Mail, MailError, Mailer, SEND_TIMEOUT, SmtpMailer};
