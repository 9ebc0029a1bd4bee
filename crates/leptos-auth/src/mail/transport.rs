//! How mail leaves the server: [`SmtpMailer`] (lettre) in production, [`LogMailer`] in
//! development, or any [`Mailer`] of the app's own (an HTTP mail API, say).

use std::{fmt, time::Duration};

use async_trait::async_trait;
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, MultiPart},
    transport::smtp::authentication::Credentials,
};
use url::Url;

use crate::error::AuthConfigError;

/// The longest a request waits for the mail server: a slow server fails the mail (the user
/// sees `EmailSignin`), it never hangs the request.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// One mail: a plain-text and an HTML part, and the link it carries.
#[derive(Clone, PartialEq, Eq)]
pub struct Mail {
    /// The recipient's address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part.
    pub html: String,
    /// The link in the mail (what [`LogMailer`] prints).
    pub link: String,
}

impl fmt::Debug for Mail {
    // The link is a credential: never in a log line through `{:?}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mail")
            .field("to", &self.to)
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// Why a mail was not sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The recipient or sender is not a valid address.
    #[error("invalid email address")]
    InvalidAddress(#[source] lettre::address::AddressError),
    /// The mail server did not answer within [`SEND_TIMEOUT`].
    #[error("the mail server did not answer within {} s", SEND_TIMEOUT.as_secs())]
    Timeout,
    /// The mail server refused the mail or could not be reached.
    #[error("the mail server failed")]
    Transport(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Sends mail. Implement it to send through something other than SMTP.
#[async_trait]
pub trait Mailer: Send + Sync + 'static {
    /// Sends `mail`, or says why not. Implementations bound the time they take.
    async fn send(&self, mail: Mail) -> Result<(), MailError>;
}

/// Development without a mail server: each mail's link goes to the log (level `WARN`, so it
/// shows with the default filter). Never used in production.
#[derive(Debug, Default, Clone, Copy)]
pub struct LogMailer;

#[async_trait]
impl Mailer for LogMailer {
    async fn send(&self, mail: Mail) -> Result<(), MailError> {
        tracing::warn!(
            to = %mail.to,
            subject = %mail.subject,
            link = %mail.link,
            "AUTH_EMAIL_SERVER is not set: this mail was not sent; open its link yourself"
        );
        Ok(())
    }
}

/// SMTP through lettre, from `AUTH_EMAIL_SERVER`:
///
/// * `smtps://user:pass@host:465`: TLS from the first byte;
/// * `smtp://user:pass@host:587`: STARTTLS, required;
/// * `smtp://host:1025` on a loopback address (a local relay or a test server), or any
///   `smtp://…?tls=none`: plain text.
#[derive(Clone)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl SmtpMailer {
    /// A mailer for `server` (an `smtp://` or `smtps://` URL, see above) sending as `from`
    /// (`"Name <address>"` or a bare address).
    ///
    /// ```
    /// use leptos_auth::mail::SmtpMailer;
    ///
    /// assert!(SmtpMailer::new("smtps://me:pw@mail.example.com", "App <app@example.com>").is_ok());
    /// assert!(SmtpMailer::new("http://mail.example.com", "app@example.com").is_err());
    /// assert!(SmtpMailer::new("smtp://127.0.0.1:1025", "not an address").is_err());
    /// ```
    pub fn new(server: &str, from: &str) -> Result<Self, AuthConfigError> {
        let invalid = |expected| AuthConfigError::Invalid {
            name: "AUTH_EMAIL_SERVER",
            // The URL may hold a password: never echoed.
            value: "(hidden)".into(),
            expected,
        };
        let from: Mailbox = from.parse().map_err(|_| AuthConfigError::Invalid {
            name: "AUTH_EMAIL_FROM",
            value: from.to_owned(),
            expected: "an address, or \"Name <address>\"",
        })?;
        let url = Url::parse(server).map_err(|_| invalid("smtp://user:pass@host:port"))?;
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| invalid("smtp://user:pass@host:port (a host is missing)"))?
            .trim_matches(|c| c == '[' || c == ']')
            .to_owned();
        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        let plain_wanted = url.query_pairs().any(|(k, v)| k == "tls" && v == "none");
        let builder = match url.scheme() {
            "smtps" => AsyncSmtpTransport::<Tokio1Executor>::relay(&host),
            "smtp" if loopback || plain_wanted => Ok(
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&host),
            ),
            "smtp" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&host),
            _ => return Err(invalid("an smtp:// or smtps:// URL")),
        }
        .map_err(|_| invalid("a mail server host name"))?;
        let mut builder = builder.timeout(Some(SEND_TIMEOUT));
        if let Some(port) = url.port() {
            builder = builder.port(port);
        }
        if !url.username().is_empty() {
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(s)
                    .decode_utf8_lossy()
                    .into_owned()
            };
            builder = builder.credentials(Credentials::new(
                decode(url.username()),
                decode(url.password().unwrap_or_default()),
            ));
        }
        Ok(SmtpMailer {
            transport: builder.build(),
            from,
        })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: Mail) -> Result<(), MailError> {
        let to: Mailbox = mail.to.parse().map_err(MailError::InvalidAddress)?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject)
            .multipart(MultiPart::alternative_plain_html(mail.text, mail.html))
            .map_err(|e| MailError::Transport(e.into()))?;
        match tokio::time::timeout(SEND_TIMEOUT, self.transport.send(message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(MailError::Transport(e.into())),
            Err(_) => Err(MailError::Timeout),
        }
    }
}
