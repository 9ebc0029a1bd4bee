//! Two-factor sign-in through the real server (docs/architecture.md › Two-factor): codes are
//! computed here from the secret the setup answer shows, as an authenticator app would.
//! The flows run on SQLite, on PostgreSQL (when `TEST_DATABASE_URL` is set) and in memory.

use std::{sync::Arc, time::Duration};

use crate::common::{TestServer, client, set_cookies, spawn_with};
use leptos_auth::{
    mail::LogMailer,
    providers::EmailLink,
    store::{MemoryStore, PostgresStore, SqliteStore, Store, TokenPurpose, VerificationToken},
};
use leptos_auth_test_util::{postgres, temp_dir};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Secret, Totp};

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery";

/// The stores the flows must behave the same on.
async fn stores() -> Vec<(&'static str, Arc<dyn Store>)> {
    let dir = temp_dir("two-factor");
    let sqlite = SqliteStore::connect(&format!("sqlite://{}/auth.db", dir.display()))
        .await
        .unwrap();
    let mut stores: Vec<(&'static str, Arc<dyn Store>)> = vec![
        ("memory", Arc::new(MemoryStore::default())),
        ("sqlite", Arc::new(sqlite)),
    ];
    if let Some(admin) = postgres::admin_url() {
        let url = postgres::fresh_database(&admin, "two_factor").await;
        stores.push((
            "postgres",
            Arc::new(PostgresStore::connect(&url).await.unwrap()),
        ));
    }
    stores
}

async fn site_on(store: Arc<dyn Store>) -> TestServer {
    spawn_with(store, |mut config| {
        config.rate_limits.enabled = false;
        config
    })
    .await
}

async fn site() -> TestServer {
    site_on(Arc::new(MemoryStore::default())).await
}

/// An authenticator app holding the secret of a setup.
struct App(Totp);

impl App {
    fn from_setup(setup: &Value) -> App {
        let secret = Secret::try_from_base32(setup["secret"].as_str().unwrap()).unwrap();
        let totp = totp_rs::Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(6)
            .with_step_duration(30)
            .with_secret(secret)
            .build()
            .unwrap();
        App(totp)
    }

    /// The code `steps` time steps from now (negative: the past).
    fn code(&self, steps: i64) -> String {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        self.0.generate((now + steps * 30) as u64).to_string()
    }
}

/// A JSON POST with the browser's CSRF token.
async fn post(browser: &TestServer, path: &str, mut body: Value) -> (StatusCode, Value) {
    body["csrfToken"] = browser.csrf_token().await.into();
    let response = browser
        .client
        .post(browser.url(path))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Sets up and turns on two-factor sign-in for the signed-in browser, confirming with the
/// code `steps` from now: the app and the backup codes.
async fn turn_on(browser: &TestServer, steps: i64) -> (App, Vec<String>) {
    let (status, setup) = post(browser, "/api/auth/two-factor/setup", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{setup}");
    assert!(
        setup["uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/")
    );
    assert!(setup["qrSvg"].as_str().unwrap().starts_with("<svg"));
    let app = App::from_setup(&setup);
    let (status, enabled) = post(
        browser,
        "/api/auth/two-factor/enable",
        json!({ "code": app.code(steps) }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{enabled}");
    let codes: Vec<String> = enabled["backupCodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    (app, codes)
}

/// A user with two-factor on (confirmed with the code of `steps`), signed out.
async fn user_with_two_factor(server: &TestServer, steps: i64) -> (App, Vec<String>) {
    server.register(EMAIL, "Ada", PASSWORD).await;
    let setup_browser = server.other_browser();
    assert_eq!(
        setup_browser.sign_in(EMAIL, PASSWORD).await.status(),
        StatusCode::FOUND
    );
    turn_on(&setup_browser, steps).await
}

/// The second factor of the browser's pending sign-in, in JSON mode.
async fn verify(browser: &TestServer, code: &str, trust: bool) -> (StatusCode, Value) {
    post(
        browser,
        "/api/auth/two-factor/verify",
        json!({ "code": code, "trustDevice": if trust { "true" } else { "false" }, "json": "true" }),
    )
    .await
}

async fn audit_events(server: &TestServer) -> Vec<String> {
    let store = server.auth.store();
    let user = store.user_by_email(EMAIL).await.unwrap().unwrap();
    store
        .audit_events(Some(&user.id), 200)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect()
}

fn signed_in(session: &Value) -> bool {
    session["user"]["email"] == EMAIL
}

#[tokio::test]
async fn after_the_password_the_session_waits_for_the_code_on_every_store() {
    for (name, store) in stores().await {
        let server = site_on(store).await;
        // Confirmed with the previous step's code: one step of drift back is accepted.
        let (app, _) = user_with_two_factor(&server, -1).await;

        // A form sign-in lands on the two-factor page, not signed in.
        let browser = server.other_browser();
        let response = browser.sign_in(EMAIL, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::FOUND, "{name}");
        assert!(
            crate::common::location(&response).ends_with("/api/auth/two-factor"),
            "{name}"
        );
        assert!(
            !set_cookies(&response)
                .iter()
                .any(|c| c.starts_with("authjs.session-token=")),
            "{name}: no session before the second factor"
        );
        assert!(!signed_in(&browser.session().await), "{name}");
        let page = browser.get("/api/auth/two-factor").await;
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert!(
            html.contains(r#"name="code""#) && html.contains("trustDevice"),
            "{name}"
        );
        // The pending state is no session for the app either.
        assert_eq!(
            browser.get("/whoami").await.status(),
            StatusCode::UNAUTHORIZED,
            "{name}"
        );

        // A wrong code, then the right one (now: later than the confirming step).
        let (status, body) = verify(&browser, "000000", false).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{name}: {body}");
        assert_eq!(body["error"], "InvalidTwoFactorCode", "{name}");
        let (status, body) = verify(&browser, &app.code(0), false).await;
        assert_eq!(status, StatusCode::OK, "{name}: {body}");
        assert!(
            body["url"].as_str().unwrap().ends_with("/dashboard"),
            "{name}"
        );
        assert!(signed_in(&browser.session().await), "{name}");

        // JSON mode (signIn with redirect: false): a 401 with the code and the page.
        let other = server.other_browser();
        let response = other.sign_in_json(EMAIL, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{name}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "TwoFactorRequired", "{name}");
        assert!(
            body["url"]
                .as_str()
                .unwrap()
                .ends_with("/api/auth/two-factor")
        );
        // The same code again (a replay within its window) is refused; the next step's
        // code (clock drift forward) is accepted; two steps ahead is not.
        let (status, _) = verify(&other, &app.code(0), false).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{name}: replayed code");
        let (status, body) = verify(&other, &app.code(2), false).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{name}: {body}");
        let (status, body) = verify(&other, &app.code(1), false).await;
        assert_eq!(status, StatusCode::OK, "{name}: {body}");
        assert!(signed_in(&other.session().await), "{name}");

        let events = audit_events(&server).await;
        for event in [
            "two_factor_enabled",
            "two_factor_failed",
            "two_factor_succeeded",
        ] {
            assert!(events.contains(&event.to_owned()), "{name}: {events:?}");
        }
    }
}

#[tokio::test]
async fn a_backup_code_works_once() {
    let server = site().await;
    let (_, codes) = user_with_two_factor(&server, 0).await;
    let browser = server.other_browser();
    browser.sign_in(EMAIL, PASSWORD).await;
    // Typed in capitals and without the dash, as people do.
    let typed = codes[3].replace('-', "").to_uppercase();
    let (status, body) = verify(&browser, &typed, false).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(signed_in(&browser.session().await));

    let again = server.other_browser();
    again.sign_in(EMAIL, PASSWORD).await;
    let (status, body) = verify(&again, &codes[3], false).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let (status, _) = verify(&again, &codes[4], false).await;
    assert_eq!(status, StatusCode::OK);
    let status = again.get("/api/auth/two-factor/status").await;
    let status: Value = status.json().await.unwrap();
    assert_eq!(status["enabled"], true);
    assert_eq!(status["backupCodesLeft"], 8);
    assert!(
        audit_events(&server)
            .await
            .contains(&"backup_code_used".to_owned())
    );
}

#[tokio::test]
async fn the_pending_state_works_in_its_own_browser_only_five_times_and_once() {
    let server = site().await;
    let (app, _) = user_with_two_factor(&server, -1).await;

    // Copied into another browser (its own CSRF cookie): refused.
    let victim = server.other_browser();
    let response = victim.sign_in(EMAIL, PASSWORD).await;
    let pending = set_cookies(&response)
        .into_iter()
        .find(|c| c.starts_with("authjs.two-factor="))
        .expect("the pending cookie");
    let pending = pending.split(';').next().unwrap().to_owned();
    let (thief, thief_csrf_cookie, thief_token) = bare_browser(&victim).await;
    let stolen = thief
        .post(victim.url("/api/auth/two-factor/verify"))
        .header("cookie", format!("{pending}; {thief_csrf_cookie}"))
        .json(&json!({
            "csrfToken": thief_token,
            "code": app.code(0),
            "json": "true",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(stolen.status(), StatusCode::UNAUTHORIZED);
    let body: Value = stolen.json().await.unwrap();
    assert_eq!(body["error"], "TwoFactorExpired");

    // Five attempts, then the right code no longer helps.
    for _ in 0..5 {
        let (status, body) = verify(&victim, "123456", false).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"], "InvalidTwoFactorCode");
    }
    let (status, body) = verify(&victim, &app.code(0), false).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "TwoFactorExpired");

    // A completed one cannot be completed again (a copy of the cookie kept before success).
    let browser = server.other_browser();
    browser.sign_in(EMAIL, PASSWORD).await;
    let copy = browser.with_copied_cookies();
    let (status, _) = verify(&browser, &app.code(0), false).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = verify(&copy, &app.code(1), false).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"], "TwoFactorExpired");
}

#[tokio::test]
async fn the_pending_state_expires() {
    let server = spawn_with(Arc::new(MemoryStore::default()), |mut config| {
        config.rate_limits.enabled = false;
        config.session.two_factor_timeout = Duration::from_secs(1);
        config
    })
    .await;
    let (app, _) = user_with_two_factor(&server, -1).await;
    let browser = server.other_browser();
    browser.sign_in(EMAIL, PASSWORD).await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let (status, body) = verify(&browser, &app.code(0), false).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "TwoFactorExpired");
    let page = browser
        .get("/api/auth/two-factor")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("sign in again"), "{page}");
}

#[tokio::test]
async fn ten_second_factor_failures_lock_the_account() {
    let server = site().await;
    let (app, _) = user_with_two_factor(&server, -1).await;
    let browser = server.other_browser();
    let mut last = (StatusCode::OK, Value::Null);
    for attempt in 0..10 {
        if attempt % 5 == 0 {
            browser.sign_in(EMAIL, PASSWORD).await;
        }
        last = verify(&browser, "654321", false).await;
    }
    assert_eq!(last.0, StatusCode::TOO_MANY_REQUESTS, "{}", last.1);
    assert_eq!(last.1["error"], "AccountLocked");
    // Locked for the password as well, and the right code does not open it either.
    let response = browser.sign_in_json(EMAIL, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(audit_events(&server).await.contains(&"lockout".to_owned()));
    let _ = app;
}

#[tokio::test]
async fn a_trusted_device_skips_the_code_until_the_password_changes() {
    let server = site().await;
    let (app, _) = user_with_two_factor(&server, -1).await;
    let browser = server.other_browser();
    browser.sign_in(EMAIL, PASSWORD).await;
    let (status, _) = verify(&browser, &app.code(0), true).await;
    assert_eq!(status, StatusCode::OK);
    sign_out(&browser).await;

    let response = browser.sign_in_json(EMAIL, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK, "trusted: no code asked");
    assert!(signed_in(&browser.session().await));

    // A forged or altered trust cookie, or one of another user, is no trust.
    let trust = browser.cookie("authjs.trusted-device").unwrap();
    for forged in [
        format!("{trust}x"),
        trust.replacen('e', "f", 1),
        "eyJ1c2VyIjoieCJ9.00".to_owned(),
    ] {
        let (stranger, csrf_cookie, token) = bare_browser(&server).await;
        let response = stranger
            .post(server.url("/api/auth/callback/credentials"))
            .header(
                "cookie",
                format!("{csrf_cookie}; authjs.trusted-device={forged}"),
            )
            .header("x-auth-return-redirect", "1")
            .form(&[
                ("csrfToken", token.as_str()),
                ("email", EMAIL),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{forged}");
    }
    // Another user's trusted device is not trusted for Ada.
    server.register("bob@example.com", "Bob", PASSWORD).await;
    let bob = server.other_browser();
    bob.sign_in("bob@example.com", PASSWORD).await;
    let (bob_app, _) = turn_on(&bob, -1).await;
    sign_out(&bob).await;
    bob.sign_in("bob@example.com", PASSWORD).await;
    assert_eq!(verify(&bob, &bob_app.code(0), true).await.0, StatusCode::OK);
    sign_out(&bob).await;
    let response = bob.sign_in_json(EMAIL, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    // The password changes: the trusted device asks again.
    let (status, body) = post(
        &browser,
        "/api/auth/password/change",
        json!({ "currentPassword": PASSWORD, "newPassword": "another long password" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    sign_out(&browser).await;
    let response = browser.sign_in_json(EMAIL, "another long password").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "TwoFactorRequired");
}

#[tokio::test]
async fn sensitive_actions_need_a_fresh_session_and_re_authentication_makes_it_fresh() {
    let server = spawn_with(Arc::new(MemoryStore::default()), |mut config| {
        config.rate_limits.enabled = false;
        config.session.fresh_age = Duration::from_secs(1);
        config
    })
    .await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    let browser = server.other_browser();
    browser.sign_in(EMAIL, PASSWORD).await;
    let (app, codes) = turn_on(&browser, -1).await;
    tokio::time::sleep(Duration::from_millis(2100)).await;

    let stale: [(&str, Value); 5] = [
        (
            "/api/auth/password/change",
            json!({ "currentPassword": PASSWORD, "newPassword": "another long password" }),
        ),
        ("/api/auth/two-factor/disable", json!({ "code": codes[0] })),
        ("/api/auth/two-factor/backup-codes", json!({})),
        ("/api/auth/two-factor/setup", json!({})),
        ("/api/auth/sessions/revoke", json!({ "others": true })),
    ];
    for (path, body) in &stale {
        let (status, answer) = post(&browser, path, body.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {answer}");
        assert_eq!(answer["error"], "SessionNotFresh", "{path}");
    }
    // The session itself is still there.
    assert!(signed_in(&browser.session().await));

    // Re-authenticating: a wrong password is refused, the right one makes it fresh.
    let (status, body) = post(
        &browser,
        "/api/auth/reauthenticate",
        json!({ "password": "wrong password" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"], "WrongPassword");
    let (status, body) = post(
        &browser,
        "/api/auth/reauthenticate",
        json!({ "password": PASSWORD }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = post(&browser, "/api/auth/two-factor/backup-codes", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let new_codes = body["backupCodes"].as_array().unwrap().clone();
    assert_eq!(new_codes.len(), 10);

    // Stale again; a code re-authenticates too; the regenerated codes replaced the old.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let (status, body) = post(
        &browser,
        "/api/auth/reauthenticate",
        json!({ "code": app.code(0) }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = post(
        &browser,
        "/api/auth/two-factor/disable",
        json!({ "code": codes[0] }),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "old backup code: {body}");
    let (status, body) = post(
        &browser,
        "/api/auth/two-factor/disable",
        json!({ "code": new_codes[0] }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Off: the password alone signs in.
    let other = server.other_browser();
    assert_eq!(
        other.sign_in_json(EMAIL, PASSWORD).await.status(),
        StatusCode::OK
    );
    let events = audit_events(&server).await;
    for event in [
        "reauthenticated",
        "backup_codes_regenerated",
        "two_factor_disabled",
    ] {
        assert!(events.contains(&event.to_owned()), "{events:?}");
    }
}

#[tokio::test]
async fn without_javascript_the_forms_post_and_come_back() {
    let server = site().await;
    let (app, _) = user_with_two_factor(&server, -1).await;
    let browser = server.other_browser();
    browser.sign_in(EMAIL, PASSWORD).await;
    let csrf = browser.csrf_token().await;
    let wrong = browser
        .post_form(
            "/api/auth/two-factor/verify",
            &[("csrfToken", &csrf), ("code", "111111")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::FOUND);
    assert!(
        crate::common::location(&wrong)
            .ends_with("/api/auth/two-factor?error=InvalidTwoFactorCode")
    );
    let page = browser
        .get("/api/auth/two-factor?error=InvalidTwoFactorCode")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("The code is not correct."));
    let right = browser
        .post_form(
            "/api/auth/two-factor/verify",
            &[
                ("csrfToken", &csrf),
                ("code", &app.code(0)),
                ("trustDevice", "on"),
            ],
        )
        .await;
    assert_eq!(right.status(), StatusCode::FOUND);
    assert!(crate::common::location(&right).ends_with("/dashboard"));
    assert!(
        set_cookies(&right)
            .iter()
            .any(|c| c.starts_with("authjs.trusted-device="))
    );
    assert!(signed_in(&browser.session().await));

    // New backup codes from a settings form: a page that shows them once.
    let csrf = browser.csrf_token().await;
    let page = browser
        .post_form(
            "/api/auth/two-factor/backup-codes",
            &[("csrfToken", &csrf), ("callbackUrl", "/settings")],
        )
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"data-testid="backup-codes""#) && html.contains("backup-codes.txt"));
}

#[tokio::test]
async fn bad_input_is_a_clear_4xx() {
    let server = site().await;
    let stranger = server.other_browser();
    // Nothing pending, no session.
    let (status, body) = verify(&stranger, "123456", false).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    for path in [
        "/api/auth/two-factor/setup",
        "/api/auth/two-factor/enable",
        "/api/auth/two-factor/disable",
        "/api/auth/two-factor/backup-codes",
        "/api/auth/reauthenticate",
    ] {
        let (status, body) = post(&stranger, path, json!({ "code": "123456" })).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}: {body}");
        // And without a CSRF token.
        let response = stranger
            .client
            .post(stranger.url(path))
            .json(&json!({ "code": "123456" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(
        stranger.get("/api/auth/two-factor/status").await.status(),
        StatusCode::UNAUTHORIZED
    );

    server.register(EMAIL, "Ada", PASSWORD).await;
    let ada = server.other_browser();
    ada.sign_in(EMAIL, PASSWORD).await;
    let (status, body) = post(
        &ada,
        "/api/auth/two-factor/enable",
        json!({ "code": "123456" }),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"], "TwoFactorNotSetUp");
    let (status, body) = post(&ada, "/api/auth/reauthenticate", json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (app, _) = turn_on(&ada, -1).await;
    let (status, body) = post(&ada, "/api/auth/two-factor/setup", json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    // A forged pending cookie and odd codes: 401, never 5xx.
    let browser = server.other_browser();
    browser.sign_in(EMAIL, PASSWORD).await;
    for code in [
        "",
        "12345",
        "1234567",
        "abc",
        &"9".repeat(100_000),
        "\u{0}\u{202e}",
    ] {
        let (status, _) = verify(&browser, code, false).await;
        assert!(
            status.is_client_error(),
            "{status} for a code of {} chars",
            code.len()
        );
    }
    let (forger, csrf_cookie, token) = bare_browser(&server).await;
    for pending in ["x", "a.b", "0123.v2.garbage", &"y".repeat(5000)] {
        let response = forger
            .post(server.url("/api/auth/two-factor/verify"))
            .header(
                "cookie",
                format!("{csrf_cookie}; authjs.two-factor={pending}"),
            )
            .json(&json!({ "csrfToken": token, "code": app.code(0) }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{pending}");
    }
}

/// Signs in with a magic link for `EMAIL` (a token put in the store as if mailed).
async fn sign_in_with_link(
    server: &TestServer,
    browser: &TestServer,
    raw: &str,
) -> reqwest::Response {
    server
        .auth
        .store()
        .create_verification_token(&VerificationToken {
            token_hash: format!("{:x}", Sha256::digest(raw.as_bytes())),
            identifier: EMAIL.into(),
            purpose: TokenPurpose::SignIn,
            expires_at: i64::MAX / 2,
        })
        .await
        .unwrap();
    let csrf = browser.csrf_token().await;
    browser
        .post_form(
            "/api/auth/callback/email",
            &[
                ("csrfToken", &csrf),
                ("token", raw),
                ("email", EMAIL),
                ("callbackUrl", "/dashboard"),
            ],
        )
        .await
}

#[tokio::test]
async fn a_magic_link_or_a_reset_link_into_a_verified_account_asks_for_the_code_too() {
    let server = spawn_with(Arc::new(MemoryStore::default()), |mut config| {
        config.rate_limits.enabled = false;
        config
            .with_provider(EmailLink::magic_link())
            .with_mailer(LogMailer)
    })
    .await;
    let (app, _) = user_with_two_factor(&server, -1).await;
    let store = server.auth.store();
    let user = store.user_by_email(EMAIL).await.unwrap().unwrap();

    // The owner's verified account: the link is the first factor only.
    store.mark_email_verified(&user.id).await.unwrap();
    let browser = server.other_browser();
    let response = sign_in_with_link(&server, &browser, &"ab".repeat(32)).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert!(crate::common::location(&response).ends_with("/api/auth/two-factor"));
    assert!(!signed_in(&browser.session().await));
    let (status, body) = verify(&browser, &app.code(0), false).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(signed_in(&browser.session().await));

    // A password-reset link is a first factor too: the new password is set, the session
    // waits for the code.
    let raw = "ef".repeat(32);
    store
        .create_verification_token(&VerificationToken {
            token_hash: format!("{:x}", Sha256::digest(raw.as_bytes())),
            identifier: EMAIL.into(),
            purpose: TokenPurpose::PasswordReset,
            expires_at: i64::MAX / 2,
        })
        .await
        .unwrap();
    let resetter = server.other_browser();
    let csrf = resetter.csrf_token().await;
    let response = resetter
        .post_form(
            "/api/auth/password/reset",
            &[
                ("csrfToken", &csrf),
                ("token", &raw),
                ("password", "a new long password"),
                ("callbackUrl", "/dashboard"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert!(crate::common::location(&response).ends_with("/api/auth/two-factor"));
    assert!(!signed_in(&resetter.session().await));
    let (status, body) = verify(&resetter, &app.code(1), false).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(signed_in(&resetter.session().await));
}

#[tokio::test]
async fn proving_the_address_of_an_unverified_account_removes_a_second_factor_set_up_by_someone_else()
 {
    let server = spawn_with(Arc::new(MemoryStore::default()), |mut config| {
        config.rate_limits.enabled = false;
        config
            .with_provider(EmailLink::magic_link())
            .with_mailer(LogMailer)
    })
    .await;
    // Someone registered the address (never verified) and turned two-factor on.
    user_with_two_factor(&server, -1).await;
    let owner = server.other_browser();
    let response = sign_in_with_link(&server, &owner, &"cd".repeat(32)).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert!(crate::common::location(&response).ends_with("/dashboard"));
    assert!(signed_in(&owner.session().await));
    let status: Value = owner
        .get("/api/auth/two-factor/status")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["enabled"], false);
    assert!(
        audit_events(&server)
            .await
            .contains(&"two_factor_disabled".to_owned())
    );
}

/// A client whose cookies the test writes by hand (to plant a stolen or forged one): the
/// client, its own CSRF cookie (`name=value`) and token.
async fn bare_browser(server: &TestServer) -> (reqwest::Client, String, String) {
    let client = client();
    let csrf = client
        .get(server.url("/api/auth/csrf"))
        .send()
        .await
        .unwrap();
    let cookie = set_cookies(&csrf)[0].split(';').next().unwrap().to_owned();
    let body: Value = csrf.json().await.unwrap();
    (
        client,
        cookie,
        body["csrfToken"].as_str().unwrap().to_owned(),
    )
}

async fn sign_out(browser: &TestServer) {
    let csrf = browser.csrf_token().await;
    browser
        .post_form("/api/auth/signout", &[("csrfToken", &csrf)])
        .await;
    assert!(!signed_in(&browser.session().await));
}
