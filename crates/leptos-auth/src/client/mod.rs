//! The client side of sessions (docs/architecture.md › The client): `use_session()`, `sign_in()`,
//! `sign_out()`, and the components built on them (guards, provider buttons, passkey
//! controls).
//!
//! The session is loaded by a blocking resource, so server rendering already knows it and
//! hydration starts with it (no loading flash). In the browser (feature `hydrate`) it is then
//! kept fresh by `browser::TabSync`: polling while signed in, refetching when the tab
//! becomes visible, and following sign-in/out in other tabs through a `BroadcastChannel`.
//! During server rendering the methods that talk to the server do nothing: the session came
//! with the request.

#[cfg(feature = "hydrate")]
mod browser;
mod components;
mod passkeys;

pub use crate::component_texts::ComponentTexts;
pub use components::{
    ProviderButton, ProviderButtons, RedirectIfSignedIn, RequireSession, SignUpForm,
};
#[cfg(feature = "ssr")]
pub(crate) use passkeys::{MANAGER_HTML, SIGN_IN_HTML, SIGN_UP_HTML};
pub use passkeys::{PasskeyButton, PasskeyManager, PasskeySignUp};

use std::future::Future;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    AuthError, Session,
    paths::AuthPaths,
    server_fns::{ProviderSummary, SessionState, load_session_state},
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
    sign_in_page: StoredValue<Option<String>>,
    /// The tab's polling, listener and channel; released with the provider's owner.
    #[cfg(feature = "hydrate")]
    tab: StoredValue<Option<browser::TabSync>, LocalStorage>,
}

impl SessionContext {
    /// The session, or `None` while loading or when signed out. Reactive.
    pub fn data(&self) -> Option<Session> {
        self.resource
            .get()
            .flatten()
            .and_then(|state| state.session)
    }

    /// A CSRF token for forms that post to the auth endpoints (rendered by the server, so
    /// plain forms work without JavaScript). Reactive.
    pub fn csrf_token(&self) -> String {
        self.resource
            .get()
            .flatten()
            .map(|state| state.csrf_token)
            .unwrap_or_default()
    }

    /// What the library's components say, in the visitor's language (English until the
    /// session state has loaded).
    pub(crate) fn texts(&self) -> ComponentTexts {
        self.resource
            .get()
            .flatten()
            .map(|state| state.texts)
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
    pub fn providers(&self) -> Vec<ProviderSummary> {
        self.resource
            .get()
            .flatten()
            .map(|state| state.providers)
            .unwrap_or_default()
    }

    /// The paths of the auth endpoints, under the base path the server is configured with.
    pub fn paths(&self) -> AuthPaths {
        self.resource
            .get_untracked()
            .flatten()
            .map(|state| AuthPaths::new(state.base_path))
            .unwrap_or_default()
    }

    /// The site's origin, e.g. `https://app.example.com` (empty before the session loads).
    pub fn site_origin(&self) -> String {
        self.resource
            .get_untracked()
            .flatten()
            .map(|state| state.site_origin)
            .unwrap_or_default()
    }

    /// The app's sign-in page, as given to [`SessionProvider`].
    pub fn sign_in_page(&self) -> Option<String> {
        self.sign_in_page.get_value()
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
                    base_path: crate::paths::DEFAULT_BASE_PATH.into(),
                    site_origin: String::new(),
                    texts: ComponentTexts::default(),
                }))
            }
        });
    }

    /// Reloads the session from the server (in the browser; during SSR the session is the
    /// request's).
    pub async fn refetch(self) -> Option<Session> {
        #[cfg(feature = "hydrate")]
        if let Some(session) = browser::fetch_session(&self.paths()).await {
            self.set(session);
        }
        self.session_untracked()
    }

    /// Sends `data` to the `jwt` callback (trigger `update`) and takes the new session.
    pub async fn update(self, data: serde_json::Value) -> Option<Session> {
        #[cfg(feature = "hydrate")]
        if let Some(session) = browser::update_session(&self.paths(), data).await {
            self.set(session);
            self.announce_change();
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = data;
        self.session_untracked()
    }

    fn session_untracked(&self) -> Option<Session> {
        self.resource
            .get_untracked()
            .flatten()
            .and_then(|state| state.session)
    }

    /// Tells the other tabs that the session changed.
    #[cfg(feature = "hydrate")]
    fn announce_change(&self) {
        self.tab.with_value(|tab| {
            if let Some(tab) = tab {
                tab.announce_change();
            }
        });
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
/// for it, so the HTML is rendered with the session and guards can still answer a 302.
#[component]
pub fn SessionProvider(
    /// Poll the session endpoint this often, in seconds, while signed in (0: never).
    #[prop(optional)]
    refetch_interval: u32,
    /// The app's own sign-in page, e.g. `/sign-in`; `sign_in(None, …)` and
    /// [`crate::RequireSession`] go there.
    #[prop(optional, into)]
    sign_in_page: Option<String>,
    children: Children,
) -> impl IntoView {
    let resource =
        Resource::new_blocking(|| (), |_| async move { load_session_state().await.ok() });
    let context = SessionContext {
        resource,
        sign_in_page: StoredValue::new(sign_in_page),
        #[cfg(feature = "hydrate")]
        tab: StoredValue::new_local(None),
    };
    #[cfg(feature = "hydrate")]
    context
        .tab
        .set_value(browser::TabSync::start(context, refetch_interval));
    #[cfg(not(feature = "hydrate"))]
    let _ = refetch_interval;
    // The page carries the session and a CSRF token: only its own scripts may run.
    #[cfg(feature = "ssr")]
    crate::layer::set_page_policy();
    provide_context(context);
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
    pub error: Option<AuthError>,
    /// HTTP status of the sign-in request.
    pub status: u16,
    /// Whether sign-in succeeded.
    pub ok: bool,
    /// Where to go next: the callback URL on success; with
    /// [`AuthError::TwoFactorRequired`], the page that asks for the second factor.
    pub url: Option<String>,
    /// With `RateLimited` or `AccountLocked`: seconds until trying again makes sense (for
    /// [`AuthError::user_message_after`]).
    pub retry_after: Option<u64>,
}

impl SignInResponse {
    #[cfg_attr(feature = "hydrate", allow(dead_code))]
    fn failed(error: AuthError) -> Self {
        SignInResponse {
            error: Some(error),
            ..SignInResponse::default()
        }
    }
}

impl SessionContext {
    /// Signs in with `provider` (e.g. `"credentials"`); with `None`, goes to the sign-in
    /// page (and does nothing when already there). When it returns successfully the session
    /// signal is already up to date, and other tabs are told. When the account has
    /// two-factor sign-in, the browser goes on to the page that asks for the code (even with
    /// `redirect: false`) and the response says `TwoFactorRequired`.
    pub async fn sign_in(self, provider: Option<&str>, options: SignInOptions) -> SignInResponse {
        #[cfg(feature = "hydrate")]
        {
            let paths = self.paths();
            let Some(provider) = provider else {
                let page = self.sign_in_page().unwrap_or_else(|| paths.sign_in());
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
            let response = browser::sign_in(&paths, provider, kind, &options).await;
            // The password was right and the account asks for a second factor: the sign-in
            // goes on on the two-factor page (server-rendered), even with `redirect: false`.
            if response.error == Some(AuthError::TwoFactorRequired)
                && let Some(url) = &response.url
            {
                browser::navigate(url);
                return response;
            }
            if response.ok {
                self.announce_change();
                if options.redirect
                    && let Some(url) = &response.url
                {
                    // The next page loads the session itself. Updating the signal first would
                    // let guards start a client-side navigation that cancels this one.
                    browser::navigate(url);
                    return response;
                }
                if let Some(session) = browser::fetch_session(&paths).await {
                    self.set(session);
                }
            }
            response
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (provider, options);
            SignInResponse::failed(AuthError::Default)
        }
    }

    /// Signs out: clears the session cookie, sets the session signal to signed-out, tells
    /// other tabs, and with `redirect` navigates to `callback_url` (the home page by default).
    pub async fn sign_out(self, redirect: bool, callback_url: Option<String>) {
        #[cfg(feature = "hydrate")]
        {
            let url = browser::sign_out(&self.paths(), callback_url.as_deref()).await;
            self.announce_change();
            match url {
                // As in `sign_in`: leave first, so no guard reacts to the change on the way out.
                Some(url) if redirect => browser::navigate(&url),
                _ => self.set(None),
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (redirect, callback_url);
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
                error: Some(AuthError::Configuration),
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
