//! Server-side stand-ins for the browser functions: during SSR nothing is fetched, navigated
//! or broadcast; the session comes from the request itself.

use super::{SessionContext, SignInOptions, SignInResponse};
use crate::auth::Session;

pub(super) async fn fetch_session(_base_path: &str) -> Option<Option<Session>> {
    None
}

pub(super) async fn update_session(
    _base_path: &str,
    _data: serde_json::Value,
) -> Option<Option<Session>> {
    None
}

pub(super) async fn sign_in(
    _base_path: &str,
    _provider: &str,
    _provider_kind: Option<&str>,
    _options: &SignInOptions,
) -> SignInResponse {
    SignInResponse::default()
}

pub(super) async fn sign_out(_base_path: &str, _callback_url: Option<&str>) -> Option<String> {
    None
}

pub(super) fn keep_in_sync(_context: SessionContext, _refetch_interval: u32) {}

pub(super) fn broadcast_session_change() {}

pub(super) fn go_to_sign_in_page(_page: &str, _callback_url: Option<&str>) {}

pub(super) fn navigate(_url: &str) {}
