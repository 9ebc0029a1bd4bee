//! The app the README's guide builds, run: this example's own binary (built the README's
//! way, with nothing but the public API) is started in an empty folder, and a visitor signs
//! up, reaches the guarded page, signs out and is sent to sign in — plain HTTP, no
//! JavaScript, as the server renders it.
#![cfg(feature = "ssr")]

use std::{
    process::{Child, Command, Stdio},
    time::Duration,
};

use leptos_auth_test_util::{client, location, maildev::free_port, temp_dir};

/// The example's server, stopped when dropped.
struct App {
    child: Child,
    base_url: String,
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start() -> App {
    let port = free_port();
    let dir = temp_dir("minimal-app");
    let child = Command::new(env!("CARGO_BIN_EXE_minimal"))
        .current_dir(&dir)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env_remove("DATABASE_URL")
        .env_remove("AUTH_URL")
        .env_remove("AUTH_SECRET")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the example's binary");
    let app = App {
        child,
        base_url: format!("http://127.0.0.1:{port}"),
    };
    // It listens once its database is migrated: a bounded wait.
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return app;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the example did not start listening on {port}");
}

/// The value of the hidden `csrfToken` field of a page.
fn csrf_token_in(html: &str) -> String {
    let at = html.find(r#"name="csrfToken""#).expect("a csrfToken field");
    let value = &html[at..];
    let start = value.find(r#"value=""#).expect("its value") + 7;
    value[start..start + value[start..].find('"').unwrap()].to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_signs_up_reaches_the_guarded_page_and_signs_out() {
    let app = start().await;
    // A browser without JavaScript: keeps cookies, does not follow redirects.
    let visitor = client();
    let url = |path: &str| format!("{}{path}", app.base_url);

    // Signed out, the guarded page answers a redirect to the sign-in page.
    let secret = visitor.get(url("/secret")).send().await.unwrap();
    assert_eq!(secret.status(), 302);
    assert_eq!(location(&secret), "/sign-in?callbackUrl=%2Fsecret");

    // The sign-up page is the library's form, with its CSRF token (and cookie).
    let page = visitor.get(url("/sign-up")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"action="/api/auth/signup""#), "{html}");
    let csrf = csrf_token_in(&html);

    // A refused sign-up comes back to the app's page with the message.
    let weak = visitor
        .post(url("/api/auth/signup"))
        .form(&[
            ("csrfToken", csrf.as_str()),
            ("callbackUrl", "/secret"),
            ("email", "reader@example.com"),
            ("password", "short"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(weak.status(), 302);
    let back = location(&weak);
    assert!(back.starts_with("/sign-up?error=WeakPassword"), "{back}");
    let html = visitor
        .get(url(&back))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("between 8 and 256 characters"), "{html}");

    let signed_up = visitor
        .post(url("/api/auth/signup"))
        .form(&[
            ("csrfToken", csrf.as_str()),
            ("callbackUrl", "/secret"),
            ("name", "Reader"),
            ("email", "reader@example.com"),
            ("password", "correct horse battery"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_up.status(), 302);
    assert_eq!(location(&signed_up), url("/secret"));

    // The guarded page, rendered with the server function reading the session.
    let secret = visitor.get(url("/secret")).send().await.unwrap();
    assert_eq!(secret.status(), 200);
    let html = secret.text().await.unwrap();
    assert!(html.contains("Only for you"), "{html}");
    assert!(html.contains("reader@example.com"), "{html}");

    // Signing out (the Auth.js endpoint) ends it: the guard sends the visitor away again.
    let csrf: serde_json::Value = visitor
        .get(url("/api/auth/csrf"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let csrf = csrf["csrfToken"].as_str().unwrap().to_owned();
    let signed_out = visitor
        .post(url("/api/auth/signout"))
        .form(&[("csrfToken", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_out.status(), 302);
    let secret = visitor.get(url("/secret")).send().await.unwrap();
    assert_eq!(secret.status(), 302);

    // Another browser signs in with the new account through the app's plain sign-in form.
    let other = client();
    let page = other
        .get(url("/sign-in"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(r#"action="/api/auth/callback/credentials""#),
        "{page}"
    );
    let signed_in = other
        .post(url("/api/auth/callback/credentials"))
        .form(&[
            ("csrfToken", csrf_token_in(&page).as_str()),
            ("callbackUrl", "/secret"),
            ("email", "reader@example.com"),
            ("password", "correct horse battery"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&signed_in), url("/secret"));
    let secret = other.get(url("/secret")).send().await.unwrap();
    assert_eq!(secret.status(), 200);
}
