//! The audit log through real HTTP: what a user does (and what is tried against their
//! account) is listed by `GET /api/auth/audit`, newest first, for that user only.

use std::sync::Arc;

use crate::common::{TestServer, spawn_with};
use leptos_auth::store::MemoryStore;
use serde_json::{Value, json};

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery staple";

async fn events(server: &TestServer) -> Vec<String> {
    let response = server.get("/api/auth/audit").await;
    assert_eq!(response.status(), 200);
    let body: Vec<Value> = response.json().await.unwrap();
    for event in &body {
        assert!(event["time"].as_str().unwrap().ends_with('Z'), "{event}");
        assert_eq!(event["ip"], "127.0.0.1", "{event}");
    }
    body.iter()
        .map(|e| e["event"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_users_security_events_are_logged_and_listed_for_them_only() {
    let ada = spawn_with(Arc::new(MemoryStore::default()), |mut config| {
        config.rate_limits.enabled = false;
        config
    })
    .await;
    ada.register(EMAIL, "Ada", PASSWORD).await;
    ada.register("eve@example.com", "Eve", PASSWORD).await;
    let eve = ada.other_browser();

    // Someone tries Ada's password, then she signs in twice and changes her password.
    eve.sign_in(EMAIL, "guessing").await;
    ada.sign_in(EMAIL, PASSWORD).await;
    let other_device = ada.other_browser();
    other_device.sign_in(EMAIL, PASSWORD).await;
    let csrf = ada.csrf_token().await;
    let changed = ada
        .client
        .post(ada.url("/api/auth/password/change"))
        .json(&json!({
            "csrfToken": csrf,
            "currentPassword": PASSWORD,
            "newPassword": "a brand new password"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    eve.sign_in("eve@example.com", PASSWORD).await;

    assert_eq!(
        events(&ada).await,
        ["password_change", "sign_in", "sign_in", "sign_in_failed"],
        "newest first, the failed attempt on her account included"
    );
    assert_eq!(events(&eve).await, ["sign_in"], "Eve sees only her own");

    // Sign-out is logged too (read through the store: the signed-out browser cannot ask).
    let csrf = ada.csrf_token().await;
    ada.post_form("/api/auth/signout", &[("csrfToken", &csrf)])
        .await;
    let user = ada
        .auth
        .store()
        .user_by_email(EMAIL)
        .await
        .unwrap()
        .unwrap();
    let logged = ada
        .auth
        .store()
        .audit_events(Some(&user.id), 1)
        .await
        .unwrap();
    assert_eq!(logged[0].event, "sign_out");
    assert_eq!(ada.get("/api/auth/audit").await.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lockout_is_logged() {
    let server = spawn_with(Arc::new(MemoryStore::default()), |mut config| {
        config.rate_limits.enabled = false;
        config.lockout.max_failures = 3;
        config
    })
    .await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    for _ in 0..3 {
        server.sign_in(EMAIL, "guessing").await;
    }
    let user = server
        .auth
        .store()
        .user_by_email(EMAIL)
        .await
        .unwrap()
        .unwrap();
    let logged: Vec<String> = server
        .auth
        .store()
        .audit_events(Some(&user.id), 10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(
        logged,
        [
            "lockout",
            "sign_in_failed",
            "sign_in_failed",
            "sign_in_failed"
        ]
    );
}
