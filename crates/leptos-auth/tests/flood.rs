//! A flood of sign-ins against the bounded hashing queue. Alone in its test binary: the
//! hashing threads are shared by the whole process, and a full queue would refuse other
//! tests' sign-ins.

mod common;

use std::{sync::Arc, time::Duration};

use common::spawn_with;
use leptos_auth::store::MemoryStore;

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery staple";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_sign_ins_is_answered_at_once_when_the_hashing_queue_is_full() {
    let server = spawn_with(Arc::new(MemoryStore::default()), |mut config| {
        config.rate_limits.enabled = false;
        config
    })
    .await;
    let csrf = server.csrf_token().await;
    // Many more wrong passwords at once than the hashing threads queue (32 per thread),
    // each for its own address so the lockout plays no part.
    let mut flood = tokio::task::JoinSet::new();
    for n in 0..400 {
        let (client, url, csrf) = (
            server.client.clone(),
            server.url("/api/auth/callback/credentials"),
            csrf.clone(),
        );
        flood.spawn(async move {
            let request = client
                .post(url)
                .header("x-auth-return-redirect", "1")
                .form(&[
                    ("csrfToken", csrf.as_str()),
                    ("email", &format!("flood{n}@example.com")),
                    ("password", "wrong password"),
                ])
                .send();
            let response = tokio::time::timeout(Duration::from_secs(60), request)
                .await
                .expect("answered, not left hanging")
                .unwrap();
            let retry_after = response.headers().contains_key("retry-after");
            (response.status().as_u16(), retry_after)
        });
    }
    let answers = flood.join_all().await;
    let busy: Vec<_> = answers
        .iter()
        .filter(|(status, _)| *status == 429)
        .collect();
    assert!(!busy.is_empty(), "some were refused: {answers:?}");
    assert!(busy.iter().all(|(_, retry_after)| *retry_after));
    let wrong_password = server
        .sign_in_json("nobody@example.com", "x")
        .await
        .status();
    assert!(
        answers
            .iter()
            .all(|(status, _)| *status == 429 || *status == wrong_password.as_u16()),
        "every other one is a plain wrong-password answer ({wrong_password}): {answers:?}"
    );
    // Once the flood is over, sign-in works at once.
    server.register(EMAIL, "Ada", PASSWORD).await;
    server.sign_in(EMAIL, PASSWORD).await;
    assert_eq!(server.session().await["user"]["email"], EMAIL);
}
