//! The email flows through real HTTP and a real SMTP server (maildev): magic-link sign-in,
//! password reset and email verification, with the cases an attacker or a mail scanner
//! brings: reuse, tampering, a wrong address, expiry, and links that are only followed.

use std::sync::Arc;

use crate::common::{
    TestServer, location,
    maildev::{Maildev, link_in, query_param},
    set_cookies, spawn_with,
};
use leptos_auth::{
    AuthConfig,
    mail::SmtpMailer,
    providers::EmailLink,
    store::{
        AccountStore, MemoryStore, Store, TokenPurpose, UserStore, VerificationToken,
        VerificationTokenStore,
    },
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery staple";

/// A server with the magic-link provider, mailing through `maildev`.
async fn server_mailing_to(maildev: &Maildev, store: Arc<dyn Store>) -> TestServer {
    let mailer = SmtpMailer::new(&maildev.server_url(), "leptos-auth <auth@example.com>").unwrap();
    spawn_with(store, |config: AuthConfig| {
        let mut config = config
            .with_provider(EmailLink::magic_link())
            .with_mailer(mailer);
        config.rate_limits.enabled = false;
        config
    })
    .await
}

/// `path?query` of an absolute link, to request it from the test server.
fn path_of(link: &str) -> String {
    let url = url::Url::parse(link).unwrap();
    format!("{}?{}", url.path(), url.query().unwrap_or_default())
}

/// Requests a sign-in link the way the sign-in page's form does.
async fn request_link(server: &TestServer, email: &str) -> reqwest::Response {
    let csrf = server.csrf_token().await;
    server
        .post_form(
            "/api/auth/signin/email",
            &[
                ("csrfToken", &csrf),
                ("email", email),
                ("callbackUrl", "/dashboard"),
            ],
        )
        .await
}

/// Posts the confirmation page of a sign-in link (token, email and callback from the link).
async fn confirm_sign_in(server: &TestServer, link: &str, email: &str) -> reqwest::Response {
    let page = server.get(&path_of(link)).await;
    assert_eq!(page.status(), 200);
    let csrf = server.csrf_token().await;
    let token = query_param(link, "token");
    server
        .post_form(
            "/api/auth/callback/email",
            &[
                ("csrfToken", &csrf),
                ("token", &token),
                ("email", email),
                ("callbackUrl", "/dashboard"),
            ],
        )
        .await
}

fn is_verification_error(response: &reqwest::Response) -> bool {
    response.status() == 302 && location(response).contains("error=Verification")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_magic_link_signs_a_new_address_in_once_and_a_scanner_does_not_burn_it() {
    let maildev = Maildev::start().await;
    let store = Arc::new(MemoryStore::default());
    let mailer = SmtpMailer::new(&maildev.server_url(), "auth@example.com").unwrap();
    let server = spawn_with(store.clone(), |mut config: AuthConfig| {
        config.rate_limits.enabled = false;
        config.pages.new_user = Some("/welcome".into());
        config
            .with_provider(EmailLink::magic_link())
            .with_mailer(mailer)
    })
    .await;

    let sent = request_link(&server, "Grace@Example.com").await;
    assert_eq!(sent.status(), 302);
    assert!(location(&sent).contains("/api/auth/verify-request?provider=email&type=email"));
    assert_eq!(server.get(&path_of(&location(&sent))).await.status(), 200);

    let mail = maildev.wait_for_mail("grace@example.com", 1).await;
    assert!(
        mail["subject"]
            .as_str()
            .unwrap()
            .starts_with("Sign in to 127.0.0.1")
    );
    let link = link_in(&mail);
    assert!(
        link.starts_with(&server.url("/api/auth/callback/email?")),
        "{link}"
    );
    assert!(mail["html"].as_str().unwrap().contains("Sign in"));
    // Only the hash is stored, never the token of the link.
    let token = query_param(&link, "token");
    assert_eq!(token.len(), 64);

    // A mail scanner follows the link twice: a confirmation page, nothing used.
    let scanner = server.other_browser();
    for _ in 0..2 {
        let page = scanner.get(&path_of(&link)).await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("Sign in as grace@example.com?"), "{html}");
        assert!(html.contains(r#"method="post""#));
    }
    assert_eq!(scanner.session().await, json!({}));

    // The person clicks the button: signed in as a new, verified user, who sees the
    // new-user page once on the way to where they were going.
    let signed_in = confirm_sign_in(&server, &link, "grace@example.com").await;
    assert_eq!(signed_in.status(), 302);
    let welcome = format!(
        "{}?callbackUrl={}",
        server.url("/welcome"),
        url::form_urlencoded::byte_serialize(server.url("/dashboard").as_bytes())
            .collect::<String>()
    );
    assert_eq!(location(&signed_in), welcome);
    assert!(
        set_cookies(&signed_in)
            .iter()
            .any(|c| c.starts_with("authjs.session-token="))
    );
    assert_eq!(server.session().await["user"]["email"], "grace@example.com");
    let user = store
        .user_by_email("grace@example.com")
        .await
        .unwrap()
        .unwrap();
    assert!(user.email_verified.is_some());
    // The session row and the audit log know where the sign-in came from.
    let sessions: Value = server.get("/api/auth/sessions").await.json().await.unwrap();
    assert_eq!(sessions[0]["ip"], "127.0.0.1", "{sessions}");
    let log: Vec<Value> = server.get("/api/auth/audit").await.json().await.unwrap();
    let sign_in = log.iter().find(|e| e["event"] == "sign_in").unwrap();
    assert_eq!(sign_in["ip"], "127.0.0.1", "{log:?}");

    // The same link again (another browser, or a replay) is refused.
    let replay = confirm_sign_in(&scanner, &link, "grace@example.com").await;
    assert!(is_verification_error(&replay), "{:?}", replay.headers());
    assert_eq!(scanner.session().await, json!({}));

    // The next link signs the same user in, straight to where they were going.
    request_link(&scanner, "grace@example.com").await;
    let second = link_in(&maildev.wait_for_mail("grace@example.com", 2).await);
    let again = confirm_sign_in(&scanner, &second, "grace@example.com").await;
    assert_eq!(location(&again), server.url("/dashboard"));
    assert_eq!(store.list_users().await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_magic_link_refuses_tampering_a_wrong_address_and_expiry() {
    let maildev = Maildev::start().await;
    let store = Arc::new(MemoryStore::default());
    let server = server_mailing_to(&maildev, store.clone()).await;
    server.register(EMAIL, "Ada", PASSWORD).await;

    // Tampered: one digit of the token changed.
    request_link(&server, EMAIL).await;
    let link = link_in(&maildev.wait_for_mail(EMAIL, 1).await);
    let token = query_param(&link, "token");
    let flipped = if token.starts_with('0') { "1" } else { "0" };
    let tampered = link.replace(&token, &format!("{flipped}{}", &token[1..]));
    assert!(is_verification_error(
        &confirm_sign_in(&server, &tampered, EMAIL).await
    ));
    // The genuine link still works, and an existing user is signed in (no sign-up).
    let signed_in = confirm_sign_in(&server, &link, EMAIL).await;
    assert_eq!(location(&signed_in), server.url("/dashboard"));
    assert_eq!(server.session().await["user"]["name"], "Ada");

    // A link sent to Ada, presented with Eve's address, signs nobody in.
    let eve = server.other_browser();
    request_link(&eve, EMAIL).await;
    let link = link_in(&maildev.wait_for_mail(EMAIL, 2).await);
    let refused = confirm_sign_in(&eve, &link, "eve@example.com").await;
    assert!(is_verification_error(&refused));
    assert_eq!(eve.session().await, json!({}));
    assert!(
        store
            .user_by_email("eve@example.com")
            .await
            .unwrap()
            .is_none()
    );

    // Expired: a day and a second old.
    let raw = "ab".repeat(32);
    store
        .create_verification_token(&VerificationToken {
            token_hash: format!("{:x}", Sha256::digest(raw.as_bytes())),
            identifier: EMAIL.into(),
            purpose: TokenPurpose::SignIn,
            expires_at: 0,
        })
        .await
        .unwrap();
    let expired = format!("/api/auth/callback/email?token={raw}&email={EMAIL}");
    let browser = server.other_browser();
    assert!(is_verification_error(
        &confirm_sign_in(&browser, &server.url(&expired), EMAIL).await
    ));
    assert_eq!(browser.session().await, json!({}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_by_email_speaks_json_like_the_next_auth_client() {
    let maildev = Maildev::start().await;
    let server = server_mailing_to(&maildev, Arc::new(MemoryStore::default())).await;

    let providers: Value = server
        .get("/api/auth/providers")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(providers["email"]["type"], "email");
    assert_eq!(
        providers["email"]["signinUrl"],
        server.url("/api/auth/signin/email")
    );

    // next-auth/react: signIn("email", { email, redirect: false }).
    let csrf = server.csrf_token().await;
    let sent = server
        .post_form(
            "/api/auth/signin/email",
            &[("csrfToken", &csrf), ("email", EMAIL), ("json", "true")],
        )
        .await;
    assert_eq!(sent.status(), 200);
    let body: Value = sent.json().await.unwrap();
    assert_eq!(
        body["url"],
        server.url("/api/auth/verify-request?provider=email&type=email")
    );
    maildev.wait_for_mail(EMAIL, 1).await;

    // Not an address: a 4xx with EmailSignin, and no mail.
    let bad = server
        .post_form(
            "/api/auth/signin/email",
            &[
                ("csrfToken", &csrf),
                ("email", "not-an-address"),
                ("json", "true"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 400);
    let body: Value = bad.json().await.unwrap();
    assert!(body["url"].as_str().unwrap().contains("error=EmailSignin"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_mail_server_is_email_signin_never_a_500() {
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mailer = SmtpMailer::new(&format!("smtp://127.0.0.1:{port}"), "auth@example.com").unwrap();
    let server = spawn_with(Arc::new(MemoryStore::default()), |config| {
        let mut config = config
            .with_provider(EmailLink::magic_link())
            .with_mailer(mailer);
        config.rate_limits.enabled = false;
        config
    })
    .await;
    let form = request_link(&server, EMAIL).await;
    assert_eq!(form.status(), 302);
    assert!(
        location(&form).contains("error=EmailSignin"),
        "{}",
        location(&form)
    );
    let csrf = server.csrf_token().await;
    let json_mode = server
        .post_form(
            "/api/auth/signin/email",
            &[("csrfToken", &csrf), ("email", EMAIL), ("json", "true")],
        )
        .await;
    assert_eq!(json_mode.status(), 503);
    // "Forgot password" answers as always: the failure is the server's to log.
    let forgot = server
        .client
        .post(server.url("/api/auth/password/forgot"))
        .json(&json!({ "csrfToken": csrf, "email": EMAIL }))
        .send()
        .await
        .unwrap();
    assert_eq!(forgot.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mail_server_that_never_answers_costs_a_bounded_wait_then_email_signin() {
    // Accepts the connection, then says nothing: the SMTP greeting never comes.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = silent.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            held.push(socket);
        }
    });
    let mailer = SmtpMailer::new(&format!("smtp://127.0.0.1:{port}"), "auth@example.com").unwrap();
    let server = spawn_with(Arc::new(MemoryStore::default()), |config| {
        let mut config = config
            .with_provider(EmailLink::magic_link())
            .with_mailer(mailer);
        config.rate_limits.enabled = false;
        config
    })
    .await;
    let started = std::time::Instant::now();
    let answer = request_link(&server, EMAIL).await;
    let waited = started.elapsed();
    assert!(
        location(&answer).contains("error=EmailSignin"),
        "{}",
        location(&answer)
    );
    assert!(
        waited < std::time::Duration::from_secs(15),
        "waited {waited:?}"
    );
}

async fn forgot(server: &TestServer, email: &str) -> reqwest::Response {
    let csrf = server.csrf_token().await;
    server
        .client
        .post(server.url("/api/auth/password/forgot"))
        .json(&json!({ "csrfToken": csrf, "email": email }))
        .send()
        .await
        .unwrap()
}

async fn reset(server: &TestServer, token: &str, password: &str) -> reqwest::Response {
    let csrf = server.csrf_token().await;
    server
        .post_form(
            "/api/auth/password/reset",
            &[
                ("csrfToken", &csrf),
                ("token", token),
                ("password", password),
                ("callbackUrl", "/dashboard"),
            ],
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_reset_ends_every_session_and_signs_in_where_it_happened() {
    let maildev = Maildev::start().await;
    let store = Arc::new(MemoryStore::default());
    let server = server_mailing_to(&maildev, store.clone()).await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    let laptop = server.other_browser();
    laptop.sign_in(EMAIL, PASSWORD).await;
    assert_eq!(laptop.session().await["user"]["email"], EMAIL);

    // The same answer for an account and for nobody.
    let known = forgot(&server, EMAIL).await;
    let unknown = forgot(&server, "nobody@example.com").await;
    assert_eq!(known.status(), 200);
    assert_eq!(unknown.status(), 200);
    assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());

    let mail = maildev.wait_for_mail(EMAIL, 1).await;
    assert!(
        mail["subject"]
            .as_str()
            .unwrap()
            .contains("Reset your password")
    );
    let link = link_in(&mail);
    assert!(
        link.starts_with(&server.url("/api/auth/password/reset?token=")),
        "{link}"
    );
    let token = query_param(&link, "token");
    assert_eq!(server.get(&path_of(&link)).await.status(), 200);

    // Too short: sent back to the page, and the link still works.
    let weak = reset(&server, &token, "short").await;
    assert_eq!(weak.status(), 302);
    assert!(location(&weak).contains("error=WeakPassword"));
    let done = reset(&server, &token, "a brand new password").await;
    assert_eq!(done.status(), 302);
    assert_eq!(location(&done), server.url("/dashboard"));
    assert_eq!(server.session().await["user"]["email"], EMAIL);

    // Every other session is gone; the old password is refused, the new one works.
    assert_eq!(laptop.session().await, json!({}));
    let old = server.other_browser().sign_in(EMAIL, PASSWORD).await;
    assert!(location(&old).contains("error=CredentialsSignin"));
    let new = server.other_browser();
    new.sign_in(EMAIL, "a brand new password").await;
    assert_eq!(new.session().await["user"]["email"], EMAIL);

    // Single use, and the reset is in the audit log.
    let again = reset(&server.other_browser(), &token, "yet another password").await;
    assert!(location(&again).contains("error=Verification"));
    let audit: Vec<Value> = server.get("/api/auth/audit").await.json().await.unwrap();
    assert!(
        audit.iter().any(|e| e["event"] == "password_reset"),
        "{audit:?}"
    );

    // Nobody got mail for the address without an account.
    assert!(maildev.mails_to("nobody@example.com").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_tokens_expire_after_an_hour_and_work_for_nothing_else() {
    let maildev = Maildev::start().await;
    let store = Arc::new(MemoryStore::default());
    let server = server_mailing_to(&maildev, store.clone()).await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    let store_token = |raw: &str, purpose, expires_at| {
        let token = VerificationToken {
            token_hash: format!("{:x}", Sha256::digest(raw.as_bytes())),
            identifier: EMAIL.into(),
            purpose,
            expires_at,
        };
        let store = store.clone();
        async move { store.create_verification_token(&token).await.unwrap() }
    };
    let in_an_hour = time_now() + 3600;
    let expired = "01".repeat(32);
    store_token(&expired, TokenPurpose::PasswordReset, time_now() - 1).await;
    assert!(
        location(&reset(&server, &expired, "a brand new password").await)
            .contains("error=Verification")
    );
    // A sign-in token is no reset token, and a reset token no sign-in link.
    let sign_in = "02".repeat(32);
    store_token(&sign_in, TokenPurpose::SignIn, in_an_hour).await;
    assert!(
        location(&reset(&server, &sign_in, "a brand new password").await)
            .contains("error=Verification")
    );
    let reset_token = "03".repeat(32);
    store_token(&reset_token, TokenPurpose::PasswordReset, in_an_hour).await;
    let link = server.url(&format!(
        "/api/auth/callback/email?token={reset_token}&email={EMAIL}"
    ));
    assert!(is_verification_error(
        &confirm_sign_in(&server, &link, EMAIL).await
    ));
    // The password never changed.
    let browser = server.other_browser();
    browser.sign_in(EMAIL, PASSWORD).await;
    assert_eq!(browser.session().await["user"]["email"], EMAIL);
}

fn time_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verification_marks_the_email_and_can_be_required_for_password_sign_in() {
    let maildev = Maildev::start().await;
    let store: Arc<MemoryStore> = Arc::new(MemoryStore::default());
    let server = server_mailing_to(&maildev, store.clone()).await;
    // A second instance on the same store that requires verified emails.
    let strict = spawn_with(store.clone(), |mut config| {
        config.rate_limits.enabled = false;
        config.require_verified_email = true;
        config
    })
    .await;
    server.register(EMAIL, "Ada", PASSWORD).await;

    // Unverified: the strict instance refuses the right password with EmailNotVerified.
    let refused = strict.sign_in(EMAIL, PASSWORD).await;
    assert!(
        location(&refused).contains("error=EmailNotVerified"),
        "{}",
        location(&refused)
    );
    assert_eq!(strict.session().await, json!({}));
    // Wrong passwords still get the generic answer: nothing tells them the account exists.
    let wrong = strict
        .other_browser()
        .sign_in(EMAIL, "wrong password")
        .await;
    assert!(location(&wrong).contains("error=CredentialsSignin"));

    // Signed in on the lenient one, Ada asks for the link; it opens a page; its POST verifies.
    server.sign_in(EMAIL, PASSWORD).await;
    let csrf = server.csrf_token().await;
    let sent = server
        .post_form(
            "/api/auth/email/send-verification",
            &[("csrfToken", &csrf), ("callbackUrl", "/dashboard")],
        )
        .await;
    assert!(location(&sent).ends_with("/dashboard?verification=sent"));
    let mail = maildev.wait_for_mail(EMAIL, 1).await;
    assert!(
        mail["subject"]
            .as_str()
            .unwrap()
            .contains("Verify your email")
    );
    let link = link_in(&mail);
    let phone = server.other_browser();
    assert_eq!(phone.get(&path_of(&link)).await.status(), 200);
    assert!(
        store
            .user_by_email(EMAIL)
            .await
            .unwrap()
            .unwrap()
            .email_verified
            .is_none()
    );
    // Another browser than the one signed in: the page wants the account's password.
    let csrf = phone.csrf_token().await;
    assert_eq!(query_param(&link, "email"), EMAIL);
    let verified = phone
        .post_form(
            "/api/auth/email/verify",
            &[
                ("csrfToken", &csrf),
                ("token", &query_param(&link, "token")),
                ("email", &query_param(&link, "email")),
                ("password", PASSWORD),
                ("callbackUrl", &query_param(&link, "callbackUrl")),
            ],
        )
        .await;
    assert_eq!(location(&verified), server.url("/dashboard"));
    assert_eq!(phone.session().await["user"]["email"], EMAIL);
    assert!(
        store
            .user_by_email(EMAIL)
            .await
            .unwrap()
            .unwrap()
            .email_verified
            .is_some()
    );
    let audit: Vec<Value> = phone.get("/api/auth/audit").await.json().await.unwrap();
    assert!(
        audit.iter().any(|e| e["event"] == "email_verified"),
        "{audit:?}"
    );

    // Now the strict instance lets Ada in; signed out, asking for a link is refused.
    let browser = strict.other_browser();
    browser.sign_in(EMAIL, PASSWORD).await;
    assert_eq!(browser.session().await["user"]["email"], EMAIL);
    let nobody = server.other_browser();
    let csrf = nobody.csrf_token().await;
    let anonymous = nobody
        .client
        .post(nobody.url("/api/auth/email/send-verification"))
        .json(&json!({ "csrfToken": csrf }))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_gets_at_most_its_mail_budget_whoever_asks() {
    let maildev = Maildev::start().await;
    let store: Arc<MemoryStore> = Arc::new(MemoryStore::default());
    let mailer = SmtpMailer::new(&maildev.server_url(), "auth@example.com").unwrap();
    // The per-IP limit is off, as if every request came from another machine of a botnet.
    let server = spawn_with(store.clone(), |mut config: AuthConfig| {
        config.rate_limits.enabled = false;
        config.mail_limit.max_mails = 3;
        config
            .with_provider(EmailLink::magic_link())
            .with_mailer(mailer)
    })
    .await;
    let victim = "victim@example.com";

    // Sign-in links, each from a fresh browser: three are mailed.
    for n in 1..=3 {
        let sent = request_link(&server.other_browser(), victim).await;
        assert!(location(&sent).contains("/verify-request"), "request {n}");
    }
    maildev.wait_for_mail(victim, 3).await;

    // The fourth is refused with RateLimited and when to come back, in both modes.
    let form = request_link(&server.other_browser(), victim).await;
    assert_eq!(form.status(), 429);
    let retry_after: u64 = form.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&retry_after), "{retry_after}");
    let browser = server.other_browser();
    let csrf = browser.csrf_token().await;
    let json_mode = browser
        .post_form(
            "/api/auth/signin/email",
            &[("csrfToken", &csrf), ("email", victim), ("json", "true")],
        )
        .await;
    assert_eq!(json_mode.status(), 429);
    let body: Value = json_mode.json().await.unwrap();
    assert_eq!(body["error"], "RateLimited");
    // Spelling the address another way is the same address.
    let shouted = request_link(&server.other_browser(), "VICTIM@Example.COM").await;
    assert_eq!(shouted.status(), 429);

    // Other addresses are not affected, and the links already sent still work.
    request_link(&server.other_browser(), EMAIL).await;
    maildev.wait_for_mail(EMAIL, 1).await;
    let last = link_in(&maildev.wait_for_mail(victim, 3).await);
    let signed_in = confirm_sign_in(&browser, &last, victim).await;
    assert_eq!(location(&signed_in), server.url("/dashboard"));

    // A password reset answers as always, and sends nothing more. Its mail would go out
    // after the answer, so a reset for another address, mailed later, shows it had its turn.
    assert_eq!(forgot(&server, victim).await.status(), 200);
    server
        .register("other@example.com", "Other", PASSWORD)
        .await;
    assert_eq!(forgot(&server, "other@example.com").await.status(), 200);
    maildev.wait_for_mail("other@example.com", 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(maildev.mails_to(victim).await.len(), 3);

    // A signed-in user asking again and again for a verification link is told when the
    // budget is spent, rather than left waiting for a mail.
    let bob = "bob@example.com";
    let laptop = server.other_browser();
    laptop.register(bob, "Bob", PASSWORD).await;
    laptop.sign_in(bob, PASSWORD).await;
    let resend = |json_mode: bool| {
        let laptop = &laptop;
        async move {
            let csrf = laptop.csrf_token().await;
            let mut form = vec![("csrfToken", csrf), ("callbackUrl", "/dashboard".into())];
            if json_mode {
                form.push(("json", "true".into()));
            }
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            laptop
                .post_form("/api/auth/email/send-verification", &form)
                .await
        }
    };
    for _ in 0..3 {
        assert!(location(&resend(false).await).ends_with("/dashboard?verification=sent"));
    }
    maildev.wait_for_mail(bob, 3).await;
    let refused = resend(false).await;
    assert!(
        location(&refused).ends_with("/dashboard?error=RateLimited"),
        "{}",
        location(&refused)
    );
    let refused = resend(true).await;
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    assert_eq!(maildev.mails_to(bob).await.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_link_takes_an_unverified_account_back_from_whoever_created_it() {
    let maildev = Maildev::start().await;
    let store: Arc<MemoryStore> = Arc::new(MemoryStore::default());
    let server = server_mailing_to(&maildev, store.clone()).await;

    // Mallory signs up with Ada's address before Ada ever comes, stays signed in, and has a
    // provider account of hers linked (as an OAuth sign-in without a verified email would).
    let mallory_password = "mallory knows this one";
    server.register(EMAIL, "Mallory", mallory_password).await;
    let mallory = server.other_browser();
    mallory.sign_in(EMAIL, mallory_password).await;
    assert_eq!(mallory.session().await["user"]["email"], EMAIL);
    let user = store.user_by_email(EMAIL).await.unwrap().unwrap();
    store
        .link_account(leptos_auth::store::Account {
            id: "acc-mallory".into(),
            user_id: user.id.clone(),
            provider: "github".into(),
            provider_account_id: "mallory-on-github".into(),
            kind: leptos_auth::providers::ProviderKind::OAuth,
            tokens: Default::default(),
        })
        .await
        .unwrap();

    // Ada signs in with a link mailed to her: the account is hers now, and only hers.
    let ada = server.other_browser();
    request_link(&ada, EMAIL).await;
    let link = link_in(&maildev.wait_for_mail(EMAIL, 1).await);
    let signed_in = confirm_sign_in(&ada, &link, EMAIL).await;
    assert_eq!(location(&signed_in), server.url("/dashboard"));
    assert_eq!(ada.session().await["user"]["email"], EMAIL);
    assert_eq!(
        mallory.session().await,
        json!({}),
        "Mallory's session ended"
    );
    let again = server
        .other_browser()
        .sign_in(EMAIL, mallory_password)
        .await;
    assert!(
        location(&again).contains("error=CredentialsSignin"),
        "{}",
        location(&again)
    );
    assert!(store.accounts_of_user(&user.id).await.unwrap().is_empty());
    let user = store.user_by_email(EMAIL).await.unwrap().unwrap();
    assert!(user.email_verified.is_some());
    let audit: Vec<Value> = ada.get("/api/auth/audit").await.json().await.unwrap();
    for event in ["unlink_account", "session_revoked", "email_verified"] {
        assert!(
            audit.iter().any(|e| e["event"] == event),
            "{event}: {audit:?}"
        );
    }

    // Once verified, a later link signs in without ending anything: Ada's first session
    // stays.
    let phone = server.other_browser();
    request_link(&phone, EMAIL).await;
    let link = link_in(&maildev.wait_for_mail(EMAIL, 2).await);
    confirm_sign_in(&phone, &link, EMAIL).await;
    assert_eq!(phone.session().await["user"]["email"], EMAIL);
    assert_eq!(ada.session().await["user"]["email"], EMAIL);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mailed_links_point_at_the_configured_site_whatever_host_a_request_names() {
    let maildev = Maildev::start().await;
    let mailer = SmtpMailer::new(&maildev.server_url(), "auth@example.com").unwrap();
    // Behind a proxy whose forwarded host is trusted (for cookies), with AUTH_URL set.
    let server = spawn_with(Arc::new(MemoryStore::default()), |mut config| {
        config.rate_limits.enabled = false;
        config.url = Some("http://app.example.com".parse().unwrap());
        config.trust_host = true;
        config
            .with_provider(EmailLink::magic_link())
            .with_mailer(mailer)
    })
    .await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    server.sign_in(EMAIL, PASSWORD).await;
    let csrf = server.csrf_token().await;
    let forged = |path: &str| {
        server
            .client
            .post(server.url(path))
            .header("host", "evil.example")
            .header("x-forwarded-host", "evil.example")
            .header("x-forwarded-proto", "https")
    };
    for (path, fields) in [
        (
            "/api/auth/password/forgot",
            json!({ "csrfToken": csrf, "email": EMAIL }),
        ),
        (
            "/api/auth/signin/email",
            json!({ "csrfToken": csrf, "email": EMAIL }),
        ),
        (
            "/api/auth/email/send-verification",
            json!({ "csrfToken": csrf }),
        ),
    ] {
        let response = forged(path).json(&fields).send().await.unwrap();
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
    }
    for count in 1..=3 {
        let link = link_in(&maildev.wait_for_mail(EMAIL, count).await);
        assert!(link.starts_with("http://app.example.com/"), "{link}");
    }
    for mail in maildev.mails_to(EMAIL).await {
        assert!(!mail["html"].as_str().unwrap().contains("evil.example"));
        assert!(!mail["text"].as_str().unwrap().contains("evil.example"));
    }
}
