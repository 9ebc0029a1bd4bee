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

/// Hashes waiting per hashing thread, at most: about a second of work. Past that a request
/// is refused at once (`Busy`) rather than left waiting behind a flood.
const QUEUED_PER_THREAD: usize = 32;

/// Why a job did not run to the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum JobError {
    /// The queue is full: try again in a moment.
    Busy,
    /// The job panicked, or its thread is gone.
    Failed,
}

/// How many hashing threads there are: half the cores, 1 to 8.
fn thread_count() -> usize {
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    (cores / 2).clamp(1, 8)
}

fn queue() -> &'static mpsc::SyncSender<Job> {
    static QUEUE: OnceLock<mpsc::SyncSender<Job>> = OnceLock::new();
    QUEUE.get_or_init(|| {
        let threads = thread_count();
        let (sender, receiver) = mpsc::sync_channel::<Job>(threads * QUEUED_PER_THREAD);
        let receiver = Arc::new(Mutex::new(receiver));
        for i in 0..threads {
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

/// Runs `work` on a hashing thread and waits for its result. `Busy` at once when the queue
/// is full. When the caller stops waiting (its client went away and the request was
/// dropped) before a thread takes the job, the work is skipped.
pub(super) async fn run<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, JobError> {
    let (done, result) = oneshot::channel();
    let job: Job = Box::new(move || {
        if done.is_closed() {
            return;
        }
        let _ = done.send(work());
    });
    queue().try_send(job).map_err(|e| match e {
        mpsc::TrySendError::Full(_) => JobError::Busy,
        mpsc::TrySendError::Disconnected(_) => JobError::Failed,
    })?;
    result.await.map_err(|_| JobError::Failed)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn work_whose_caller_stopped_waiting_is_skipped() {
        // Every hashing thread busy until released.
        let (release, gate) = mpsc::channel::<()>();
        let gate = Arc::new(Mutex::new(gate));
        let started = Arc::new(AtomicUsize::new(0));
        let mut blockers = Vec::new();
        for _ in 0..thread_count() {
            let (gate, started) = (gate.clone(), started.clone());
            blockers.push(tokio::spawn(run(move || {
                started.fetch_add(1, Ordering::SeqCst);
                let _ = gate.lock().map(|gate| gate.recv());
            })));
        }
        for _ in 0..500 {
            if started.load(Ordering::SeqCst) == thread_count() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert_eq!(started.load(Ordering::SeqCst), thread_count());

        // A job queued behind them whose caller gives up (its request was dropped).
        let ran = Arc::new(AtomicBool::new(false));
        let flag = ran.clone();
        let abandoned = run(move || flag.store(true, Ordering::SeqCst));
        let gave_up = tokio::time::timeout(std::time::Duration::from_millis(50), abandoned);
        assert!(gave_up.await.is_err(), "still queued");

        for _ in 0..thread_count() {
            release.send(()).unwrap();
        }
        for blocker in blockers {
            blocker.await.unwrap().unwrap();
        }
        // A job after it has run: the queue got past the abandoned one.
        assert_eq!(run(|| 7).await, Ok(7));
        assert!(!ran.load(Ordering::SeqCst), "the abandoned job did not run");
    }
}
