//! Runtime configuration of the server, in layers loaded by `figment`: `Leptos.toml`
//! (optional), then the environment variables, which win (a `.env` file is read into the
//! environment first when present). A bad value is refused with its key and where it came
//! from ("… for key `site.max_connections` in `LEPTOS_MAX_CONNECTIONS` environment
//! variable").

use std::{
    fmt,
    net::SocketAddr,
    num::{NonZeroU64, NonZeroUsize},
    path::PathBuf,
};

use figment::{
    Figment,
    providers::{Format, Toml},
};
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

/// The environment variables of the `[auth]` settings that the loader layers over the file.
/// `AUTH_RATE_LIMITS` and `AUTH_TRUST_HOST` are not among them: the library reads those
/// itself (they take `on`/`off`), and the file's value is only their default.
const AUTH_VARIABLES: [&str; 23] = [
    "AUTH_SESSION_STRATEGY",
    "AUTH_SESSION_CHECK_INTERVAL",
    "AUTH_SESSION_MAX_AGE",
    "AUTH_SESSION_UPDATE_AGE",
    "AUTH_SESSION_ABSOLUTE_MAX_AGE",
    "AUTH_COOKIE_PREFIX",
    "AUTH_RATE_LIMIT_MAX_REQUESTS",
    "AUTH_RATE_LIMIT_WINDOW",
    "AUTH_LOCKOUT_MAX_FAILURES",
    "AUTH_LOCKOUT_WINDOW",
    "AUTH_LOCKOUT_DURATION",
    "AUTH_MAIL_LIMIT_MAX",
    "AUTH_MAIL_LIMIT_WINDOW",
    "AUTH_AUDIT_RETENTION",
    "AUTH_RATE_LIMIT_IPV6_PREFIX",
    "AUTH_DATABASE_RETRY_INTERVAL",
    "AUTH_SESSION_FRESH_AGE",
    "AUTH_TRUSTED_DEVICE_AGE",
    "AUTH_TWO_FACTOR_TIMEOUT",
    "AUTH_THEME_COLOR_SCHEME",
    "AUTH_THEME_BRAND_COLOR",
    "AUTH_THEME_BUTTON_TEXT",
    "AUTH_THEME_LOGO",
];

/// The environment variables of the server's own settings, and their keys.
const SITE_VARIABLES: [(&str, &str); 8] = [
    ("LEPTOS_SITE_ADDR", "site.addr"),
    ("LEPTOS_MAX_CONNECTIONS", "site.max_connections"),
    ("LEPTOS_IDLE_TIMEOUT", "site.idle_timeout"),
    ("LEPTOS_ENV", "site.env"),
    ("LEPTOS_RELOAD_PORT", "site.reload_port"),
    ("LEPTOS_SITE_ROOT", "site.site_root"),
    ("LEPTOS_AUTH_DATA_DIR", "site.data_dir"),
    ("DATABASE_URL", "site.database_url"),
];

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
    /// `LEPTOS_CONFIG` names a file that is not there.
    File { path: PathBuf, reason: String },
    /// A setting of the file or the environment is unknown or has a value of the wrong form:
    /// the message names its key and where it came from.
    Setting(Box<figment::Error>),
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
            ConfigError::Setting(error) => write!(f, "invalid configuration: {error}"),
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

/// The `[site]` section (and the environment variables of [`SITE_VARIABLES`]).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteSection {
    addr: Option<SocketAddr>,
    max_connections: Option<NonZeroUsize>,
    idle_timeout: Option<NonZeroU64>,
    env: Option<Mode>,
    reload_port: Option<u16>,
    site_root: Option<PathBuf>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
}

/// `DEV` or `PROD`, in any case, or spelled out (`LEPTOS_ENV`).
#[derive(Debug, Clone, Copy, Deserialize)]
enum Mode {
    #[serde(rename = "DEV", alias = "dev", alias = "Dev", alias = "DEVELOPMENT")]
    #[serde(alias = "development", alias = "Development")]
    Dev,
    #[serde(rename = "PROD", alias = "prod", alias = "Prod", alias = "PRODUCTION")]
    #[serde(alias = "production", alias = "Production")]
    Prod,
}

/// One environment variable as a layer, named after it in errors ("… in `LEPTOS_ENV`
/// environment variable"); its value read as figment reads any environment value (`50` a
/// number, `true` a boolean, anything else text).
struct Variable {
    name: &'static str,
    key: String,
    value: String,
}

impl figment::Provider for Variable {
    fn metadata(&self) -> figment::Metadata {
        figment::Metadata::named(format!("`{}` environment variable", self.name))
    }

    fn data(
        &self,
    ) -> Result<figment::value::Map<figment::Profile, figment::value::Dict>, figment::Error> {
        let value: figment::value::Value = self.value.parse().expect("any text is a value");
        let nested = figment::util::nest(&self.key, value);
        Ok(figment::Profile::Default.collect(nested.into_dict().unwrap_or_default()))
    }
}

/// The layers: the configuration file, then the environment variables the server knows
/// (empty ones count as unset).
fn layers(file: &std::path::Path) -> Figment {
    let site = SITE_VARIABLES
        .iter()
        .map(|(name, key)| (*name, (*key).to_owned()));
    let auth = AUTH_VARIABLES.iter().map(|name| {
        (
            *name,
            format!("auth.{}", name["AUTH_".len()..].to_ascii_lowercase()),
        )
    });
    site.chain(auth).fold(
        Figment::new().merge(Toml::file(file)),
        |layers, (name, key)| match std::env::var(name) {
            Ok(value) if !value.trim().is_empty() => layers.merge(Variable { name, key, value }),
            _ => layers,
        },
    )
}

impl SiteConfig {
    /// Reads `.env`, then `Leptos.toml` (or the file named by `LEPTOS_CONFIG`), then the
    /// environment, which wins over the file.
    pub fn load() -> Result<Self, ConfigError> {
        // A missing .env is normal; a malformed one is reported by the variables it breaks.
        let _ = dotenvy::dotenv();
        let file = match std::env::var_os("LEPTOS_CONFIG") {
            Some(path) => {
                let path = PathBuf::from(path);
                if !path.is_file() {
                    return Err(ConfigError::File {
                        path,
                        reason: "no such file".into(),
                    });
                }
                path
            }
            None => PathBuf::from(DEFAULT_CONFIG_FILE),
        };
        let settings: ConfigFile = layers(&file)
            .extract()
            .map_err(|e| ConfigError::Setting(Box::new(e)))?;
        let site = settings.site;

        let mut limits = super::serve::ServeLimits::default();
        if let Some(max) = site.max_connections {
            limits.max_connections = max.get();
        }
        if let Some(secs) = site.idle_timeout {
            limits.idle_timeout = std::time::Duration::from_secs(secs.get());
        }
        let env = match site.env {
            Some(Mode::Dev) => Env::DEV,
            Some(Mode::Prod) => Env::PROD,
            None if cfg!(debug_assertions) => Env::DEV,
            None => Env::PROD,
        };
        let data_dir = site.data_dir.unwrap_or_else(|| DEFAULT_DATA_DIR.into());
        Ok(SiteConfig {
            limits,
            addr: site
                .addr
                .unwrap_or_else(|| DEFAULT_SITE_ADDR.parse().expect("a socket address")),
            site_root: site.site_root.unwrap_or_else(|| DEFAULT_SITE_ROOT.into()),
            env,
            reload_port: site.reload_port.map_or(3001, u32::from),
            database_url: site
                .database_url
                .unwrap_or_else(|| default_database_url(&data_dir)),
            data_dir,
            auth: settings.auth,
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

fn default_database_url(data_dir: &std::path::Path) -> String {
    format!("sqlite://{}", data_dir.join("leptos-auth.db").display())
}

#[cfg(test)]
// `Jail`'s closures return figment's error type as it is.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;
    use figment::Jail;

    /// Loads the configuration inside `jail` (its own folder and environment).
    fn load_in(_jail: &mut Jail) -> Result<SiteConfig, String> {
        SiteConfig::load().map_err(|e| e.to_string())
    }

    #[test]
    fn file_settings_apply_and_the_environment_wins() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "Leptos.toml",
                r##"
                [site]
                addr = "127.0.0.1:4000"
                max_connections = 100
                idle_timeout = 30
                [auth]
                session_max_age = 60
                audit_retention = 86400
                theme_brand_color = "#0f766e"
                "##,
            )?;
            let config = load_in(jail).unwrap();
            assert_eq!(config.addr.port(), 4000);
            assert_eq!(config.limits.max_connections, 100);
            assert_eq!(config.limits.idle_timeout.as_secs(), 30);
            assert_eq!(
                config.auth.setting("AUTH_SESSION_MAX_AGE").as_deref(),
                Some("60")
            );
            assert_eq!(
                config.auth.setting("AUTH_AUDIT_RETENTION").as_deref(),
                Some("86400")
            );
            assert_eq!(
                config.auth.setting("AUTH_THEME_BRAND_COLOR").as_deref(),
                Some("#0f766e")
            );

            jail.set_env("LEPTOS_MAX_CONNECTIONS", "50");
            jail.set_env("AUTH_SESSION_MAX_AGE", "120");
            jail.set_env("LEPTOS_ENV", "production");
            jail.set_env("DATABASE_URL", "postgres://db.example/app");
            // Empty is unset: the file's value stays.
            jail.set_env("LEPTOS_IDLE_TIMEOUT", " ");
            let config = load_in(jail).unwrap();
            assert_eq!(config.limits.max_connections, 50);
            assert_eq!(config.limits.idle_timeout.as_secs(), 30);
            assert_eq!(
                config.auth.setting("AUTH_SESSION_MAX_AGE").as_deref(),
                Some("120")
            );
            assert!(config.is_production());
            assert_eq!(config.database_url, "postgres://db.example/app");
            Ok(())
        });
    }

    #[test]
    fn a_bad_value_is_refused_with_its_key_and_where_it_came_from() {
        Jail::expect_with(|jail| {
            jail.create_file("Leptos.toml", "[site]\nmax_connections = 0\n")?;
            let error = load_in(jail).unwrap_err();
            assert!(
                error.contains("max_connections") && error.contains("Leptos.toml"),
                "{error}"
            );

            jail.create_file("Leptos.toml", "[auth]\nno_such_setting = 1\n")?;
            let error = load_in(jail).unwrap_err();
            assert!(
                error.contains("no_such_setting") && error.contains("Leptos.toml"),
                "{error}"
            );

            jail.create_file("Leptos.toml", "")?;
            for (variable, value, key) in [
                ("LEPTOS_MAX_CONNECTIONS", "many", "max_connections"),
                ("LEPTOS_SITE_ADDR", "localhost", "addr"),
                ("LEPTOS_ENV", "staging", "env"),
                ("AUTH_SESSION_MAX_AGE", "a month", "session_max_age"),
            ] {
                jail.set_env(variable, value);
                let error = load_in(jail).unwrap_err();
                assert!(
                    error.contains(key) && error.contains(variable),
                    "{variable}: {error}"
                );
                jail.set_env(variable, "");
            }
            Ok(())
        });
    }

    #[test]
    fn a_configuration_file_named_but_missing_is_an_error() {
        Jail::expect_with(|jail| {
            jail.set_env("LEPTOS_CONFIG", "elsewhere.toml");
            let error = load_in(jail).unwrap_err();
            assert!(error.contains("elsewhere.toml"), "{error}");
            Ok(())
        });
    }
}
