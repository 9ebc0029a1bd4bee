//! The HTTP server loop: hyper with the limits `axum::serve` does not offer. A client gets
//! a bounded time to send its request headers (a slow-headers client cannot hold
//! connections open forever), every request a bounded time to be answered (which covers slow
//! bodies), a connection that carries no request for `idle_timeout` is closed (HTTP/2
//! included, which hyper keeps open for as long as the peer answers pings), at most
//! `max_connections` are open at once (more are closed as they come, so the server never runs
//! out of file descriptors), and every handler sees the client's address for the rate limits.

use std::{
    future::Future,
    sync::{
        Arc,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{
    Router,
    body::Body,
    extract::ConnectInfo,
    http::{Request, StatusCode},
};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::conn::auto,
    service::TowerToHyperService,
};
use tokio::{
    net::{TcpListener, TcpStream},
    sync::{Semaphore, watch},
};
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
    /// How long a connection may stay open without a request in progress
    /// (`LEPTOS_IDLE_TIMEOUT`).
    pub idle_timeout: Duration,
    /// The most connections open at once (`LEPTOS_MAX_CONNECTIONS`); keep it below the
    /// process's file-descriptor limit (`ulimit -n`).
    pub max_connections: usize,
}

impl Default for ServeLimits {
    fn default() -> Self {
        ServeLimits {
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            // Room below the usual `ulimit -n` of 1024 for the database and the site files.
            max_connections: 900,
        }
    }
}

/// What one connection is doing: requests in progress, and when the last one ended.
struct Activity {
    opened: Instant,
    in_flight: AtomicUsize,
    /// Milliseconds after `opened` when a request last ended (or the connection opened).
    last_done_ms: AtomicU64,
}

impl Activity {
    fn new() -> Arc<Self> {
        Arc::new(Activity {
            opened: Instant::now(),
            in_flight: AtomicUsize::new(0),
            last_done_ms: AtomicU64::new(0),
        })
    }

    fn idle_for(&self) -> Option<Duration> {
        if self.in_flight.load(Ordering::SeqCst) > 0 {
            return None;
        }
        let last = Duration::from_millis(self.last_done_ms.load(Ordering::SeqCst));
        Some(self.opened.elapsed().saturating_sub(last))
    }
}

/// Counts a request as in progress until its answer is sent (or dropped).
struct InFlight(Arc<Activity>);

impl InFlight {
    fn start(activity: &Arc<Activity>) -> Self {
        activity.in_flight.fetch_add(1, Ordering::SeqCst);
        InFlight(activity.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let now = u64::try_from(self.0.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.0.last_done_ms.store(now, Ordering::SeqCst);
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
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
    let max_connections = limits.max_connections.clamp(1, Semaphore::MAX_PERMITS);
    let slots = Arc::new(Semaphore::new(max_connections));
    let (closing, closing_seen) = watch::channel(false);
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
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            // Full: closed at once, so the client can try again rather than hang.
            tracing::debug!(%peer, "connection refused: max_connections open");
            drop(stream);
            continue;
        };
        let activity = Activity::new();
        let service = app
            .clone()
            .map_request(move |mut request: Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            })
            .map_future({
                let activity = activity.clone();
                move |answer| {
                    let in_flight = InFlight::start(&activity);
                    async move {
                        // In progress until the body is sent (or dropped), not just until
                        // the headers are ready: a slow download is not an idle connection.
                        let response: Result<axum::response::Response, _> = answer.await;
                        response.map(|response| {
                            response.map(|body| {
                                Body::new(body.map_frame(move |frame| {
                                    let _in_flight = &in_flight;
                                    frame
                                }))
                            })
                        })
                    }
                }
            });
        let (builder, mut closing_seen) = (builder.clone(), closing_seen.clone());
        tokio::spawn(async move {
            let _slot = slot;
            if !opened_in_time(&stream, limits.header_read_timeout).await {
                return;
            }
            let connection = builder
                .serve_connection_with_upgrades(
                    TokioIo::new(stream),
                    TowerToHyperService::new(service),
                )
                .into_owned();
            tokio::pin!(connection);
            let check_every = (limits.idle_timeout / 4).max(Duration::from_millis(100));
            // Once asked to end, a connection gets a moment to finish (an HTTP/2 peer to
            // acknowledge the GOAWAY); then it is dropped.
            let mut ending: Option<tokio::time::Instant> = None;
            let far = tokio::time::Instant::now() + Duration::from_secs(365 * 24 * 3600);
            loop {
                tokio::select! {
                    // Errors here are clients going away mid-request: nothing to do.
                    _ = connection.as_mut() => break,
                    _ = closing_seen.changed(), if ending.is_none() => {
                        connection.as_mut().graceful_shutdown();
                        ending = Some(tokio::time::Instant::now() + limits.shutdown_grace);
                    }
                    () = tokio::time::sleep(check_every), if ending.is_none() => {
                        if activity.idle_for().is_some_and(|idle| idle >= limits.idle_timeout) {
                            connection.as_mut().graceful_shutdown();
                            let grace = limits.header_read_timeout;
                            ending = Some(tokio::time::Instant::now() + grace);
                        }
                    }
                    () = tokio::time::sleep_until(ending.unwrap_or(far)), if ending.is_some() => break,
                }
            }
        });
    }

    // Every connection finishes what it is doing; they all have when their slots are back.
    let _ = closing.send(true);
    let all = u32::try_from(max_connections).unwrap_or(u32::MAX);
    if tokio::time::timeout(limits.shutdown_grace, slots.acquire_many(all))
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the shutdown grace period");
    }
}
