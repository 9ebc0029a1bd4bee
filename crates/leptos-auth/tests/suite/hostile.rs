//! The library tried as an attacker would, through real HTTP: malformed bodies and broken
//! %-escapes on every POST endpoint, and CSRF on every state-changing endpoint.

use std::sync::Arc;

use crate::common::{TestServer, spawn_with};
use leptos_auth::store::{TokenPurpose, VerificationToken};
use leptos_auth::{mail::LogMailer, providers::EmailLink, store::MemoryStore};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// 64 hex digits, different each call.
fn random_token() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!("{:064x}", N.fetch_add(1, Ordering::SeqCst) + 0xfeed)
}

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery staple";

/// Every POST endpoint of the library (with a provider id where the path takes one).
const POST_ENDPOINTS: [&str; 22] = [
    "/api/auth/signin/credentials",
    "/api/auth/signin/email",
    "/api/auth/signin/no-such-provider",
    "/api/auth/callback/credentials",
    "/api/auth/callback/email",
    "/api/auth/callback/no-such-provider",
    "/api/auth/session",
    "/api/auth/sessions/revoke",
    "/api/auth/password/change",
    "/api/auth/password/forgot",
    "/api/auth/password/reset",
    "/api/auth/email/send-verification",
    "/api/auth/email/verify",
    "/api/auth/signout",
    "/api/auth/two-factor/verify",
    "/api/auth/two-factor/setup",
    "/api/auth/two-factor/enable",
    "/api/auth/two-factor/disable",
    "/api/auth/two-factor/backup-codes",
    "/api/auth/reauthenticate",
    "/api/auth/signup",
    "/api/auth/password/remove",
];

/// The library with every provider kind it has endpoints for, mail going to the log.
async fn spawn() -> TestServer {
    spawn_with(Arc::new(MemoryStore::default()), |mut config| {
        config.rate_limits.enabled = false;
        config
            .with_provider(EmailLink::magic_link())
            .with_mailer(LogMailer)
    })
    .await
}

/// Bodies a well-behaved client never sends.
fn malformed_bodies(csrf: &str) -> Vec<(String, &'static str)> {
    let form = "application/x-www-form-urlencoded";
    let json = "application/json";
    vec![
        ("%%%&&&==".into(), form),
        ("csrfToken=%ZZ&email=%".into(), form),
        (
            format!("csrfToken={csrf}&email=%FF%FE%00&password=%C0%AF"),
            form,
        ),
        (
            format!("csrfToken={csrf}&callbackUrl=%0d%0aLocation:%20https://evil.example"),
            form,
        ),
        (format!("csrfToken={csrf}&{}=x", "k".repeat(10_000)), form),
        ("\u{0}\u{1}\u{7f}".into(), "text/plain"),
        ("{not json".into(), json),
        ("[1,2,3]".into(), json),
        (
            r#"{"csrfToken":{"$gt":""},"email":["a"],"password":null}"#.into(),
            json,
        ),
        (
            format!(
                r#"{{"csrfToken":"{csrf}","data":"{}"}}"#,
                "x".repeat(60_000)
            ),
            json,
        ),
        (
            format!(r#"{{"csrfToken":"{csrf}","email":1e999,"callbackUrl":"\u0000"}}"#),
            json,
        ),
        ("".into(), form),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_malformed_body_on_any_post_endpoint_gives_a_server_error() {
    let server = spawn().await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    server.sign_in(EMAIL, PASSWORD).await;
    let csrf = server.csrf_token().await;
    for path in POST_ENDPOINTS {
        for (body, content_type) in malformed_bodies(&csrf) {
            let response = server
                .client
                .post(server.url(path))
                .header("content-type", content_type)
                .body(body.clone())
                .send()
                .await
                .unwrap_or_else(|e| panic!("{path}: connection failed: {e}"));
            let status = response.status();
            assert!(
                !status.is_server_error(),
                "{path} {content_type} {:?}: {status}",
                body.chars().take(60).collect::<String>()
            );
            if let Some(location) = response.headers().get("location") {
                let location = location.to_str().unwrap();
                assert!(location.starts_with(&server.base_url), "{path}: {location}");
            }
        }
    }
    // The server is still there and answers reads.
    assert_eq!(server.get("/api/auth/session").await.status(), 200);
}

/// A signed-in browser whose form lacks the CSRF token (or carries another browser's).
async fn assert_refused_without_csrf(server: &TestServer, path: &str, fields: &[(&str, &str)]) {
    let foreign_token = server.other_browser().csrf_token().await;
    for token in [
        None,
        Some(""),
        Some("0".repeat(64).as_str()),
        Some(foreign_token.as_str()),
    ] {
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        if let Some(token) = token {
            form.push(("csrfToken", token));
        }
        form.push(("json", "true"));
        let response = server.post_form(path, &form).await;
        assert_eq!(response.status(), 403, "{path} with token {token:?}");
        let body: Value = response.json().await.unwrap();
        assert!(
            body["url"].as_str().unwrap().contains("error=MissingCSRF"),
            "{path}: {body}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_state_changing_endpoint_requires_the_csrf_token() {
    let server = spawn().await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    server.sign_in(EMAIL, PASSWORD).await;

    assert_refused_without_csrf(&server, "/api/auth/signout", &[]).await;
    assert_refused_without_csrf(
        &server,
        "/api/auth/session",
        &[("data", r#"{"name":"Eve"}"#)],
    )
    .await;
    assert_refused_without_csrf(
        &server,
        "/api/auth/callback/credentials",
        &[("email", EMAIL), ("password", PASSWORD)],
    )
    .await;
    assert_refused_without_csrf(&server, "/api/auth/signin/credentials", &[]).await;
    assert_refused_without_csrf(&server, "/api/auth/sessions/revoke", &[("others", "true")]).await;
    assert_refused_without_csrf(
        &server,
        "/api/auth/password/change",
        &[
            ("currentPassword", PASSWORD),
            ("newPassword", "a brand new password"),
        ],
    )
    .await;
    assert_refused_without_csrf(&server, "/api/auth/signin/email", &[("email", EMAIL)]).await;
    assert_refused_without_csrf(&server, "/api/auth/password/forgot", &[("email", EMAIL)]).await;
    assert_refused_without_csrf(&server, "/api/auth/email/send-verification", &[]).await;
    // With a real token in the form, so only the missing CSRF token can refuse them.
    for (path, purpose) in [
        ("/api/auth/callback/email", TokenPurpose::SignIn),
        ("/api/auth/password/reset", TokenPurpose::PasswordReset),
        ("/api/auth/email/verify", TokenPurpose::VerifyEmail),
    ] {
        let raw = random_token();
        server
            .auth
            .store()
            .create_verification_token(&VerificationToken {
                token_hash: format!("{:x}", Sha256::digest(raw.as_bytes())),
                identifier: EMAIL.into(),
                purpose,
                expires_at: i64::MAX,
            })
            .await
            .unwrap();
        let fields = [
            ("token", raw.as_str()),
            ("email", EMAIL),
            ("password", "a brand new password"),
        ];
        assert_refused_without_csrf(&server, path, &fields).await;
        // Refused before the token was looked at: it is still there, unused.
        let hash = format!("{:x}", Sha256::digest(raw.as_bytes()));
        let left = server.auth.store().take_verification_token(&hash).await;
        assert!(left.unwrap().is_some(), "{path} used the token");
    }

    // Still signed in, still named Ada, same password: nothing happened.
    assert_eq!(server.session().await["user"]["name"], "Ada");
    let other = server.other_browser();
    let old_password = other.sign_in(EMAIL, PASSWORD).await;
    assert!(crate::common::location(&old_password).ends_with("/dashboard"));
    // JSON bodies are checked the same way.
    let update = server
        .client
        .post(server.url("/api/auth/session"))
        .json(&json!({ "data": { "name": "Eve" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(update.status(), 403);
    assert_eq!(server.session().await["user"]["name"], "Ada");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_spellings_of_session_cookie_chunks_get_no_set_cookie_each() {
    let server = spawn().await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    // A genuine CSRF cookie and token, so the requests get as far as the session cookie.
    let browser = crate::common::client();
    let csrf_response = browser
        .get(server.url("/api/auth/csrf"))
        .send()
        .await
        .unwrap();
    let csrf_cookie = csrf_response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .find(|c| c.starts_with("authjs.csrf-token="))
        .unwrap();
    let body: Value = csrf_response.json().await.unwrap();
    let csrf = body["csrfToken"].as_str().unwrap().to_owned();
    // 199 names a lenient parser reads as chunk indices 0…7: 00, +1, 02, +3, …, 000, +01, …
    let forged: Vec<String> = (0..199)
        .map(|n| {
            let padding = match n % 2 {
                0 => "0".repeat(1 + n / 16),
                _ => format!("+{}", "0".repeat(n / 16)),
            };
            format!("authjs.session-token.{padding}{}=forged", n % 8)
        })
        .collect();
    let cookies = format!("{csrf_cookie}; {}", forged.join("; "));
    for path in ["/api/auth/callback/credentials", "/api/auth/signout"] {
        let response = crate::common::client()
            .post(server.url(path))
            .header("cookie", &cookies)
            .form(&[
                ("csrfToken", csrf.as_str()),
                ("email", EMAIL),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_redirection(),
            "{path}: {}",
            response.status()
        );
        let set_cookies = response.headers().get_all("set-cookie").iter().count();
        assert!(set_cookies <= 4, "{path}: {set_cookies} Set-Cookie headers");
    }
}
