//! Abuse defence through real HTTP (docs/architecture.md › Account safety): per-IP rate limits
//! with `429` and `Retry-After`, whose `X-Forwarded-For` counts (per /64 for IPv6), and the
//! per-account lockout that a brute-force run runs into, the same for accounts that do not
//! exist.

use std::{sync::Arc, time::Duration};

use crate::common::{TestServer, location, spawn_with};
use leptos_auth::{
    limits::TrustedProxies,
    store::{MemoryStore, Store},
};
use serde_json::Value;

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery staple";

fn retry_after(response: &reqwest::Response) -> u64 {
    response
        .headers()
        .get("retry-after")
        .expect("a Retry-After header")
        .to_str()
        .unwrap()
        .parse()
        .expect("Retry-After in seconds")
}

/// Per-IP limits on (the defaults), on a fresh in-memory store.
async fn limited_server() -> TestServer {
    spawn_with(Arc::new(MemoryStore::default()), |config| config).await
}

/// Per-IP limits off, as `AUTH_RATE_LIMITS=off` sets them: the lockout must still hold.
async fn unlimited_server(store: Arc<dyn Store>) -> TestServer {
    spawn_with(store, |mut config| {
        config.rate_limits.enabled = false;
        config
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_attempts_over_the_per_ip_limit_get_429_with_retry_after() {
    let server = limited_server().await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    let limit = server.auth.config().rate_limits.max_requests;
    for attempt in 1..=limit {
        let response = server.sign_in(EMAIL, "wrong password").await;
        assert_eq!(
            response.status(),
            302,
            "attempt {attempt} is within the limit"
        );
    }

    // Form mode (no JavaScript): a readable page, not a redirect that hides the status.
    let refused = server.sign_in(EMAIL, PASSWORD).await;
    assert_eq!(refused.status(), 429);
    let wait = retry_after(&refused);
    assert!((1..=10).contains(&wait), "Retry-After {wait}");
    assert!(
        refused
            .headers()
            .get_all("set-cookie")
            .iter()
            .all(|c| !c.to_str().unwrap().contains("session-token")),
        "a refused attempt never signs in, even with the right password"
    );
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("Too many attempts. Try again in 1 minute."),
        "{page}"
    );

    // JSON mode: {"error":"RateLimited"} with a URL the Auth.js client can parse.
    let refused = server.sign_in_json(EMAIL, PASSWORD).await;
    assert_eq!(refused.status(), 429);
    assert!(retry_after(&refused) >= 1);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "RateLimited");
    assert!(
        body["url"].as_str().unwrap().contains("error=RateLimited"),
        "{body}"
    );

    // Reads are never limited.
    for _ in 0..20 {
        assert_eq!(server.get("/api/auth/session").await.status(), 200);
        assert_eq!(server.get("/api/auth/csrf").await.status(), 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_for_counts_only_from_trusted_proxies() {
    // Untrusted peer: a made-up X-Forwarded-For does not buy a fresh budget.
    let server = limited_server().await;
    let limit = server.auth.config().rate_limits.max_requests as usize;
    let mut statuses = Vec::new();
    for i in 0..=limit {
        statuses.push(attempts_from(&server, &format!("198.51.100.{i}")).await);
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");

    // Behind a trusted proxy (the test client's 127.0.0.1), each forwarded client has its
    // own budget: one noisy client does not lock out everyone behind the proxy.
    let proxied = spawn_with(Arc::new(MemoryStore::default()), |mut config| {
        config.trusted_proxies = "127.0.0.1/32, ::1".parse::<TrustedProxies>().unwrap();
        config
    })
    .await;
    let post_as = |client_ip: &'static str| {
        let proxied = &proxied;
        async move { attempts_from(proxied, &format!("203.0.113.66, {client_ip}")).await }
    };
    for _ in 0..limit {
        assert_eq!(post_as("198.51.100.1").await, 302);
    }
    assert_eq!(post_as("198.51.100.1").await, 429);
    assert_eq!(
        post_as("198.51.100.2").await,
        302,
        "another client keeps its budget"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn brute_force_locks_the_account_and_says_for_how_long() {
    let server = unlimited_server(Arc::new(MemoryStore::default())).await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    let lockout = server.auth.config().lockout.clone();

    let mut outcomes = Vec::new();
    for _ in 0..30 {
        let response = server.sign_in(EMAIL, "wrong password").await;
        outcomes.push(location(&response));
    }
    let failures = lockout.max_failures as usize;
    for url in &outcomes[..failures - 1] {
        assert!(url.contains("error=CredentialsSignin"), "{url}");
    }
    for url in &outcomes[failures - 1..] {
        assert!(url.contains("error=AccountLocked"), "{url}");
    }

    // The right password does not get through while the account is locked.
    let right = server.sign_in_json(EMAIL, PASSWORD).await;
    assert_eq!(right.status(), 429);
    let wait = retry_after(&right);
    let lock = lockout.duration.as_secs();
    assert!(wait > lock - 60 && wait <= lock, "Retry-After {wait}");
    let body: Value = right.json().await.unwrap();
    let url = body["url"].as_str().unwrap();
    assert!(
        url.contains("error=AccountLocked") && url.contains(&format!("retryAfter={wait}")),
        "{url}"
    );
    assert_eq!(server.session().await, serde_json::json!({}));

    // Without JavaScript the error page hands the wait on to the sign-in page.
    let locked = server.sign_in(EMAIL, PASSWORD).await;
    let mut url = location(&locked);
    for _ in 0..2 {
        // The error page, then the sign-in endpoint, which hands over to the app's page.
        url = location(&server.client.get(&url).send().await.unwrap());
    }
    assert!(
        url.starts_with("/sign-in?") && url.contains("error=AccountLocked&retryAfter="),
        "{url}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_emails_are_locked_exactly_like_real_ones() {
    let server = unlimited_server(Arc::new(MemoryStore::default())).await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    let failures = server.auth.config().lockout.max_failures;
    let mut trails = Vec::new();
    for email in [EMAIL, "nobody@example.com"] {
        let mut trail = Vec::new();
        for _ in 0..=failures {
            let response = server.sign_in_json(email, "wrong password").await;
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap();
            let url = body["url"].as_str().unwrap().to_owned();
            let error = url
                .split("error=")
                .nth(1)
                .unwrap()
                .split('&')
                .next()
                .unwrap();
            trail.push((status, error.to_owned()));
        }
        trails.push(trail);
    }
    assert_eq!(
        trails[0], trails[1],
        "the answers tell nothing about existence"
    );
    assert_eq!(
        trails[0].last().unwrap(),
        &(429, "AccountLocked".to_owned())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lockout_holds_on_every_instance_sharing_the_store() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::default());
    let a = unlimited_server(store.clone()).await;
    let b = unlimited_server(store).await;
    a.register(EMAIL, "Ada", PASSWORD).await;
    for _ in 0..a.auth.config().lockout.max_failures {
        a.sign_in(EMAIL, "wrong password").await;
    }
    let on_b = b.sign_in_json(EMAIL, PASSWORD).await;
    assert_eq!(on_b.status(), 429);
    let body: Value = on_b.json().await.unwrap();
    assert!(
        body["url"]
            .as_str()
            .unwrap()
            .contains("error=AccountLocked")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_successful_sign_in_clears_earlier_failures() {
    let server = unlimited_server(Arc::new(MemoryStore::default())).await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    let failures = server.auth.config().lockout.max_failures;
    for _ in 0..failures - 1 {
        server.sign_in(EMAIL, "wrong password").await;
    }
    assert!(location(&server.sign_in(EMAIL, PASSWORD).await).ends_with("/dashboard"));
    // A fresh run of failures: the next wrong password is an ordinary failure again.
    let next = location(&server.sign_in(EMAIL, "wrong password").await);
    assert!(next.contains("error=CredentialsSignin"), "{next}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_expire_with_their_window() {
    let server = spawn_with(Arc::new(MemoryStore::default()), |mut config| {
        config.rate_limits.max_requests = 1;
        // Long enough that the second request lands in the first one's window even when a
        // busy machine takes a second or two to hash the first password.
        config.rate_limits.window = Duration::from_secs(5);
        config
    })
    .await;
    assert_eq!(server.sign_in(EMAIL, "x").await.status(), 302);
    let refused = server.sign_in(EMAIL, "x").await;
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    tokio::time::sleep(Duration::from_secs(wait) + Duration::from_millis(1100)).await;
    assert_eq!(server.sign_in(EMAIL, "x").await.status(), 302);
}

/// A wrong-password sign-in sent with `X-Forwarded-For: <client_ip>`; its status.
async fn attempts_from(server: &TestServer, client_ip: &str) -> u16 {
    let csrf = server.csrf_token().await;
    server
        .client
        .post(server.url("/api/auth/callback/credentials"))
        .header("x-forwarded-for", client_ip)
        .form(&[
            ("csrfToken", csrf.as_str()),
            ("email", EMAIL),
            ("password", "x"),
        ])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ipv6_clients_are_limited_by_network_so_rotating_addresses_buys_nothing() {
    let server = spawn_with(Arc::new(MemoryStore::default()), |mut config| {
        config.trusted_proxies = "127.0.0.1/32".parse::<TrustedProxies>().unwrap();
        config
    })
    .await;
    let limit = server.auth.config().rate_limits.max_requests;
    // One host walking through its /64: a new address each time, one budget.
    for n in 1..=limit {
        let status = attempts_from(&server, &format!("2001:db8:1:2::{n:x}")).await;
        assert_eq!(status, 302, "attempt {n}");
    }
    assert_eq!(
        attempts_from(&server, "2001:db8:1:2:ffff:ffff:ffff:fff0").await,
        429
    );
    // The next /64 is somebody else; an IPv4 client too.
    assert_eq!(attempts_from(&server, "2001:db8:1:3::1").await, 302);
    assert_eq!(attempts_from(&server, "198.51.100.7").await, 302);

    // The prefix is configurable: with /128 every address is its own client.
    let per_address = spawn_with(Arc::new(MemoryStore::default()), |mut config| {
        config.trusted_proxies = "127.0.0.1/32".parse::<TrustedProxies>().unwrap();
        config.rate_limits.ipv6_prefix = 128;
        config
    })
    .await;
    for n in 1..=limit + 2 {
        let status = attempts_from(&per_address, &format!("2001:db8:1:2::{n:x}")).await;
        assert_eq!(status, 302, "address {n} has its own budget");
    }
}
