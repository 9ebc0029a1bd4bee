//! The local OpenID provider (`end2end/oidc/provider.mjs`, panva's oidc-provider) and an app
//! server wired to it, for OAuth integration tests.

use std::{process::Stdio, time::Duration};

use leptos_auth::{
    Auth, AuthConfig,
    providers::{OAuth, Provider, github, spotify, with_github_emails_url},
};
use leptos_auth_demo::server;
use tokio::io::{AsyncBufReadExt, BufReader};

use super::{Browser, SiteAssets, TestServer, maildev::free_port};

pub const CLIENT_ID: &str = "leptos-auth-test";
pub const CLIENT_SECRET: &str = "leptos-auth-test-secret";

/// A running oidc-provider; killed when dropped.
pub struct OidcProvider {
    pub issuer: String,
    _child: tokio::process::Child,
}

impl OidcProvider {
    /// How many refresh and code grants the provider has answered.
    pub async fn stats(&self) -> (u64, u64) {
        let stats: serde_json::Value = reqwest::get(format!("{}/__test/stats", self.issuer))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        (
            stats["refreshGrants"].as_u64().unwrap(),
            stats["codeGrants"].as_u64().unwrap(),
        )
    }
}

/// Where an OpenID provider puts the scope claims (email, name, picture) in the code flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claims {
    /// Only in UserInfo: oidc-provider's default, as OIDC Core §5.4 says.
    UserInfoOnly,
    /// In the ID token as well, as some providers do.
    AlsoInIdToken,
}

/// Starts the provider, accepting callbacks of `app_base_url` for every provider id.
pub async fn start_provider(app_base_url: &str, access_token_ttl: u64) -> OidcProvider {
    start_provider_with(app_base_url, access_token_ttl, Claims::UserInfoOnly).await
}

/// [`start_provider`] with the claims placement chosen.
pub async fn start_provider_with(
    app_base_url: &str,
    access_token_ttl: u64,
    claims: Claims,
) -> OidcProvider {
    let port = free_port();
    let redirect_uris = ["oidc", "github", "spotify"]
        .map(|id| format!("{app_base_url}/api/auth/callback/{id}"))
        .join(",");
    let mut child = tokio::process::Command::new("node")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/end2end/oidc/provider.mjs"
        ))
        .env("OIDC_PORT", port.to_string())
        .env("OIDC_REDIRECT_URIS", redirect_uris)
        .env("OIDC_ACCESS_TOKEN_TTL", access_token_ttl.to_string())
        .env(
            "OIDC_ID_TOKEN_CLAIMS",
            if claims == Claims::AlsoInIdToken {
                "1"
            } else {
                "0"
            },
        )
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node end2end/oidc/provider.mjs (run `npm ci` in end2end/)");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let ready = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if line.contains("listening") {
                return;
            }
        }
        panic!("oidc-provider exited before listening");
    });
    ready.await.expect("oidc-provider started within 30 s");
    OidcProvider {
        issuer: format!("http://127.0.0.1:{port}"),
        _child: child,
    }
}

/// The GitHub and Spotify presets, pointed at the local provider's look-alike endpoints.
pub fn presets_at(issuer: &str) -> Vec<OAuth> {
    let github = with_github_emails_url(
        github(CLIENT_ID, CLIENT_SECRET)
            .with_authorization_url(format!("{issuer}/auth"))
            .with_token_url(format!("{issuer}/token"))
            .with_userinfo_url(format!("{issuer}/user"))
            .with_api_url(issuer),
        format!("{issuer}/user/emails"),
    );
    let spotify = spotify(CLIENT_ID, CLIENT_SECRET)
        .with_authorization_url(format!("{issuer}/auth"))
        .with_token_url(format!("{issuer}/token"))
        .with_userinfo_url(format!("{issuer}/v1/me"))
        .with_api_url(issuer);
    vec![github, spotify]
}

/// An app server with credentials, a generic OIDC provider (`oidc`) and the GitHub and
/// Spotify presets, all at a freshly started local provider.
pub async fn spawn_with_provider(access_token_ttl: u64) -> (TestServer, OidcProvider) {
    spawn_with_provider_claims(access_token_ttl, Claims::UserInfoOnly).await
}

/// [`spawn_with_provider`] with the provider's claims placement chosen.
pub async fn spawn_with_provider_claims(
    access_token_ttl: u64,
    claims: Claims,
) -> (TestServer, OidcProvider) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let provider = start_provider_with(&base_url, access_token_ttl, claims).await;
    let mut providers: Vec<Provider> = vec![
        OAuth::oidc(
            "oidc",
            "Test OIDC",
            &provider.issuer,
            CLIENT_ID,
            CLIENT_SECRET,
        )
        .into(),
    ];
    providers.extend(presets_at(&provider.issuer).into_iter().map(Provider::from));
    let server = serve(listener, base_url, providers).await;
    (server, provider)
}

/// Serves the demo app with these OAuth providers on an already bound listener.
pub async fn serve(
    listener: tokio::net::TcpListener,
    base_url: String,
    providers: Vec<Provider>,
) -> TestServer {
    serve_with(listener, base_url, providers, |config| config).await
}

/// [`serve`] with `configure` applied to the library configuration first (a mailer, say,
/// which the demo's own configuration then offers magic links for).
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    base_url: String,
    providers: Vec<Provider>,
    configure: impl FnOnce(AuthConfig) -> AuthConfig,
) -> TestServer {
    let config = super::test_config("oauth").await;
    let data_dir = config.data_dir.clone();
    let mut auth_config = leptos_auth_demo::app::configure_auth(configure(AuthConfig::new(vec![
        "an integration test secret of 32+ bytes".into(),
    ])));
    for provider in providers {
        auth_config = auth_config.with_provider(provider);
    }
    let store = server::cli::open_store(&config.database_url).await.unwrap();
    let auth = Auth::new(auth_config, store);
    let app = server::router(&config, SiteAssets::get, auth.clone());
    tokio::spawn(server::serve::serve(
        listener,
        app,
        server::serve::ServeLimits::default(),
        std::future::pending(),
    ));
    TestServer {
        browser: Browser::new(base_url),
        auth,
        data_dir,
        database_url: config.database_url.clone(),
    }
}

impl TestServer {
    /// Signs in with an OAuth provider the way a browser does: POST /signin/<id>, the
    /// provider's login form (as `login`), back to /callback/<id>. Returns the app's final
    /// answer (a redirect) and the callback URL it came from.
    pub async fn oauth_sign_in(
        &self,
        provider_id: &str,
        login: &str,
    ) -> (reqwest::Response, String) {
        let csrf = self.csrf_token().await;
        let start = self
            .post_form(
                &format!("/api/auth/signin/{provider_id}"),
                &[("csrfToken", &csrf), ("callbackUrl", "/dashboard")],
            )
            .await;
        assert_eq!(
            start.status(),
            302,
            "sign-in starts with a redirect to the provider"
        );
        let url = super::location(&start);
        self.follow_provider(&url, login).await
    }

    /// Follows the provider's redirects from `url`, filling its login form, until it sends
    /// the browser back to this app; then calls that callback.
    pub async fn follow_provider(&self, url: &str, login: &str) -> (reqwest::Response, String) {
        let callback_prefix = self.url("/api/auth/callback/");
        let mut url = url.to_owned();
        for _ in 0..10 {
            if url.starts_with(&callback_prefix) {
                let response = self.client.get(&url).send().await.unwrap();
                return (response, url);
            }
            let response = self.client.get(&url).send().await.unwrap();
            if response.status().is_redirection() {
                url = absolute(&url, &super::location(&response));
                continue;
            }
            let html = response.text().await.unwrap();
            let action = html
                .split("action=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .expect("the provider's login form")
                .to_owned();
            let posted = self
                .client
                .post(absolute(&url, &action))
                .form(&[("prompt", "login"), ("login", login), ("password", "any")])
                .send()
                .await
                .unwrap();
            url = absolute(&url, &super::location(&posted));
        }
        panic!("the provider never redirected back");
    }
}

fn absolute(base: &str, location: &str) -> String {
    url::Url::parse(base)
        .unwrap()
        .join(location)
        .unwrap()
        .to_string()
}
