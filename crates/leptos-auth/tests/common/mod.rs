//! The library on a minimal router of its own: the `/api/auth` endpoints, a credentials
//! provider, an in-memory store and two plain axum handlers that use the extractors. No demo
//! app, no Leptos pages.
#![allow(dead_code)]

// The shared harness (crates/test-util); not every test file uses all of it.
#[allow(unused_imports)]
pub use leptos_auth_test_util::{Browser, client, location, maildev, set_cookies};

use std::{ops::Deref, sync::Arc};

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

/// The minimal app, seen through one browser (its cookies), with the app's `Auth` at hand for
/// what a test sets up or checks in the store directly.
pub struct TestServer {
    pub browser: Browser,
    pub auth: Auth,
}

impl Deref for TestServer {
    type Target = Browser;

    fn deref(&self) -> &Browser {
        &self.browser
    }
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
        TestServer {
            browser: self.browser.another(),
            auth: self.auth.clone(),
        }
    }

    /// Another browser holding copies of this one's cookies (as a thief would).
    pub fn with_copied_cookies(&self) -> TestServer {
        TestServer {
            browser: self.browser.with_copied_cookies(),
            auth: self.auth.clone(),
        }
    }

    /// Creates a password user directly in the store.
    pub async fn register(&self, email: &str, name: &str, password: &str) {
        self.auth
            .register(email, Some(name), password)
            .await
            .expect("register test user");
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
    TestServer {
        browser: Browser::new(format!("http://{addr}")),
        auth,
    }
}
