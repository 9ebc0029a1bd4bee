//! How the built-in pages and the mails look and speak (README › Themes, README › Languages):
//! the theme from `AuthConfig::with_theme` and the `AUTH_THEME_*` variables, the language from
//! `Accept-Language`, an app's own table or its own choice — through the real server, mails
//! through a real SMTP server.

use std::sync::Arc;

use crate::common::{TestServer, spawn_with};
use leptos_auth::{
    AuthConfig,
    config::Pages,
    i18n::Text,
    mail::SmtpMailer,
    providers::EmailLink,
    store::MemoryStore,
    theme::{Color, ColorScheme, Theme},
};
use leptos_auth_test_util::maildev::Maildev;
use serde_json::Value;

/// The built-in pages a visitor can open.
const PAGES: [&str; 6] = [
    "/api/auth/signin",
    "/api/auth/signup",
    "/api/auth/signout",
    "/api/auth/error?error=Verification",
    "/api/auth/verify-request",
    "/api/auth/two-factor",
];

async fn page_with(theme: Theme, path: &str) -> String {
    let server = spawn_with(Arc::new(MemoryStore::default()), |config| {
        config.with_pages(Pages::default()).with_theme(theme)
    })
    .await;
    let response = server.get(path).await;
    // The error page answers with its error's status (403 for `Verification`).
    let expected = if path.contains("/error") { 403 } else { 200 };
    assert_eq!(response.status(), expected, "{path}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn by_default_the_pages_follow_the_systems_colour_scheme() {
    for path in PAGES {
        let html = page_with(Theme::default(), path).await;
        assert!(
            html.contains("@media (prefers-color-scheme:dark)"),
            "{path}: {html}"
        );
        assert!(html.contains("--brand:#4f46e5"), "{path}");
        assert!(!html.contains("<img"), "no logo unless configured: {path}");
    }
}

#[tokio::test]
async fn brand_colour_logo_and_button_text_reach_every_page() {
    let theme = Theme {
        color_scheme: ColorScheme::Dark,
        brand_color: Color::parse("#0F766E"),
        logo: Some("https://cdn.example.com/logo.svg?a=1&b=2".into()),
        button_text: Color::parse("#fafafa"),
    };
    for path in PAGES {
        let html = page_with(theme.clone(), path).await;
        assert!(html.contains("--brand:#0f766e"), "{path}");
        assert!(html.contains("--brand-fg:#fafafa"), "{path}");
        assert!(html.contains("color-scheme:dark"), "{path}");
        assert!(
            !html.contains("prefers-color-scheme"),
            "forced dark: {path}"
        );
        assert!(
            html.contains(r#"<img src="https://cdn.example.com/logo.svg?a=1&amp;b=2" alt="""#),
            "{path}: {html}"
        );
    }
    let light = Theme {
        color_scheme: ColorScheme::Light,
        ..Theme::default()
    };
    let html = page_with(light, "/api/auth/signin").await;
    assert!(html.contains("color-scheme:light") && !html.contains("color-scheme:dark"));
}

#[test]
fn the_theme_variables_are_read_and_bad_values_are_named() {
    let config = |vars: &[(&str, &str)]| {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let mut config = AuthConfig::new(vec!["a library test secret of 32+ bytes".into()]);
        config
            .apply_settings(&|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
            .map(|()| config)
    };
    let themed = config(&[
        ("AUTH_THEME_COLOR_SCHEME", "Dark"),
        ("AUTH_THEME_BRAND_COLOR", "#123abc"),
        ("AUTH_THEME_BUTTON_TEXT", "#fff"),
        ("AUTH_THEME_LOGO", "/logo.svg"),
    ])
    .unwrap();
    assert_eq!(themed.theme.color_scheme, ColorScheme::Dark);
    assert_eq!(themed.theme.brand_color, Color::parse("#123abc"));
    assert_eq!(themed.theme.button_text, Color::parse("#fff"));
    assert_eq!(themed.theme.logo.as_deref(), Some("/logo.svg"));
    for (name, value) in [
        ("AUTH_THEME_COLOR_SCHEME", "purple"),
        ("AUTH_THEME_BRAND_COLOR", "red;}body{display:none"),
        ("AUTH_THEME_BUTTON_TEXT", "white"),
        ("AUTH_THEME_LOGO", "javascript:alert(1)"),
    ] {
        let error = config(&[(name, value)]).unwrap_err().to_string();
        assert!(error.contains(name), "{error}");
    }
}

async fn site(configure: impl FnOnce(AuthConfig) -> AuthConfig) -> TestServer {
    spawn_with(Arc::new(MemoryStore::default()), |mut config| {
        config.rate_limits.enabled = false;
        configure(config.with_pages(Pages::default()))
    })
    .await
}

/// A page as a browser that prefers `languages` asks for it.
async fn page_in(server: &TestServer, languages: &str, path: &str) -> String {
    let response = server
        .client
        .get(server.url(path))
        .header("accept", "text/html")
        .header("accept-language", languages)
        .send()
        .await
        .unwrap();
    assert!(
        !response.status().is_server_error(),
        "{path}: {}",
        response.status()
    );
    response.text().await.unwrap()
}

#[tokio::test]
async fn the_pages_speak_the_language_the_browser_prefers() {
    let server = site(|c| c).await;
    for (languages, lang, sign_in, create_account) in [
        (
            "de-DE,de;q=0.9,en;q=0.5",
            "de",
            "<h1>Anmelden</h1>",
            "Konto erstellen",
        ),
        (
            "fr-CH, fr;q=0.9",
            "fr",
            "<h1>Se connecter</h1>",
            "Créer un compte",
        ),
        (
            "ja, es;q=0.8",
            "en",
            "<h1>Sign in</h1>",
            "Create an account",
        ),
        ("", "en", "<h1>Sign in</h1>", "Create an account"),
    ] {
        let html = page_in(&server, languages, "/api/auth/signin").await;
        assert!(
            html.contains(&format!(r#"<html lang="{lang}">"#)),
            "{languages}: {html}"
        );
        assert!(html.contains(sign_in), "{languages}: {html}");
        let html = page_in(&server, languages, "/api/auth/signup").await;
        assert!(html.contains(create_account), "{languages}: {html}");
    }
    // Every built-in page has its German words (no English heading left).
    for (path, heading) in [
        ("/api/auth/signout", "<h1>Abmelden</h1>"),
        (
            "/api/auth/verify-request",
            "<h1>Prüfen Sie Ihre E-Mails</h1>",
        ),
        ("/api/auth/two-factor", "Zwei-Faktor"),
    ] {
        let html = page_in(&server, "de", path).await;
        assert!(html.contains(heading), "{path}: {html}");
    }
}

#[tokio::test]
async fn error_codes_stay_english_while_their_messages_are_translated() {
    let server = site(|c| c).await;
    let html = page_in(&server, "fr", "/api/auth/error?error=Verification").await;
    assert!(html.contains(r#"data-error="Verification""#), "{html}");
    assert!(html.contains("Ce lien n&#39;est plus valide"), "{html}");
    let html = page_in(&server, "de", "/api/auth/signup?error=WeakPassword").await;
    assert!(html.contains(r#"data-error="WeakPassword""#), "{html}");
    assert!(!html.contains("The password must be"), "{html}");
    // JSON keeps its code, and the message is in the request's language.
    let csrf = server.csrf_token().await;
    let response = server
        .client
        .post(server.url("/api/auth/signup"))
        .header("accept-language", "de")
        .form(&[
            ("csrfToken", csrf.as_str()),
            ("email", "x"),
            ("password", "long enough"),
            ("json", "true"),
        ])
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "InvalidEmail");
    assert_ne!(
        body["message"],
        leptos_auth::AuthError::InvalidEmail.user_message(),
        "{body}"
    );
}

#[tokio::test]
async fn an_app_adds_a_language_and_may_choose_it_itself() {
    let spanish = |text: Text| match text {
        Text::SignIn => Some("Iniciar sesión"),
        _ => None,
    };
    let server = site(|c| c.with_language("es", spanish)).await;
    let html = page_in(&server, "es-MX,es;q=0.9", "/api/auth/signin").await;
    assert!(
        html.contains(r#"<html lang="es">"#) && html.contains("<h1>Iniciar sesión</h1>"),
        "{html}"
    );
    // What the table leaves out is English.
    assert!(html.contains(">Email</label>"), "{html}");

    // The app's own choice (here a cookie) wins over the browser's.
    let server = site(|c| {
        c.with_language_chooser(|headers| {
            let cookies = headers.get("cookie")?.to_str().ok()?;
            cookies
                .split("; ")
                .find_map(|c| c.strip_prefix("lang="))
                .map(str::to_owned)
        })
    })
    .await;
    let response = server
        .client
        .get(server.url("/api/auth/signin"))
        .header("accept-language", "de")
        .header("cookie", "lang=fr")
        .send()
        .await
        .unwrap();
    let html = response.text().await.unwrap();
    assert!(html.contains("<h1>Se connecter</h1>"), "{html}");
    // A choice the app has no table for falls back to the browser's.
    let html = page_in(&server, "de", "/api/auth/signin").await;
    assert!(html.contains("<h1>Anmelden</h1>"), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mails_go_out_in_the_language_of_the_request_that_sent_them() {
    let maildev = Maildev::start().await;
    let mailer = SmtpMailer::new(&maildev.server_url(), "auth@example.com").unwrap();
    let server = site(|c| {
        c.with_provider(EmailLink::magic_link())
            .with_mailer(mailer)
            .with_theme(Theme {
                brand_color: Color::parse("#0f766e"),
                ..Theme::default()
            })
    })
    .await;
    for (languages, email, subject, button) in [
        (
            "de",
            "de@example.com",
            "Bei 127.0.0.1 anmelden",
            ">Anmelden</a>",
        ),
        ("fr-FR", "fr@example.com", "127.0.0.1", ">Se connecter</a>"),
        (
            "en",
            "en@example.com",
            "Sign in to 127.0.0.1",
            ">Sign in</a>",
        ),
    ] {
        let csrf = server.csrf_token().await;
        let response = server
            .client
            .post(server.url("/api/auth/signin/email"))
            .header("accept-language", languages)
            .form(&[("csrfToken", csrf.as_str()), ("email", email)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 302);
        let mail = maildev.wait_for_mail(email, 1).await;
        assert!(
            mail["subject"].as_str().unwrap().contains(subject),
            "{mail}"
        );
        let html = mail["html"].as_str().unwrap();
        assert!(
            html.contains(&format!(r#"<html lang="{}">"#, &languages[..2])),
            "{html}"
        );
        assert!(html.contains(button), "{html}");
        assert!(
            html.contains("background:#0f766e"),
            "the theme's button: {html}"
        );
    }
}
