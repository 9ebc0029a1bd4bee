//! The harness of leptos-auth's integration tests, shared by the library's tests
//! (`crates/leptos-auth/tests`) and the demo's (`tests/`): a browser-like HTTP client and
//! what tests read from responses, a real SMTP server (maildev), fresh PostgreSQL databases,
//! temporary folders and a software passkey authenticator. Each test crate keeps only the
//! server it starts.

pub mod authenticator;
mod browser;
pub mod maildev;
pub mod postgres;

pub use browser::Browser;

use std::path::PathBuf;

/// A browser-like client: keeps cookies, does not follow redirects.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
}

/// `Set-Cookie` headers of a response.
pub fn set_cookies(response: &reqwest::Response) -> Vec<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

/// The `Location` header of a response; panics when there is none.
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .expect("a Location header")
        .to_str()
        .unwrap()
        .to_owned()
}

/// A fresh, empty folder under the system temp dir.
pub fn temp_dir(label: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "leptos-auth-test-{label}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
