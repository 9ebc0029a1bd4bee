//! The Auth.js REST endpoints (docs/architecture.md › Endpoints, › Cookies and CSRF, › Sessions)
//! and the extractors, on a minimal router with an in-memory store, through real HTTP as a browser
//! or an attacker would see them.
#![cfg(feature = "ssr")]

use crate::common::{location, set_cookies, spawn};
use leptos_auth::callbacks::Token;
use serde_json::{Value, json};

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery";

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn token_for(sub: &str, iat: i64, exp: i64) -> Token {
    Token {
        sub: sub.into(),
        name: Some("Ada".into()),
        email: Some(EMAIL.into()),
        picture: None,
        iat,
        exp,
        jti: "test".into(),
        auth_time: None,
        verified_at: None,
        sid: None,
        extra: Default::default(),
    }
}

/// A plain client carrying exactly this session cookie.
async fn session_with_cookie(
    server: &crate::common::TestServer,
    cookie: &str,
) -> reqwest::Response {
    reqwest::Client::new()
        .get(server.url("/api/auth/session"))
        .header("cookie", format!("authjs.session-token={cookie}"))
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csrf_endpoint_returns_a_token_and_sets_its_cookie_once() {
    let server = spawn().await;
    let response = server.get("/api/auth/csrf").await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("no-store")
    );
    let cookies = set_cookies(&response);
    let cookie = cookies
        .iter()
        .find(|c| c.starts_with("authjs.csrf-token="))
        .expect("csrf cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    let body: Value = response.json().await.unwrap();
    let token = body["csrfToken"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 64);
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()));

    let again = server.get("/api/auth/csrf").await;
    assert!(set_cookies(&again).is_empty(), "a valid cookie is kept");
    assert_eq!(
        again.json::<Value>().await.unwrap()["csrfToken"],
        token.as_str()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn providers_lists_the_credentials_provider_with_its_urls() {
    let server = spawn().await;
    let providers: Value = server
        .get("/api/auth/providers")
        .await
        .json()
        .await
        .unwrap();
    let credentials = &providers["credentials"];
    assert_eq!(credentials["id"], "credentials");
    assert_eq!(credentials["type"], "credentials");
    assert_eq!(
        credentials["signinUrl"],
        server.url("/api/auth/signin/credentials")
    );
    assert_eq!(
        credentials["callbackUrl"],
        server.url("/api/auth/callback/credentials")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_out_session_is_an_empty_object_with_no_cache_headers() {
    let server = spawn().await;
    let response = server.get("/api/auth/session").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["cache-control"],
        "private, no-cache, no-store"
    );
    assert_eq!(response.json::<Value>().await.unwrap(), json!({}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_sign_in_sets_the_session_and_redirects_to_the_callback_url() {
    let server = spawn().await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    let response = server.sign_in(EMAIL, PASSWORD).await;
    assert_eq!(response.status(), 302);
    assert_eq!(location(&response), server.url("/dashboard"));
    let cookie = set_cookies(&response)
        .into_iter()
        .find(|c| c.starts_with("authjs.session-token="))
        .expect("session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));

    let session = server.session().await;
    assert_eq!(session["user"]["email"], EMAIL);
    assert_eq!(session["user"]["name"], "Ada");
    assert!(
        session["user"]["id"]
            .as_str()
            .is_some_and(|id| !id.is_empty()),
        "custom field id"
    );
    assert!(
        session["user"]["numberKey"].is_u64(),
        "custom field numberKey"
    );
    let expires = session["expires"].as_str().unwrap();
    assert!(
        expires.ends_with('Z') && expires.contains('T'),
        "ISO 8601: {expires}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_and_unknown_user_fail_the_same_generic_way() {
    let server = spawn().await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    let wrong_password = server.sign_in(EMAIL, "not the password").await;
    let no_such_user = server.sign_in("nobody@example.com", PASSWORD).await;
    for response in [&wrong_password, &no_such_user] {
        assert_eq!(response.status(), 302);
        let url = location(response);
        assert!(
            url.starts_with(
                &server.url("/api/auth/error?error=CredentialsSignin&provider=credentials")
            ),
            "{url}"
        );
        assert!(
            set_cookies(response)
                .iter()
                .all(|c| !c.starts_with("authjs.session-token"))
        );
    }
    assert_eq!(server.session().await, json!({}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_mode_answers_url_with_a_status_clients_can_trust() {
    let server = spawn().await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    let csrf = server.csrf_token().await;

    // v4 style: json=true in the form.
    let failed = server
        .post_form(
            "/api/auth/callback/credentials",
            &[
                ("csrfToken", &csrf),
                ("email", EMAIL),
                ("password", "wrong"),
                ("json", "true"),
            ],
        )
        .await;
    assert_eq!(failed.status(), 401);
    let url = failed.json::<Value>().await.unwrap()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(url.contains("error=CredentialsSignin"), "{url}");

    // v5 style: X-Auth-Return-Redirect header.
    let ok = server
        .client
        .post(server.url("/api/auth/callback/credentials"))
        .header("X-Auth-Return-Redirect", "1")
        .form(&[
            ("csrfToken", csrf.as_str()),
            ("email", EMAIL),
            ("password", PASSWORD),
            ("callbackUrl", "/profile"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    assert!(
        set_cookies(&ok)
            .iter()
            .any(|c| c.starts_with("authjs.session-token="))
    );
    assert_eq!(
        ok.json::<Value>().await.unwrap()["url"],
        server.url("/profile")
    );
    assert_eq!(server.session().await["user"]["email"], EMAIL);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_or_wrong_csrf_token_is_rejected() {
    let server = spawn().await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    let _ = server.csrf_token().await; // the cookie is there, the form lacks the token

    let missing = server
        .post_form(
            "/api/auth/callback/credentials",
            &[("email", EMAIL), ("password", PASSWORD), ("json", "true")],
        )
        .await;
    assert_eq!(missing.status(), 403);
    assert!(
        missing.json::<Value>().await.unwrap()["url"]
            .as_str()
            .unwrap()
            .contains("error=MissingCSRF")
    );

    let wrong = "0".repeat(64);
    let forged = server
        .post_form(
            "/api/auth/callback/credentials",
            &[
                ("csrfToken", &wrong),
                ("email", EMAIL),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(forged.status(), 302);
    assert!(location(&forged).contains("error=MissingCSRF"));

    // A token without its cookie (another browser's token) is refused too.
    let token = server.csrf_token().await;
    let cookieless = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(server.url("/api/auth/signout"))
        .form(&[("csrfToken", token.as_str()), ("json", "true")])
        .send()
        .await
        .unwrap();
    assert_eq!(cookieless.status(), 403);
    assert_eq!(server.session().await, json!({}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_expired_alg_none_and_wrong_kid_cookies_read_as_signed_out() {
    use base64::Engine as _;
    let server = spawn().await;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);

    let valid = server
        .auth
        .encode_session_token(&token_for("u1", now(), now() + 3600))
        .unwrap();
    let ok = session_with_cookie(&server, &valid).await;
    assert_eq!(
        ok.json::<Value>().await.unwrap()["user"]["email"],
        EMAIL,
        "control: a valid token works"
    );

    let expired = server
        .auth
        .encode_session_token(&token_for("u1", now() - 7200, now() - 3600))
        .unwrap();
    let (header, rest) = valid.split_once('.').unwrap();
    let (_, signature) = rest.split_once('.').unwrap();
    let tampered_claims =
        b64(&serde_json::to_string(&token_for("admin", now(), now() + 3600)).unwrap());
    let tampered = format!("{header}.{tampered_claims}.{signature}");
    let alg_none = format!(
        "{}.{}.",
        b64(r#"{"alg":"none","typ":"JWT"}"#),
        tampered_claims
    );
    let hs512 = format!(
        "{}.{}.{}",
        b64(r#"{"alg":"HS512","typ":"JWT"}"#),
        tampered_claims,
        signature
    );
    let oversized = "a".repeat(20_000);
    // Signed with another secret: its `kid` is unknown here; with our `kid` put in its
    // header, the signature does not match.
    let other_auth = leptos_auth::Auth::new(
        leptos_auth::AuthConfig::new(vec!["another deployment's secret, 32+ bytes".into()]),
        std::sync::Arc::new(leptos_auth::store::MemoryStore::default()),
    );
    let unknown_kid = other_auth
        .encode_session_token(&token_for("u1", now(), now() + 3600))
        .unwrap();
    let (_, other_rest) = unknown_kid.split_once('.').unwrap();
    let borrowed_kid = format!("{header}.{other_rest}");

    for cookie in [
        expired.as_str(),
        &tampered,
        &alg_none,
        &hs512,
        &unknown_kid,
        &borrowed_kid,
        "garbage",
        "",
        &oversized,
    ] {
        let response = session_with_cookie(&server, cookie).await;
        assert_eq!(response.status(), 200, "never a 500 for a bad cookie");
        let expired_cookie = set_cookies(&response)
            .iter()
            .any(|c| c.starts_with("authjs.session-token=;") && c.contains("Max-Age=0"));
        assert!(
            cookie.is_empty() || expired_cookie,
            "a bad cookie is cleared"
        );
        assert_eq!(response.json::<Value>().await.unwrap(), json!({}));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_redirects_to_other_origins_are_not_followed() {
    let server = spawn().await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    for evil in [
        "https://evil.example/steal",
        "//evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "/\r\n/evil.example",
        "http://user@127.0.0.1/",
        "javascript:alert(1)",
    ] {
        let csrf = server.csrf_token().await;
        let response = server
            .post_form(
                "/api/auth/callback/credentials",
                &[
                    ("csrfToken", &csrf),
                    ("email", EMAIL),
                    ("password", PASSWORD),
                    ("callbackUrl", evil),
                ],
            )
            .await;
        assert_eq!(response.status(), 302);
        assert_eq!(location(&response), server.url("/"), "{evil}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_cookie_is_reissued_only_when_the_update_age_has_passed() {
    let server = spawn().await;
    let fresh = server
        .auth
        .encode_session_token(&token_for("u1", now(), now() + 3600))
        .unwrap();
    let response = session_with_cookie(&server, &fresh).await;
    assert!(
        set_cookies(&response).is_empty(),
        "fresh session: no new cookie"
    );

    let two_days_old = now() - 2 * 24 * 3600;
    let due = server
        .auth
        .encode_session_token(&token_for("u1", two_days_old, now() + 3600))
        .unwrap();
    let response = session_with_cookie(&server, &due).await;
    let cookies = set_cookies(&response);
    let reissued = cookies
        .iter()
        .find(|c| c.starts_with("authjs.session-token="))
        .expect("re-issued");
    assert!(
        reissued.contains("Max-Age=2592"),
        "a full 30 days again: {reissued}"
    );
    let session: Value = response.json().await.unwrap();
    assert_eq!(session["user"]["email"], EMAIL);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_out_clears_the_session_and_redirects() {
    let server = spawn().await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    server.sign_in(EMAIL, PASSWORD).await;
    assert_eq!(server.session().await["user"]["email"], EMAIL);

    let page = server.get("/api/auth/signout").await;
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("Are you sure you want to sign out?")
    );

    let csrf = server.csrf_token().await;
    let response = server
        .post_form(
            "/api/auth/signout",
            &[("csrfToken", &csrf), ("callbackUrl", "/")],
        )
        .await;
    assert_eq!(response.status(), 302);
    assert_eq!(location(&response), server.url("/"));
    assert!(
        set_cookies(&response)
            .iter()
            .any(|c| c.starts_with("authjs.session-token=;") && c.contains("Max-Age=0"))
    );
    assert_eq!(server.session().await, json!({}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_update_runs_the_jwt_callback_and_needs_csrf() {
    let server = spawn().await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    server.sign_in(EMAIL, PASSWORD).await;
    let csrf = server.csrf_token().await;

    let bad = server
        .client
        .post(server.url("/api/auth/session"))
        .json(&json!({ "csrfToken": "nope", "data": { "name": "Mallory" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 403);

    let updated: Value = server
        .client
        .post(server.url("/api/auth/session"))
        .json(&json!({ "csrfToken": csrf, "data": { "name": "Ada Lovelace" } }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(updated["user"]["name"], "Ada Lovelace");
    assert_eq!(server.session().await["user"]["name"], "Ada Lovelace");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_page_redirects_to_the_custom_page_with_callback_and_error() {
    let server = spawn().await;
    let response = server
        .get("/api/auth/signin?callbackUrl=%2Fprofile&error=CredentialsSignin")
        .await;
    assert_eq!(response.status(), 302);
    assert_eq!(
        location(&response),
        "/sign-in?callbackUrl=%2Fprofile&error=CredentialsSignin"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn error_page_statuses_follow_the_spec() {
    let server = spawn().await;
    for (code, status) in [
        ("Configuration", 500),
        ("AccessDenied", 403),
        ("Verification", 403),
        ("Default", 200),
    ] {
        let response = server.get(&format!("/api/auth/error?error={code}")).await;
        assert_eq!(response.status(), status, "{code}");
        let html = response.text().await.unwrap();
        assert!(html.contains(&format!(r#"data-error="{code}""#)), "{code}");
    }
    let unknown = server.get("/api/auth/error?error=%3Cscript%3E").await;
    assert_eq!(unknown.status(), 200);
    assert!(
        !unknown.text().await.unwrap().contains("<script>"),
        "no reflected markup"
    );
    let sign_in_error = server.get("/api/auth/error?error=CredentialsSignin").await;
    assert_eq!(sign_in_error.status(), 302);
    assert!(location(&sign_in_error).ends_with("/api/auth/signin?error=CredentialsSignin"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_posts_get_client_errors_never_500() {
    let server = spawn().await;
    let _ = server.csrf_token().await;
    for (path, body, content_type) in [
        (
            "/api/auth/callback/credentials",
            "%%%&&&==",
            "application/x-www-form-urlencoded",
        ),
        ("/api/auth/session", "{not json", "application/json"),
        ("/api/auth/signout", "\u{0}\u{1}", "text/plain"),
        (
            "/api/auth/callback/nope",
            "csrfToken=x",
            "application/x-www-form-urlencoded",
        ),
    ] {
        let response = server
            .client
            .post(server.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_client_error() || response.status().is_redirection(),
            "{path}: {}",
            response.status()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_callback_url_is_not_forwarded() {
    let server = spawn().await;
    let response = server
        .get("/api/auth/signin?callbackUrl=https%3A%2F%2Fevil.example%2F")
        .await;
    assert_eq!(response.status(), 302);
    assert_eq!(location(&response), "/sign-in");

    let csrf = server.csrf_token().await;
    let failed = server
        .post_form(
            "/api/auth/callback/credentials",
            &[
                ("csrfToken", &csrf),
                ("email", EMAIL),
                ("password", "wrong"),
                ("callbackUrl", "https://evil.example/"),
            ],
        )
        .await;
    let url = location(&failed);
    assert!(url.contains("error=CredentialsSignin"), "{url}");
    assert!(!url.contains("evil"), "{url}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_in_user_extractor_rejects_signed_out_requests() {
    let server = spawn().await;
    let signed_out = server.get("/whoami").await;
    assert_eq!(signed_out.status(), 401);
    assert_eq!(
        signed_out.json::<Value>().await.unwrap(),
        json!({ "error": "SessionRequired" })
    );
    assert_eq!(
        server.get("/greeting").await.text().await.unwrap(),
        "hello stranger"
    );

    server.register(EMAIL, "Ada", PASSWORD).await;
    server.sign_in(EMAIL, PASSWORD).await;
    let signed_in = server.get("/whoami").await;
    assert_eq!(signed_in.status(), 200);
    assert_eq!(signed_in.text().await.unwrap(), EMAIL);
    let user_id = server.session().await["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        server.get("/greeting").await.text().await.unwrap(),
        format!("hello {user_id}")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_layer_refuses_cross_site_writes_outside_the_auth_endpoints() {
    let server = spawn().await;
    let post = |headers: &[(&str, &str)]| {
        let mut request = server.client.post(server.url("/change"));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send()
    };
    let foreign = post(&[("origin", "https://evil.example")]).await.unwrap();
    assert_eq!(foreign.status(), 403);
    let cross_site = post(&[("sec-fetch-site", "cross-site")]).await.unwrap();
    assert_eq!(cross_site.status(), 403);
    let garbage_origin = post(&[("origin", "null")]).await.unwrap();
    assert_eq!(garbage_origin.status(), 403);

    let same_origin = post(&[
        ("origin", &server.base_url),
        ("sec-fetch-site", "same-origin"),
    ])
    .await
    .unwrap();
    assert_eq!(same_origin.status(), 200);
    assert_eq!(same_origin.text().await.unwrap(), "changed");
    // Not a browser: no ambient cookies to abuse, nothing to refuse.
    assert_eq!(post(&[]).await.unwrap().status(), 200);
}

/// Hostile `callbackUrl` values for every sink that takes one: generated from the pieces that
/// break redirect checks (see `redirect.rs`), a few hundred per run.
fn hostile_callback_urls(count: usize) -> Vec<String> {
    use proptest::{
        prelude::*,
        strategy::ValueTree,
        test_runner::{Config, TestRunner},
    };
    let piece = prop_oneof![
        Just("/"),
        Just("\\"),
        Just("//"),
        Just("\t"),
        Just("\r\n"),
        Just(" "),
        Just(":"),
        Just("@"),
        Just("."),
        Just("?"),
        Just("%2F"),
        Just("%0d%0a"),
        Just("http:"),
        Just("https:"),
        Just("javascript:"),
        Just("evil.example"),
        Just("127.0.0.1"),
        Just("user:pass@"),
        Just("dashboard"),
    ];
    let strategy = proptest::collection::vec(piece, 1..8).prop_map(|pieces| pieces.concat());
    let mut runner = TestRunner::new(Config::default());
    (0..count)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect()
}

/// The Location of a response, resolved as a browser would, is on the test server.
fn assert_stays_on_site(
    server: &crate::common::TestServer,
    response: &reqwest::Response,
    input: &str,
) {
    assert!(
        response.status().as_u16() < 500,
        "{input:?} gave {}",
        response.status()
    );
    if let Some(location) = response.headers().get("location") {
        let location = location.to_str().expect("a header-safe Location");
        let base = reqwest::Url::parse(&server.base_url).unwrap();
        let target = base.join(location).expect("a Location that parses");
        assert_eq!(
            target.origin(),
            base.origin(),
            "{input:?} redirected to {location}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_hostile_callback_url_leaves_the_site_or_breaks_the_server() {
    let server = spawn().await;
    server.register(EMAIL, "Ada", PASSWORD).await;
    for (i, input) in hostile_callback_urls(80).into_iter().enumerate() {
        let query = serde_urlencoded::to_string([("callbackUrl", input.as_str())]).unwrap();
        let page = server.get(&format!("/api/auth/signin?{query}")).await;
        assert_stays_on_site(&server, &page, &input);
        let error = server
            .get(&format!("/api/auth/error?error=CredentialsSignin&{query}"))
            .await;
        assert_stays_on_site(&server, &error, &input);

        // Failed and successful sign-ins take turns (each costs an argon2 verification).
        let password = if i % 2 == 0 {
            "wrong password"
        } else {
            PASSWORD
        };
        let csrf = server.csrf_token().await;
        let sign_in = server
            .post_form(
                "/api/auth/callback/credentials",
                &[
                    ("csrfToken", &csrf),
                    ("email", EMAIL),
                    ("password", password),
                    ("callbackUrl", &input),
                ],
            )
            .await;
        assert_stays_on_site(&server, &sign_in, &input);
        let csrf = server.csrf_token().await;
        let sign_out = server
            .post_form(
                "/api/auth/signout",
                &[("csrfToken", &csrf), ("callbackUrl", &input)],
            )
            .await;
        assert_stays_on_site(&server, &sign_out, &input);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_pages_carry_security_headers_and_are_never_cached() {
    let server = spawn().await;
    let page = server.get("/api/auth/error?error=Configuration").await;
    let headers = page.headers();
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert!(
        headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("no-store")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_ends_at_its_absolute_lifetime_however_active() {
    let server = spawn().await;
    let fresh = token_for("u1", now() - 10, now() + 3600);
    let jwt = server.auth.encode_session_token(&fresh).unwrap();
    let body: Value = session_with_cookie(&server, &jwt)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["user"]["email"], EMAIL);

    // Refreshed a minute ago, but signed in 91 days ago: the default limit is 90 days.
    let mut stale = token_for("u1", now() - 60, now() + 3600);
    stale.auth_time = Some(now() - 91 * 24 * 3600);
    let jwt = server.auth.encode_session_token(&stale).unwrap();
    let response = session_with_cookie(&server, &jwt).await;
    assert!(
        set_cookies(&response)
            .iter()
            .any(|c| c.starts_with("authjs.session-token=;")),
        "the expired cookie is cleared"
    );
    assert_eq!(response.json::<Value>().await.unwrap(), json!({}));
}
