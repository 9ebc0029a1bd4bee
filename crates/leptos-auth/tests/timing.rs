//! Whether the time of a failed sign-in tells an unknown email from a wrong password, for an
//! argon2id account and for one imported with a bcrypt hash. Alone in its test binary, so no
//! other test competes for the cores while it measures.

mod common;

use std::{sync::Arc, time::Instant};

use common::spawn_with;
use leptos_auth::store::{MemoryStore, NewUser};

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery staple";
/// Imported from a NextAuth + bcryptjs app, at bcryptjs's default cost.
const IMPORTED: &str = "imported@example.com";

/// The lower quartile: a busy machine only ever adds time, so the fast end of the samples
/// is the cost of the path itself (a median moved by 30% when another process woke up).
fn lower_quartile(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 4]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_email_fails_in_the_time_of_a_wrong_password() {
    // The lockout would end both runs early (and fast): raise it for this measurement.
    let server = spawn_with(Arc::new(MemoryStore::default()), |mut config| {
        config.rate_limits.enabled = false;
        config.lockout.max_failures = 1_000;
        config
    })
    .await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    let bcrypt_hash = bcrypt::hash(PASSWORD, 10).unwrap();
    let imported = server
        .auth
        .store()
        .import_users(vec![NewUser {
            email: Some(IMPORTED.into()),
            password_hash: Some(bcrypt_hash),
            ..NewUser::default()
        }])
        .await
        .unwrap();
    assert_eq!(imported, [true]);
    let csrf = server.csrf_token().await;
    let attempt = |email: &'static str| {
        let server = &server;
        let csrf = csrf.clone();
        async move {
            let started = Instant::now();
            let response = server
                .post_form(
                    "/api/auth/callback/credentials",
                    &[
                        ("csrfToken", &csrf),
                        ("email", email),
                        ("password", "wrong password"),
                    ],
                )
                .await;
            let elapsed = started.elapsed().as_secs_f64();
            let location = response.headers()["location"].to_str().unwrap().to_owned();
            assert!(location.contains("error=CredentialsSignin"), "{location}");
            elapsed
        }
    };
    // Warm-up: first hashes, first connection.
    attempt(EMAIL).await;
    attempt(IMPORTED).await;
    let (mut known, mut bcrypt, mut unknown) = (Vec::new(), Vec::new(), Vec::new());
    // Interleaved, so a slow moment of the machine hits every side alike.
    for _ in 0..30 {
        known.push(attempt(EMAIL).await);
        bcrypt.push(attempt(IMPORTED).await);
        unknown.push(attempt("nobody@example.com").await);
    }
    let unknown = lower_quartile(unknown);
    for (account, times) in [("argon2id", known), ("imported bcrypt", bcrypt)] {
        let ratio = unknown / lower_quartile(times);
        assert!(
            (0.8..=1.25).contains(&ratio),
            "unknown-email / wrong-password ({account}) time ratio {ratio:.3}"
        );
    }
}
