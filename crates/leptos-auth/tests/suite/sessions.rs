//! Sessions you can see and end (docs/architecture.md › Account safety), for both strategies,
//! through real HTTP: listing, revoking one or all others, sign-out deleting the row, password
//! change ending every other session — and never touching another user's sessions.

use std::{sync::Arc, time::Duration};

use crate::common::{TestServer, spawn_with};
use leptos_auth::{
    config::SessionStrategy,
    store::{MemoryStore, Store},
};
use serde_json::{Value, json};

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery staple";

/// A server whose JWT sessions are checked against the store on every request.
async fn server(strategy: SessionStrategy) -> TestServer {
    spawn_with(Arc::new(MemoryStore::default()), move |mut config| {
        config.rate_limits.enabled = false;
        config.session.strategy = strategy;
        config.session.check_interval = Duration::ZERO;
        config
    })
    .await
}

async fn sessions(server: &TestServer) -> Vec<Value> {
    let response = server.get("/api/auth/sessions").await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn post_json(server: &TestServer, path: &str, mut body: Value) -> reqwest::Response {
    body["csrfToken"] = server.csrf_token().await.into();
    server
        .client
        .post(server.url(path))
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn signed_in(session: &Value) -> bool {
    session["user"]["email"] == EMAIL
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_are_listed_and_revoked_for_both_strategies() {
    for strategy in [SessionStrategy::Jwt, SessionStrategy::Database] {
        let laptop = server(strategy).await;
        laptop.register(EMAIL, "Ada", PASSWORD).await;
        let phone = laptop.other_browser();
        let tablet = laptop.other_browser();
        for device in [&laptop, &phone, &tablet] {
            assert_eq!(device.sign_in(EMAIL, PASSWORD).await.status(), 302);
        }

        let listed = sessions(&laptop).await;
        assert_eq!(listed.len(), 3, "{strategy:?}: {listed:?}");
        assert_eq!(listed.iter().filter(|s| s["current"] == true).count(), 1);
        for session in &listed {
            for field in ["id", "createdAt", "lastSeenAt", "ip"] {
                assert!(
                    session[field].is_string(),
                    "{strategy:?}: {field} in {session}"
                );
            }
            assert_eq!(session["ip"], "127.0.0.1");
        }

        // End the phone's session from the laptop: the phone is signed out at once.
        let phone_id = sessions(&phone)
            .await
            .into_iter()
            .find(|s| s["current"] == true)
            .unwrap()["id"]
            .clone();
        let revoked = post_json(
            &laptop,
            "/api/auth/sessions/revoke",
            json!({ "id": phone_id }),
        )
        .await;
        assert_eq!(
            revoked.json::<Value>().await.unwrap(),
            json!({ "revoked": 1 })
        );
        assert!(
            !signed_in(&phone.session().await),
            "{strategy:?}: phone signed out"
        );
        assert!(
            signed_in(&laptop.session().await),
            "{strategy:?}: laptop still in"
        );

        // "Sign out all other sessions".
        let others = post_json(
            &laptop,
            "/api/auth/sessions/revoke",
            json!({ "others": true }),
        )
        .await;
        assert_eq!(
            others.json::<Value>().await.unwrap(),
            json!({ "revoked": 1 })
        );
        assert!(
            !signed_in(&tablet.session().await),
            "{strategy:?}: tablet signed out"
        );
        assert!(signed_in(&laptop.session().await));
        assert_eq!(sessions(&laptop).await.len(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_users_sessions_cannot_be_listed_or_revoked() {
    let ada = server(SessionStrategy::Jwt).await;
    ada.register(EMAIL, "Ada", PASSWORD).await;
    ada.register("eve@example.com", "Eve", PASSWORD).await;
    let eve = ada.other_browser();
    ada.sign_in(EMAIL, PASSWORD).await;
    eve.sign_in("eve@example.com", PASSWORD).await;
    let ada_id = sessions(&ada).await[0]["id"].clone();
    assert_eq!(sessions(&eve).await.len(), 1, "Eve sees only her own");

    let attempt = post_json(&eve, "/api/auth/sessions/revoke", json!({ "id": ada_id })).await;
    assert_eq!(
        attempt.json::<Value>().await.unwrap(),
        json!({ "revoked": 0 })
    );
    assert!(signed_in(&ada.session().await), "Ada's session survives");

    // Signed out: nothing to list, nothing to revoke; without CSRF: refused.
    let stranger = ada.other_browser();
    assert_eq!(stranger.get("/api/auth/sessions").await.status(), 401);
    let unsigned = post_json(
        &stranger,
        "/api/auth/sessions/revoke",
        json!({ "others": true }),
    )
    .await;
    assert_eq!(unsigned.status(), 401);
    let no_csrf = ada
        .client
        .post(ada.url("/api/auth/sessions/revoke"))
        .json(&json!({ "others": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(no_csrf.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_out_deletes_the_row_so_a_copied_cookie_stops_working() {
    for strategy in [SessionStrategy::Jwt, SessionStrategy::Database] {
        let server = server(strategy).await;
        server.register(EMAIL, "Ada", PASSWORD).await;
        let response = server.sign_in(EMAIL, PASSWORD).await;
        let cookie = crate::common::set_cookies(&response)
            .into_iter()
            .find(|c| c.starts_with("authjs.session-token="))
            .unwrap();
        let value = cookie.split(';').next().unwrap().to_owned();
        if strategy == SessionStrategy::Database {
            let opaque = value.trim_start_matches("authjs.session-token=");
            assert!(!opaque.contains('.'), "an opaque id, not a JWT: {opaque}");
            let user = server
                .auth
                .store()
                .user_by_email(EMAIL)
                .await
                .unwrap()
                .unwrap();
            let rows = server
                .auth
                .store()
                .sessions_of_user(&user.id)
                .await
                .unwrap();
            assert_ne!(
                rows[0].token_hash.as_deref(),
                Some(opaque),
                "only its hash is stored"
            );
        }

        let csrf = server.csrf_token().await;
        server
            .post_form("/api/auth/signout", &[("csrfToken", &csrf)])
            .await;
        let replayed = reqwest::Client::new()
            .get(server.url("/api/auth/session"))
            .header("cookie", &value)
            .send()
            .await
            .unwrap();
        assert_eq!(
            replayed.json::<Value>().await.unwrap(),
            json!({}),
            "{strategy:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_used_session_slides_updates_and_ends_at_its_idle_expiry() {
    for strategy in [SessionStrategy::Jwt, SessionStrategy::Database] {
        let server = spawn_with(Arc::new(MemoryStore::default()), move |mut config| {
            config.rate_limits.enabled = false;
            config.session.strategy = strategy;
            config.session.check_interval = Duration::ZERO;
            config.session.max_age = Duration::from_secs(3);
            config.session.update_age = Duration::ZERO;
            config
        })
        .await;
        server.register(EMAIL, "Ada", PASSWORD).await;
        server.sign_in(EMAIL, PASSWORD).await;
        let updated = post_json(
            &server,
            "/api/auth/session",
            json!({ "data": { "name": "Countess" } }),
        )
        .await;
        assert_eq!(
            updated.json::<Value>().await.unwrap()["user"]["name"],
            "Countess"
        );
        assert_eq!(
            server.session().await["user"]["numberKey"],
            7,
            "callbacks ran at sign-in"
        );
        // Used every second, it outlives its 3 s idle lifetime (the row slides too)...
        for _ in 0..4 {
            tokio::time::sleep(Duration::from_secs(1)).await;
            assert_eq!(
                server.session().await["user"]["name"],
                "Countess",
                "{strategy:?}"
            );
        }
        // ...left alone, it does not.
        tokio::time::sleep(Duration::from_millis(4100)).await;
        assert_eq!(server.session().await, json!({}), "{strategy:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_password_ends_every_other_session() {
    let laptop = server(SessionStrategy::Jwt).await;
    laptop.register(EMAIL, "Ada", PASSWORD).await;
    let thief = laptop.other_browser();
    laptop.sign_in(EMAIL, PASSWORD).await;
    thief.sign_in(EMAIL, PASSWORD).await;
    let change = |current: &'static str, new: &'static str| {
        post_json(
            &laptop,
            "/api/auth/password/change",
            json!({ "currentPassword": current, "newPassword": new }),
        )
    };

    let wrong = change("not my password", "a brand new password").await;
    assert_eq!(wrong.status(), 403);
    assert_eq!(
        wrong.json::<Value>().await.unwrap()["error"],
        "WrongPassword"
    );
    let weak = change(PASSWORD, "short").await;
    assert_eq!(weak.status(), 400);
    assert_eq!(weak.json::<Value>().await.unwrap()["error"], "WeakPassword");
    assert!(
        signed_in(&thief.session().await),
        "failed attempts change nothing"
    );

    let done = change(PASSWORD, "a brand new password").await;
    assert_eq!(done.json::<Value>().await.unwrap(), json!({ "ok": true }));
    assert!(
        signed_in(&laptop.session().await),
        "this device stays signed in"
    );
    assert!(
        !signed_in(&thief.session().await),
        "every other session ends"
    );

    let old = laptop.other_browser();
    let refused = old.sign_in(EMAIL, PASSWORD).await;
    assert!(crate::common::location(&refused).contains("error=CredentialsSignin"));
    let new = old.sign_in(EMAIL, "a brand new password").await;
    assert!(crate::common::location(&new).ends_with("/dashboard"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_forms_come_back_to_their_page() {
    let server = server(SessionStrategy::Jwt).await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    server.sign_in(EMAIL, PASSWORD).await;
    let csrf = server.csrf_token().await;
    let wrong = server
        .post_form(
            "/api/auth/password/change",
            &[
                ("csrfToken", &csrf),
                ("currentPassword", "nope"),
                ("newPassword", "a brand new password"),
                ("callbackUrl", "/settings"),
            ],
        )
        .await;
    assert_eq!(
        crate::common::location(&wrong),
        "/settings?error=WrongPassword"
    );
    let others = server
        .post_form(
            "/api/auth/sessions/revoke",
            &[
                ("csrfToken", &csrf),
                ("others", "true"),
                ("callbackUrl", "/settings"),
            ],
        )
        .await;
    assert_eq!(crate::common::location(&others), "/settings");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_jwt_session_is_noticed_within_the_check_interval() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::default());
    // Two instances on one store; B checks JWT sessions against it every second.
    let a = spawn_with(store.clone(), |mut config| {
        config.rate_limits.enabled = false;
        config
    })
    .await;
    let b = spawn_with(store, |mut config| {
        config.session.check_interval = Duration::from_secs(1);
        config
    })
    .await;
    a.register(EMAIL, "Ada", PASSWORD).await;
    let response = a.sign_in(EMAIL, PASSWORD).await;
    let cookie = crate::common::set_cookies(&response)
        .into_iter()
        .find(|c| c.starts_with("authjs.session-token="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let on_b = || async {
        reqwest::Client::new()
            .get(b.url("/api/auth/session"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()
    };
    assert!(signed_in(&on_b().await), "the session works on B");

    // Revoked through A ("sign out all sessions" from another device of Ada's).
    let other_device = a.other_browser();
    other_device.sign_in(EMAIL, PASSWORD).await;
    let revoked = post_json(
        &other_device,
        "/api/auth/sessions/revoke",
        json!({ "others": true }),
    )
    .await;
    assert_eq!(
        revoked.json::<Value>().await.unwrap(),
        json!({ "revoked": 1 })
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        on_b().await,
        json!({}),
        "B refuses it once its check is due"
    );
}
