//! [`AuthConfig`]: the Rust counterpart of Auth.js `authOptions`.

use std::{fmt, path::Path, sync::Arc, time::Duration};

use url::Url;

use crate::i18n::{Languages, Translations};
use crate::theme::Theme;
use crate::{
    callbacks::{Callbacks, DefaultCallbacks, Events, NoEvents},
    limits::{InvalidProxy, Lockout, MailLimit, RateLimits, TrustedProxies},
    mail::{LogMailer, Mailer, SmtpMailer},
    providers::{OAuth, Provider, github, google, spotify, with_github_emails_url},
};
pub use crate::{error::AuthConfigError, keys::MIN_SECRET_LEN};

/// How long audit rows are kept unless configured otherwise: 90 days.
const DEFAULT_AUDIT_RETENTION: Duration = Duration::from_secs(90 * 24 * 60 * 60);

/// Custom pages that replace the built-in ones (docs/architecture.md › Configuration and
/// callbacks).
#[derive(Debug, Clone, Default)]
pub struct Pages {
    /// Sign-in page, e.g. `/sign-in`. `GET /api/auth/signin` redirects there with
    /// `callbackUrl` and `error` carried over.
    pub sign_in: Option<String>,
    /// The app's sign-up page, e.g. `/sign-up`: `GET /api/auth/signup` redirects there, and
    /// a refused sign-up form comes back to it with `?error=<Code>` (and the `email` and
    /// `name` typed). The built-in page at `/api/auth/signup` when unset.
    pub sign_up: Option<String>,
    /// Sign-out confirmation page.
    pub sign_out: Option<String>,
    /// Error page; receives `?error=<Code>`.
    pub error: Option<String>,
    /// "Check your email" page of the magic-link flow.
    pub verify_request: Option<String>,
    /// Where a user lands after signing up.
    pub new_user: Option<String>,
    /// The app's "choose a new password" page, which password-reset links open with
    /// `?token=`; the built-in page at `/api/auth/password/reset` when unset.
    pub reset_password: Option<String>,
    /// The app's "enter your code" page of a sign-in waiting for its second factor; it posts
    /// `code` (and `trustDevice`) to `/api/auth/two-factor/verify`. The built-in page at
    /// `/api/auth/two-factor` when unset.
    pub two_factor: Option<String>,
}

/// How sessions are kept (docs/architecture.md › Sessions).
#[derive(Debug, Clone)]
pub struct SessionOptions {
    /// Idle lifetime of a session: it expires this long after its last refresh.
    pub max_age: Duration,
    /// How often `GET /session` re-issues the cookie (sliding expiry).
    pub update_age: Duration,
    /// The longest a session lives after sign-in, however active it is.
    pub absolute_max_age: Duration,
    /// Where sessions live: a signed cookie (`jwt`) or a database row (`database`).
    pub strategy: SessionStrategy,
    /// How often a `jwt` session is checked against the store, so that revoking it (sign
    /// out elsewhere, password change) reaches it within this time.
    pub check_interval: Duration,
    /// How recent an authentication must be for sensitive actions (password change,
    /// two-factor and passkey changes, unlinking a provider, ending all other sessions);
    /// older sessions get `SessionNotFresh` and re-authenticate.
    pub fresh_age: Duration,
    /// How long "trust this device" spares a browser the second factor.
    pub trusted_device_age: Duration,
    /// How long a sign-in waits for its second factor after the first.
    pub two_factor_timeout: Duration,
}

impl Default for SessionOptions {
    fn default() -> Self {
        SessionOptions {
            max_age: Duration::from_secs(30 * 24 * 60 * 60),
            update_age: Duration::from_secs(24 * 60 * 60),
            absolute_max_age: Duration::from_secs(90 * 24 * 60 * 60),
            strategy: SessionStrategy::Jwt,
            check_interval: Duration::from_secs(60),
            fresh_age: Duration::from_secs(10 * 60),
            trusted_device_age: Duration::from_secs(30 * 24 * 60 * 60),
            two_factor_timeout: Duration::from_secs(5 * 60),
        }
    }
}

/// Where sessions live (docs/architecture.md › Account safety). Both kinds are rows in the store,
/// listable and revocable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SessionStrategy {
    /// A signed JWT in the cookie, checked against the store every `check_interval`.
    #[default]
    Jwt,
    /// An opaque random id in the cookie (only its hash is stored), the claims in the row.
    Database,
}

impl std::str::FromStr for SessionStrategy {
    type Err = AuthConfigError;

    fn from_str(value: &str) -> Result<Self, AuthConfigError> {
        match value.trim().to_ascii_lowercase().as_str() {
            "jwt" => Ok(SessionStrategy::Jwt),
            "database" => Ok(SessionStrategy::Database),
            _ => Err(AuthConfigError::Invalid {
                name: "AUTH_SESSION_STRATEGY",
                value: value.to_owned(),
                expected: "jwt or database",
            }),
        }
    }
}

/// Everything the authentication layer needs to know, built once in `main`.
///
/// ```
/// use leptos_auth::{AuthConfig, config::Pages, providers::Credentials};
///
/// let config = AuthConfig::new(vec!["a secret of at least thirty-two bytes!".into()])
///     .with_provider(Credentials::email_password())
///     .with_pages(Pages { sign_in: Some("/sign-in".into()), ..Pages::default() });
/// assert_eq!(config.providers().len(), 1);
/// ```
#[derive(Clone)]
pub struct AuthConfig {
    pub(crate) providers: Vec<Provider>,
    pub(crate) callbacks: Arc<dyn Callbacks>,
    pub(crate) events: Arc<dyn Events>,
    pub(crate) secrets: Vec<String>,
    /// Custom pages.
    pub pages: Pages,
    /// Session lifetime settings.
    pub session: SessionOptions,
    /// Public URL of the site (`AUTH_URL`); when unset, taken from the request's `Host`.
    pub url: Option<Url>,
    /// Honour `X-Forwarded-Host`/`X-Forwarded-Proto` (`AUTH_TRUST_HOST`): only behind a proxy
    /// you control.
    pub trust_host: bool,
    /// Force `Secure` cookies on or off; by default they follow the site's scheme.
    pub use_secure_cookies: Option<bool>,
    /// Where the REST endpoints live, `/api/auth` by default.
    pub base_path: String,
    /// Prefix of every cookie name (`authjs.` gives `authjs.session-token`).
    pub cookie_prefix: String,
    /// Per-IP rate limits (`AUTH_RATE_LIMITS=off` turns them off).
    pub rate_limits: RateLimits,
    /// Per-account lockout after failed sign-ins (always on).
    pub lockout: Lockout,
    /// Mails one address may be sent per window (always on).
    pub mail_limit: MailLimit,
    /// Proxies whose `X-Forwarded-For` names the client (`AUTH_TRUSTED_PROXIES`).
    pub trusted_proxies: TrustedProxies,
    /// Refuse password sign-in until the account's email is verified
    /// (`AUTH_REQUIRE_VERIFIED_EMAIL`); the refusal's code is `EmailNotVerified`.
    pub require_verified_email: bool,
    /// How long audit rows are kept (`AUTH_AUDIT_RETENTION`, default 90 days); older ones
    /// are deleted from time to time.
    pub audit_retention: Duration,
    /// Once the database is found unreachable, how long store calls fail at once before it
    /// is asked again (`AUTH_DATABASE_RETRY_INTERVAL`, default 2 seconds).
    pub database_retry_interval: Duration,
    /// How the built-in pages and the mails look (`AUTH_THEME_*`).
    pub theme: Theme,
    pub(crate) languages: Languages,
    pub(crate) mailer: Option<Arc<dyn Mailer>>,
}

impl fmt::Debug for AuthConfig {
    // Secrets never reach a log line, even through `{:?}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthConfig")
            .field(
                "providers",
                &self.providers.iter().map(Provider::id).collect::<Vec<_>>(),
            )
            .field(
                "secrets",
                &format_args!("[{} redacted]", self.secrets.len()),
            )
            .field("pages", &self.pages)
            .field("session", &self.session)
            .field("url", &self.url.as_ref().map(Url::as_str))
            .field("trust_host", &self.trust_host)
            .field("base_path", &self.base_path)
            .field("rate_limits", &self.rate_limits)
            .field("lockout", &self.lockout)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("require_verified_email", &self.require_verified_email)
            .field("audit_retention", &self.audit_retention)
            .field("database_retry_interval", &self.database_retry_interval)
            .field("theme", &self.theme)
            .field("can_send_mail", &self.can_send_mail())
            .finish_non_exhaustive()
    }
}

impl AuthConfig {
    /// A configuration with the given secrets (the first signs, all verify) and defaults for
    /// everything else: no providers, default callbacks, built-in pages, 30-day sessions.
    pub fn new(secrets: Vec<String>) -> Self {
        AuthConfig {
            providers: Vec::new(),
            callbacks: Arc::new(DefaultCallbacks),
            events: Arc::new(NoEvents),
            secrets,
            pages: Pages::default(),
            session: SessionOptions::default(),
            url: None,
            trust_host: false,
            use_secure_cookies: None,
            base_path: crate::paths::DEFAULT_BASE_PATH.into(),
            cookie_prefix: "authjs.".into(),
            rate_limits: RateLimits::default(),
            lockout: Lockout::default(),
            mail_limit: MailLimit::default(),
            trusted_proxies: TrustedProxies::default(),
            require_verified_email: false,
            audit_retention: DEFAULT_AUDIT_RETENTION,
            database_retry_interval: Duration::from_secs(2),
            theme: Theme::default(),
            languages: Languages::default(),
            mailer: None,
        }
    }

    /// Reads the Auth.js environment variables: `AUTH_SECRET` (or `NEXTAUTH_SECRET`, plus
    /// `AUTH_SECRET_1`, `AUTH_SECRET_2`, … as older secrets that still verify), `AUTH_URL`
    /// (or `NEXTAUTH_URL`), `AUTH_TRUST_HOST`, `AUTH_USE_SECURE_COOKIES`, and the mail
    /// transport `AUTH_EMAIL_SERVER` (`smtp://user:pass@host:port`, see [`SmtpMailer`]) with
    /// `AUTH_EMAIL_FROM`.
    ///
    /// In `production`, a missing or short secret is an error, and so is a missing `AUTH_URL`
    /// unless `AUTH_TRUST_HOST` is set explicitly. In development a random secret
    /// is generated once and kept in `dev_secret_file`, with a warning.
    pub fn from_env(production: bool, dev_secret_file: &Path) -> Result<Self, AuthConfigError> {
        Self::from_vars(production, dev_secret_file, |name| std::env::var(name).ok())
    }

    /// [`AuthConfig::from_env`] with the variables looked up by `lookup` (a map in tests, a
    /// secret store, …) instead of the process environment. Empty values count as unset.
    ///
    /// ```
    /// use leptos_auth::AuthConfig;
    ///
    /// let vars = [
    ///     ("AUTH_SECRET", "a production secret of at least 32 bytes"),
    ///     ("AUTH_URL", "https://app.example.com"),
    ///     ("AUTH_USE_SECURE_COOKIES", "true"),
    /// ];
    /// let lookup = |name: &str| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string());
    /// let config = AuthConfig::from_vars(true, "unused".as_ref(), lookup).unwrap();
    /// assert_eq!(config.url.unwrap().as_str(), "https://app.example.com/");
    /// assert_eq!(config.use_secure_cookies, Some(true));
    /// ```
    pub fn from_vars(
        production: bool,
        dev_secret_file: &Path,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, AuthConfigError> {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let mut secrets: Vec<String> = var("AUTH_SECRET")
            .or_else(|| var("NEXTAUTH_SECRET"))
            .into_iter()
            .collect();
        secrets.extend((1..=9).filter_map(|i| var(&format!("AUTH_SECRET_{i}"))));

        if production {
            if secrets.is_empty() {
                return Err(AuthConfigError::MissingSecret);
            }
            if let Some(short) = secrets.iter().find(|s| s.len() < MIN_SECRET_LEN) {
                return Err(AuthConfigError::ShortSecret { len: short.len() });
            }
        } else if secrets.is_empty() {
            tracing::warn!(
                "AUTH_SECRET is not set: using a development secret kept in {} (never do this \
                 in production)",
                dev_secret_file.display()
            );
            secrets.push(dev_secret(dev_secret_file)?);
        }

        let mut config = AuthConfig::new(secrets);
        if let Some(url) = var("AUTH_URL").or_else(|| var("NEXTAUTH_URL")) {
            let parsed = Url::parse(&url)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
                .ok_or(AuthConfigError::InvalidUrl(url))?;
            config.url = Some(parsed);
        }
        config.trust_host = var("AUTH_TRUST_HOST")
            .map(|value| flag("AUTH_TRUST_HOST", value))
            .transpose()?
            .unwrap_or(false);
        config.use_secure_cookies = var("AUTH_USE_SECURE_COOKIES")
            .map(|value| flag("AUTH_USE_SECURE_COOKIES", value))
            .transpose()?;
        if let Some(value) = var("AUTH_RATE_LIMITS") {
            config.rate_limits.enabled = flag("AUTH_RATE_LIMITS", value)?;
        }
        config.apply_settings(&var)?;
        if let Some(value) = var("AUTH_TRUSTED_PROXIES") {
            config.trusted_proxies = value
                .parse()
                .map_err(|e: InvalidProxy| AuthConfigError::InvalidProxies(e.to_string()))?;
        }
        match var("AUTH_EMAIL_SERVER") {
            Some(server) => {
                let from = var("AUTH_EMAIL_FROM").ok_or(AuthConfigError::Invalid {
                    name: "AUTH_EMAIL_FROM",
                    value: String::new(),
                    expected: "the sender's address (required with AUTH_EMAIL_SERVER)",
                })?;
                config.mailer = Some(Arc::new(SmtpMailer::new(&server, &from)?));
            }
            // Development without a mail server: the links go to the log.
            None if !production => config.mailer = Some(Arc::new(LogMailer)),
            None => {}
        }
        // Without a fixed URL the site would take its origin (and so whether cookies are
        // Secure) from whatever Host header a request brings.
        if production && config.url.is_none() {
            // Mailed links must point at the site whatever Host a request brings: a forwarded
            // host is trusted for cookies behind a proxy, never for mail.
            if config.mailer.is_some() {
                return Err(AuthConfigError::MissingUrlForMail);
            }
            if var("AUTH_TRUST_HOST").is_none() {
                return Err(AuthConfigError::MissingUrl);
            }
        }
        Ok(config)
    }

    /// The numeric and named settings every deployment may tune, from `AUTH_*` variables:
    /// `AUTH_SESSION_STRATEGY` (`jwt`/`database`), `AUTH_SESSION_MAX_AGE`,
    /// `AUTH_SESSION_UPDATE_AGE`, `AUTH_SESSION_ABSOLUTE_MAX_AGE`,
    /// `AUTH_SESSION_CHECK_INTERVAL`, `AUTH_SESSION_FRESH_AGE`, `AUTH_TRUSTED_DEVICE_AGE`,
    /// `AUTH_TWO_FACTOR_TIMEOUT`,
    /// `AUTH_RATE_LIMIT_WINDOW`, `AUTH_LOCKOUT_WINDOW`,
    /// `AUTH_LOCKOUT_DURATION`, `AUTH_MAIL_LIMIT_WINDOW`, `AUTH_AUDIT_RETENTION`,
    /// `AUTH_DATABASE_RETRY_INTERVAL` (seconds),
    /// `AUTH_RATE_LIMIT_MAX_REQUESTS`, `AUTH_LOCKOUT_MAX_FAILURES`, `AUTH_MAIL_LIMIT_MAX`
    /// (counts), `AUTH_RATE_LIMIT_IPV6_PREFIX` (bits), `AUTH_COOKIE_PREFIX` and
    /// `AUTH_REQUIRE_VERIFIED_EMAIL` (true/false), and the look of the built-in pages and
    /// mails, `AUTH_THEME_COLOR_SCHEME` (auto/light/dark), `AUTH_THEME_BRAND_COLOR`,
    /// `AUTH_THEME_BUTTON_TEXT` (`#rrggbb`) and `AUTH_THEME_LOGO` (a URL). Unset ones keep their
    /// current value, so an app can apply its file settings first.
    pub fn apply_settings(
        &mut self,
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(), AuthConfigError> {
        fn number<T: std::str::FromStr>(
            name: &'static str,
            value: String,
        ) -> Result<T, AuthConfigError> {
            value.trim().parse().map_err(|_| AuthConfigError::Invalid {
                name,
                value,
                expected: "a whole number",
            })
        }
        let seconds = |name: &'static str, target: &mut Duration| {
            if let Some(value) = var(name) {
                *target = Duration::from_secs(number(name, value)?);
            }
            Ok::<(), AuthConfigError>(())
        };
        seconds("AUTH_SESSION_MAX_AGE", &mut self.session.max_age)?;
        seconds("AUTH_SESSION_UPDATE_AGE", &mut self.session.update_age)?;
        seconds(
            "AUTH_SESSION_ABSOLUTE_MAX_AGE",
            &mut self.session.absolute_max_age,
        )?;
        seconds(
            "AUTH_SESSION_CHECK_INTERVAL",
            &mut self.session.check_interval,
        )?;
        seconds("AUTH_SESSION_FRESH_AGE", &mut self.session.fresh_age)?;
        seconds(
            "AUTH_TRUSTED_DEVICE_AGE",
            &mut self.session.trusted_device_age,
        )?;
        seconds(
            "AUTH_TWO_FACTOR_TIMEOUT",
            &mut self.session.two_factor_timeout,
        )?;
        seconds("AUTH_RATE_LIMIT_WINDOW", &mut self.rate_limits.window)?;
        seconds("AUTH_LOCKOUT_WINDOW", &mut self.lockout.window)?;
        seconds("AUTH_LOCKOUT_DURATION", &mut self.lockout.duration)?;
        seconds("AUTH_MAIL_LIMIT_WINDOW", &mut self.mail_limit.window)?;
        seconds("AUTH_AUDIT_RETENTION", &mut self.audit_retention)?;
        seconds(
            "AUTH_DATABASE_RETRY_INTERVAL",
            &mut self.database_retry_interval,
        )?;
        if let Some(value) = var("AUTH_RATE_LIMIT_IPV6_PREFIX") {
            let prefix: u8 = number("AUTH_RATE_LIMIT_IPV6_PREFIX", value.clone())?;
            if !(1..=128).contains(&prefix) {
                return Err(AuthConfigError::Invalid {
                    name: "AUTH_RATE_LIMIT_IPV6_PREFIX",
                    value,
                    expected: "a prefix length from 1 to 128",
                });
            }
            self.rate_limits.ipv6_prefix = prefix;
        }
        if let Some(value) = var("AUTH_SESSION_STRATEGY") {
            self.session.strategy = value.parse()?;
        }
        if let Some(value) = var("AUTH_RATE_LIMIT_MAX_REQUESTS") {
            self.rate_limits.max_requests = number("AUTH_RATE_LIMIT_MAX_REQUESTS", value)?;
        }
        if let Some(value) = var("AUTH_LOCKOUT_MAX_FAILURES") {
            self.lockout.max_failures = number("AUTH_LOCKOUT_MAX_FAILURES", value)?;
        }
        if let Some(value) = var("AUTH_MAIL_LIMIT_MAX") {
            self.mail_limit.max_mails = number("AUTH_MAIL_LIMIT_MAX", value)?;
        }
        if let Some(prefix) = var("AUTH_COOKIE_PREFIX") {
            self.cookie_prefix = prefix;
        }
        if let Some(value) = var("AUTH_REQUIRE_VERIFIED_EMAIL") {
            self.require_verified_email = flag("AUTH_REQUIRE_VERIFIED_EMAIL", value)?;
        }
        self.theme.apply_settings(var)?;
        Ok(())
    }

    /// Sends the mails of the email flows (magic link, password reset, verification)
    /// through `mailer`. [`AuthConfig::from_env`] sets an [`SmtpMailer`] from
    /// `AUTH_EMAIL_SERVER` and `AUTH_EMAIL_FROM` (in development without them, a
    /// [`LogMailer`]).
    pub fn with_mailer(mut self, mailer: impl Mailer) -> Self {
        self.mailer = Some(Arc::new(mailer));
        self
    }

    /// Whether mail can be sent (a [`Mailer`] is configured): apps offer magic links and
    /// "forgot password" only then.
    pub fn can_send_mail(&self) -> bool {
        self.mailer.is_some()
    }

    /// Adds a sign-in provider.
    pub fn with_provider(mut self, provider: impl Into<Provider>) -> Self {
        self.providers.push(provider.into());
        self
    }

    /// Replaces the callbacks (`sign_in`, `redirect`, `jwt`, `session`).
    pub fn with_callbacks(mut self, callbacks: impl Callbacks) -> Self {
        self.callbacks = Arc::new(callbacks);
        self
    }

    /// Replaces the event listeners.
    pub fn with_events(mut self, events: impl Events) -> Self {
        self.events = Arc::new(events);
        self
    }

    /// Sets how the built-in pages and the mails look.
    pub fn with_theme(mut self, theme: Theme) -> Self {
        self.theme = theme;
        self
    }

    /// Adds a language for the built-in pages, the mails and the library's components (or
    /// replaces the table of one it has: `en`, `de`, `fr` come with the crate). `tag` is what
    /// `Accept-Language` names (`es`, `pt-br`); texts the table leaves out are English.
    pub fn with_language(mut self, tag: &str, table: impl Translations) -> Self {
        self.languages.add(tag, Arc::new(table));
        self
    }

    /// Lets the app choose each request's language (from its own cookie, the path, the
    /// user's profile…): a tag it answers that is known wins over `Accept-Language`.
    pub fn with_language_chooser(
        mut self,
        choose: impl Fn(&http::HeaderMap) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.languages.set_chooser(choose);
        self
    }

    /// Replaces the custom pages.
    pub fn with_pages(mut self, pages: Pages) -> Self {
        self.pages = pages;
        self
    }

    /// Adds the providers configured by environment variables: `AUTH_GITHUB_ID`/`_SECRET`,
    /// `AUTH_GOOGLE_ID`/`_SECRET`, `AUTH_SPOTIFY_ID`/`_SECRET`, and a generic OIDC provider
    /// with id `oidc` from `AUTH_OIDC_ISSUER`/`_ID`/`_SECRET` (name `AUTH_OIDC_NAME`).
    ///
    /// Each one's URLs can be overridden (enterprise hosts, tests) with
    /// `AUTH_<PROVIDER>_AUTHORIZATION_URL`, `_TOKEN_URL`, `_USERINFO_URL`, `_API_URL`,
    /// `_ISSUER` (OIDC) and, for GitHub, `_EMAILS_URL`.
    pub fn with_providers_from_env(mut self) -> Self {
        let var = |name: String| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let credentials = |id: &str| {
            let upper = id.to_ascii_uppercase();
            Some((
                var(format!("AUTH_{upper}_ID"))?,
                var(format!("AUTH_{upper}_SECRET"))?,
            ))
        };
        let mut found: Vec<OAuth> = Vec::new();
        if let Some((id, secret)) = credentials("github") {
            found.push(github(id, secret));
        }
        if let Some((id, secret)) = credentials("google") {
            found.push(google(id, secret));
        }
        if let Some((id, secret)) = credentials("spotify") {
            found.push(spotify(id, secret));
        }
        if let (Some((id, secret)), Some(issuer)) =
            (credentials("oidc"), var("AUTH_OIDC_ISSUER".into()))
        {
            let name = var("AUTH_OIDC_NAME".into()).unwrap_or_else(|| "OpenID Connect".into());
            found.push(OAuth::oidc("oidc", name, issuer, id, secret));
        }
        for mut provider in found {
            let upper = provider.id.to_ascii_uppercase();
            if let Some(url) = var(format!("AUTH_{upper}_ISSUER")) {
                provider.issuer = Some(url.trim_end_matches('/').to_owned());
            }
            if let Some(url) = var(format!("AUTH_{upper}_AUTHORIZATION_URL")) {
                provider = provider.with_authorization_url(url);
            }
            if let Some(url) = var(format!("AUTH_{upper}_TOKEN_URL")) {
                provider = provider.with_token_url(url);
            }
            if let Some(url) = var(format!("AUTH_{upper}_USERINFO_URL")) {
                provider = provider.with_userinfo_url(url);
            }
            if let Some(url) = var(format!("AUTH_{upper}_API_URL")) {
                provider = provider.with_api_url(url);
            }
            if let Some(url) = var(format!("AUTH_{upper}_EMAILS_URL")) {
                provider = with_github_emails_url(provider, url);
            }
            self = self.with_provider(provider);
        }
        self
    }

    /// The configured providers, in order.
    pub fn providers(&self) -> &[Provider] {
        &self.providers
    }
}

/// A yes/no variable: `true`/`1`/`yes` or `false`/`0`/`no`, any case.
fn flag(name: &'static str, value: String) -> Result<bool, AuthConfigError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(AuthConfigError::InvalidFlag { name, value }),
    }
}

/// Reads the development secret, creating it on first use.
fn dev_secret(path: &Path) -> Result<String, AuthConfigError> {
    if let Ok(secret) = std::fs::read_to_string(path) {
        let secret = secret.trim().to_owned();
        if secret.len() >= MIN_SECRET_LEN {
            return Ok(secret);
        }
    }
    let secret = crate::keys::random_hex(32);
    let write = || -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            crate::store::create_private_dir(dir)?;
        }
        write_private_file(path, secret.as_bytes())
    };
    write().map_err(|e| AuthConfigError::DevSecret(format!("{}: {e}", path.display())))?;
    Ok(secret)
}

/// Writes a file only its owner can read (0600 on Unix): it holds a secret.
fn write_private_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    // An existing file keeps its mode through `open`: tighten it too.
    #[cfg(unix)]
    file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    file.write_all(contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<AuthConfig, AuthConfigError> {
        let lookup = |name: &str| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        };
        AuthConfig::from_vars(true, Path::new("unused"), lookup)
    }

    const SECRET: (&str, &str) = ("AUTH_SECRET", "a production secret of at least 32 bytes");
    const URL: (&str, &str) = ("AUTH_URL", "https://app.example.com");

    #[test]
    fn flags_accept_yes_and_no_and_refuse_the_rest() {
        let on = config(&[
            SECRET,
            ("AUTH_TRUST_HOST", "TRUE"),
            ("AUTH_USE_SECURE_COOKIES", "0"),
        ])
        .unwrap();
        assert!(on.trust_host);
        assert_eq!(on.use_secure_cookies, Some(false));
        let unset = config(&[SECRET, URL]).unwrap();
        assert!(!unset.trust_host);
        assert_eq!(unset.use_secure_cookies, None);
        assert!(unset.rate_limits.enabled);
        let off = config(&[SECRET, URL, ("AUTH_RATE_LIMITS", "off")]).unwrap();
        assert!(!off.rate_limits.enabled);
        assert_eq!(off.lockout, crate::limits::Lockout::default());
        assert_eq!(off.mail_limit, crate::limits::MailLimit::default());
        let proxied = config(&[SECRET, URL, ("AUTH_TRUSTED_PROXIES", "10.0.0.0/8")]).unwrap();
        assert_ne!(
            proxied.trusted_proxies,
            crate::limits::TrustedProxies::default()
        );
        assert!(matches!(
            config(&[SECRET, URL, ("AUTH_TRUSTED_PROXIES", "lb.internal")]),
            Err(AuthConfigError::InvalidProxies(_))
        ));
        assert_eq!(
            config(&[SECRET, URL, ("AUTH_USE_SECURE_COOKIES", "sometimes")]).unwrap_err(),
            AuthConfigError::InvalidFlag {
                name: "AUTH_USE_SECURE_COOKIES",
                value: "sometimes".into()
            }
        );
    }

    #[test]
    fn numeric_settings_are_read_and_nonsense_is_refused() {
        let tuned = config(&[
            SECRET,
            URL,
            ("AUTH_MAIL_LIMIT_MAX", "2"),
            ("AUTH_MAIL_LIMIT_WINDOW", " 600 "),
            ("AUTH_LOCKOUT_MAX_FAILURES", "3"),
        ])
        .unwrap();
        assert_eq!(
            tuned.mail_limit,
            crate::limits::MailLimit {
                max_mails: 2,
                window: Duration::from_secs(600)
            }
        );
        assert_eq!(tuned.lockout.max_failures, 3);
        assert!(matches!(
            config(&[SECRET, URL, ("AUTH_MAIL_LIMIT_MAX", "lots")]),
            Err(AuthConfigError::Invalid {
                name: "AUTH_MAIL_LIMIT_MAX",
                ..
            })
        ));
    }

    #[test]
    fn production_needs_its_url_or_an_explicit_trust_host() {
        assert_eq!(config(&[SECRET]).unwrap_err(), AuthConfigError::MissingUrl);
        assert!(config(&[SECRET, URL]).is_ok());
        assert!(config(&[SECRET, ("AUTH_TRUST_HOST", "false")]).is_ok());
    }

    #[test]
    fn production_with_a_mail_server_needs_its_url_even_behind_a_trusted_proxy() {
        let mail = [
            ("AUTH_EMAIL_SERVER", "smtp://127.0.0.1:2525"),
            ("AUTH_EMAIL_FROM", "auth@example.com"),
        ];
        assert_eq!(
            config(&[SECRET, ("AUTH_TRUST_HOST", "true"), mail[0], mail[1]]).unwrap_err(),
            AuthConfigError::MissingUrlForMail
        );
        assert_eq!(
            config(&[SECRET, mail[0], mail[1]]).unwrap_err(),
            AuthConfigError::MissingUrlForMail
        );
        assert!(config(&[SECRET, URL, ("AUTH_TRUST_HOST", "true"), mail[0], mail[1]]).is_ok());
    }

    #[test]
    fn production_needs_a_long_secret() {
        assert_eq!(config(&[]).unwrap_err(), AuthConfigError::MissingSecret);
        assert_eq!(
            config(&[("AUTH_SECRET", "short")]).unwrap_err(),
            AuthConfigError::ShortSecret { len: 5 }
        );
    }
}
