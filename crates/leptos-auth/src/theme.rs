//! The look of the built-in pages and of the mails (the `theme` of Auth.js, README › Themes):
//! a colour scheme, a brand colour, a logo and the colour of button text. Colours and the
//! logo end up inside CSS and HTML attributes, so only shapes that cannot break out of them
//! are accepted.

use std::{fmt, str::FromStr};

use crate::{error::AuthConfigError, html::escape};

/// Light, dark, or whatever the visitor's system prefers (`prefers-color-scheme`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ColorScheme {
    /// Follows the system's setting.
    #[default]
    Auto,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl FromStr for ColorScheme {
    type Err = AuthConfigError;

    fn from_str(value: &str) -> Result<Self, AuthConfigError> {
        match value.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(ColorScheme::Auto),
            "light" => Ok(ColorScheme::Light),
            "dark" => Ok(ColorScheme::Dark),
            _ => Err(AuthConfigError::Invalid {
                name: "AUTH_THEME_COLOR_SCHEME",
                value: value.to_owned(),
                expected: "auto, light or dark",
            }),
        }
    }
}

/// A CSS colour written `#rgb` or `#rrggbb`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Color(String);

impl Color {
    /// Parses `#rgb` or `#rrggbb`; `None` for anything else (names and functions are not
    /// taken: the value is written into style sheets and mail markup as is).
    pub fn parse(value: &str) -> Option<Color> {
        let value = value.trim();
        let hex = value.strip_prefix('#')?;
        let valid = matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit());
        valid.then(|| Color(value.to_ascii_lowercase()))
    }
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How the built-in pages and the mails look.
///
/// ```
/// use leptos_auth::{AuthConfig, theme::{Color, ColorScheme, Theme}};
///
/// let config = AuthConfig::new(vec!["a secret of at least thirty-two bytes".into()]).with_theme(Theme {
///     color_scheme: ColorScheme::Auto,
///     brand_color: Color::parse("#0f766e"),
///     logo: Some("https://app.example.com/logo.svg".into()),
///     button_text: Color::parse("#ffffff"),
/// });
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Theme {
    /// `AUTH_THEME_COLOR_SCHEME`: `auto` (default), `light` or `dark`. Mails are always light
    /// (mail clients choose for themselves).
    pub color_scheme: ColorScheme,
    /// `AUTH_THEME_BRAND_COLOR`: buttons and links.
    pub brand_color: Option<Color>,
    /// `AUTH_THEME_LOGO`: an `https://`/`http://` URL or a path from the site root, shown
    /// above the pages' cards and at the top of mails (mails need an absolute URL).
    pub logo: Option<String>,
    /// `AUTH_THEME_BUTTON_TEXT`: the colour of button text.
    pub button_text: Option<Color>,
}

/// The pages' colours in light and in dark.
const LIGHT: &str = "--bg:#f6f7fb;--fg:#1c2033;--muted:#5d647a;--card:#fff;--border:#c9cfdd;--brand:#4f46e5;--brand-fg:#fff;--error-bg:#fef3f2;--error-fg:#b42318;color-scheme:light";
const DARK: &str = "--bg:#0f1117;--fg:#e6e8f0;--muted:#a3a9bc;--card:#181b24;--border:#3a4154;--brand:#a5a1ff;--brand-fg:#0f1117;--error-bg:#3a1d1b;--error-fg:#ffb4ab;color-scheme:dark";

impl Theme {
    /// Whether `logo` is a URL the pages may show: http(s) or a path from the site root.
    pub(crate) fn logo_is_valid(logo: &str) -> bool {
        let lower = logo.to_ascii_lowercase();
        (lower.starts_with("https://") || lower.starts_with("http://") || logo.starts_with('/'))
            && !logo.starts_with("//")
            && !logo.chars().any(|c| c.is_whitespace() || c.is_control())
    }

    /// The `:root` rules of the pages' style sheet: the scheme's colours, the brand's on top.
    pub(crate) fn css_variables(&self) -> String {
        let brand = self
            .brand_color
            .as_ref()
            .map(|c| format!(";--brand:{c}"))
            .unwrap_or_default();
        let button = self
            .button_text
            .as_ref()
            .map(|c| format!(";--brand-fg:{c}"))
            .unwrap_or_default();
        let root = |colors: &str| format!(":root{{{colors}{brand}{button}}}");
        match self.color_scheme {
            ColorScheme::Light => root(LIGHT),
            ColorScheme::Dark => root(DARK),
            ColorScheme::Auto => format!(
                "{}@media (prefers-color-scheme:dark){{{}}}",
                root(LIGHT),
                root(DARK)
            ),
        }
    }

    /// The logo as an `<img>` (empty without one); `base` makes a path absolute for mails.
    pub(crate) fn logo_html(&self, base: Option<&str>, style: &str) -> String {
        let Some(logo) = self.logo.as_deref() else {
            return String::new();
        };
        let src = match base {
            Some(base) if logo.starts_with('/') => format!("{}{logo}", base.trim_end_matches('/')),
            _ => logo.to_owned(),
        };
        format!(r#"<img src="{}" alt="" style="{style}">"#, escape(&src))
    }

    /// The mails' button colours: the brand's, else the default indigo on white.
    pub(crate) fn mail_button_colors(&self) -> (String, String) {
        (
            self.brand_color
                .as_ref()
                .map_or("#4f46e5".to_owned(), Color::to_string),
            self.button_text
                .as_ref()
                .map_or("#ffffff".to_owned(), Color::to_string),
        )
    }

    /// Reads the `AUTH_THEME_*` variables that are set.
    pub(crate) fn apply_settings(
        &mut self,
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(), AuthConfigError> {
        if let Some(value) = var("AUTH_THEME_COLOR_SCHEME") {
            self.color_scheme = value.parse()?;
        }
        let color = |name: &'static str| match var(name) {
            None => Ok(None),
            Some(value) => Color::parse(&value)
                .map(Some)
                .ok_or(AuthConfigError::Invalid {
                    name,
                    value,
                    expected: "a colour written #rgb or #rrggbb",
                }),
        };
        if let Some(brand) = color("AUTH_THEME_BRAND_COLOR")? {
            self.brand_color = Some(brand);
        }
        if let Some(text) = color("AUTH_THEME_BUTTON_TEXT")? {
            self.button_text = Some(text);
        }
        if let Some(logo) = var("AUTH_THEME_LOGO") {
            if !Theme::logo_is_valid(&logo) {
                return Err(AuthConfigError::Invalid {
                    name: "AUTH_THEME_LOGO",
                    value: logo,
                    expected: "an http(s) URL or a path starting with /",
                });
            }
            self.logo = Some(logo);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hex_colours_are_taken() {
        assert_eq!(Color::parse("#0F766E").unwrap().to_string(), "#0f766e");
        assert!(Color::parse("#abc").is_some());
        for bad in ["red", "#abcd", "#12345g", "#fff;}body{x:y", "", "#"] {
            assert!(Color::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn logos_must_be_web_urls_or_site_paths() {
        for good in [
            "https://cdn.example.com/l.svg",
            "/logo.png",
            "http://x.test/a",
        ] {
            assert!(Theme::logo_is_valid(good), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "data:image/svg+xml,x",
            "//evil.test/x",
            "/a b",
        ] {
            assert!(!Theme::logo_is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn auto_follows_the_system_and_the_brand_applies_in_both_schemes() {
        let theme = Theme {
            brand_color: Color::parse("#0f766e"),
            ..Theme::default()
        };
        let css = theme.css_variables();
        assert!(css.contains("@media (prefers-color-scheme:dark)"), "{css}");
        assert_eq!(css.matches("--brand:#0f766e").count(), 2, "{css}");
        let dark = Theme {
            color_scheme: ColorScheme::Dark,
            ..Theme::default()
        };
        assert!(!dark.css_variables().contains("@media"));
        assert!(dark.css_variables().contains("color-scheme:dark"));
    }
}
