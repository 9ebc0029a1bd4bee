//! OAuth 2.0 / OpenID Connect sign-in against a real OpenID provider (panva's oidc-provider,
//! started locally), refresh-token rotation and the server-side API proxy.
#![cfg(feature = "ssr")]

use std::time::Duration;

use crate::common::{
    location,
    oidc::{Claims, spawn_with_provider, spawn_with_provider_claims},
    set_cookies,
};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oidc_code_flow_creates_the_user_and_signs_in() {
    let (server, _provider) = spawn_with_provider(60).await;
    let (response, _) = server.oauth_sign_in("oidc", "alice").await;
    assert_eq!(response.status(), 302);
    assert_eq!(location(&response), server.url("/dashboard"));
    let cookies = set_cookies(&response);
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("authjs.session-token="))
    );
    assert!(
        cookies.iter().any(|c| c.starts_with("authjs.state=;")),
        "check cookies are cleared"
    );

    let session = server.session().await;
    assert_eq!(session["user"]["email"], "alice@example.com");
    assert_eq!(session["user"]["name"], "Alice");

    // The provider tokens are kept server-side only.
    let users = server.auth.store().list_users().await.unwrap();
    assert_eq!(users.len(), 1);
    assert!(
        users[0].email_verified.is_some(),
        "the OIDC provider vouched for the email"
    );
    let accounts = server
        .auth
        .store()
        .accounts_of_user(&users[0].id)
        .await
        .unwrap();
    let access_token = accounts[0]
        .tokens
        .access_token
        .clone()
        .unwrap()
        .secret()
        .to_owned();
    assert!(accounts[0].tokens.refresh_token.is_some());
    let session_text = session.to_string();
    assert!(!session_text.contains(&access_token));
    assert!(cookies.iter().all(|c| !c.contains(&access_token)));

    // In the database itself they are encrypted.
    let database = leptos_auth_demo::server::cli::open_store(&server.database_url)
        .await
        .unwrap();
    let stored = database.accounts_of_user(&users[0].id).await.unwrap();
    let stored = &stored[0].tokens;
    for value in [
        stored.access_token.as_ref().unwrap().secret(),
        stored.refresh_token.as_ref().unwrap().secret(),
        stored.id_token.as_deref().unwrap(),
    ] {
        assert!(
            value.starts_with("enc2.") && !value.contains(&access_token),
            "{value}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_sign_in_finds_the_same_user() {
    let (server, _provider) = spawn_with_provider(60).await;
    server.oauth_sign_in("oidc", "bob").await;
    let first = server.session().await["user"]["id"].clone();
    let again = server.other_browser();
    again.oauth_sign_in("oidc", "bob").await;
    assert_eq!(again.session().await["user"]["id"], first);
    assert_eq!(server.auth.store().list_users().await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn github_preset_takes_the_primary_verified_email_when_the_profile_hides_it() {
    let (server, _provider) = spawn_with_provider(60).await;
    let (response, _) = server.oauth_sign_in("github", "privatebob").await;
    assert_eq!(location(&response), server.url("/dashboard"));
    let session = server.session().await;
    assert_eq!(session["user"]["email"], "privatebob@example.com");
    assert_eq!(session["user"]["name"], "Privatebob");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_in_the_id_token_are_used_too() {
    // Some providers put the scope claims into the ID token as well as into UserInfo.
    let (server, _provider) = spawn_with_provider_claims(60, Claims::AlsoInIdToken).await;
    let (response, _) = server.oauth_sign_in("oidc", "erin").await;
    assert_eq!(location(&response), server.url("/dashboard"));
    let session = server.session().await;
    assert_eq!(session["user"]["email"], "erin@example.com");
    assert_eq!(session["user"]["name"], "Erin");
    assert!(
        session["user"]["image"]
            .as_str()
            .is_some_and(|url| url.ends_with("/avatars/erin.png")),
        "{session}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_first_sign_ins_of_one_person_make_one_user() {
    let (server, _provider) = spawn_with_provider(60).await;
    // Two browsers reach the provider's callback at the same moment.
    let other_browser = server.other_browser();
    let ((first, _), (second, _)) = tokio::join!(
        server.oauth_sign_in("oidc", "frank"),
        other_browser.oauth_sign_in("oidc", "frank"),
    );
    for response in [&first, &second] {
        assert_eq!(location(response), server.url("/dashboard"));
    }
    let users = server.auth.store().list_users().await.unwrap();
    assert_eq!(users.len(), 1, "{users:?}");
    let accounts = server
        .auth
        .store()
        .accounts_of_user(&users[0].id)
        .await
        .unwrap();
    assert_eq!(accounts.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn existing_email_from_another_sign_in_method_is_not_linked() {
    let (server, _provider) = spawn_with_provider(60).await;
    server
        .register("carol@example.com", "Carol", "a strong password")
        .await;
    let (response, _) = server.oauth_sign_in("oidc", "carol").await;
    assert_eq!(response.status(), 302);
    let url = location(&response);
    assert!(url.contains("error=OAuthAccountNotLinked"), "{url}");
    assert_eq!(server.session().await, serde_json::json!({}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_in_user_links_a_new_provider_account() {
    let (server, _provider) = spawn_with_provider(60).await;
    server
        .register("dave@example.com", "Dave", "a strong password")
        .await;
    server
        .sign_in("dave@example.com", "a strong password")
        .await;
    let user_id = server.session().await["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (response, _) = server.oauth_sign_in("github", "dave-on-github").await;
    assert_eq!(location(&response), server.url("/dashboard"));
    let accounts = server
        .auth
        .store()
        .accounts_of_user(&user_id)
        .await
        .unwrap();
    assert_eq!(
        accounts
            .iter()
            .map(|a| a.provider.as_str())
            .collect::<Vec<_>>(),
        ["github"]
    );
    assert_eq!(server.auth.store().list_users().await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_mismatch_and_denied_consent_end_on_the_right_error() {
    let (server, _provider) = spawn_with_provider(60).await;
    let csrf = server.csrf_token().await;
    server
        .post_form("/api/auth/signin/oidc", &[("csrfToken", &csrf)])
        .await;
    let forged = server
        .get("/api/auth/callback/oidc?code=abc&state=forged")
        .await;
    assert_eq!(forged.status(), 302);
    assert!(location(&forged).contains("error=OAuthCallback"));
    // A failed callback spends the check cookies too: they serve one attempt.
    let cleared = set_cookies(&forged);
    for name in [
        "authjs.state=;",
        "authjs.pkce.code_verifier=;",
        "authjs.nonce=;",
    ] {
        assert!(
            cleared.iter().any(|c| c.starts_with(name)),
            "{name} in {cleared:?}"
        );
    }

    let denied = server
        .get("/api/auth/callback/oidc?error=access_denied&state=x")
        .await;
    assert!(location(&denied).contains("error=AccessDenied"));
    let page = server.client.get(location(&denied)).send().await.unwrap();
    assert_eq!(page.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pkce_mismatch_and_replayed_codes_are_refused() {
    let (server, _provider) = spawn_with_provider(60).await;
    // PKCE: complete the provider's login with another request's code challenge.
    let csrf = server.csrf_token().await;
    let other = server.other_browser();
    let other_csrf = other.csrf_token().await;
    let other_start = other
        .post_form("/api/auth/signin/oidc", &[("csrfToken", &other_csrf)])
        .await;
    let foreign_challenge = url::Url::parse(&location(&other_start))
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code_challenge")
        .unwrap()
        .1
        .into_owned();
    let start = server
        .post_form("/api/auth/signin/oidc", &[("csrfToken", &csrf)])
        .await;
    let mut url = url::Url::parse(&location(&start)).unwrap();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let value = if k == "code_challenge" {
                foreign_challenge.clone()
            } else {
                v.into_owned()
            };
            (k.into_owned(), value)
        })
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
    let (response, _) = server.follow_provider(url.as_str(), "erin").await;
    assert!(
        location(&response).contains("error=OAuthCallback"),
        "PKCE mismatch"
    );
    assert_eq!(server.session().await, serde_json::json!({}));

    // Replay: a code that was already exchanged, presented with a fresh state.
    let (first, callback_url) = server.oauth_sign_in("oidc", "frank").await;
    assert_eq!(location(&first), server.url("/dashboard"));
    let code = url::Url::parse(&callback_url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    let replayer = server.other_browser();
    let csrf = replayer.csrf_token().await;
    let start = replayer
        .post_form("/api/auth/signin/oidc", &[("csrfToken", &csrf)])
        .await;
    let state = url::Url::parse(&location(&start))
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    let replayed = replayer
        .get(&format!(
            "/api/auth/callback/oidc?code={code}&state={state}"
        ))
        .await;
    assert!(location(&replayed).contains("error=OAuthCallback"));
    assert_eq!(replayer.session().await, serde_json::json!({}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provider_down_is_an_oauth_signin_error_not_a_500() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let issuer = format!("http://127.0.0.1:{closed_port}");
    let provider = leptos_auth::providers::OAuth::oidc("oidc", "Down", issuer, "id", "secret");
    let server = crate::common::oidc::serve(listener, base_url, vec![provider.into()]).await;
    let csrf = server.csrf_token().await;
    let response = server
        .post_form("/api/auth/signin/oidc", &[("csrfToken", &csrf)])
        .await;
    assert_eq!(response.status(), 302);
    assert!(location(&response).contains("error=OAuthSignin"));
    let json = server
        .post_form(
            "/api/auth/signin/oidc",
            &[("csrfToken", &csrf), ("json", "true")],
        )
        .await;
    assert!(
        !json.status().is_success() && json.status() != 500,
        "{}",
        json.status()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_tokens_are_refreshed_once_even_for_twenty_concurrent_calls() {
    let (server, provider) = spawn_with_provider(4).await;
    server.oauth_sign_in("spotify", "grace").await;
    let user_id = server.session().await["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (refreshes, _) = provider.stats().await;
    assert_eq!(refreshes, 0);

    tokio::time::sleep(Duration::from_secs(5)).await;
    let token = server
        .auth
        .provider_access_token(&user_id, "spotify")
        .await
        .unwrap();
    assert_eq!(provider.stats().await.0, 1, "one refresh after expiry");
    let again = server
        .auth
        .provider_access_token(&user_id, "spotify")
        .await
        .unwrap();
    assert_eq!(again, token, "a fresh token is reused");
    assert_eq!(provider.stats().await.0, 1);

    tokio::time::sleep(Duration::from_secs(5)).await;
    let calls = (0..20).map(|_| {
        let auth = server.auth.clone();
        let user_id = user_id.clone();
        tokio::spawn(async move { auth.provider_access_token(&user_id, "spotify").await })
    });
    let tokens: Vec<leptos_auth::secret::AccessToken> = futures_join(calls).await;
    assert_eq!(
        provider.stats().await.0,
        2,
        "twenty concurrent calls, one refresh"
    );
    assert!(tokens.iter().all(|t| *t == tokens[0]));
}

async fn futures_join(
    handles: impl Iterator<
        Item = tokio::task::JoinHandle<
            Result<leptos_auth::secret::AccessToken, leptos_auth::oauth::ProviderTokenError>,
        >,
    >,
) -> Vec<leptos_auth::secret::AccessToken> {
    let mut out = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        out.push(handle.await.unwrap().expect("a token"));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn top_artists_are_fetched_by_the_server_and_the_token_never_reaches_the_browser() {
    let (server, _provider) = spawn_with_provider(2).await;
    let unauthenticated = server
        .post_form(
            "/api/app/top_artists",
            &[("time_range", "short_term"), ("limit", "3")],
        )
        .await;
    assert_eq!(unauthenticated.status(), 401);

    let (sign_in, _) = server.oauth_sign_in("spotify", "heidi").await;
    let user_id = server.session().await["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    tokio::time::sleep(Duration::from_secs(3)).await; // expired: the proxy refreshes first
    let response = server
        .post_form(
            "/api/app/top_artists",
            &[("time_range", "short_term"), ("limit", "3")],
        )
        .await;
    assert_eq!(response.status(), 200);
    let cookies = set_cookies(&response);
    let body = response.text().await.unwrap();
    let artists: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(artists.as_array().unwrap().len(), 3);
    assert_eq!(artists[0]["name"], "Test Artist One");

    let account = server
        .auth
        .store()
        .accounts_of_user(&user_id)
        .await
        .unwrap()
        .remove(0);
    let access_token = account.tokens.access_token.unwrap().secret().to_owned();
    let refresh_token = account.tokens.refresh_token.unwrap().secret().to_owned();
    let session = server.get("/api/auth/session").await.text().await.unwrap();
    for secret in [&access_token, &refresh_token] {
        assert!(!body.contains(secret.as_str()) && !session.contains(secret.as_str()));
        assert!(
            cookies
                .iter()
                .chain(set_cookies(&sign_in).iter())
                .all(|c| !c.contains(secret.as_str()))
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_refresh_shows_refresh_token_error_in_the_session() {
    let (server, _provider) = spawn_with_provider(60).await;
    server.oauth_sign_in("spotify", "ivan").await;
    let user_id = server.session().await["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let account = server
        .auth
        .store()
        .accounts_of_user(&user_id)
        .await
        .unwrap()
        .remove(0);
    let mut tokens = account.tokens.clone();
    tokens.expires_at = Some(0);
    tokens.refresh_token = Some("revoked-refresh-token".into());
    server
        .auth
        .store()
        .update_account_tokens(&account.id, &tokens)
        .await
        .unwrap();

    let response = server
        .post_form(
            "/api/app/top_artists",
            &[("time_range", "short_term"), ("limit", "3")],
        )
        .await;
    assert!(!response.status().is_success());
    assert!(response.text().await.unwrap().contains("RefreshTokenError"));
    assert_eq!(server.session().await["error"], "RefreshTokenError");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oauth_sign_in_records_the_client_address_like_a_password_sign_in() {
    let (server, _provider) = spawn_with_provider(60).await;
    server.oauth_sign_in("oidc", "judy").await;
    let sessions: serde_json::Value = server.get("/api/auth/sessions").await.json().await.unwrap();
    let sessions = sessions.as_array().expect("a list of sessions");
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    assert_eq!(sessions[0]["ip"], "127.0.0.1", "{sessions:?}");
    let log: Vec<serde_json::Value> = server.get("/api/auth/audit").await.json().await.unwrap();
    let sign_in = log
        .iter()
        .find(|e| e["event"] == "sign_in")
        .expect("a sign-in event");
    assert_eq!(sign_in["ip"], "127.0.0.1", "{log:?}");
    assert_eq!(sign_in["provider"], "oidc");
}
