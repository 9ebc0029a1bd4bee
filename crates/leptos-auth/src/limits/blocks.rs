//! What this instance has refused, remembered locally so a flood is answered without a
//! database round trip.

use std::{
    collections::HashMap,
    sync::{
        Mutex,
        atomic::{AtomicU32, Ordering},
    },
};

/// What this instance has refused, and until when (unix seconds): the fast path in front of
/// the store. Bounded: expired entries go first, and if a flood of distinct keys still fills
/// it, it is emptied (the store still holds the truth).
#[derive(Default)]
pub(crate) struct LocalBlocks {
    until: Mutex<HashMap<String, i64>>,
    events: AtomicU32,
}

const MAX_LOCAL_BLOCKS: usize = 16 * 1024;
/// Expired counters and sessions are deleted once every this many counted events.
const PRUNE_EVERY: u32 = 1024;

impl LocalBlocks {
    pub(super) fn blocked_until(&self, key: &str, now: i64) -> Option<i64> {
        let map = self.until.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key).copied().filter(|until| *until > now)
    }

    pub(super) fn block(&self, key: &str, until: i64, now: i64) {
        let mut map = self.until.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_LOCAL_BLOCKS {
            map.retain(|_, until| *until > now);
            if map.len() >= MAX_LOCAL_BLOCKS {
                map.clear();
            }
        }
        map.insert(key.to_owned(), until);
    }

    pub(super) fn forget(&self, key: &str) {
        let mut map = self.until.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(key);
    }

    pub(super) fn should_prune(&self) -> bool {
        self.events.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1
    }
}
