//! Which `jwt` sessions this instance confirmed against the store recently, and which it saw
//! end: the reason a `jwt` session costs one lookup per `check_interval`, not one per request.

use std::{
    collections::{HashMap, HashSet},
    sync::Mutex,
};

/// Sessions this instance confirmed recently; emptied when it grows past this.
const MAX_CONFIRMED: usize = 64 * 1024;

/// When this instance last confirmed each `jwt` session against the store, and which ones
/// it saw end (so that those stay ended while the store cannot be asked).
#[derive(Default)]
pub(crate) struct ConfirmedSessions {
    confirmed: Mutex<HashMap<String, i64>>,
    ended: Mutex<HashSet<String>>,
}

impl ConfirmedSessions {
    /// Whether `sid` was confirmed after `since` (whole seconds: a session confirmed at
    /// second 100 with a 1 s interval is asked about again from second 101 on).
    pub(super) fn confirmed_since(&self, sid: &str, since: i64) -> bool {
        let map = self.confirmed.lock().unwrap_or_else(|e| e.into_inner());
        map.get(sid).is_some_and(|at| *at > since)
    }

    pub(super) fn confirm(&self, sid: &str, now: i64) {
        let mut map = self.confirmed.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_CONFIRMED {
            map.clear();
        }
        map.insert(sid.to_owned(), now);
    }

    /// `sid` ended (signed out, revoked, or its row is gone): never confirmed again here.
    pub(crate) fn forget(&self, sid: &str) {
        let mut confirmed = self.confirmed.lock().unwrap_or_else(|e| e.into_inner());
        confirmed.remove(sid);
        drop(confirmed);
        let mut ended = self.ended.lock().unwrap_or_else(|e| e.into_inner());
        if ended.len() >= MAX_CONFIRMED {
            ended.clear();
        }
        ended.insert(sid.to_owned());
    }

    pub(super) fn ended(&self, sid: &str) -> bool {
        let ended = self.ended.lock().unwrap_or_else(|e| e.into_inner());
        ended.contains(sid)
    }
}
