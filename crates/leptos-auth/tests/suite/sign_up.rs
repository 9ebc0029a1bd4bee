//! Sign-up in the library (README › Sign-up) through the real server: the built-in page and
//! its plain form, the JSON answers, every refusal with its code, sign-up that waits for a
//! verified address (mails through a real SMTP server), and sign-up turned off.

use std::sync::Arc;

use crate::common::{TestServer, location, spawn_with};
use leptos_auth::{
    AuthConfig,
    config::Pages,
    mail::SmtpMailer,
    providers::Credentials,
    store::{MemoryStore, Store},
};
use leptos_auth_test_util::maildev::{Maildev, link_in};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

async fn site(configure: impl FnOnce(AuthConfig) -> AuthConfig) -> TestServer {
    spawn_with(Arc::new(MemoryStore::default()), |mut config| {
        config.rate_limits.enabled = false;
        // The built-in pages: no `pages.sign_in` either.
        configure(config.with_pages(Pages::default()))
    })
    .await
}

/// The path and query of a link into the test server.
fn path_of(server: &TestServer, url: &str) -> String {
    url.strip_prefix(&server.base_url)
        .expect("a link into the site")
        .to_owned()
}

/// Posts the sign-up form with this browser's CSRF token.
async fn sign_up(server: &TestServer, fields: &[(&str, &str)], json: bool) -> reqwest::Response {
    let csrf = server.csrf_token().await;
    let mut form = vec![("csrfToken", csrf.as_str()), ("callbackUrl", "/welcome")];
    form.extend_from_slice(fields);
    if json {
        form.push(("json", "true"));
    }
    server.post_form("/api/auth/signup", &form).await
}

#[tokio::test]
async fn the_built_in_page_signs_a_new_user_up_and_in() {
    let server = site(|c| c).await;
    let page = server.get("/api/auth/signup?callbackUrl=%2Fwelcome").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<h1>Create an account</h1>"), "{html}");
    assert!(html.contains(r#"action="http://127.0.0.1"#), "{html}");
    assert!(html.contains(r#"name="csrfToken""#), "{html}");
    assert!(
        html.contains(r#"name="callbackUrl" value="/welcome""#),
        "{html}"
    );
    assert!(html.contains(r#"autocomplete="new-password""#), "{html}");

    let fields = [
        ("name", "Ada"),
        ("email", "Ada@Example.com"),
        ("password", PASSWORD),
    ];
    let response = sign_up(&server, &fields, false).await;
    assert_eq!(response.status(), 302);
    assert_eq!(location(&response), server.url("/welcome"));
    let session = server.session().await;
    assert_eq!(session["user"]["email"], "ada@example.com");
    assert_eq!(session["user"]["name"], "Ada");
    // The `jwt` callback saw trigger `SignUp` (it adds `numberKey` on sign-in and sign-up).
    assert_eq!(session["user"]["numberKey"], 7);
    // The new account signs in with its password afterwards.
    let later = server.other_browser();
    assert_eq!(
        later
            .sign_in_json("ada@example.com", PASSWORD)
            .await
            .status(),
        200
    );
    // Audited as a sign-up and a sign-in.
    let audit: Vec<Value> = server.get("/api/auth/audit").await.json().await.unwrap();
    let events: Vec<&str> = audit.iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert!(
        events.contains(&"sign_up") && events.contains(&"sign_in"),
        "{events:?}"
    );
}

#[tokio::test]
async fn a_refused_form_comes_back_to_the_page_with_the_message_and_what_was_typed() {
    let server = site(|c| c).await;
    server
        .register("taken@example.com", "Owner", PASSWORD)
        .await;
    for (fields, code, message) in [
        (
            [
                ("name", "Bo"),
                ("email", "not-an-email"),
                ("password", PASSWORD),
            ],
            "InvalidEmail",
            "Please enter a valid email address.",
        ),
        (
            [
                ("name", "Bo"),
                ("email", "bo@example.com"),
                ("password", "short"),
            ],
            "WeakPassword",
            "between 8 and 256 characters",
        ),
        (
            [
                ("name", "Bo"),
                ("email", "taken@example.com"),
                ("password", PASSWORD),
            ],
            "EmailTaken",
            "An account with this email already exists.",
        ),
    ] {
        let response = sign_up(&server, &fields, false).await;
        assert_eq!(response.status(), 302, "{code}");
        let url = location(&response);
        assert!(
            url.contains(&format!("/api/auth/signup?error={code}&")),
            "{url}"
        );
        assert!(
            !url.contains("password="),
            "the password never travels back: {url}"
        );
        let html = server
            .get(&path_of(&server, &url))
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains(message), "{code}: {html}");
        assert!(html.contains(r#"value="Bo""#), "the name is kept: {html}");
        assert!(
            html.contains(r#"name="callbackUrl" value="/welcome""#),
            "{html}"
        );
    }
    assert_eq!(server.session().await, json!({}), "nobody was signed in");
}

#[tokio::test]
async fn json_answers_carry_a_stable_code_and_status() {
    let server = site(|c| c).await;
    let long_name = "n".repeat(101);
    for (fields, status, code) in [
        (
            [("name", "Cy"), ("email", "cy"), ("password", PASSWORD)],
            400,
            "InvalidEmail",
        ),
        (
            [
                ("name", "Cy"),
                ("email", "cy@example.com"),
                ("password", ""),
            ],
            400,
            "WeakPassword",
        ),
        (
            [
                ("name", long_name.as_str()),
                ("email", "cy@example.com"),
                ("password", PASSWORD),
            ],
            400,
            "InvalidName",
        ),
    ] {
        let response = sign_up(&server, &fields, true).await;
        assert_eq!(response.status(), status, "{code}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], code);
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let fields = [("email", "cy@example.com"), ("password", PASSWORD)];
    let created = sign_up(&server, &fields, true).await;
    assert_eq!(created.status(), 200);
    let body: Value = created.json().await.unwrap();
    assert_eq!(body["url"], server.url("/welcome"));
    let again = sign_up(&server.other_browser(), &fields, true).await;
    assert_eq!(again.status(), 409);
    assert_eq!(again.json::<Value>().await.unwrap()["error"], "EmailTaken");
    // An off-site callbackUrl is not followed.
    let csrf = server.other_browser();
    let token = csrf.csrf_token().await;
    let response = csrf
        .post_form(
            "/api/auth/signup",
            &[
                ("csrfToken", &token),
                ("email", "dee@example.com"),
                ("password", PASSWORD),
                ("callbackUrl", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(location(&response), server.url("/"));
}

#[tokio::test]
async fn new_users_see_pages_new_user_first() {
    let server = site(|c| {
        c.with_pages(Pages {
            new_user: Some("/onboarding".into()),
            ..Pages::default()
        })
    })
    .await;
    let fields = [("email", "eve@example.com"), ("password", PASSWORD)];
    let response = sign_up(&server, &fields, false).await;
    let url = location(&response);
    assert!(
        url.starts_with(&server.url("/onboarding?callbackUrl=http%3A%2F%2F127.0.0.1%3A")),
        "{url}"
    );
    assert!(url.ends_with("%2Fwelcome"), "{url}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn where_addresses_must_be_verified_sign_up_mails_a_link_and_waits() {
    let maildev = Maildev::start().await;
    let mailer = SmtpMailer::new(&maildev.server_url(), "auth@example.com").unwrap();
    let server = site(|mut c| {
        c.require_verified_email = true;
        c.with_mailer(mailer)
    })
    .await;
    server
        .register("owner@example.com", "Owner", PASSWORD)
        .await;
    let mut answers = Vec::new();
    for email in ["fay@example.com", "owner@example.com"] {
        let browser = server.other_browser();
        let response = sign_up(&browser, &[("email", email), ("password", PASSWORD)], false).await;
        answers.push((response.status(), location(&response)));
        assert_eq!(
            browser.session().await,
            json!({}),
            "not signed in before verifying"
        );
    }
    // A taken address is answered exactly like a new one.
    assert_eq!(answers[0], answers[1]);
    let (_, check_email) = &answers[0];
    assert_eq!(
        check_email,
        &server.url("/api/auth/verify-request?kind=sign-up")
    );
    let page = server
        .get(&path_of(&server, check_email))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("confirm the address"), "{page}");
    let mail = maildev.wait_for_mail("fay@example.com", 1).await;
    assert!(
        mail["subject"]
            .as_str()
            .unwrap()
            .contains("Verify your email"),
        "{mail}"
    );
    assert!(
        link_in(&mail).contains("/api/auth/email/verify?token="),
        "{mail}"
    );
    let notice = maildev.wait_for_mail("owner@example.com", 1).await;
    assert!(
        notice["subject"]
            .as_str()
            .unwrap()
            .contains("tried to sign up"),
        "{notice}"
    );
    // JSON says what happened.
    let response = sign_up(
        &server.other_browser(),
        &[("email", "gus@example.com"), ("password", PASSWORD)],
        true,
    )
    .await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["emailVerificationRequired"], true);
}

#[tokio::test]
async fn sign_up_is_off_without_an_email_password_provider_that_takes_it() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::default());
    let server = spawn_with(store, |mut config| {
        config.rate_limits.enabled = false;
        let mut config = AuthConfig::new(vec!["a library test secret of 32+ bytes".into()])
            .with_provider(Credentials::email_password().without_sign_up());
        config.rate_limits.enabled = false;
        config
    })
    .await;
    let fields = [("email", "hal@example.com"), ("password", PASSWORD)];
    let response = sign_up(&server, &fields, true).await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.json::<Value>().await.unwrap()["error"],
        "SignUpDisabled"
    );
    let response = sign_up(&server, &fields, false).await;
    assert!(location(&response).contains("error=SignUpDisabled"));
    assert!(
        server
            .auth
            .store()
            .user_by_email("hal@example.com")
            .await
            .unwrap()
            .is_none()
    );
}
