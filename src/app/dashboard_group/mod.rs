//! The `(dashboard)` route group: the signed-in area with a shared navigation bar. Without a
//! session, the server answers 302 to the sign-in page (works without JavaScript) and the
//! client redirects the same way when the session ends while the page is open.

mod accounts;
#[cfg(feature = "ssr")]
mod security;

use leptos::{prelude::*, task::spawn_local};
use leptos_auth::{AuthFnError, RequireSession, client::PasskeyManager, use_session};
use leptos_router::{components::Outlet, hooks::use_query_map};
use serde::Deserialize;

use crate::app::escape_html;

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
    // What the last "Send the link again" did, from the query its redirect left.
    let resend_outcome = {
        let query = use_query_map().read_untracked();
        match (query.get("verification"), query.get("error")) {
            (Some(_), _) => Some(Ok(())),
            (None, Some(code)) => Some(Err(code)),
            (None, None) => None,
        }
    };
    // Made as text, not as a view: far less code in the client for a few static elements.
    let send_url = session.paths().send_verification();
    let verification = move || {
        let verified = fields().map(|f| f.email_verified);
        verification_html(
            verified,
            &session.csrf_token(),
            resend_outcome.as_ref(),
            &send_url,
        )
    };
    view! {
        <h1>"Dashboard"</h1>
        <div inner_html=verification></div>
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

/// The "verify your email" notice with its resend form (and how the last resend went), or
/// the "verified" badge.
fn verification_html(
    verified: Option<bool>,
    csrf_token: &str,
    resend: Option<&Result<(), String>>,
    action: &str,
) -> String {
    match verified {
        Some(true) => {
            r#"<p class="badge" data-testid="email-verified">✓ Email verified</p>"#.into()
        }
        Some(false) => format!(
            r#"<div class="notice" data-testid="verify-email"><p>Please verify your email address: open the link we sent you.</p>{resend}<form method="post" action="{action}"><input type="hidden" name="csrfToken" value="{csrf_token}"><input type="hidden" name="callbackUrl" value="/dashboard"><button type="submit" class="button">Send the link again</button></form></div>"#,
            resend = match resend {
                Some(Ok(())) =>
                    r#"<p data-testid="verification-sent">A new link is on its way.</p>"#,
                Some(Err(code)) if code == "RateLimited" => {
                    r#"<p data-testid="verification-refused">No new link was sent: several are on their way already. Please use the latest one, or try again later.</p>"#
                }
                Some(Err(_)) => {
                    r#"<p data-testid="verification-refused">The link could not be sent right now. Please try again later.</p>"#
                }
                None => "",
            },
        ),
        None => String::new(),
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
    // The page words the refusal itself: text from the query would let any link put words
    // on this page.
    let unlink_refused = use_query_map()
        .read_untracked()
        .get("unlinkError")
        .is_some();
    let unlink_url = <accounts::UnlinkAccount as leptos::server_fn::ServerFn>::PATH;

    let session = use_session();
    let paths = session.paths();
    let content = move || {
        methods
            .get()
            .and_then(Result::ok)
            .map(|m| sign_in_methods_html(m, &session.csrf_token(), unlink_url, &paths))
            .unwrap_or_default()
    };

    view! {
        <h1>"Settings"</h1>
        <h2>"Sign-in methods"</h2>
        {unlink_refused.then(|| view! {
            <p class="form-error" role="alert">"This is your only way to sign in: link another provider first."</p>
        })}
        <PasskeyManager/>
        <Transition fallback=|| ()>
            <div inner_html=content></div>
        </Transition>
    }
}

/// `/top-artists`: the Spotify API called by the server with the stored token.
#[component]
pub fn TopArtistsPage() -> impl IntoView {
    let session = use_session();
    let artists = Resource::new(|| (), |_| accounts::top_artists("medium_term".into(), 10));
    let sign_in_url = session.paths().sign_in_with("spotify");
    let content = move || {
        artists
            .get()
            .map(|result| top_artists_html(result, &session.csrf_token(), &sign_in_url))
            .unwrap_or_default()
    };
    view! {
        <h1>"Top artists"</h1>
        {move || session.data().and_then(|s| s.error().map(str::to_owned)).map(|_| view! {
            <p class="form-error" role="alert" data-testid="session-error">"Your provider session expired: sign in again."</p>
        })}
        <p class="muted">"Your most listened artists of the last six months, from Spotify."</p>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            <div inner_html=content></div>
        </Transition>
    }
}

/// The settings page's content: password or not, linked providers with "Unlink", "Link …"
/// buttons, then the server-made security part.
fn sign_in_methods_html(
    m: accounts::AccountMethods,
    csrf_token: &str,
    unlink_url: &str,
    paths: &leptos_auth::paths::AuthPaths,
) -> String {
    let password = if m.has_password {
        "Password: set"
    } else {
        "Password: none"
    };
    let linked: String = m
        .accounts
        .iter()
        .map(|a| {
            let provider = escape_html(&a.provider);
            format!(
                r#"<li data-testid="linked-account"><span>{provider}</span><form method="post" action="{unlink_url}"><input type="hidden" name="provider" value="{provider}"><button type="submit" class="button">Unlink</button></form></li>"#
            )
        })
        .collect();
    let link_buttons: String = m
        .linkable
        .iter()
        .map(|(id, name)| {
            format!(
                r#"<form method="post" action="{action}" class="provider-form"><input type="hidden" name="csrfToken" value="{csrf_token}"><input type="hidden" name="callbackUrl" value="/settings"><button type="submit" class="button wide">Link {name}</button></form>"#,
                action = escape_html(&paths.sign_in_with(id)),
                name = escape_html(name),
            )
        })
        .collect();
    format!(
        r#"<p data-testid="has-password">{password}</p><ul class="linked-accounts">{linked}</ul><div class="link-buttons">{link_buttons}</div><div>{security}</div>"#,
        security = m.security_html,
    )
}

/// The artists, or why there are none (with "Sign in with Spotify again" when its access
/// expired).
fn top_artists_html(
    result: Result<Vec<accounts::Artist>, AuthFnError>,
    csrf_token: &str,
    sign_in_url: &str,
) -> String {
    match result {
        Ok(artists) => {
            let items: String = artists
                .iter()
                .map(|a| {
                    format!(
                        r#"<li><strong>{}</strong> <span class="muted">{}</span></li>"#,
                        escape_html(&a.name),
                        escape_html(&a.genres.join(", "))
                    )
                })
                .collect();
            format!(r#"<ol class="artists" data-testid="artists">{items}</ol>"#)
        }
        Err(AuthFnError::RefreshTokenError) => format!(
            r#"<p class="form-error" role="alert">Your Spotify access expired. Please sign in with Spotify again.</p><form method="post" action="{sign_in_url}" class="provider-form"><input type="hidden" name="csrfToken" value="{csrf_token}"><input type="hidden" name="callbackUrl" value="/top-artists"><button type="submit" class="button wide">Sign in with Spotify again</button></form>"#
        ),
        Err(AuthFnError::NotLinked) => r#"<p class="muted">Link your Spotify account on the settings page to see your top artists.</p>"#.into(),
        Err(_) => r#"<p class="form-error" role="alert">Spotify could not be reached. Try again later.</p>"#.into(),
    }
}
