//! The server through real HTTP: health check, server-rendered pages, 404s.
#![cfg(feature = "ssr")]

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_ok() {
    let server = crate::common::spawn().await;
    let response = server.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_page_is_rendered_on_the_server() {
    let server = crate::common::spawn().await;
    let response = server.get("/").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("<h1>leptos-auth</h1>"));
    assert!(
        html.contains("/pkg/leptos-auth.js"),
        "hydration scripts are linked"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn route_group_pages_have_their_layout_and_no_extra_url_segment() {
    let server = crate::common::spawn().await;
    let sign_in = server.get("/sign-in").await.text().await.unwrap();
    assert!(
        sign_in.contains("auth-card"),
        "(auth) layout around /sign-in"
    );
    let sign_up = server.get("/sign-up").await.text().await.unwrap();
    assert!(
        sign_up.contains("auth-card"),
        "(auth) layout around /sign-up"
    );
    server
        .register("ada@example.com", "Ada", "long enough")
        .await;
    server.sign_in("ada@example.com", "long enough").await;
    for page in ["/dashboard", "/profile", "/settings"] {
        let html = server.get(page).await.text().await.unwrap();
        assert!(html.contains("navbar"), "(dashboard) layout around {page}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_path_is_a_leptos_404_page() {
    let server = crate::common::spawn().await;
    let response = server.get("/no/such/page").await;
    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains("Page not found"));
    assert!(
        html.contains("<!DOCTYPE html>"),
        "a full page, not plain text"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn path_traversal_does_not_escape_the_site_folder() {
    let server = crate::common::spawn().await;
    let response = server.get("/pkg/../../Cargo.toml").await;
    assert_eq!(response.status(), 404);
    let response = server.get("/pkg/%2e%2e/%2e%2e/Cargo.toml").await;
    assert_eq!(response.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_security_headers_and_are_never_cached() {
    let server = crate::common::spawn().await;
    for path in ["/", "/sign-in", "/no-such-page"] {
        let response = server.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
        assert_eq!(headers["cache-control"], "private, no-store", "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inline_scripts_run_only_with_the_nonce_of_their_response() {
    let server = crate::common::spawn().await;
    let mut nonces = Vec::new();
    for path in ["/", "/sign-in", "/sign-up"] {
        let response = server.get(path).await;
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("{path}: no script nonce in {csp}"))
            .to_owned();
        assert!(nonce.len() >= 16, "{nonce}");
        let html = response.text().await.unwrap();
        let scripts: Vec<&str> = html.split("<script").skip(1).collect();
        assert!(
            !scripts.is_empty(),
            "{path}: the hydration script is inline"
        );
        for script in scripts {
            let tag = script.split('>').next().unwrap();
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: <script{tag}> lacks the nonce"
            );
        }
        nonces.push(nonce);
    }
    nonces.dedup();
    assert_eq!(nonces.len(), 3, "a fresh nonce for every response");
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_development_secret_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let server = crate::common::spawn().await;
    let secret = server.data_dir.join("dev-secret");
    let mode = std::fs::metadata(&secret).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{}", secret.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let limits = leptos_auth_demo::server::serve::ServeLimits {
        header_read_timeout: std::time::Duration::from_secs(1),
        ..Default::default()
    };
    let server = crate::common::spawn_with_limits(limits).await;
    let addr = server.base_url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .await
        .unwrap();
    // Within a few seconds the server answers 408 or hangs up; it never waits forever.
    let mut answer = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        stream.read_to_end(&mut answer),
    )
    .await;
    assert!(read.is_ok(), "the connection was still open after 5 s");
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_that_send_nothing_or_half_a_preface_are_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let limits = leptos_auth_demo::server::serve::ServeLimits {
        header_read_timeout: std::time::Duration::from_secs(1),
        ..Default::default()
    };
    let server = crate::common::spawn_with_limits(limits).await;
    let addr = server.base_url.trim_start_matches("http://");
    // Silent, and a partial HTTP/2 preface (which only protocol detection reads).
    for opening in [&b""[..], b"PRI * HTTP/2.0\r\n"] {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream.write_all(opening).await.unwrap();
        let mut answer = Vec::new();
        let read = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            stream.read_to_end(&mut answer),
        )
        .await;
        assert!(
            read.is_ok(),
            "{}: still open after 5 s",
            String::from_utf8_lossy(opening)
        );
    }
    assert_eq!(server.get("/healthz").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_without_a_path_are_refused_not_a_panic() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let server = crate::common::spawn().await;
    let addr = server.base_url.trim_start_matches("http://");
    for request in [
        "CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\nConnection: close\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    ] {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        tokio::time::timeout(
            std::time::Duration::from_secs(5),
            stream.read_to_end(&mut answer),
        )
        .await
        .expect("an answer")
        .unwrap();
        let answer = String::from_utf8_lossy(&answer);
        let status: u16 = answer
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no HTTP answer to {request:?}: {answer:?}"));
        assert!((400..500).contains(&status), "{request:?}: {answer}");
    }
    assert_eq!(server.get("/healthz").await.status(), 200);
}

/// A body over the limit is refused from its `Content-Length` alone: the answer comes before
/// a byte of the body is sent, so the server never reads or buffers it. (Sent by a client
/// that writes the body regardless, the refusal races the client's write into a closed
/// connection.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_request_bodies_are_refused_not_read() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let server = crate::common::spawn().await;
    let addr = server.base_url.trim_start_matches("http://");
    let too_big = leptos_auth_demo::server::MAX_REQUEST_BODY + 1;
    for path in ["/api/auth/signup", "/api/auth/callback/credentials"] {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: {too_big}\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        tokio::time::timeout(
            std::time::Duration::from_secs(5),
            stream.read_to_end(&mut answer),
        )
        .await
        .unwrap_or_else(|_| panic!("{path}: no answer while the body was awaited"))
        .unwrap();
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 413 "), "{path}: {answer}");
    }
}

/// The bytes the test server's database takes: the SQLite file once its write-ahead log is
/// folded in, or PostgreSQL's own count of the database.
async fn database_size(server: &crate::common::TestServer) -> u64 {
    use sqlx::Connection;
    if server.database_url.starts_with("postgres") {
        let mut db = sqlx::PgConnection::connect(&server.database_url)
            .await
            .unwrap();
        let size: i64 = sqlx::query_scalar("SELECT pg_database_size(current_database())")
            .fetch_one(&mut db)
            .await
            .unwrap();
        return size as u64;
    }
    let mut db = sqlx::SqliteConnection::connect(&server.database_url)
        .await
        .unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut db)
        .await
        .unwrap();
    let path = server
        .database_url
        .trim_start_matches("sqlite://")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    std::fs::metadata(path).unwrap().len()
}

/// Text that no database compresses: what a hostile client sends to fill the disk.
fn incompressible(len: usize, seed: u64) -> String {
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[(state >> 59) as usize % 36])
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_a_client_sends_cannot_grow_the_database_by_its_size() {
    let server = crate::common::spawn().await;
    server
        .register("grace@example.com", "Grace", "compilers rule")
        .await;
    let signed_in = server.other_browser();
    signed_in
        .sign_in("grace@example.com", "compilers rule")
        .await;
    let before = database_size(&server).await;

    // 100 sign-in callbacks for "providers" of 60 KB, each from a fresh browser, and 20
    // unlink requests for such a provider from a signed-in one: 7 MB of text in all.
    for n in 0..100 {
        let path = format!("/api/auth/callback/{}", incompressible(60_000, n));
        let response = crate::common::client()
            .get(server.url(&path))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_redirection(), "{}", response.status());
    }
    for n in 0..20 {
        let response = signed_in
            .client
            .post(server.url("/api/app/unlink_account"))
            .header("accept", "text/html")
            .form(&[("provider", incompressible(60_000, 1000 + n))])
            .send()
            .await
            .unwrap();
        assert!(response.status().as_u16() < 500, "{}", response.status());
    }

    let grown = database_size(&server).await.saturating_sub(before);
    assert!(grown < 1024 * 1024, "the database grew by {grown} bytes");
    assert_eq!(server.get("/healthz").await.status(), 200);
}

/// Sends `GET /healthz` on `stream` and reads the answer: its status line, or `None` when
/// the server closed the connection instead.
async fn healthz_on(stream: &mut tokio::net::TcpStream) -> Option<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    if stream.write_all(request.as_bytes()).await.is_err() {
        return None;
    }
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    let read = async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return None,
                Ok(n) => answer.extend_from_slice(&buffer[..n]),
            }
            let text = String::from_utf8_lossy(&answer);
            if text.contains("\r\n\r\nok") {
                return text.lines().next().map(str::to_owned);
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(5), read)
        .await
        .expect("an answer or a close within 5 s")
}

/// Whether the server closes `stream` (without sending anything more) within `limit`.
async fn closed_within(stream: &mut tokio::net::TcpStream, limit: std::time::Duration) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buffer = [0u8; 1024];
    let read = async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return true,
                Ok(_) => continue,
            }
        }
    };
    tokio::time::timeout(limit, read).await.unwrap_or(false)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_most_max_connections_are_open_and_more_are_closed_at_once() {
    let server = crate::common::spawn_with_limits(leptos_auth_demo::server::serve::ServeLimits {
        max_connections: 3,
        ..Default::default()
    })
    .await;
    let addr = server.base_url.trim_start_matches("http://").to_owned();
    let mut open = Vec::new();
    for _ in 0..3 {
        let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let status = healthz_on(&mut stream).await.expect("served");
        assert!(status.contains("200"), "{status}");
        open.push(stream);
    }
    // A fourth is closed without an answer, at once rather than left waiting.
    let mut fourth = tokio::net::TcpStream::connect(&addr).await.unwrap();
    assert_eq!(healthz_on(&mut fourth).await, None);
    // One closes; a newcomer gets its place.
    drop(open.pop());
    let mut served = false;
    for _ in 0..50 {
        let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
        if healthz_on(&mut stream)
            .await
            .is_some_and(|s| s.contains("200"))
        {
            served = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(served, "a freed place is given to the next connection");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_are_closed_http2_included() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let server = crate::common::spawn_with_limits(leptos_auth_demo::server::serve::ServeLimits {
        idle_timeout: std::time::Duration::from_secs(1),
        ..Default::default()
    })
    .await;
    let addr = server.base_url.trim_start_matches("http://").to_owned();

    // HTTP/1.1 keep-alive: served, then closed once idle.
    let mut http1 = tokio::net::TcpStream::connect(&addr).await.unwrap();
    assert!(healthz_on(&mut http1).await.unwrap().contains("200"));
    assert!(closed_within(&mut http1, std::time::Duration::from_secs(10)).await);

    // HTTP/2 with prior knowledge: a peer that answers every ping still gets a GOAWAY and
    // the close once it has been idle.
    let mut http2 = tokio::net::TcpStream::connect(&addr).await.unwrap();
    http2
        .write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00")
        .await
        .unwrap();
    // Frames until the server closes: whether a GOAWAY came first.
    let goaway = async {
        let mut goaway = false;
        loop {
            let mut header = [0u8; 9];
            if http2.read_exact(&mut header).await.is_err() {
                return goaway;
            }
            let length = u32::from_be_bytes([0, header[0], header[1], header[2]]) as usize;
            let mut payload = vec![0u8; length];
            if http2.read_exact(&mut payload).await.is_err() {
                return goaway;
            }
            match header[3] {
                7 => goaway = true,
                // PING without ACK: answer it, as a live client does.
                6 if header[4] & 1 == 0 => {
                    let mut pong = vec![0, 0, 8, 6, 1, 0, 0, 0, 0];
                    pong.extend_from_slice(&payload);
                    let _ = http2.write_all(&pong).await;
                }
                // SETTINGS without ACK: acknowledge it.
                4 if header[4] & 1 == 0 => {
                    let _ = http2.write_all(&[0, 0, 0, 4, 1, 0, 0, 0, 0]).await;
                }
                _ => {}
            }
        }
    };
    let sent_goaway = tokio::time::timeout(std::time::Duration::from_secs(10), goaway)
        .await
        .expect("closed within 10 s");
    assert!(sent_goaway, "closed with a GOAWAY frame first");
}
