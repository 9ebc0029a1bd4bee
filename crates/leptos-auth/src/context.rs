//! The request as the auth layer understands it, worked out once per request by
//! [`Auth::context`](crate::Auth) (docs/architecture.md › Life of a request).

use url::Url;

use crate::{
    i18n::Language,
    session::cookies::{CookieJar, RequestCookies},
};

/// What one request tells the auth layer: which site it is for and which cookies it carries.
#[derive(Clone)]
pub(crate) struct RequestContext {
    /// Origin of the site, with a trailing slash: `http://127.0.0.1:3000/`.
    pub base_url: Url,
    pub cookies: RequestCookies,
    pub jar: CookieJar,
    /// The browser's `User-Agent`, kept with a new session.
    pub user_agent: Option<String>,
    /// The client's address, when the request came through [`Auth::layer`](crate::Auth::layer) or an extractor
    /// that resolved it.
    pub client_ip: Option<std::net::IpAddr>,
    /// The language of what the request's answer says (pages, mails).
    pub language: Language,
}
