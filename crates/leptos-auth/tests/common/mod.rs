//! The library on a minimal router of its own: the `/api/auth` endpoints, a credentials
//! provider, an in-memory store and two plain axum handlers that use the extractors. No demo
//! app, no Leptos pages.
#![allow(dead_code)]

// The shared harness (crates/test-util); not every test file uses all of it.
#[allow(unused_imports)]
pub use leptos_auth_test_util::{client, location, maildev, set_cookies};

use std::sync::Arc;

use axum::{
    Router,
    routing::{get, post},
};
use leptos_auth::{
    Auth, AuthConfig, Session, SignedInUser, async_trait,
    callbacks::{Callbacks, JwtParams, JwtTrigger, Token},
    config::Pages,
    providers::Credentials,
    store::{MemoryStore, Store},
};
use serde_json::Value;

pub struct TestServer {
    pub base_url: String,
    /// A browser-like client: keeps cookies (in `jar`), does not follow redirects.
    pub client: reqwest::Client,
    pub jar: Arc<reqwest::cookie::Jar>,
    pub auth: Auth,
}

/// A browser-like client and the jar of its cookies.
fn browser_client() -> (reqwest::Client, Arc<reqwest::cookie::Jar>) {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    (client, jar)
}

/// Custom session fields, as an app would add them: the user id and a number claim on
/// sign-in, a new name on `update({name})`.
struct TestCallbacks;

#[async_trait]
impl Callbacks for TestCallbacks {
    async fn jwt(&self, mut token: Token, params: JwtParams<'_>) -> Token {
        match params.trigger {
            JwtTrigger::SignIn | JwtTrigger::SignUp => {
                token.extra.insert("numberKey".into(), 7.into());
            }
            JwtTrigger::Update => {
                if let Some(name) = params
                    .session_update
                    .and_then(|d| d.get("name"))
                    .and_then(Value::as_str)
                {
                    token.name = Some(name.to_owned());
                }
            }
            JwtTrigger::None => {}
        }
        token
    }

    async fn session(&self, mut session: Session, token: &Token) -> Session {
        session
            .user
            .extra
            .insert("id".into(), token.sub.clone().into());
        if let Some(number_key) = token.extra.get("numberKey") {
            session
                .user
                .extra
                .insert("numberKey".into(), number_key.clone());
        }
        session
    }
}

/// A handler only for signed-in users.
async fn whoami(user: SignedInUser) -> String {
    user.session.user.email.unwrap_or_default()
}

/// A handler for everyone.
async fn greeting(user: Option<SignedInUser>) -> String {
    match user {
        Some(user) => format!("hello {}", user.user_id),
        None => "hello stranger".into(),
    }
}

/// A state-changing route outside `/api/auth`, like a server function.
async fn change() -> &'static str {
    "changed"
}

impl TestServer {
    /// Another browser (its own cookies) on the same server.
    pub fn other_browser(&self) -> TestServer {
        let (client, jar) = browser_client();
        TestServer {
            base_url: self.base_url.clone(),
            client,
            jar,
            auth: self.auth.clone(),
        }
    }

    /// The value of the cookie `name` this browser holds for the server.
    pub fn cookie(&self, name: &str) -> Option<String> {
        use reqwest::cookie::CookieStore;
        let header = self.jar.cookies(&self.base_url.parse().unwrap())?;
        header.to_str().ok()?.split("; ").find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            (key == name).then(|| value.to_owned())
        })
    }

    /// Another browser holding copies of this one's cookies (as a thief would).
    pub fn with_copied_cookies(&self) -> TestServer {
        use reqwest::cookie::CookieStore;
        let copy = self.other_browser();
        let url: reqwest::Url = self.base_url.parse().unwrap();
        if let Some(header) = self.jar.cookies(&url) {
            for pair in header.to_str().unwrap().split("; ") {
                copy.jar.add_cookie_str(&format!("{pair}; Path=/"), &url);
            }
        }
        copy
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// A GET as a browser navigating to the page sends it (`Accept: text/html`).
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
            .send()
            .await
            .expect("request to the test server")
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .expect("request to the test server")
    }

    pub async fn csrf_token(&self) -> String {
        let body: Value = self.get("/api/auth/csrf").await.json().await.unwrap();
        body["csrfToken"].as_str().unwrap().to_owned()
    }

    /// Creates a password user directly in the store.
    pub async fn register(&self, email: &str, name: &str, password: &str) {
        self.auth
            .register(email, Some(name), password)
            .await
            .expect("register test user");
    }

    /// Signs in through `POST /api/auth/callback/credentials`; returns the response.
    pub async fn sign_in(&self, email: &str, password: &str) -> reqwest::Response {
        let csrf = self.csrf_token().await;
        self.post_form(
            "/api/auth/callback/credentials",
            &[
                ("csrfToken", &csrf),
                ("email", email),
                ("password", password),
                ("callbackUrl", "/dashboard"),
            ],
        )
        .await
    }

    /// Signs in through the credentials callback as `fetch` with `redirect: false` does
    /// (JSON mode): the answer carries the outcome in its status and `{"url"}`.
    pub async fn sign_in_json(&self, email: &str, password: &str) -> reqwest::Response {
        let csrf = self.csrf_token().await;
        self.client
            .post(self.url("/api/auth/callback/credentials"))
            .header("x-auth-return-redirect", "1")
            .form(&[
                ("csrfToken", csrf.as_str()),
                ("email", email),
                ("password", password),
            ])
            .send()
            .await
            .unwrap()
    }

    pub async fn session(&self) -> Value {
        self.get("/api/auth/session").await.json().await.unwrap()
    }
}

/// Starts the minimal app on 127.0.0.1 with a fresh port and an empty in-memory store; it
/// lives until the test's runtime ends. Per-IP rate limits are off, as for any test suite
/// that signs in often from one address; the lockout is on.
pub async fn spawn() -> TestServer {
    spawn_with(Arc::new(MemoryStore::default()), |mut config| {
        config.rate_limits.enabled = false;
        config
    })
    .await
}

/// [`spawn`] on a given store (several servers may share one, like instances sharing a
/// database), with `configure` applied to the test configuration.
pub async fn spawn_with(
    store: Arc<dyn Store>,
    configure: impl FnOnce(AuthConfig) -> AuthConfig,
) -> TestServer {
    let config = AuthConfig::new(vec!["a library test secret of 32+ bytes".into()])
        .with_provider(Credentials::email_password())
        .with_callbacks(TestCallbacks)
        .with_pages(Pages {
            sign_in: Some("/sign-in".into()),
            ..Pages::default()
        });
    let auth = Auth::new(configure(config), store);
    let app = Router::new()
        .route("/whoami", get(whoami))
        .route("/greeting", get(greeting))
        .route("/change", post(change))
        .merge(auth.router())
        .layer(auth.layer());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let service = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await.unwrap() });
    let (client, jar) = browser_client();
    TestServer {
        base_url: format!("http://{addr}"),
        client,
        jar,
        auth,
    }
}
