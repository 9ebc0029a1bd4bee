//! The threads that compute password hashes: a fixed few (half the cores), each at a lower
//! CPU priority than the threads serving requests.
//!
//! A hash takes a core for tens of milliseconds and 19 MiB. On tokio's blocking pool a flood
//! of sign-ins would spread over many threads (each keeping its own allocator arena, hundreds
//! of MiB in all) and compete as equals with the request threads. Here it queues for a few
//! long-lived threads, and on Linux the scheduler lets session reads go first when both want
//! the CPU (nice +10: a hashing thread gets about a tenth of a core that requests also want,
//! and every idle cycle). `scripts/bench.sh` measures reads during a sign-in flood.

use std::{
    panic::AssertUnwindSafe,
    sync::{Arc, Mutex, OnceLock, mpsc},
};

use tokio::sync::oneshot;

type Job = Box<dyn FnOnce() + Send>;

/// The nice value of the hashing threads (0 is the default, 19 the lowest priority).
#[cfg(target_os = "linux")]
const NICE: libc::c_int = 10;

fn queue() -> &'static mpsc::Sender<Job> {
    static QUEUE: OnceLock<mpsc::Sender<Job>> = OnceLock::new();
    QUEUE.get_or_init(|| {
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        for i in 0..(cores / 2).clamp(1, 8) {
            let receiver = receiver.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("password-hash-{i}"))
                .spawn(move || {
                    lower_priority();
                    loop {
                        let job = match receiver.lock() {
                            Ok(receiver) => receiver.recv(),
                            Err(_) => return,
                        };
                        let Ok(job) = job else { return };
                        // A panicking hash must not take the thread with it.
                        let _ = std::panic::catch_unwind(AssertUnwindSafe(job));
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "could not start a password hashing thread");
            }
        }
        sender
    })
}

#[cfg(target_os = "linux")]
fn lower_priority() {
    // SAFETY: setpriority only reads its integer arguments. On Linux the nice value belongs to
    // the thread (`who = 0` is the calling thread), so request threads keep theirs.
    let failed = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, NICE) } != 0;
    if failed {
        tracing::warn!("could not lower the priority of a password hashing thread");
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

/// Runs `work` on a hashing thread and waits for its result; `None` if it panicked.
pub(super) async fn run<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (done, result) = oneshot::channel();
    queue()
        .send(Box::new(move || {
            let _ = done.send(work());
        }))
        .ok()?;
    result.await.ok()
}
