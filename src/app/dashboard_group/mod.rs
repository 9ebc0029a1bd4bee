//! The `(dashboard)` route group: the signed-in area with a shared navigation bar. Without a
//! session, the server answers 302 to the sign-in page (works without JavaScript) and the
//! client redirects the same way when the session ends while the page is open.

mod accounts;
#[cfg(feature = "ssr")]
mod security;

use leptos::{
    either::{Either, EitherOf4},
    prelude::*,
    task::spawn_local,
};
use leptos_auth::{AuthFnError, ProviderButton, RequireSession, use_session};
use leptos_router::{components::Outlet, hooks::use_query_map};
use serde::Deserialize;

/// The demo's custom session fields (added by its `jwt` and `session` callbacks).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DemoFields {
    id: String,
    number_key: u64,
    #[serde(default)]
    email_verified: bool,
}

/// Layout shared by every page of the `(dashboard)` group, behind the library's guard.
#[component]
pub fn DashboardLayout() -> impl IntoView {
    view! {
        <RequireSession>
            <div class="dashboard-layout">
                <NavBar/>
                <div class="dashboard-content">
                    <Outlet/>
                </div>
            </div>
        </RequireSession>
    }
}

#[component]
fn NavBar() -> impl IntoView {
    let session = use_session();
    let user = move || session.data().map(|s| s.user).unwrap_or_default();
    let on_sign_out = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        spawn_local(session.sign_out(true, Some("/".into())));
    };
    view! {
        <nav class="navbar">
            <a href="/" class="brand">"leptos-auth"</a>
            <a href="/dashboard">"Dashboard"</a>
            <a href="/profile">"Profile"</a>
            <a href="/settings">"Settings"</a>
            <a href="/top-artists">"Top artists"</a>
            <span class="nav-user" data-testid="nav-user">
                {move || user().name.unwrap_or_default()} " · " {move || user().email.unwrap_or_default()}
            </span>
            // A real form, so signing out works without JavaScript too.
            <form method="post" action=session.paths().sign_out() on:submit=on_sign_out>
                <input type="hidden" name="csrfToken" value=move || session.csrf_token()/>
                <input type="hidden" name="callbackUrl" value="/"/>
                <button type="submit" class="button">"Sign out"</button>
            </form>
        </nav>
    }
}

/// `/dashboard`: who is signed in, with the custom session fields.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let session = use_session();
    let fields = move || session.data().and_then(|s| s.user_fields::<DemoFields>());
    let verification_sent = use_query_map()
        .read_untracked()
        .get("verification")
        .is_some();
    let verification = move || {
        fields().map(|f| {
            if f.email_verified {
                Either::Left(view! { <p class="badge" data-testid="email-verified">"✓ Email verified"</p> })
            } else {
                Either::Right(view! {
                    <div class="notice" data-testid="verify-email">
                        <p>"Please verify your email address: open the link we sent you."</p>
                        {verification_sent.then(|| view! { <p data-testid="verification-sent">"A new link is on its way."</p> })}
                        <form method="post" action=session.paths().send_verification()>
                            <input type="hidden" name="csrfToken" value=move || session.csrf_token()/>
                            <input type="hidden" name="callbackUrl" value="/dashboard"/>
                            <button type="submit" class="button">"Send the link again"</button>
                        </form>
                    </div>
                })
            }
        })
    };
    view! {
        <h1>"Dashboard"</h1>
        {verification}
        <dl class="session-fields">
            <dt>"Name"</dt>
            <dd data-testid="user-name">{move || session.data().and_then(|s| s.user.name).unwrap_or_default()}</dd>
            <dt>"Email"</dt>
            <dd data-testid="user-email">{move || session.data().and_then(|s| s.user.email).unwrap_or_default()}</dd>
            <dt>"User id"</dt>
            <dd data-testid="user-id">{move || fields().map(|f| f.id).unwrap_or_default()}</dd>
            <dt>"numberKey"</dt>
            <dd data-testid="number-key">{move || fields().map(|f| f.number_key.to_string()).unwrap_or_default()}</dd>
            <dt>"Session expires"</dt>
            <dd>{move || session.data().map(|s| s.expires).unwrap_or_default()}</dd>
        </dl>
    }
}

/// `/profile`: change the display name through the session `update()` flow.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let session = use_session();
    let name = RwSignal::new(session.data().and_then(|s| s.user.name).unwrap_or_default());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let data = serde_json::json!({ "name": name.get_untracked() });
        spawn_local(async move {
            session.update(data).await;
        });
    };
    view! {
        <h1>"Profile"</h1>
        <p>"Signed in as " <strong data-testid="profile-name">{move || session.data().and_then(|s| s.user.name).unwrap_or_default()}</strong></p>
        <form class="inline-form" on:submit=on_submit>
            <label for="display-name">"Display name"</label>
            <input id="display-name" type="text" bind:value=name/>
            <button type="submit" class="button primary">"Save"</button>
        </form>
    }
}

/// `/settings`: linked sign-in methods (link another provider or unlink one), active
/// sessions, and the password.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let methods = Resource::new(|| (), |_| accounts::sign_in_methods());
    let unlink_error = use_query_map().read_untracked().get("unlinkError");
    let unlink_url = <accounts::UnlinkAccount as leptos::server_fn::ServerFn>::PATH;

    let content = move || {
        methods.get().and_then(Result::ok).map(|m| {
            view! {
                <p data-testid="has-password">{if m.has_password { "Password: set" } else { "Password: none" }}</p>
                <ul class="linked-accounts">
                    {m.accounts
                        .into_iter()
                        .map(|account| {
                            let provider = account.provider.clone();
                            view! {
                                <li data-testid="linked-account">
                                    <span>{account.provider}</span>
                                    <form method="post" action=unlink_url>
                                        <input type="hidden" name="provider" value=provider/>
                                        <button type="submit" class="button">"Unlink"</button>
                                    </form>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <div class="link-buttons">
                    {m.linkable
                        .into_iter()
                        .map(|(id, name)| view! {
                            <ProviderButton provider_id=id label=format!("Link {name}") callback_url="/settings".to_owned()/>
                        })
                        .collect_view()}
                </div>
                <div inner_html=m.security_html></div>
            }
        })
    };

    view! {
        <h1>"Settings"</h1>
        <h2>"Sign-in methods"</h2>
        {unlink_error.map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
        <Transition fallback=|| ()>{content}</Transition>
    }
}

/// `/top-artists`: the Spotify API called by the server with the stored token.
#[component]
pub fn TopArtistsPage() -> impl IntoView {
    let session = use_session();
    let artists = Resource::new(|| (), |_| accounts::top_artists("medium_term".into(), 10));
    let content = move || {
        artists.get().map(|result| match result {
            Ok(artists) => EitherOf4::A(view! {
                <ol class="artists" data-testid="artists">
                    {artists
                        .into_iter()
                        .map(|a| view! {
                            <li>
                                <strong>{a.name}</strong>
                                " "
                                <span class="muted">{a.genres.join(", ")}</span>
                            </li>
                        })
                        .collect_view()}
                </ol>
            }),
            Err(AuthFnError::RefreshTokenError) => EitherOf4::B(view! {
                <p class="form-error" role="alert">"Your Spotify access expired. Please sign in with Spotify again."</p>
                <ProviderButton
                    provider_id="spotify"
                    label="Sign in with Spotify again"
                    callback_url="/top-artists".to_owned()
                />
            }),
            Err(AuthFnError::NotLinked) => EitherOf4::C(view! {
                <p class="muted">"Link your Spotify account on the settings page to see your top artists."</p>
            }),
            Err(_) => EitherOf4::D(view! { <p class="form-error" role="alert">"Spotify could not be reached. Try again later."</p> }),
        })
    };
    view! {
        <h1>"Top artists"</h1>
        {move || session.data().and_then(|s| s.error().map(str::to_owned)).map(|_| view! {
            <p class="form-error" role="alert" data-testid="session-error">"Your provider session expired: sign in again."</p>
        })}
        <p class="muted">"Your most listened artists of the last six months, from Spotify."</p>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>{content}</Transition>
    }
}
