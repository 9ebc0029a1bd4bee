//! The demo app's guarded route groups and sign-up, through real HTTP (no JavaScript).
#![cfg(feature = "ssr")]

use crate::common::{location, set_cookies, spawn};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_without_a_session_redirects_to_sign_in_with_callback_url() {
    let server = spawn().await;
    for page in ["/dashboard", "/profile", "/settings"] {
        let response = server.get(page).await;
        assert_eq!(response.status(), 302, "{page}");
        let expected = format!("/sign-in?callbackUrl=%2F{}", &page[1..]);
        assert_eq!(location(&response), expected);
    }
    // The query comes along, so the person lands where they were going.
    let with_query = server.get("/settings?tab=sessions&x=%2F").await;
    assert_eq!(
        location(&with_query),
        "/sign-in?callbackUrl=%2Fsettings%3Ftab%3Dsessions%26x%3D%252F"
    );
    // Not only for clients that ask for HTML: curl and scripts get the 302 too.
    let plain = server
        .client
        .get(server.url("/dashboard"))
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 302);
    assert!(
        !plain.text().await.unwrap().contains("navbar"),
        "no protected markup"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_html_from_the_server_already_shows_the_user() {
    let server = spawn().await;
    server
        .register("grace@example.com", "Grace Hopper", "compilers rule")
        .await;
    server.sign_in("grace@example.com", "compilers rule").await;
    let response = server.get("/dashboard").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("grace@example.com"));
    assert!(html.contains("Grace Hopper"));
    assert!(html.contains(r#"data-testid="verify-email""#), "{html}");

    // Where "Send the link again" lands: sent, refused for the address's mail budget, or
    // failed for another reason. Each says so.
    for (query, expected) in [
        ("verification=sent", "A new link is on its way."),
        ("error=RateLimited", "No new link was sent"),
        ("error=EmailSignin", "The link could not be sent right now."),
        ("error=Anything", "The link could not be sent right now."),
    ] {
        let html = server
            .get(&format!("/dashboard?{query}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains(expected), "{query}: {html}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_in_user_opening_sign_in_goes_to_the_dashboard() {
    let server = spawn().await;
    server
        .register("grace@example.com", "Grace", "compilers rule")
        .await;
    server.sign_in("grace@example.com", "compilers rule").await;
    let response = server.get("/sign-in").await;
    assert_eq!(response.status(), 302);
    assert_eq!(location(&response), "/dashboard");
    let with_callback = server.get("/sign-in?callbackUrl=%2Fprofile").await;
    assert_eq!(location(&with_callback), "/profile");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_page_renders_a_form_that_works_without_javascript() {
    let server = spawn().await;
    let response = server.get("/sign-in?callbackUrl=%2Fprofile").await;
    assert_eq!(response.status(), 200);
    let csrf_cookie = set_cookies(&response)
        .into_iter()
        .any(|c| c.starts_with("authjs.csrf-token="));
    assert!(csrf_cookie, "the page sets the CSRF cookie its form needs");
    let html = response.text().await.unwrap();
    assert!(html.contains(r#"action="/api/auth/callback/credentials""#));
    assert!(html.contains(r#"name="csrfToken""#));
    assert!(html.contains(r#"value="/profile""#));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_form_post_creates_the_user_and_signs_in() {
    let server = spawn().await;
    let fields = [
        ("name", "Linus"),
        ("email", "linus@example.com"),
        ("password", "penguins!"),
    ];
    let response = server.sign_up_form(&fields, false).await;
    assert_eq!(response.status(), 302);
    assert_eq!(location(&response), server.url("/dashboard"));
    let session: Value = server.session().await;
    assert_eq!(session["user"]["email"], "linus@example.com");
    assert_eq!(session["user"]["name"], "Linus");

    // Same email again, from another browser: back on the demo's form with the code and
    // what was typed (never the password), which the page shows as a message.
    let again = server.other_browser();
    let fields = [
        ("name", "Linus"),
        ("email", "LINUS@example.com"),
        ("password", "penguins!"),
    ];
    let response = again.sign_up_form(&fields, false).await;
    assert_eq!(response.status(), 302);
    let url = location(&response);
    assert_eq!(
        url,
        "/sign-up?error=EmailTaken&callbackUrl=%2Fdashboard&email=LINUS%40example.com&name=Linus"
    );
    let page = again.get(&url).await.text().await.unwrap();
    assert!(
        page.contains("An account with this email already exists."),
        "{page}"
    );
    assert!(page.contains(r#"value="LINUS@example.com""#), "{page}");
    assert_eq!(again.session().await, serde_json::json!({}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_validation_errors_are_clear() {
    let server = spawn().await;
    for (email, password, name, code, message) in [
        (
            "not-an-email",
            "long enough",
            "X",
            "InvalidEmail",
            "valid email address",
        ),
        (
            "a@example.com",
            "short",
            "X",
            "WeakPassword",
            "between 8 and 256 characters",
        ),
        (
            "b@example.com",
            "long enough",
            &"n".repeat(101),
            "InvalidName",
            "at most 100",
        ),
    ] {
        let fields = [("name", name), ("email", email), ("password", password)];
        let response = server.sign_up_form(&fields, true).await;
        // A refusal of what the client sent: 400, never a 500.
        assert_eq!(response.status(), 400, "{code}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], code);
        assert!(
            body["message"].as_str().unwrap().contains(message),
            "{body}"
        );
    }
    // Without a CSRF token: refused before anything is created.
    let forged = server
        .post_form(
            "/api/auth/signup",
            &[("email", "c@example.com"), ("password", "long enough")],
        )
        .await;
    assert_eq!(forged.status(), 302);
    assert!(location(&forged).contains("error=MissingCSRF"));
    let signed_up = server
        .sign_up_form(
            &[("email", "c@example.com"), ("password", "long enough")],
            true,
        )
        .await;
    assert_eq!(
        signed_up.status(),
        200,
        "the address was not taken by the forged post"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_to_server_functions_are_refused() {
    let server = spawn().await;
    let response = server
        .client
        .post(server.url("/api/leptos-auth/sign_up"))
        .header("origin", "https://evil.example")
        .form(&[
            ("name", "X"),
            ("email", "x@example.com"),
            ("password", "long enough"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let same_origin = server
        .client
        .post(server.url("/api/leptos-auth/sign_up"))
        .header("origin", &server.base_url)
        .form(&[
            ("name", "X"),
            ("email", "x@example.com"),
            ("password", "long enough"),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        same_origin.status().is_success(),
        "{}",
        same_origin.status()
    );

    // A plain form post is answered with a redirect to its Referer: without an Origin (older
    // browsers), a Referer from another site is refused too, so that never leads off-site.
    for path in [
        "/api/leptos-auth/sign_out",
        "/api/leptos-auth/get_session",
        "/api/leptos-auth/sign_up",
    ] {
        let from_elsewhere = server
            .client
            .post(server.url(path))
            .header("accept", "text/html")
            .header("referer", "https://evil.example/phish")
            .send()
            .await
            .unwrap();
        assert_eq!(from_elsewhere.status(), 403, "{path}");
        assert!(from_elsewhere.headers().get("location").is_none(), "{path}");
    }
    let from_here = server
        .client
        .post(server.url("/api/leptos-auth/sign_out"))
        .header("accept", "text/html")
        .header("referer", server.url("/dashboard"))
        .send()
        .await
        .unwrap();
    assert_eq!(from_here.status(), 302);
    assert!(location(&from_here).starts_with(&server.url("/dashboard")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_and_the_sign_in_server_function_are_rate_limited_per_address() {
    let server = spawn().await;
    let limit = server.auth.config().rate_limits.max_requests as usize;
    let sign_up = |i: usize, plain_form: bool| {
        let server = &server;
        async move {
            let email = format!("flood{i}@example.com");
            let fields = [
                ("name", "Flood"),
                ("email", email.as_str()),
                ("password", "long enough"),
            ];
            server.sign_up_form(&fields, !plain_form).await
        }
    };
    for i in 0..limit {
        assert!(
            !sign_up(i, false).await.status().is_client_error(),
            "sign-up {i}"
        );
    }
    // A script: 429, Retry-After, a stable code.
    let refused = sign_up(limit, false).await;
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "RateLimited");
    // A plain form: back on the form, whose page says how long to wait.
    let refused = sign_up(limit + 1, true).await;
    let url = location(&refused);
    assert!(url.starts_with("/sign-up?error=RateLimited&"), "{url}");
    assert!(url.contains("&retryAfter="), "{url}");
    // (Read signed out: this browser signed up above, and /sign-up sends it on.)
    let page = server.other_browser().get(&url).await.text().await.unwrap();
    assert!(
        page.contains("Too many attempts. Try again in 1 minute."),
        "{page}"
    );
    // The sign_up server function shares the budget: a typed error.
    let refused = server
        .client
        .post(server.url("/api/leptos-auth/sign_up"))
        .form(&[("email", "fn@example.com"), ("password", "long enough")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 429);
    let text = refused.text().await.unwrap();
    assert!(text.starts_with("TooManyAttempts|RateLimited|"), "{text}");

    // The sign_in server function checks passwords: it has its own budget, limited alike.
    let mut statuses = Vec::new();
    for _ in 0..=limit {
        let response = server
            .client
            .post(server.url("/api/leptos-auth/sign_in"))
            .form(&[
                ("provider", "credentials"),
                ("fields[email]", "nobody@example.com"),
                ("fields[password]", "wrong password"),
            ])
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_server_function_arguments_are_a_400_never_a_500() {
    let server = spawn().await;
    let bodies: [(&str, &[u8]); 6] = [
        ("application/x-www-form-urlencoded", b""),
        ("application/x-www-form-urlencoded", b"email=a@example.com"),
        (
            "application/x-www-form-urlencoded",
            b"name=\xff&email=a@example.com&password=correct+horse+1&provider=\xfe&limit=x",
        ),
        ("application/x-www-form-urlencoded", b"\x00\x01"),
        ("application/json", b"[1,2]"),
        ("application/cbor", b"\xa0"),
    ];
    // Every server function that takes arguments, the demo's and the library's.
    for path in [
        "/api/leptos-auth/sign_up",
        "/api/app/unlink_account",
        "/api/app/top_artists",
        "/api/leptos-auth/sign_in",
    ] {
        for (content_type, body) in bodies {
            let response = server
                .client
                .post(server.url(path))
                .header("content-type", content_type)
                .body(body.to_vec())
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                400,
                "{path} {content_type} {}",
                String::from_utf8_lossy(body)
            );
        }
    }
    // The ones without arguments ignore whatever body comes along.
    for path in [
        "/api/app/sign_in_methods",
        "/api/leptos-auth/providers",
        "/api/leptos-auth/get_session",
        "/api/leptos-auth/load_session_state",
        "/api/leptos-auth/csrf_token",
        "/api/leptos-auth/sign_out",
    ] {
        for (content_type, body) in bodies {
            let response = server
                .client
                .post(server.url(path))
                .header("content-type", content_type)
                .body(body.to_vec())
                .send()
                .await
                .unwrap();
            assert!(response.status().as_u16() < 500, "{path} {content_type}");
        }
    }
}
