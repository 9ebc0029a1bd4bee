//! Runtime configuration of the server: `Leptos.toml` (optional) overridden by environment
//! variables (a `.env` file is read first when present).

use std::{fmt, net::SocketAddr, path::PathBuf};

use leptos::config::{Env, LeptosOptions};
use serde::Deserialize;

/// Where the configuration file is looked for when `LEPTOS_CONFIG` does not name one.
const DEFAULT_CONFIG_FILE: &str = "Leptos.toml";
const DEFAULT_SITE_ADDR: &str = "127.0.0.1:3000";
const DEFAULT_SITE_ROOT: &str = "target/site";
/// The name of the client bundle (`output-name` in Cargo.toml's cargo-leptos settings), for
/// builds that cargo-leptos did not start (`cargo test`).
const OUTPUT_NAME: &str = "leptos-auth";
/// The embedded database, in a data folder next to where the server runs.
const DEFAULT_DATA_DIR: &str = "data";

/// Settings of the web server itself (not of authentication).
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// Address the server binds (`LEPTOS_SITE_ADDR`, `[site] addr`).
    pub addr: SocketAddr,
    /// Folder of the built site in debug builds (`LEPTOS_SITE_ROOT`); release builds serve
    /// the copy embedded in the binary.
    pub site_root: PathBuf,
    /// `DEV` or `PROD` (`LEPTOS_ENV`); production is the default for release builds.
    pub env: Env,
    /// Port of `cargo leptos watch`'s live-reload socket (`LEPTOS_RELOAD_PORT`).
    pub reload_port: u32,
    /// Folder for the embedded database and the development secret (`LEPTOS_AUTH_DATA_DIR`).
    pub data_dir: PathBuf,
    /// `DATABASE_URL`; SQLite in `data_dir` by default.
    pub database_url: String,
    /// The `[auth]` section of the configuration file.
    pub auth: AuthSection,
    /// Connection limits of the server (`LEPTOS_MAX_CONNECTIONS`, `LEPTOS_IDLE_TIMEOUT`).
    pub limits: super::serve::ServeLimits,
}

/// Non-secret authentication settings from the `[auth]` section of `Leptos.toml`. Each has
/// an environment variable that wins over it ([`AuthSection::setting`] names them).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSection {
    /// `jwt` (default) or `database`.
    pub session_strategy: Option<String>,
    /// How often, in seconds, a JWT session is checked against the store (default 60).
    pub session_check_interval: Option<u64>,
    /// Session lifetime in seconds (default 30 days).
    pub session_max_age: Option<u64>,
    /// How often, in seconds, the session cookie is re-issued (default 24 hours).
    pub session_update_age: Option<u64>,
    /// The longest a session lives after sign-in, in seconds (default 90 days).
    pub session_absolute_max_age: Option<u64>,
    /// Cookie name prefix (default `authjs.`).
    pub cookie_prefix: Option<String>,
    /// Default for `AUTH_TRUST_HOST`.
    pub trust_host: Option<bool>,
    /// Per-IP rate limits on or off (default on; `AUTH_RATE_LIMITS` wins).
    pub rate_limits: Option<bool>,
    /// Requests one address may make to one endpoint family per window (default 5).
    pub rate_limit_max_requests: Option<u32>,
    /// Length of the rate-limit window, in seconds (default 10).
    pub rate_limit_window: Option<u64>,
    /// Failed sign-ins that lock an account (default 10).
    pub lockout_max_failures: Option<u32>,
    /// How far back failed sign-ins are counted, in seconds (default 900).
    pub lockout_window: Option<u64>,
    /// How long the first lockout lasts, in seconds (default 900; doubles for each further
    /// lockout in a row, at most a day).
    pub lockout_duration: Option<u64>,
    /// Mails one email address may be sent per window (default 5).
    pub mail_limit_max: Option<u32>,
    /// Length of the per-address mail window, in seconds (default 3600).
    pub mail_limit_window: Option<u64>,
    /// How long audit rows are kept, in seconds (default 90 days).
    pub audit_retention: Option<u64>,
    /// IPv6 clients are rate-limited per network of this many bits (default 64).
    pub rate_limit_ipv6_prefix: Option<u8>,
    /// Seconds of failing fast once the database is found unreachable (default 2).
    pub database_retry_interval: Option<u64>,
    /// How recent, in seconds, a sign-in must be for sensitive changes (default 600).
    pub session_fresh_age: Option<u64>,
    /// How long, in seconds, "trust this device" skips the second factor (default 30 days).
    pub trusted_device_age: Option<u64>,
    /// How long, in seconds, a sign-in waits for its second factor (default 300).
    pub two_factor_timeout: Option<u64>,
    /// The built-in pages' colour scheme: `auto` (default), `light` or `dark`.
    pub theme_color_scheme: Option<String>,
    /// Buttons and links of the built-in pages and mails, `#rrggbb`.
    pub theme_brand_color: Option<String>,
    /// The colour of button text, `#rrggbb`.
    pub theme_button_text: Option<String>,
    /// A logo for the built-in pages and mails (a URL).
    pub theme_logo: Option<String>,
}

impl AuthSection {
    /// The value of the setting whose environment variable is `name`, as that variable
    /// would hold it (`AUTH_SESSION_MAX_AGE` → `session_max_age`).
    pub fn setting(&self, name: &str) -> Option<String> {
        let number = |n: Option<u64>| n.map(|n| n.to_string());
        match name {
            "AUTH_SESSION_STRATEGY" => self.session_strategy.clone(),
            "AUTH_SESSION_CHECK_INTERVAL" => number(self.session_check_interval),
            "AUTH_SESSION_MAX_AGE" => number(self.session_max_age),
            "AUTH_SESSION_UPDATE_AGE" => number(self.session_update_age),
            "AUTH_SESSION_ABSOLUTE_MAX_AGE" => number(self.session_absolute_max_age),
            "AUTH_COOKIE_PREFIX" => self.cookie_prefix.clone(),
            "AUTH_RATE_LIMIT_MAX_REQUESTS" => self.rate_limit_max_requests.map(|n| n.to_string()),
            "AUTH_RATE_LIMIT_WINDOW" => number(self.rate_limit_window),
            "AUTH_LOCKOUT_MAX_FAILURES" => self.lockout_max_failures.map(|n| n.to_string()),
            "AUTH_LOCKOUT_WINDOW" => number(self.lockout_window),
            "AUTH_LOCKOUT_DURATION" => number(self.lockout_duration),
            "AUTH_MAIL_LIMIT_MAX" => self.mail_limit_max.map(|n| n.to_string()),
            "AUTH_MAIL_LIMIT_WINDOW" => number(self.mail_limit_window),
            "AUTH_AUDIT_RETENTION" => number(self.audit_retention),
            "AUTH_RATE_LIMIT_IPV6_PREFIX" => self.rate_limit_ipv6_prefix.map(|n| n.to_string()),
            "AUTH_DATABASE_RETRY_INTERVAL" => number(self.database_retry_interval),
            "AUTH_SESSION_FRESH_AGE" => number(self.session_fresh_age),
            "AUTH_TRUSTED_DEVICE_AGE" => number(self.trusted_device_age),
            "AUTH_TWO_FACTOR_TIMEOUT" => number(self.two_factor_timeout),
            "AUTH_THEME_COLOR_SCHEME" => self.theme_color_scheme.clone(),
            "AUTH_THEME_BRAND_COLOR" => self.theme_brand_color.clone(),
            "AUTH_THEME_BUTTON_TEXT" => self.theme_button_text.clone(),
            "AUTH_THEME_LOGO" => self.theme_logo.clone(),
            _ => None,
        }
    }
}

impl SiteConfig {
    /// Whether the server runs in production mode (strict secret checks).
    pub fn is_production(&self) -> bool {
        self.env == Env::PROD
    }
}

/// A configuration problem that stops start-up, with a message fit for one log line.
#[derive(Debug)]
pub enum ConfigError {
    /// The configuration file exists but cannot be read or parsed.
    File { path: PathBuf, reason: String },
    /// An environment variable or file setting has a value of the wrong form.
    Invalid {
        name: &'static str,
        value: String,
        expected: &'static str,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::File { path, reason } => {
                write!(
                    f,
                    "cannot use configuration file {}: {reason}",
                    path.display()
                )
            }
            ConfigError::Invalid {
                name,
                value,
                expected,
            } => {
                write!(f, "{name}={value:?} is not valid: expected {expected}")
            }
        }
    }
}

impl std::error::Error for ConfigError {}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    site: SiteSection,
    #[serde(default)]
    auth: AuthSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteSection {
    addr: Option<String>,
    max_connections: Option<usize>,
    idle_timeout: Option<u64>,
}

impl SiteConfig {
    /// Reads `.env`, then `Leptos.toml` (or the file named by `LEPTOS_CONFIG`), then the
    /// environment, which wins over the file.
    pub fn load() -> Result<Self, ConfigError> {
        // A missing .env is normal; a malformed one is reported by the variables it breaks.
        let _ = dotenvy::dotenv();
        let file = read_config_file()?;

        let (addr_name, addr) = match std::env::var("LEPTOS_SITE_ADDR") {
            Ok(value) => ("LEPTOS_SITE_ADDR", value),
            Err(_) => (
                "[site] addr",
                file.site.addr.unwrap_or_else(|| DEFAULT_SITE_ADDR.into()),
            ),
        };
        let addr = addr.parse().map_err(|_| ConfigError::Invalid {
            name: addr_name,
            value: addr.clone(),
            expected: "an address such as 127.0.0.1:3000",
        })?;

        let env = match std::env::var("LEPTOS_ENV") {
            Ok(value) => match value.to_ascii_uppercase().as_str() {
                "DEV" | "DEVELOPMENT" => Env::DEV,
                "PROD" | "PRODUCTION" => Env::PROD,
                _ => {
                    return Err(ConfigError::Invalid {
                        name: "LEPTOS_ENV",
                        value,
                        expected: "DEV or PROD",
                    });
                }
            },
            Err(_) if cfg!(debug_assertions) => Env::DEV,
            Err(_) => Env::PROD,
        };

        let reload_port = match std::env::var("LEPTOS_RELOAD_PORT") {
            Ok(value) => value.parse().map_err(|_| ConfigError::Invalid {
                name: "LEPTOS_RELOAD_PORT",
                value,
                expected: "a port number",
            })?,
            Err(_) => 3001,
        };

        let data_dir: PathBuf = std::env::var_os("LEPTOS_AUTH_DATA_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| DEFAULT_DATA_DIR.into());
        let database_url = std::env::var("DATABASE_URL")
            .ok()
            .filter(|url| !url.trim().is_empty())
            .unwrap_or_else(|| default_database_url(&data_dir));

        let mut limits = super::serve::ServeLimits::default();
        if let Some(max) = number_setting("LEPTOS_MAX_CONNECTIONS", file.site.max_connections)? {
            limits.max_connections = max;
        }
        if let Some(secs) = number_setting("LEPTOS_IDLE_TIMEOUT", file.site.idle_timeout)? {
            limits.idle_timeout = std::time::Duration::from_secs(secs);
        }

        Ok(SiteConfig {
            limits,
            addr,
            site_root: std::env::var_os("LEPTOS_SITE_ROOT")
                .map(PathBuf::from)
                .unwrap_or_else(|| DEFAULT_SITE_ROOT.into()),
            env,
            reload_port,
            data_dir,
            database_url,
            auth: file.auth,
        })
    }

    /// A configuration for tests: an ephemeral port on 127.0.0.1, development mode, data
    /// in `data_dir`.
    pub fn for_tests(data_dir: PathBuf) -> Self {
        SiteConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            site_root: DEFAULT_SITE_ROOT.into(),
            env: Env::DEV,
            reload_port: 3001,
            database_url: default_database_url(&data_dir),
            data_dir,
            auth: AuthSection::default(),
            limits: super::serve::ServeLimits::default(),
        }
    }

    /// The options Leptos needs to render pages and route server functions.
    pub fn leptos_options(&self) -> LeptosOptions {
        LeptosOptions::builder()
            .output_name(option_env!("LEPTOS_OUTPUT_NAME").unwrap_or(OUTPUT_NAME))
            .site_root(self.site_root.to_string_lossy().into_owned())
            .site_pkg_dir("pkg")
            .env(self.env.clone())
            .site_addr(self.addr)
            .reload_port(self.reload_port)
            .build()
    }
}

/// A positive whole number from the environment variable `name`, else from the file.
fn number_setting<T>(name: &'static str, from_file: Option<T>) -> Result<Option<T>, ConfigError>
where
    T: std::str::FromStr + PartialOrd + Default,
{
    let value = match std::env::var(name) {
        Ok(value) => value.trim().parse().map_err(|_| ConfigError::Invalid {
            name,
            value: value.clone(),
            expected: "a positive whole number",
        })?,
        Err(_) => match from_file {
            Some(value) => value,
            None => return Ok(None),
        },
    };
    if value <= T::default() {
        return Err(ConfigError::Invalid {
            name,
            value: "0".into(),
            expected: "a positive whole number",
        });
    }
    Ok(Some(value))
}

fn default_database_url(data_dir: &std::path::Path) -> String {
    format!("sqlite://{}", data_dir.join("leptos-auth.db").display())
}

fn read_config_file() -> Result<ConfigFile, ConfigError> {
    let (path, required) = match std::env::var_os("LEPTOS_CONFIG") {
        Some(path) => (PathBuf::from(path), true),
        None => (PathBuf::from(DEFAULT_CONFIG_FILE), false),
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
            return Ok(ConfigFile::default());
        }
        Err(e) => {
            return Err(ConfigError::File {
                path,
                reason: e.to_string(),
            });
        }
    };
    toml::from_str(&text).map_err(|e| ConfigError::File {
        path,
        reason: e.message().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_setting_reaches_its_environment_variable_name() {
        let file: ConfigFile = toml::from_str(
            r#"
            [site]
            max_connections = 100
            idle_timeout = 30
            [auth]
            audit_retention = 86400
            rate_limit_ipv6_prefix = 56
            database_retry_interval = 5
            mail_limit_max = 3
            session_fresh_age = 300
            trusted_device_age = 86400
            two_factor_timeout = 120
            "#,
        )
        .unwrap();
        assert_eq!(file.site.max_connections, Some(100));
        assert_eq!(file.site.idle_timeout, Some(30));
        for (name, value) in [
            ("AUTH_AUDIT_RETENTION", "86400"),
            ("AUTH_RATE_LIMIT_IPV6_PREFIX", "56"),
            ("AUTH_DATABASE_RETRY_INTERVAL", "5"),
            ("AUTH_MAIL_LIMIT_MAX", "3"),
            ("AUTH_SESSION_FRESH_AGE", "300"),
            ("AUTH_TRUSTED_DEVICE_AGE", "86400"),
            ("AUTH_TWO_FACTOR_TIMEOUT", "120"),
        ] {
            assert_eq!(file.auth.setting(name).as_deref(), Some(value), "{name}");
        }
        assert!(toml::from_str::<ConfigFile>("[auth]\nno_such_setting = 1").is_err());
    }
}
