//! The client side of sessions (SPEC §6): `use_session()`, `sign_in()`, `sign_out()`.
//!
//! The session is loaded by a blocking resource, so server rendering already knows it and
//! hydration starts with it (no loading flash). In the browser it is then kept fresh: polling
//! while signed in, refetching when the tab becomes visible, and following sign-in/out in
//! other tabs through a `BroadcastChannel`.

#[cfg_attr(feature = "hydrate", path = "browser.rs")]
#[cfg_attr(not(feature = "hydrate"), path = "server_side.rs")]
mod browser;

use std::future::Future;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{
    DEFAULT_BASE_PATH, Session,
    server_fns::{SessionState, load_session_state},
};

/// Whether the session is known yet, and whether there is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionStatus {
    /// Not loaded yet.
    Loading,
    /// Signed in: [`SessionContext::data`] is `Some`.
    Authenticated,
    /// Signed out.
    Unauthenticated,
}

/// The reactive session, from [`use_session`].
#[derive(Clone, Copy)]
pub struct SessionContext {
    resource: Resource<Option<SessionState>>,
    base_path: StoredValue<String>,
    sign_in_page: StoredValue<Option<String>>,
}

impl SessionContext {
    /// The session, or `None` while loading or when signed out. Reactive.
    pub fn data(&self) -> Option<Session> {
        self.resource
            .get()
            .flatten()
            .and_then(|state| state.session)
    }

    /// A CSRF token for forms that post to `/api/auth/*` (rendered by the server, so plain
    /// forms work without JavaScript). Reactive.
    pub fn csrf_token(&self) -> String {
        self.resource
            .get()
            .flatten()
            .map(|state| state.csrf_token)
            .unwrap_or_default()
    }

    /// Loading, authenticated or unauthenticated. Reactive.
    pub fn status(&self) -> SessionStatus {
        status_of(self.resource.get())
    }

    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn status_untracked(&self) -> SessionStatus {
        status_of(self.resource.get_untracked())
    }

    /// The configured providers, in configuration order. Reactive.
    pub fn providers(&self) -> Vec<super::ProviderSummary> {
        self.resource
            .get()
            .flatten()
            .map(|state| state.providers)
            .unwrap_or_default()
    }

    /// Replaces the session everyone sees (used after sign-in, sign-out and refetches).
    pub fn set(&self, session: Option<Session>) {
        self.resource.update(|state| match state {
            Some(Some(state)) => state.session = session,
            _ => {
                *state = Some(Some(SessionState {
                    session,
                    csrf_token: String::new(),
                    providers: Vec::new(),
                }))
            }
        });
    }

    /// Reloads the session from `/api/auth/session`.
    pub async fn refetch(self) -> Option<Session> {
        let session = browser::fetch_session(&self.base_path.get_value()).await;
        if let Some(session) = &session {
            self.set(session.clone());
        }
        session.flatten()
    }

    /// Sends `data` to the `jwt` callback (trigger `update`) and takes the new session.
    pub async fn update(self, data: serde_json::Value) -> Option<Session> {
        let session = browser::update_session(&self.base_path.get_value(), data).await;
        if let Some(session) = &session {
            self.set(session.clone());
            browser::broadcast_session_change();
        }
        session.flatten()
    }
}

/// `None`: loading; `Some(None)`: the server could not be asked (treated as signed out).
fn status_of(value: Option<Option<SessionState>>) -> SessionStatus {
    match value {
        None => SessionStatus::Loading,
        Some(Some(SessionState {
            session: Some(_), ..
        })) => SessionStatus::Authenticated,
        Some(_) => SessionStatus::Unauthenticated,
    }
}

/// The session context provided by [`SessionProvider`].
///
/// # Panics
/// Outside a [`SessionProvider`].
pub fn use_session() -> SessionContext {
    expect_context::<SessionContext>()
}

/// Loads the session and provides it to `children` (wrap the app's router in it).
///
/// Read the session inside a `<Transition>` (or `<Suspense>`): server rendering then waits
/// for it, so the HTML is rendered with the session and redirects can still be sent as 302.
#[component]
pub fn SessionProvider(
    /// Poll `/api/auth/session` this often, in seconds, while signed in (0: never).
    #[prop(optional)]
    refetch_interval: u32,
    /// The app's own sign-in page, e.g. `/sign-in`; `sign_in(None, …)` goes there.
    #[prop(optional, into)]
    sign_in_page: Option<String>,
    /// Where the Auth.js endpoints live, `/api/auth` by default.
    #[prop(optional, into)]
    base_path: Option<String>,
    children: Children,
) -> impl IntoView {
    let resource =
        Resource::new_blocking(|| (), |_| async move { load_session_state().await.ok() });
    let context = SessionContext {
        resource,
        base_path: StoredValue::new(base_path.unwrap_or_else(|| DEFAULT_BASE_PATH.into())),
        sign_in_page: StoredValue::new(sign_in_page),
    };
    provide_context(context);
    browser::keep_in_sync(context, refetch_interval);
    children()
}

/// Options of [`sign_in`].
#[derive(Debug, Clone)]
pub struct SignInOptions {
    /// Navigate to the resulting URL (Auth.js default). With `false` the caller decides.
    pub redirect: bool,
    /// Where to land after signing in; the current page by default.
    pub callback_url: Option<String>,
    /// Form fields for a credentials provider, e.g. `email` and `password`.
    pub fields: Vec<(String, String)>,
}

impl Default for SignInOptions {
    fn default() -> Self {
        SignInOptions {
            redirect: true,
            callback_url: None,
            fields: Vec::new(),
        }
    }
}

/// What [`sign_in`] reports, as `signIn(…, { redirect: false })` does in Auth.js.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignInResponse {
    /// The error code (e.g. `CredentialsSignin`), if sign-in failed.
    pub error: Option<String>,
    /// HTTP status of the sign-in request.
    pub status: u16,
    /// Whether sign-in succeeded.
    pub ok: bool,
    /// Where to go next (the callback URL) on success.
    pub url: Option<String>,
}

impl SessionContext {
    /// Signs in with `provider` (e.g. `"credentials"`); with `None`, goes to the sign-in
    /// page (and does nothing when already there). When it returns successfully the session
    /// signal is already up to date, and other tabs are told.
    pub async fn sign_in(self, provider: Option<&str>, options: SignInOptions) -> SignInResponse {
        let base_path = self.base_path.get_value();
        let Some(provider) = provider else {
            let page = self
                .sign_in_page
                .get_value()
                .unwrap_or_else(|| format!("{base_path}/signin"));
            browser::go_to_sign_in_page(&page, options.callback_url.as_deref());
            return SignInResponse::default();
        };
        // The provider list came with the session, so no extra request is needed here.
        let kind = self
            .resource
            .get_untracked()
            .flatten()
            .and_then(|state| state.providers.into_iter().find(|p| p.id == provider))
            .map(|p| p.kind);
        let response = browser::sign_in(&base_path, provider, kind.as_deref(), &options).await;
        if response.ok {
            browser::broadcast_session_change();
            if options.redirect
                && let Some(url) = &response.url
            {
                // The next page loads the session itself. Updating the signal first would
                // let guards start a client-side navigation that cancels this one.
                browser::navigate(url);
                return response;
            }
            if let Some(session) = browser::fetch_session(&base_path).await {
                self.set(session);
            }
        }
        response
    }

    /// Signs out: clears the session cookie, sets the session signal to signed-out, tells
    /// other tabs, and with `redirect` navigates to `callback_url` (the home page by default).
    pub async fn sign_out(self, redirect: bool, callback_url: Option<String>) {
        let url = browser::sign_out(&self.base_path.get_value(), callback_url.as_deref()).await;
        browser::broadcast_session_change();
        match url {
            // As in `sign_in`: leave first, so no guard reacts to the change on the way out.
            Some(url) if redirect => browser::navigate(&url),
            _ => self.set(None),
        }
    }
}

/// [`SessionContext::sign_in`] on the context of the calling component. Call it from a
/// component body or event handler (where the context is reachable), not from inside an
/// already spawned task.
pub fn sign_in(
    provider: Option<&str>,
    options: SignInOptions,
) -> impl Future<Output = SignInResponse> + 'static {
    let context = use_context::<SessionContext>();
    let provider = provider.map(str::to_owned);
    async move {
        match context {
            Some(context) => context.sign_in(provider.as_deref(), options).await,
            None => SignInResponse {
                error: Some("Configuration".into()),
                ..Default::default()
            },
        }
    }
}

/// [`SessionContext::sign_out`] on the context of the calling component (see [`sign_in`]).
pub fn sign_out(
    redirect: bool,
    callback_url: Option<String>,
) -> impl Future<Output = ()> + 'static {
    let context = use_context::<SessionContext>();
    async move {
        if let Some(context) = context {
            context.sign_out(redirect, callback_url).await;
        }
    }
}
