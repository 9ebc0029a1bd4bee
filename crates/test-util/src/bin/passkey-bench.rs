//! `passkey-bench <site URL> <email> <password> <seconds> <connections>`: sign-ins per second
//! through a running server, with a passkey (options, the software authenticator's
//! assertion, the answer) and with the password (the credentials callback), measured the
//! same way by the same client. The site URL must name a host, not an IP address
//! (`http://localhost:<port>`); it is reached on 127.0.0.1. Run by `scripts/bench.sh`.

use std::{
    net::SocketAddr,
    sync::Arc,
    time::{Duration, Instant},
};

use leptos_auth_test_util::authenticator::{Answer, SoftPasskey};
use serde_json::{Value, json};

struct Site {
    base: String,
    addr: SocketAddr,
}

impl Site {
    fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .resolve("localhost", self.addr)
            .build()
            .expect("an HTTP client")
    }

    async fn csrf(&self, client: &reqwest::Client) -> String {
        let body: Value = client
            .get(format!("{}/api/auth/csrf", self.base))
            .send()
            .await
            .expect("GET /csrf")
            .json()
            .await
            .expect("CSRF JSON");
        body["csrfToken"].as_str().expect("a CSRF token").to_owned()
    }

    async fn post(&self, client: &reqwest::Client, path: &str, body: Value) -> (u16, Value) {
        let response = client
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .expect("a POST");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn password_sign_in(
        &self,
        client: &reqwest::Client,
        csrf: &str,
        email: &str,
        password: &str,
    ) -> bool {
        let response = client
            .post(format!("{}/api/auth/callback/credentials", self.base))
            .header("x-auth-return-redirect", "1")
            .form(&[
                ("csrfToken", csrf),
                ("email", email),
                ("password", password),
            ])
            .send()
            .await
            .expect("a sign-in");
        response.status().is_success()
    }

    async fn passkey_sign_in(
        &self,
        client: &reqwest::Client,
        csrf: &str,
        passkey: &mut SoftPasskey,
    ) -> bool {
        let body = json!({ "csrfToken": csrf, "action": "authenticate" });
        let (status, options) = self
            .post(client, "/api/auth/webauthn-options/passkey", body)
            .await;
        if status != 200 {
            return false;
        }
        let assertion = passkey.assert(&Answer::to(&options["options"], &self.base));
        let body = json!({
            "csrfToken": csrf,
            "action": "authenticate",
            "ceremony": options["ceremony"],
            "data": assertion,
        });
        self.post(client, "/api/auth/callback/passkey", body)
            .await
            .0
            == 200
    }
}

/// Sign-ins per second and the median latency (ms) of `connections` loops of `attempt`.
async fn measure<F, Fut>(seconds: u64, connections: usize, attempt: F) -> (f64, f64, usize)
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let attempt = Arc::new(attempt);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let attempt = attempt.clone();
            tokio::spawn(async move {
                let (mut times, mut failures) = (Vec::new(), 0);
                while Instant::now() < deadline {
                    let t = Instant::now();
                    if attempt().await {
                        times.push(t.elapsed().as_secs_f64() * 1000.0);
                    } else {
                        failures += 1;
                    }
                }
                (times, failures)
            })
        })
        .collect();
    let (mut times, mut failures) = (Vec::new(), 0);
    for task in tasks {
        let (t, f) = task.await.expect("a measuring task");
        times.extend(t);
        failures += f;
    }
    let rate = times.len() as f64 / started.elapsed().as_secs_f64();
    times.sort_by(f64::total_cmp);
    let median = times.get(times.len() / 2).copied().unwrap_or(f64::NAN);
    (rate, median, failures)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, base, email, password, seconds, connections] = &args[..] else {
        eprintln!("usage: passkey-bench <site URL> <email> <password> <seconds> <connections>");
        std::process::exit(2);
    };
    let seconds: u64 = seconds.parse().expect("seconds");
    let connections: usize = connections.parse().expect("connections");
    let url = url::Url::parse(base).expect("a site URL");
    let port = url.port_or_known_default().expect("a port");
    let site = Arc::new(Site {
        base: base.trim_end_matches('/').to_owned(),
        addr: SocketAddr::from(([127, 0, 0, 1], port)),
    });

    // The user's passkey, added after a password sign-in.
    let owner = site.client();
    let csrf = site.csrf(&owner).await;
    assert!(
        site.password_sign_in(&owner, &csrf, email, password).await,
        "password sign-in"
    );
    let (status, options) = site
        .post(
            &owner,
            "/api/auth/webauthn-options/passkey",
            json!({ "csrfToken": csrf, "action": "register" }),
        )
        .await;
    assert_eq!(status, 200, "registration options: {options}");
    let mut passkey = SoftPasskey::new("bench");
    let credential = passkey.register(
        &options["options"],
        &Answer::to(&options["options"], &site.base),
    );
    let body = json!({ "csrfToken": csrf, "action": "register", "ceremony": options["ceremony"], "data": credential, "name": "bench" });
    let (status, answer) = site.post(&owner, "/api/auth/callback/passkey", body).await;
    assert_eq!(status, 200, "registration: {answer}");
    let credential_seed = Arc::new(passkey);

    let passkey_sign_ins = {
        let site = site.clone();
        let seed = credential_seed.clone();
        move || {
            let site = site.clone();
            let seed = seed.clone();
            async move {
                let client = site.client();
                let csrf = site.csrf(&client).await;
                let mut passkey = SoftPasskey::new("bench");
                passkey.user_handle = seed.user_handle.clone();
                site.passkey_sign_in(&client, &csrf, &mut passkey).await
            }
        }
    };
    let (email, password) = (email.clone(), password.clone());
    let password_sign_ins = {
        let site = site.clone();
        move || {
            let (site, email, password) = (site.clone(), email.clone(), password.clone());
            async move {
                let client = site.client();
                let csrf = site.csrf(&client).await;
                site.password_sign_in(&client, &csrf, &email, &password)
                    .await
            }
        }
    };
    // Each sign-in starts from a new browser: GET /csrf, then the sign-in's own requests.
    let (rate, median, failures) = measure(seconds, connections, passkey_sign_ins).await;
    println!("passkey.signins {rate:.1}");
    println!("passkey.median_ms {median:.1}");
    println!("passkey.failures {failures}");
    let (rate, median, failures) = measure(seconds, connections, password_sign_ins).await;
    println!("password.signins {rate:.1}");
    println!("password.median_ms {median:.1}");
    println!("password.failures {failures}");
}
