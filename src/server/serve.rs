//! The HTTP server loop: hyper with the limits `axum::serve` does not offer. A client gets
//! a bounded time to send its request headers (a slow-headers client cannot hold
//! connections open forever), every request a bounded time to be answered (which covers slow
//! bodies), and every handler sees the client's address for the rate limits.

use std::{future::Future, time::Duration};

use axum::{
    Router,
    extract::ConnectInfo,
    http::{Request, StatusCode},
};
use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::{conn::auto, graceful::GracefulShutdown},
    service::TowerToHyperService,
};
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;
use tower_http::timeout::TimeoutLayer;

/// Time limits of the server.
#[derive(Debug, Clone, Copy)]
pub struct ServeLimits {
    /// How long a client may take to send a request's headers.
    pub header_read_timeout: Duration,
    /// How long a request may take, body included, before it is answered `408`.
    pub request_timeout: Duration,
    /// How long open connections get to finish when the server shuts down.
    pub shutdown_grace: Duration,
}

impl Default for ServeLimits {
    fn default() -> Self {
        ServeLimits {
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// Whether the client sent, within `limit`, enough to tell HTTP/1 from HTTP/2. hyper's
/// header timeout starts with the first byte, and telling the protocols apart waits without
/// any: a connection that sends nothing (or half the HTTP/2 preface) would otherwise hold
/// its socket, and a file descriptor, for good.
async fn opened_in_time(stream: &TcpStream, limit: Duration) -> bool {
    const HTTP2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    let deadline = tokio::time::Instant::now() + limit;
    let mut opening = [0u8; HTTP2_PREFACE.len()];
    loop {
        match tokio::time::timeout_at(deadline, stream.peek(&mut opening)).await {
            // Anything but the start of the preface is HTTP/1; the whole preface is HTTP/2.
            Ok(Ok(n @ 1..)) if n == opening.len() || opening[..n] != HTTP2_PREFACE[..n] => {
                return true;
            }
            // Part of the preface so far: look again shortly (peeking does not wait for more).
            Ok(Ok(1..)) if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            // Closed, failed, silent, or too slow.
            _ => return false,
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then lets open connections finish
/// (for at most `limits.shutdown_grace`).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ServeLimits,
    shutdown: impl Future<Output = ()>,
) {
    let app = app.layer(TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        limits.request_timeout,
    ));
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    // Pings find HTTP/2 peers that went away without closing.
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(limits.header_read_timeout * 2))
        .keep_alive_timeout(limits.header_read_timeout);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);

    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = app
            .clone()
            .map_request(move |mut request: Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            });
        let (builder, watcher) = (builder.clone(), graceful.watcher());
        tokio::spawn(async move {
            if !opened_in_time(&stream, limits.header_read_timeout).await {
                return;
            }
            let connection = builder.serve_connection_with_upgrades(
                TokioIo::new(stream),
                TowerToHyperService::new(service),
            );
            // Errors here are clients going away mid-request: nothing to do.
            let _ = watcher.watch(connection.into_owned()).await;
        });
    }

    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the shutdown grace period");
    }
}
