//! Pre-account hijacking, tried as a class through the real server: a real SMTP server
//! (maildev) and a real OpenID provider (oidc-provider, default configuration).
//!
//! Mallory signs up with Ada's address before Ada ever comes, keeps her session open and
//! links her own OIDC account while signed in. Then Ada proves the address through each flow
//! in turn — a sign-in link, a password reset, "this was not me" on the verification link,
//! an OIDC sign-in whose provider vouches for the address — and after each, Mallory's
//! session, password and OIDC sign-in lead nowhere near the account, while Ada is in. The
//! legitimate path of each flow keeps working too.
#![cfg(feature = "ssr")]

use crate::common::{
    TestServer, location,
    maildev::{Maildev, link_in, query_param},
    oidc::{CLIENT_ID, CLIENT_SECRET, OidcProvider, serve_with, start_provider},
};
use leptos_auth::{
    mail::SmtpMailer,
    providers::{OAuth, Provider},
};
use serde_json::{Value, json};
use sha2::Digest;

const ADA: &str = "ada@example.com";
const MALLORY_PASSWORD: &str = "mallory set this one";
const ADA_PASSWORD: &str = "ada's own new password";

/// The demo app mailing through maildev, with an OIDC provider (`oidc`) that may link by
/// email, as an app that trusts it would configure it.
struct World {
    server: TestServer,
    maildev: Maildev,
    _provider: Option<OidcProvider>,
}

async fn world() -> World {
    let maildev = Maildev::start().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let provider = start_provider(&base_url, 60).await;
    let oidc = OAuth::oidc(
        "oidc",
        "Test OIDC",
        &provider.issuer,
        CLIENT_ID,
        CLIENT_SECRET,
    )
    .allow_email_account_linking(true);
    let mailer = SmtpMailer::new(&maildev.server_url(), "auth@example.com").unwrap();
    let server = serve_with(
        listener,
        base_url,
        vec![Provider::from(oidc)],
        |mut config| {
            // Every browser here is 127.0.0.1: the per-IP limits would mix them up.
            config.rate_limits.enabled = false;
            config.with_mailer(mailer)
        },
    )
    .await;
    World {
        server,
        maildev,
        _provider: Some(provider),
    }
}

impl World {
    /// The newest mail to `to` whose subject contains `subject`, once there are `count`.
    async fn mail(&self, to: &str, subject: &str, count: usize) -> Value {
        for _ in 0..100 {
            let mails: Vec<Value> = self
                .maildev
                .mails_to(to)
                .await
                .into_iter()
                .filter(|m| m["subject"].as_str().unwrap_or_default().contains(subject))
                .collect();
            if mails.len() >= count {
                return mails[count - 1].clone();
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("no mail #{count} \"{subject}\" for {to} within 10 s");
    }

    async fn user_id(&self, email: &str) -> String {
        self.server
            .auth
            .store()
            .user_by_email(email)
            .await
            .unwrap()
            .expect("the user exists")
            .id
    }

    async fn providers_linked(&self, email: &str) -> Vec<String> {
        let store = self.server.auth.store();
        let id = self.user_id(email).await;
        let accounts = store.accounts_of_user(&id).await.unwrap();
        accounts.into_iter().map(|a| a.provider).collect()
    }
}

/// Signs up through the demo's sign-up form, as a browser without JavaScript does.
async fn sign_up(browser: &TestServer, email: &str, password: &str) {
    let fields = [
        ("name", "Someone"),
        ("email", email),
        ("password", password),
    ];
    let response = browser.sign_up_form(&fields, false).await;
    assert_eq!(location(&response), browser.url("/dashboard"), "signed up");
}

/// Mallory's preparation: an account with Ada's address, her password, her session kept
/// open, and her own OIDC account linked while signed in. Returns her browser.
async fn mallory_prepares(world: &World) -> TestServer {
    let mallory = world.server.other_browser();
    sign_up(&mallory, ADA, MALLORY_PASSWORD).await;
    let (linked, _) = mallory.oauth_sign_in("oidc", "mallory").await;
    assert_eq!(location(&linked), mallory.url("/dashboard"));
    assert_eq!(mallory.session().await["user"]["email"], ADA);
    assert_eq!(world.providers_linked(ADA).await, ["oidc"]);
    // The sign-up mailed Ada a verification link: it has arrived before Ada acts.
    world.mail(ADA, "Verify your email", 1).await;
    mallory
}

/// After Ada proved the address: Mallory's session, password and OIDC account all fail to
/// reach the account, Ada's browser is signed in to it, and Ada's security log shows what
/// was taken away (with the mailed links, when some were outstanding).
async fn assert_taken_back(world: &World, mallory: &TestServer, ada: &TestServer, links: bool) {
    assert_eq!(
        mallory.session().await,
        json!({}),
        "Mallory's session ended"
    );
    let with_password = world.server.other_browser();
    let refused = with_password.sign_in(ADA, MALLORY_PASSWORD).await;
    assert!(
        location(&refused).contains("error=CredentialsSignin"),
        "Mallory's password is gone: {}",
        location(&refused)
    );
    assert_eq!(with_password.session().await, json!({}));
    let with_oidc = world.server.other_browser();
    with_oidc.oauth_sign_in("oidc", "mallory").await;
    let session = with_oidc.session().await;
    assert_ne!(
        session["user"]["email"], ADA,
        "Mallory's OIDC account no longer leads into Ada's account: {session}"
    );

    assert_eq!(ada.session().await["user"]["email"], ADA, "Ada is in");
    let user = world.server.auth.store().user_by_email(ADA).await.unwrap();
    assert!(user.unwrap().email_verified.is_some());
    let log: Vec<Value> = ada.get("/api/auth/audit").await.json().await.unwrap();
    let voided = links.then_some("links_voided");
    for event in [
        "session_revoked",
        "password_removed",
        "unlink_account",
        "email_verified",
    ]
    .into_iter()
    .chain(voided)
    {
        assert!(
            log.iter().any(|e| e["event"] == event),
            "{event} in Ada's log: {log:?}"
        );
    }
}

/// Posts the form of a sign-in link's page.
async fn confirm_sign_in_link(browser: &TestServer, link: &str) -> reqwest::Response {
    assert_eq!(browser.get(&path_of(link)).await.status(), 200);
    let csrf = browser.csrf_token().await;
    browser
        .post_form(
            "/api/auth/callback/email",
            &[
                ("csrfToken", &csrf),
                ("token", &query_param(link, "token")),
                ("email", &query_param(link, "email")),
                ("callbackUrl", "/dashboard"),
            ],
        )
        .await
}

async fn request_sign_in_link(browser: &TestServer, email: &str) {
    let csrf = browser.csrf_token().await;
    let sent = browser
        .post_form(
            "/api/auth/signin/email",
            &[("csrfToken", &csrf), ("email", email)],
        )
        .await;
    assert!(location(&sent).contains("/verify-request"));
}

async fn forgot_password(browser: &TestServer, email: &str) {
    let csrf = browser.csrf_token().await;
    let sent = browser
        .client
        .post(browser.url("/api/auth/password/forgot"))
        .json(&json!({ "csrfToken": csrf, "email": email }))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 200);
}

async fn reset_password(browser: &TestServer, link: &str, password: &str) -> reqwest::Response {
    let csrf = browser.csrf_token().await;
    browser
        .post_form(
            "/api/auth/password/reset",
            &[
                ("csrfToken", &csrf),
                ("token", &query_param(link, "token")),
                ("password", password),
                ("callbackUrl", "/dashboard"),
            ],
        )
        .await
}

/// Posts the form of a verification link's page with `fields` added.
async fn verify(browser: &TestServer, link: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let csrf = browser.csrf_token().await;
    let token = query_param(link, "token");
    let email = query_param(link, "email");
    let mut form = vec![
        ("csrfToken", csrf.as_str()),
        ("token", token.as_str()),
        ("email", email.as_str()),
        ("callbackUrl", "/dashboard"),
    ];
    form.extend_from_slice(fields);
    browser.post_form("/api/auth/email/verify", &form).await
}

fn path_of(link: &str) -> String {
    let url = url::Url::parse(link).unwrap();
    format!("{}?{}", url.path(), url.query().unwrap_or_default())
}

// ---- the attack, through each flow ---------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_link_takes_the_account_back() {
    let world = world().await;
    let mallory = mallory_prepares(&world).await;
    let verification = link_in(&world.mail(ADA, "Verify your email", 1).await);

    let ada = world.server.other_browser();
    request_sign_in_link(&ada, ADA).await;
    let link = link_in(&world.mail(ADA, "Sign in", 1).await);
    let signed_in = confirm_sign_in_link(&ada, &link).await;
    assert!(location(&signed_in).ends_with("/dashboard"));

    assert_taken_back(&world, &mallory, &ada, true).await;
    assert!(world.providers_linked(ADA).await.is_empty());
    // The verification link mailed at Mallory's sign-up is void too.
    let token_hash = sha2::Sha256::digest(query_param(&verification, "token").as_bytes());
    let token_hash: String = token_hash.iter().map(|b| format!("{b:02x}")).collect();
    let store = world.server.auth.store();
    assert_eq!(
        store.take_verification_token(&token_hash).await.unwrap(),
        None
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_reset_takes_the_account_back() {
    let world = world().await;
    let mallory = mallory_prepares(&world).await;

    let ada = world.server.other_browser();
    forgot_password(&ada, ADA).await;
    let link = link_in(&world.mail(ADA, "Reset", 1).await);
    let reset = reset_password(&ada, &link, ADA_PASSWORD).await;
    assert!(
        location(&reset).ends_with("/dashboard"),
        "{}",
        location(&reset)
    );

    assert_taken_back(&world, &mallory, &ada, true).await;
    assert!(world.providers_linked(ADA).await.is_empty());
    let laptop = world.server.other_browser();
    laptop.sign_in(ADA, ADA_PASSWORD).await;
    assert_eq!(
        laptop.session().await["user"]["email"],
        ADA,
        "Ada's password works"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn this_was_not_me_on_the_verification_link_takes_the_account_back() {
    let world = world().await;
    let mallory = mallory_prepares(&world).await;
    let link = link_in(&world.mail(ADA, "Verify your email", 1).await);

    // The page shows the address and never signs in by itself: it wants the password.
    let ada = world.server.other_browser();
    let page = ada.get(&path_of(&link)).await.text().await.unwrap();
    assert!(page.contains(ADA), "{page}");
    assert!(page.contains(r#"name="password""#), "{page}");
    assert!(page.contains("This was not me"), "{page}");
    let without_password = verify(&ada, &link, &[]).await;
    assert!(
        location(&without_password).contains("error=CredentialsSignin"),
        "{}",
        location(&without_password)
    );
    assert_eq!(ada.session().await, json!({}), "no password, no session");
    let guessed = verify(&ada, &link, &[("password", "a guess at it")]).await;
    assert!(location(&guessed).contains("error=CredentialsSignin"));
    assert_eq!(ada.session().await, json!({}));
    let mallory_still_in = mallory.session().await;
    assert_eq!(mallory_still_in["user"]["email"], ADA);
    // Mallory knows her password and changes it, twice: the link mailed to Ada stays good
    // (she could otherwise void every link before Ada uses it).
    for (current, next) in [
        (MALLORY_PASSWORD, "mallory's second one"),
        ("mallory's second one", MALLORY_PASSWORD),
    ] {
        let csrf = mallory.csrf_token().await;
        let changed = mallory
            .client
            .post(mallory.url("/api/auth/password/change"))
            .json(&json!({ "csrfToken": csrf, "currentPassword": current, "newPassword": next }))
            .send()
            .await
            .unwrap();
        assert_eq!(changed.status(), 200);
    }

    // "This was not me": the link (still good) takes the account back.
    let taken = verify(&ada, &link, &[("intent", "not-mine")]).await;
    assert!(
        location(&taken).ends_with("/dashboard"),
        "{}",
        location(&taken)
    );
    // The link was the only one mailed, and it is used now: no other to void.
    assert_taken_back(&world, &mallory, &ada, false).await;
    assert!(world.providers_linked(ADA).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oidc_sign_in_that_vouches_for_the_address_takes_the_account_back() {
    let world = world().await;
    let mallory = mallory_prepares(&world).await;

    // The provider says ada@example.com is verified for its user "ada".
    let ada = world.server.other_browser();
    let (signed_in, _) = ada.oauth_sign_in("oidc", "ada").await;
    assert_eq!(location(&signed_in), ada.url("/dashboard"));

    assert_taken_back(&world, &mallory, &ada, true).await;
    assert_eq!(world.providers_linked(ADA).await, ["oidc"], "only Ada's");
    let again = world.server.other_browser();
    again.oauth_sign_in("oidc", "ada").await;
    assert_eq!(again.session().await["user"]["email"], ADA);
    assert_eq!(ada.session().await["user"]["email"], ADA);
}

// ---- the legitimate path of each flow -------------------------------------------------------

/// Grace signs up herself and confirms in another browser with her password: both browsers
/// stay signed in, the password keeps working, and the link works once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_creator_confirms_with_her_password_in_another_browser_and_stays_signed_in() {
    let world = world().await;
    let grace = "grace@example.com";
    let laptop = world.server.other_browser();
    sign_up(&laptop, grace, "grace's password").await;
    let link = link_in(&world.mail(grace, "Verify your email", 1).await);

    let phone = world.server.other_browser();
    let wrong = verify(&phone, &link, &[("password", "not it")]).await;
    let back = location(&wrong);
    assert!(back.contains("error=CredentialsSignin"), "{back}");
    assert!(back.contains("token="), "the link still works: {back}");
    let page = phone.get(&path_of(&back)).await.text().await.unwrap();
    assert!(page.contains("Invalid email or password"), "{page}");

    let confirmed = verify(&phone, &link, &[("password", "grace's password")]).await;
    assert!(location(&confirmed).ends_with("/dashboard"));
    assert_eq!(phone.session().await["user"]["email"], grace);
    assert_eq!(laptop.session().await["user"]["email"], grace);
    let user = world
        .server
        .auth
        .store()
        .user_by_email(grace)
        .await
        .unwrap();
    assert!(user.unwrap().email_verified.is_some());
    let third = world.server.other_browser();
    third.sign_in(grace, "grace's password").await;
    assert_eq!(third.session().await["user"]["email"], grace);
    let fourth = world.server.other_browser();
    let reused = verify(&fourth, &link, &[("password", "grace's password")]).await;
    assert!(location(&reused).contains("error=Verification"), "one use");
}

/// In the browser she signed up with, the page asks nothing more than a click.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_signed_in_creator_confirms_with_one_click() {
    let world = world().await;
    let henry = "henry@example.com";
    let laptop = world.server.other_browser();
    sign_up(&laptop, henry, "henry's password").await;
    let link = link_in(&world.mail(henry, "Verify your email", 1).await);
    let page = laptop.get(&path_of(&link)).await.text().await.unwrap();
    assert!(page.contains("Verify my email"), "{page}");
    assert!(!page.contains(r#"name="password""#), "{page}");
    assert!(!page.contains("This was not me"), "{page}");
    let confirmed = verify(&laptop, &link, &[]).await;
    assert!(location(&confirmed).ends_with("/dashboard"));
    assert_eq!(laptop.session().await["user"]["emailVerified"], true);
    let again = world.server.other_browser();
    again.sign_in(henry, "henry's password").await;
    assert_eq!(again.session().await["user"]["email"], henry);
}

/// A verified account: a sign-in link and an OIDC sign-in take nothing away; a reset ends
/// the sessions and voids every other link; a password change voids the mailed links.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_verified_account_keeps_its_ways_in_and_resets_void_every_other_link() {
    let world = world().await;
    let ivy = "ivy@example.com";
    let laptop = world.server.other_browser();
    sign_up(&laptop, ivy, "ivy's password").await;
    let link = link_in(&world.mail(ivy, "Verify your email", 1).await);
    verify(&laptop, &link, &[]).await;

    // A sign-in link and a vouching OIDC sign-in: both in, nothing else ends.
    let phone = world.server.other_browser();
    request_sign_in_link(&phone, ivy).await;
    confirm_sign_in_link(&phone, &link_in(&world.mail(ivy, "Sign in", 1).await)).await;
    let tablet = world.server.other_browser();
    tablet.oauth_sign_in("oidc", "ivy").await;
    for browser in [&laptop, &phone, &tablet] {
        assert_eq!(browser.session().await["user"]["email"], ivy);
    }
    assert_eq!(world.providers_linked(ivy).await, ["oidc"]);
    let with_password = world.server.other_browser();
    with_password.sign_in(ivy, "ivy's password").await;
    assert_eq!(with_password.session().await["user"]["email"], ivy);

    // Two resets asked for; the second one used: every session ends, the first is void.
    forgot_password(&phone, ivy).await;
    let first = link_in(&world.mail(ivy, "Reset", 1).await);
    forgot_password(&phone, ivy).await;
    let second = link_in(&world.mail(ivy, "Reset", 2).await);
    let reset = reset_password(&phone, &second, "ivy's next password").await;
    assert!(location(&reset).ends_with("/dashboard"));
    assert_eq!(laptop.session().await, json!({}));
    assert_eq!(phone.session().await["user"]["email"], ivy);
    let stranger = world.server.other_browser();
    let stale = reset_password(&stranger, &first, "a password of mallory's").await;
    assert!(
        location(&stale).contains("error=Verification"),
        "{}",
        location(&stale)
    );
    assert_eq!(
        world.providers_linked(ivy).await,
        ["oidc"],
        "a reset keeps links"
    );

    // A reset link asked for before a password change does not work after it.
    forgot_password(&phone, ivy).await;
    let before_change = link_in(&world.mail(ivy, "Reset", 3).await);
    let csrf = phone.csrf_token().await;
    let changed = phone
        .post_form(
            "/api/auth/password/change",
            &[
                ("csrfToken", &csrf),
                ("currentPassword", "ivy's next password"),
                ("newPassword", "ivy's third password"),
            ],
        )
        .await;
    assert!(changed.status().is_success() || changed.status().is_redirection());
    let stranger = world.server.other_browser();
    let stale = reset_password(&stranger, &before_change, "a password of mallory's").await;
    assert!(location(&stale).contains("error=Verification"));
    let fresh = world.server.other_browser();
    fresh.sign_in(ivy, "ivy's third password").await;
    assert_eq!(fresh.session().await["user"]["email"], ivy);
}

// ---- no enumeration through sign-up ------------------------------------------------------

/// Where sign-in needs a verified email, signing up with a taken address answers exactly as
/// for a new one, and the owner is mailed a notice instead.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_with_a_taken_address_answers_like_a_new_one_and_tells_the_owner() {
    let maildev = Maildev::start().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let mailer = SmtpMailer::new(&maildev.server_url(), "auth@example.com").unwrap();
    let server = serve_with(listener, base_url, Vec::new(), |mut config| {
        config.rate_limits.enabled = false;
        config.require_verified_email = true;
        config.with_mailer(mailer)
    })
    .await;
    let world = World {
        server,
        maildev,
        _provider: None,
    };
    let sign_up_as = |email: &'static str, json: bool| {
        let browser = world.server.other_browser();
        async move {
            let fields = [
                ("name", "Kim"),
                ("email", email),
                ("password", "kim's password"),
            ];
            let response = browser.sign_up_form(&fields, json).await;
            let status = response.status();
            let encoded = email.replace('@', "%40");
            let location = response
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().replace(&encoded, "EMAIL"));
            let body = response.text().await.unwrap().replace(email, "EMAIL");
            (status, location, body, browser.session().await)
        }
    };
    for json in [false, true] {
        let new = if json {
            "new-json@example.com"
        } else {
            "new-form@example.com"
        };
        let taken = if json {
            "taken-json@example.com"
        } else {
            "taken-form@example.com"
        };
        world
            .server
            .register(taken, "Owner", "the owner's password")
            .await;
        let (first, second) = (sign_up_as(new, json).await, sign_up_as(taken, json).await);
        assert_eq!(first, second, "the same answer (json: {json})");
        assert_eq!(first.3, json!({}), "nobody signed in before verifying");
        world.mail(new, "Verify your email", 1).await;
        let notice = world.mail(taken, "tried to sign up", 1).await;
        assert!(link_in(&notice).ends_with("/sign-in"), "{notice}");
        assert!(world.maildev.mails_to(taken).await.len() == 1);
    }
}

/// Mallory mails herself a verification link for her own account and dresses it up with
/// Ada's address: "This was not me" on it must not sign Ada in to Mallory's account.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_verification_link_for_another_address_signs_nobody_in() {
    let world = world().await;
    let mallory_own = "mallory@evil.example";
    let mallory = world.server.other_browser();
    sign_up(&mallory, mallory_own, MALLORY_PASSWORD).await;
    let own_link = link_in(&world.mail(mallory_own, "Verify your email", 1).await);
    let token = query_param(&own_link, "token");
    let dressed_up = format!("/api/auth/email/verify?token={token}&email=ada%40example.com");

    let ada = world.server.other_browser();
    let page = ada.get(&dressed_up).await.text().await.unwrap();
    assert!(page.contains(ADA), "the page shows what the link says");
    let csrf = ada.csrf_token().await;
    let refused = ada
        .post_form(
            "/api/auth/email/verify",
            &[
                ("csrfToken", &csrf),
                ("token", &token),
                ("email", ADA),
                ("intent", "not-mine"),
            ],
        )
        .await;
    assert!(
        location(&refused).contains("error=Verification"),
        "{}",
        location(&refused)
    );
    assert_eq!(
        ada.session().await,
        json!({}),
        "signed in to nobody's account"
    );
    let user = world
        .server
        .auth
        .store()
        .user_by_email(mallory_own)
        .await
        .unwrap();
    assert!(user.unwrap().email_verified.is_none());
}
