//! Passkeys through the real endpoints, with a software authenticator standing in for the
//! browser's (crates/test-util): adding, signing in, signing up, managing; and what an
//! attacker would try — another origin or RP ID, a replayed, expired or foreign challenge,
//! no user verification, another user's credential, a deleted one, a counter that goes
//! backwards, malformed and oversized bodies. Every refusal is a 4xx with a stable code
//! and signs nobody in.
//!
//! Browsers (and webauthn-rs) refuse WebAuthn on IP-address origins, so the clients here
//! talk to the server as `http://localhost:<port>`.

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use crate::common::{TestServer, spawn_with};
use leptos_auth::{
    providers::Passkey,
    store::{MemoryStore, Store, TokenPurpose, TwoFactorRecord, VerificationToken},
};
use leptos_auth_test_util::authenticator::{Answer, BE, BS, SoftPasskey, UP};
use reqwest::{StatusCode, cookie::CookieStore};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery staple";

/// A site with the passkey provider next to the credentials one.
async fn site() -> TestServer {
    spawn_with(Arc::new(MemoryStore::default()), |mut config| {
        config.rate_limits.enabled = false;
        config.with_provider(Passkey::new())
    })
    .await
}

/// A browser that talks to a server as `http://localhost:<port>`.
struct Browser {
    client: reqwest::Client,
    jar: Arc<reqwest::cookie::Jar>,
    /// The token of the page's latest passkey ceremony, sent back with the answer.
    ceremony: Arc<Mutex<String>>,
    /// Where its requests go.
    base: String,
    /// The page's origin, as the browser reports it in a WebAuthn answer: the server's
    /// own, or the public URL of a site whose instances sit behind a load balancer.
    origin: String,
}

impl Browser {
    fn of(server: &TestServer) -> Browser {
        let addr = server_addr(server);
        let origin = format!("http://localhost:{}", addr.port());
        Browser::at(server, &origin)
    }

    /// A browser on a page of `origin`, talking to `server`.
    fn at(server: &TestServer, origin: &str) -> Browser {
        Browser::with_state(server, Arc::default(), Arc::default(), origin)
    }

    /// The same browser (cookies, page) talking to another instance of the site.
    fn also_at(&self, server: &TestServer) -> Browser {
        Browser::with_state(
            server,
            self.jar.clone(),
            self.ceremony.clone(),
            &self.origin,
        )
    }

    fn with_state(
        server: &TestServer,
        jar: Arc<reqwest::cookie::Jar>,
        ceremony: Arc<Mutex<String>>,
        origin: &str,
    ) -> Browser {
        let addr = server_addr(server);
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .resolve("localhost", addr)
            .build()
            .unwrap();
        Browser {
            client,
            jar,
            ceremony,
            base: format!("http://localhost:{}", addr.port()),
            origin: origin.to_owned(),
        }
    }

    fn ceremony(&self) -> String {
        self.ceremony.lock().unwrap().clone()
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The `Cookie` header the browser sends now.
    fn cookie_header(&self) -> String {
        let url = self.base.parse().unwrap();
        self.jar
            .cookies(&url)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    }

    async fn csrf(&self) -> String {
        let body: Value = self
            .client
            .get(self.url("/api/auth/csrf"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        body["csrfToken"].as_str().unwrap().to_owned()
    }

    /// A JSON POST with the CSRF token added.
    async fn post(&self, path: &str, mut body: Value) -> (StatusCode, Value) {
        body["csrfToken"] = self.csrf().await.into();
        let response = self
            .client
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn options(&self, action: &str, extra: Value) -> Value {
        let mut body = json!({ "action": action });
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        let (status, answer) = self.post("/api/auth/webauthn-options/passkey", body).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(answer["action"], action);
        *self.ceremony.lock().unwrap() = answer["ceremony"].as_str().unwrap().to_owned();
        answer["options"].clone()
    }

    /// Posts the answer to the latest ceremony.
    async fn callback(&self, action: &str, data: Value, extra: Value) -> (StatusCode, Value) {
        let mut body = json!({ "action": action, "data": data, "ceremony": self.ceremony() });
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        self.post("/api/auth/callback/passkey", body).await
    }

    async fn sign_in_with_password(&self, email: &str, password: &str) {
        let csrf = self.csrf().await;
        let response = self
            .client
            .post(self.url("/api/auth/callback/credentials"))
            .header("x-auth-return-redirect", "1")
            .form(&[
                ("csrfToken", csrf.as_str()),
                ("email", email),
                ("password", password),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }

    async fn session(&self) -> Value {
        self.client
            .get(self.url("/api/auth/session"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    async fn passkeys(&self) -> Value {
        self.client
            .get(self.url("/api/auth/passkeys"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Adds `passkey` to the signed-in account under `name`.
    async fn add_passkey(&self, passkey: &mut SoftPasskey, name: &str) -> Value {
        let options = self.options("register", json!({})).await;
        let credential = passkey.register(&options, &Answer::to(&options, &self.origin));
        let (status, body) = self
            .callback("register", credential, json!({ "name": name }))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// Signs in with `passkey`, the answer changed by `tamper` first.
    async fn sign_in_with(
        &self,
        passkey: &mut SoftPasskey,
        tamper: impl FnOnce(&mut Answer),
    ) -> (StatusCode, Value) {
        let options = self.options("authenticate", json!({})).await;
        let mut answer = Answer::to(&options, &self.origin);
        tamper(&mut answer);
        let assertion = passkey.assert(&answer);
        self.callback(
            "authenticate",
            assertion,
            json!({ "callbackUrl": "/dashboard" }),
        )
        .await
    }
}

/// A signed-in user with one passkey, and a signed-out browser to use it from.
async fn user_with_passkey(server: &TestServer, seed: &str) -> (SoftPasskey, Browser) {
    let email = format!("{seed}@example.com");
    server.register(&email, seed, PASSWORD).await;
    let owner = Browser::of(server);
    owner.sign_in_with_password(&email, PASSWORD).await;
    let mut passkey = SoftPasskey::new(seed);
    owner.add_passkey(&mut passkey, "Laptop").await;
    (passkey, Browser::of(server))
}

async fn audit_events(server: &TestServer, email: &str) -> Vec<String> {
    let user = server
        .auth
        .store()
        .user_by_email(email)
        .await
        .unwrap()
        .unwrap();
    let events = server
        .auth
        .store()
        .audit_events(Some(&user.id), 100)
        .await
        .unwrap();
    events
        .into_iter()
        .map(|e| format!("{}:{}", e.event, e.provider.unwrap_or_default()))
        .collect()
}

fn assert_refused(outcome: &(StatusCode, Value), code: &str) {
    let (status, body) = outcome;
    assert!(status.is_client_error(), "{status} {body}");
    assert_eq!(body["error"], code, "{body}");
}

async fn assert_signed_out(browser: &Browser) {
    let session = browser.session().await;
    assert!(session.get("user").is_none(), "signed out, yet {session}");
}

#[tokio::test]
async fn a_passkey_added_in_settings_signs_in_without_an_email() {
    let server = site().await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    let owner = Browser::of(&server);
    owner.sign_in_with_password(EMAIL, PASSWORD).await;
    let mut laptop = SoftPasskey::new("laptop");
    let added = owner.add_passkey(&mut laptop, "MacBook").await;
    assert_eq!(added["ok"], true);
    assert_eq!(added["id"], laptop.id());
    let mut phone = SoftPasskey::new("phone");
    owner.add_passkey(&mut phone, "Pixel").await;
    let listed = owner.passkeys().await;
    let mut names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["MacBook", "Pixel"]);
    assert!(listed[0]["lastUsedAt"].is_null());

    for passkey in [&mut laptop, &mut phone] {
        let visitor = Browser::of(&server);
        let (status, body) = visitor.sign_in_with(passkey, |_| {}).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["url"], format!("{}/dashboard", visitor.origin));
        assert_eq!(visitor.session().await["user"]["email"], EMAIL);
    }
    assert!(owner.passkeys().await[0]["lastUsedAt"].is_string());
    let events = audit_events(&server, EMAIL).await;
    assert!(
        events.contains(&"passkey_added:passkey".to_owned()),
        "{events:?}"
    );
    assert!(events.contains(&"sign_in:passkey".to_owned()), "{events:?}");
}

#[tokio::test]
async fn a_renamed_passkey_is_listed_so_and_a_deleted_one_signs_nobody_in() {
    let server = site().await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    let owner = Browser::of(&server);
    owner.sign_in_with_password(EMAIL, PASSWORD).await;
    let mut passkey = SoftPasskey::new("laptop");
    owner.add_passkey(&mut passkey, "Laptop").await;
    let id = passkey.id();

    let renamed = owner
        .post(
            "/api/auth/passkeys/rename",
            json!({ "id": id, "name": "Work laptop" }),
        )
        .await;
    assert_eq!(renamed.0, StatusCode::OK, "{}", renamed.1);
    assert_eq!(owner.passkeys().await[0]["name"], "Work laptop");
    for name in ["", &"x".repeat(65)] {
        let refused = owner
            .post(
                "/api/auth/passkeys/rename",
                json!({ "id": id, "name": name }),
            )
            .await;
        assert_refused(&refused, "InvalidName");
    }

    // Another user can neither rename nor delete it.
    let (_, other) = user_with_passkey(&server, "grace").await;
    other
        .sign_in_with_password("grace@example.com", PASSWORD)
        .await;
    let theirs = other
        .post("/api/auth/passkeys/delete", json!({ "id": id }))
        .await;
    assert_refused(&theirs, "NotFound");
    let theirs = other
        .post(
            "/api/auth/passkeys/rename",
            json!({ "id": id, "name": "mine" }),
        )
        .await;
    assert_refused(&theirs, "NotFound");

    let deleted = owner
        .post("/api/auth/passkeys/delete", json!({ "id": id }))
        .await;
    assert_eq!(deleted.0, StatusCode::OK, "{}", deleted.1);
    assert_eq!(owner.passkeys().await, json!([]));
    let visitor = Browser::of(&server);
    let refused = visitor.sign_in_with(&mut passkey, |_| {}).await;
    assert_refused(&refused, "WebAuthnVerificationError");
    assert_signed_out(&visitor).await;
    let events = audit_events(&server, EMAIL).await;
    assert!(
        events.contains(&"passkey_removed:passkey".to_owned()),
        "{events:?}"
    );
}

#[tokio::test]
async fn passkey_sign_up_creates_an_account_without_a_password() {
    let server = site().await;
    let browser = Browser::of(&server);
    let options = browser
        .options(
            "register",
            json!({ "email": "Lin@Example.com", "name": "Lin" }),
        )
        .await;
    assert_eq!(
        options["publicKey"]["authenticatorSelection"]["residentKey"], "required",
        "discoverable, so that signing in needs no email"
    );
    assert_eq!(options["publicKey"]["rp"]["id"], "localhost");
    let mut passkey = SoftPasskey::new("lin");
    let credential = passkey.register(&options, &Answer::to(&options, &browser.origin));
    let (status, body) = browser
        .callback(
            "register",
            credential,
            json!({ "callbackUrl": "/dashboard" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body["url"].as_str().unwrap().contains("/dashboard"),
        "{body}"
    );
    assert_eq!(browser.session().await["user"]["email"], "lin@example.com");
    let user = server
        .auth
        .store()
        .user_by_email("lin@example.com")
        .await
        .unwrap()
        .unwrap();
    assert!(!server.auth.store().has_password(&user.id).await.unwrap());
    assert!(user.email_verified.is_none(), "verified later, by mail");

    // It signs in again later, and the address cannot be taken a second time.
    let later = Browser::of(&server);
    assert_eq!(
        later.sign_in_with(&mut passkey, |_| {}).await.0,
        StatusCode::OK
    );
    let again = Browser::of(&server);
    let options = again
        .options("register", json!({ "email": "lin@example.com" }))
        .await;
    let mut other = SoftPasskey::new("impostor");
    let credential = other.register(&options, &Answer::to(&options, &again.origin));
    assert_refused(
        &again.callback("register", credential, json!({})).await,
        "EmailTaken",
    );
    assert_signed_out(&again).await;

    // Another key that reports Lin's credential id makes no account and no passkey.
    let mallory = Browser::of(&server);
    let options = mallory
        .options("register", json!({ "email": "mallory@example.com" }))
        .await;
    let mut copy = SoftPasskey::new("mallory");
    copy.credential_id = passkey.credential_id.clone();
    let credential = copy.register(&options, &Answer::to(&options, &mallory.origin));
    let refused = mallory.callback("register", credential, json!({})).await;
    assert_refused(&refused, "PasskeyExists");
    let store = server.auth.store();
    assert!(
        store
            .user_by_email("mallory@example.com")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        later.sign_in_with(&mut passkey, |_| {}).await.0,
        StatusCode::OK
    );

    // Without a session and without a valid email there is nothing to register.
    let (status, body) = again
        .post(
            "/api/auth/webauthn-options/passkey",
            json!({ "action": "register", "email": "not an email" }),
        )
        .await;
    assert_refused(&(status, body), "InvalidEmail");
}

#[tokio::test]
async fn a_user_with_a_passkey_may_remove_their_password() {
    let server = site().await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    let owner = Browser::of(&server);
    owner.sign_in_with_password(EMAIL, PASSWORD).await;
    let refused = owner.post("/api/auth/password/remove", json!({})).await;
    assert_refused(&refused, "NoPasskey");
    let mut passkey = SoftPasskey::new("laptop");
    owner.add_passkey(&mut passkey, "Laptop").await;
    let removed = owner.post("/api/auth/password/remove", json!({})).await;
    assert_eq!(removed.0, StatusCode::OK, "{}", removed.1);

    let visitor = Browser::of(&server);
    let csrf = visitor.csrf().await;
    let response = visitor
        .client
        .post(visitor.url("/api/auth/callback/credentials"))
        .header("x-auth-return-redirect", "1")
        .form(&[
            ("csrfToken", csrf.as_str()),
            ("email", EMAIL),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        visitor.sign_in_with(&mut passkey, |_| {}).await.0,
        StatusCode::OK
    );
    let events = audit_events(&server, EMAIL).await;
    assert!(
        events.contains(&"password_removed:".to_owned()),
        "{events:?}"
    );
}

#[tokio::test]
async fn adding_a_passkey_needs_a_recent_sign_in() {
    let server = spawn_with(Arc::new(MemoryStore::default()), |mut config| {
        config.rate_limits.enabled = false;
        config.session.fresh_age = Duration::from_secs(1);
        config.with_provider(Passkey::new())
    })
    .await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    let owner = Browser::of(&server);
    owner.sign_in_with_password(EMAIL, PASSWORD).await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let (status, body) = owner
        .post(
            "/api/auth/webauthn-options/passkey",
            json!({ "action": "register" }),
        )
        .await;
    assert_refused(&(status, body), "SessionNotFresh");
    assert_eq!(status, StatusCode::FORBIDDEN);
    let refused = owner.post("/api/auth/password/remove", json!({})).await;
    assert_refused(&refused, "SessionNotFresh");
    // Signing in again makes it fresh.
    owner.sign_in_with_password(EMAIL, PASSWORD).await;
    owner
        .add_passkey(&mut SoftPasskey::new("laptop"), "Laptop")
        .await;
}

#[tokio::test]
async fn an_answer_for_another_origin_or_rp_id_or_without_user_verification_is_refused() {
    let server = site().await;
    let (mut passkey, visitor) = user_with_passkey(&server, "ada").await;
    type Tamper = fn(&mut Answer);
    let tampered: [(&str, Tamper); 4] = [
        ("origin", |a| a.origin = "http://evil.example".into()),
        ("port", |a| a.origin = "http://localhost:1".into()),
        ("RP ID", |a| a.rp_id = "evil.example".into()),
        ("user verification", |a| a.flags = UP),
    ];
    for (what, tamper) in tampered {
        let (status, body) = visitor.sign_in_with(&mut passkey, tamper).await;
        assert_eq!(
            body["error"], "WebAuthnVerificationError",
            "{what}: {status} {body}"
        );
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what}");
        assert_signed_out(&visitor).await;
    }
    // A registration from another origin is refused too.
    let owner = Browser::of(&server);
    owner
        .sign_in_with_password("ada@example.com", PASSWORD)
        .await;
    let options = owner.options("register", json!({})).await;
    let mut answer = Answer::to(&options, &owner.origin);
    answer.origin = "http://evil.example".into();
    let credential = SoftPasskey::new("evil").register(&options, &answer);
    let refused = owner.callback("register", credential, json!({})).await;
    assert_refused(&refused, "WebAuthnVerificationError");
    assert_eq!(owner.passkeys().await.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_challenge_works_once_within_five_minutes_and_only_for_its_own_ceremony() {
    let server = site().await;
    let (mut passkey, visitor) = user_with_passkey(&server, "ada").await;

    // Replayed: the same answer with the same cookies, after it signed in once.
    let options = visitor.options("authenticate", json!({})).await;
    let assertion = passkey.assert(&Answer::to(&options, &visitor.origin));
    let cookies = visitor.cookie_header();
    let (status, _) = visitor
        .callback("authenticate", assertion.clone(), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let attacker = reqwest::Client::builder()
        .resolve("localhost", server_addr(&server))
        .build()
        .unwrap();
    let csrf = csrf_of(&cookies);
    let replay = attacker
        .post(visitor.url("/api/auth/callback/passkey"))
        .header("cookie", &cookies)
        .json(&json!({
            "csrfToken": csrf,
            "action": "authenticate",
            "ceremony": visitor.ceremony(),
            "data": assertion,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::BAD_REQUEST);
    let sessions_set = crate::common::set_cookies(&replay)
        .into_iter()
        .filter(|c| c.contains("session-token=") && !c.contains("session-token=;"))
        .count();
    assert_eq!(sessions_set, 0, "no session for a replay");
    assert_eq!(
        replay.json::<Value>().await.unwrap()["error"],
        "ChallengeExpired"
    );

    // Expired: the ceremony's row outlived its five minutes.
    let fresh = Browser::of(&server);
    let options = fresh.options("authenticate", json!({})).await;
    let ceremony = fresh.ceremony();
    let handle = ceremony.split('.').next().unwrap();
    let token_hash = hex(&Sha256::digest(handle.as_bytes()));
    let store = server.auth.store();
    let row = store
        .take_verification_token(&token_hash)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.purpose, TokenPurpose::PasskeyChallenge);
    assert!(row.expires_at <= now() + 300, "five minutes at most");
    store
        .create_verification_token(&VerificationToken {
            expires_at: now() - 1,
            ..row
        })
        .await
        .unwrap();
    let assertion = passkey.assert(&Answer::to(&options, &fresh.origin));
    let refused = fresh.callback("authenticate", assertion, json!({})).await;
    assert_refused(&refused, "ChallengeExpired");
    assert_signed_out(&fresh).await;

    // Made for another challenge: signed for the first options, posted with the second's
    // cookie.
    let browser = Browser::of(&server);
    let first = browser.options("authenticate", json!({})).await;
    let _second = browser.options("authenticate", json!({})).await;
    let assertion = passkey.assert(&Answer::to(&first, &browser.origin));
    let refused = browser.callback("authenticate", assertion, json!({})).await;
    assert_refused(&refused, "WebAuthnVerificationError");
    assert_signed_out(&browser).await;

    // No ceremony at all.
    let stranger = Browser::of(&server);
    let assertion = passkey.assert(&Answer::to(&first, &stranger.origin));
    let refused = stranger
        .callback("authenticate", assertion, json!({}))
        .await;
    assert_refused(&refused, "ChallengeExpired");

    // A sign-in ceremony cannot finish a registration.
    let owner = Browser::of(&server);
    owner
        .sign_in_with_password("ada@example.com", PASSWORD)
        .await;
    let options = owner.options("authenticate", json!({})).await;
    let mut answer = Answer::to(&options, &owner.origin);
    answer.rp_id = "localhost".into();
    let registration = json!({ "publicKey": { "user": { "id": "AAAA" }, "rp": { "id": "localhost" }, "challenge": options["publicKey"]["challenge"] } });
    let credential = SoftPasskey::new("mixed").register(&registration, &answer);
    let refused = owner.callback("register", credential, json!({})).await;
    assert_refused(&refused, "ChallengeExpired");
}

#[tokio::test]
async fn another_users_credential_cannot_sign_in_as_you() {
    let server = site().await;
    let (ada_key, _) = user_with_passkey(&server, "ada").await;
    let (mut grace_key, visitor) = user_with_passkey(&server, "grace").await;

    // Grace's key, presented under Ada's user handle.
    grace_key.user_handle = ada_key.user_handle.clone();
    let refused = visitor.sign_in_with(&mut grace_key, |_| {}).await;
    assert_refused(&refused, "WebAuthnVerificationError");
    // Ada's credential id, signed with Grace's key.
    let mut forged = SoftPasskey::new("grace");
    forged.credential_id = ada_key.credential_id.clone();
    forged.user_handle = ada_key.user_handle.clone();
    let refused = visitor.sign_in_with(&mut forged, |_| {}).await;
    assert_refused(&refused, "WebAuthnVerificationError");
    // A credential the site never saw.
    let refused = visitor
        .sign_in_with(&mut SoftPasskey::new("unknown"), |_| {})
        .await;
    assert_refused(&refused, "WebAuthnVerificationError");
    assert_signed_out(&visitor).await;
}

#[tokio::test]
async fn a_counter_that_goes_backwards_is_refused_and_audited_unless_it_never_counted() {
    let server = site().await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    let owner = Browser::of(&server);
    owner.sign_in_with_password(EMAIL, PASSWORD).await;
    let mut counting = SoftPasskey::new("yubikey");
    counting.counter = 5;
    owner.add_passkey(&mut counting, "Security key").await;
    let visitor = Browser::of(&server);
    assert_eq!(
        visitor.sign_in_with(&mut counting, |_| {}).await.0,
        StatusCode::OK
    );
    // A copy of the key that lags behind.
    counting.counter = 3;
    let clone = Browser::of(&server);
    let refused = clone.sign_in_with(&mut counting, |_| {}).await;
    assert_refused(&refused, "WebAuthnVerificationError");
    assert_signed_out(&clone).await;
    let events = audit_events(&server, EMAIL).await;
    assert!(
        events.contains(&"passkey_counter_regressed:passkey".to_owned()),
        "{events:?}"
    );

    // Synced passkeys report 0 every time: that is no regression.
    let mut synced = SoftPasskey::new("icloud");
    synced.own_flags = BE | BS;
    owner.sign_in_with_password(EMAIL, PASSWORD).await;
    owner.add_passkey(&mut synced, "iPhone").await;
    for _ in 0..2 {
        let visitor = Browser::of(&server);
        let (status, body) = visitor.sign_in_with(&mut synced, |_| {}).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let listed = owner.passkeys().await;
    let synced_of = |name: &str| {
        let listed = listed.as_array().unwrap();
        listed.iter().find(|p| p["name"] == name).unwrap()["synced"].clone()
    };
    assert_eq!(synced_of("iPhone"), true);
    assert_eq!(synced_of("Security key"), false);
}

#[tokio::test]
async fn malformed_and_oversized_bodies_get_a_4xx_with_a_stable_code() {
    let server = site().await;
    let (_, visitor) = user_with_passkey(&server, "ada").await;
    let options = visitor.options("authenticate", json!({})).await;
    assert!(options["publicKey"]["challenge"].is_string());
    let bodies = [
        (json!({ "action": "authenticate" }), "InvalidRequest"),
        (
            json!({ "action": "authenticate", "data": "not json" }),
            "InvalidRequest",
        ),
        (
            json!({ "action": "authenticate", "data": 42 }),
            "InvalidRequest",
        ),
        (
            json!({ "action": "authenticate", "data": {} }),
            "InvalidRequest",
        ),
        (
            json!({ "action": "authenticate", "data": { "id": "x", "rawId": "!!", "type": "public-key", "response": {} } }),
            "InvalidRequest",
        ),
        (json!({ "action": "dance", "data": {} }), "InvalidRequest"),
        (json!({ "data": {} }), "InvalidRequest"),
    ];
    for (body, code) in bodies {
        let refused = visitor
            .post("/api/auth/callback/passkey", body.clone())
            .await;
        assert_refused(&refused, code);
    }
    let refused = visitor
        .post(
            "/api/auth/webauthn-options/passkey",
            json!({ "action": "dance" }),
        )
        .await;
    assert_refused(&refused, "InvalidRequest");
    let refused = visitor
        .post(
            "/api/auth/webauthn-options/other",
            json!({ "action": "authenticate" }),
        )
        .await;
    assert_refused(&refused, "PasskeysUnavailable");
    // Without the CSRF token.
    let response = visitor
        .client
        .post(visitor.url("/api/auth/webauthn-options/passkey"))
        .json(&json!({ "action": "authenticate" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // Oversized.
    let csrf = visitor.csrf().await;
    let huge = json!({ "csrfToken": csrf, "action": "authenticate", "data": "x".repeat(200_000) });
    let response = visitor
        .client
        .post(visitor.url("/api/auth/callback/passkey"))
        .json(&huge)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_signed_out(&visitor).await;
}

#[tokio::test]
async fn passkeys_are_off_on_an_ip_address_origin() {
    let server = site().await;
    // `server.base_url` is http://127.0.0.1:<port>.
    let csrf = server.csrf_token().await;
    let response = server
        .client
        .post(server.url("/api/auth/webauthn-options/passkey"))
        .json(&json!({ "csrfToken": csrf, "action": "authenticate" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        response.json::<Value>().await.unwrap()["error"],
        "PasskeysUnavailable"
    );
}

#[tokio::test]
async fn a_ceremony_started_on_one_instance_finishes_on_another() {
    // Two instances on one store, behind one public URL (as behind a load balancer).
    const PUBLIC: &str = "http://localhost:8443";
    let store: Arc<dyn Store> = Arc::new(MemoryStore::default());
    let configure = |mut config: leptos_auth::AuthConfig| {
        config.rate_limits.enabled = false;
        config.url = Some(PUBLIC.parse().unwrap());
        config.with_provider(Passkey::new())
    };
    let one = spawn_with(store.clone(), configure).await;
    let two = spawn_with(store, configure).await;
    one.register(EMAIL, "Ada", PASSWORD).await;
    let at_one = Browser::at(&one, PUBLIC);
    let at_two = at_one.also_at(&two);
    at_one.sign_in_with_password(EMAIL, PASSWORD).await;

    // Registration: options from one, the answer to two.
    let options = at_one.options("register", json!({})).await;
    let mut passkey = SoftPasskey::new("laptop");
    let credential = passkey.register(&options, &Answer::to(&options, PUBLIC));
    let (status, body) = at_two.callback("register", credential, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Sign-in: options from two, the answer to one.
    let at_one = Browser::at(&one, PUBLIC);
    let at_two = at_one.also_at(&two);
    let options = at_two.options("authenticate", json!({})).await;
    let assertion = passkey.assert(&Answer::to(&options, PUBLIC));
    let (status, body) = at_one.callback("authenticate", assertion, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(at_two.session().await["user"]["email"], EMAIL);
}

fn server_addr(server: &TestServer) -> SocketAddr {
    server.base_url["http://".len()..].parse().unwrap()
}

fn csrf_of(cookie_header: &str) -> String {
    let value = cookie_header
        .split("; ")
        .find_map(|c| c.strip_prefix("authjs.csrf-token="))
        .expect("a CSRF cookie");
    let decoded = percent_encoding::percent_decode_str(value)
        .decode_utf8()
        .unwrap();
    decoded.split('|').next().unwrap().to_owned()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn a_passkey_sign_up_is_mailed_a_link_that_verifies_the_address() {
    use leptos_auth::mail::SmtpMailer;
    use leptos_auth_test_util::maildev::{Maildev, link_in};

    let maildev = Maildev::start().await;
    let mailer = SmtpMailer::new(&maildev.server_url(), "auth@example.com").unwrap();
    let server = spawn_with(Arc::new(MemoryStore::default()), move |mut config| {
        config.rate_limits.enabled = false;
        config.with_provider(Passkey::new()).with_mailer(mailer)
    })
    .await;
    let browser = Browser::of(&server);
    let options = browser
        .options("register", json!({ "email": "lin@example.com" }))
        .await;
    let credential =
        SoftPasskey::new("lin").register(&options, &Answer::to(&options, &browser.origin));
    let (status, body) = browser.callback("register", credential, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mail = maildev.wait_for_mail("lin@example.com", 1).await;
    assert!(
        link_in(&mail).contains("/api/auth/email/verify?token="),
        "{mail}"
    );
}

#[tokio::test]
async fn the_owner_of_the_address_takes_a_passkey_squatted_account_back() {
    use leptos_auth::mail::SmtpMailer;
    use leptos_auth_test_util::maildev::{Maildev, link_in, query_param};

    const VICTIM: &str = "victim@example.com";
    let maildev = Maildev::start().await;
    let mailer = SmtpMailer::new(&maildev.server_url(), "auth@example.com").unwrap();
    let server = spawn_with(Arc::new(MemoryStore::default()), move |mut config| {
        config.rate_limits.enabled = false;
        config.with_provider(Passkey::new()).with_mailer(mailer)
    })
    .await;
    // Someone signs up with the victim's address and a passkey of their own.
    let squatter = Browser::of(&server);
    let options = squatter
        .options("register", json!({ "email": VICTIM }))
        .await;
    let mut passkey = SoftPasskey::new("squatter");
    let credential = passkey.register(&options, &Answer::to(&options, &squatter.origin));
    assert_eq!(
        squatter.callback("register", credential, json!({})).await.0,
        StatusCode::OK
    );
    maildev.wait_for_mail(VICTIM, 1).await;

    // The owner of the address resets the password through the mailed link.
    let owner = server.other_browser();
    let csrf = owner.csrf_token().await;
    let forgot = owner
        .client
        .post(owner.url("/api/auth/password/forgot"))
        .json(&json!({ "csrfToken": csrf, "email": VICTIM }))
        .send()
        .await
        .unwrap();
    assert_eq!(forgot.status(), StatusCode::OK);
    let link = link_in(&maildev.wait_for_mail(VICTIM, 2).await);
    assert!(link.contains("/api/auth/password/reset?token="), "{link}");
    let csrf = owner.csrf_token().await;
    let token = query_param(&link, "token");
    let reset = owner
        .post_form(
            "/api/auth/password/reset",
            &[
                ("csrfToken", &csrf),
                ("token", &token),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert!(reset.status().is_redirection() || reset.status().is_success());

    // The squatter's passkey is gone with the account's other ways in.
    let refused = Browser::of(&server)
        .sign_in_with(&mut passkey, |_| {})
        .await;
    assert_refused(&refused, "WebAuthnVerificationError");
    let events = audit_events(&server, VICTIM).await;
    assert!(
        events.contains(&"passkey_removed:passkey".to_owned()),
        "{events:?}"
    );
}

#[tokio::test]
async fn a_passkey_sign_in_asks_for_no_second_factor() {
    let server = site().await;
    let (mut passkey, visitor) = user_with_passkey(&server, "ada").await;
    let store = server.auth.store();
    let user = store
        .user_by_email("ada@example.com")
        .await
        .unwrap()
        .unwrap();
    // Two-factor on for the account (the secret does not matter: no code is asked here).
    store
        .put_two_factor(&TwoFactorRecord {
            user_id: user.id.clone(),
            secret: "sealed".into(),
            enabled_at: Some(1),
            last_step: 0,
            backup_codes: String::new(),
            created_at: 1,
        })
        .await
        .unwrap();
    let (status, body) = visitor.sign_in_with(&mut passkey, |_| {}).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(visitor.session().await["user"]["email"], "ada@example.com");
    // The password, by contrast, now waits for the code.
    let csrf = server.csrf_token().await;
    let response = server
        .client
        .post(server.url("/api/auth/callback/credentials"))
        .header("x-auth-return-redirect", "1")
        .form(&[
            ("csrfToken", csrf.as_str()),
            ("email", "ada@example.com"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "TwoFactorRequired");
}
