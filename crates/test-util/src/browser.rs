//! A browser as the integration tests drive one: its own cookies, no redirect followed (the
//! tests read each one), and the requests a browser sends to an Auth.js-style server.

use std::sync::Arc;

use reqwest::cookie::{CookieStore, Jar};
use serde_json::Value;

/// A browser on one site: keeps its cookies in `jar`, does not follow redirects.
pub struct Browser {
    /// The site, `http://127.0.0.1:<port>`.
    pub base_url: String,
    pub client: reqwest::Client,
    pub jar: Arc<Jar>,
}

impl Browser {
    /// A browser without cookies on the site at `base_url`.
    pub fn new(base_url: impl Into<String>) -> Browser {
        let jar = Arc::new(Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client");
        Browser {
            base_url: base_url.into(),
            client,
            jar,
        }
    }

    /// Another browser (its own cookies) on the same site.
    pub fn another(&self) -> Browser {
        Browser::new(self.base_url.clone())
    }

    /// Another browser holding copies of this one's cookies (as a thief would).
    pub fn with_copied_cookies(&self) -> Browser {
        let copy = self.another();
        let url: reqwest::Url = self.base_url.parse().unwrap();
        if let Some(header) = self.jar.cookies(&url) {
            for pair in header.to_str().unwrap().split("; ") {
                copy.jar.add_cookie_str(&format!("{pair}; Path=/"), &url);
            }
        }
        copy
    }

    /// The value of the cookie `name` this browser holds for the site.
    pub fn cookie(&self, name: &str) -> Option<String> {
        let header = self.jar.cookies(&self.base_url.parse().unwrap())?;
        header.to_str().ok()?.split("; ").find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            (key == name).then(|| value.to_owned())
        })
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

    /// The token of `GET /api/auth/csrf` (which also sets the CSRF cookie it is checked
    /// against).
    pub async fn csrf_token(&self) -> String {
        let body: Value = self.get("/api/auth/csrf").await.json().await.unwrap();
        body["csrfToken"].as_str().unwrap().to_owned()
    }

    /// Signs in through `POST /api/auth/callback/credentials` as a plain form does; returns
    /// the answer (a redirect either way).
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
            .expect("request to the test server")
    }

    /// `GET /api/auth/session` as JSON (`{}` when signed out).
    pub async fn session(&self) -> Value {
        self.get("/api/auth/session").await.json().await.unwrap()
    }
}
