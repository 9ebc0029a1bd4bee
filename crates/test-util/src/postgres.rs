//! Fresh PostgreSQL databases on the server the test command started (`TEST_DATABASE_URL`,
//! an admin URL; the suites run once without it and once with it).

/// `TEST_DATABASE_URL`, when set and not empty.
pub fn admin_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty())
}

/// Creates an empty database on the server of `admin_url`, named after `label`, the process
/// and a counter; its URL.
pub async fn fresh_database(admin_url: &str, label: &str) -> String {
    use sqlx::Connection;
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "leptos_auth_{label}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    let mut admin = sqlx::PgConnection::connect(admin_url)
        .await
        .expect("TEST_DATABASE_URL reachable");
    for statement in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        sqlx::query(&statement).execute(&mut admin).await.unwrap();
    }
    let mut url = url::Url::parse(admin_url).expect("TEST_DATABASE_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}
