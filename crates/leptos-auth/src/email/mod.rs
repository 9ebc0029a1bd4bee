//! The three mail flows (docs/architecture.md › Account safety): magic-link sign-in, password
//! reset and email verification, and the one-time tokens their mails carry. Sending the mails
//! is `mail/`'s job.
//!
//! Every link leads to a page whose form POSTs the token: only that POST uses it, so a mail
//! scanner that follows links does not burn a token.

mod flows;
pub(crate) mod tokens;
mod verification;

pub(crate) use flows::ResetError;
pub(crate) use tokens::looks_like_a_token;
pub(crate) use verification::Confirmation;
