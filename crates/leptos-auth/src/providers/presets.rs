//! Provider presets with their documented endpoints and scopes. Every URL can be overridden
//! (enterprise hosts, tests) with the `OAuth::with_*_url` methods.

use super::oauth::{ClientAuth, OAuth, github_profile, spotify_profile};

/// GitHub (OAuth 2.0). Scope `read:user user:email`; when the profile has no public email, the
/// primary verified one is read from `/user/emails`.
pub fn github(client_id: impl Into<String>, client_secret: impl Into<String>) -> OAuth {
    let mut provider = OAuth::oauth2("github", "GitHub", client_id, client_secret)
        .with_authorization_url("https://github.com/login/oauth/authorize")
        .with_token_url("https://github.com/login/oauth/access_token")
        .with_userinfo_url("https://api.github.com/user")
        .with_api_url("https://api.github.com")
        .with_scopes(["read:user", "user:email"])
        .with_profile(github_profile);
    provider.emails_url = Some("https://api.github.com/user/emails".into());
    provider
}

/// GitHub Enterprise Server at `host` (e.g. `https://github.example.com`).
pub fn github_enterprise(
    host: &str,
    client_id: impl Into<String>,
    client_secret: impl Into<String>,
) -> OAuth {
    let host = host.trim_end_matches('/');
    let mut provider = github(client_id, client_secret)
        .with_authorization_url(format!("{host}/login/oauth/authorize"))
        .with_token_url(format!("{host}/login/oauth/access_token"))
        .with_userinfo_url(format!("{host}/api/v3/user"))
        .with_api_url(format!("{host}/api/v3"));
    provider.emails_url = Some(format!("{host}/api/v3/user/emails"));
    provider
}

/// Google (OpenID Connect, issuer `https://accounts.google.com`). Asks for offline access so
/// a refresh token is issued.
pub fn google(client_id: impl Into<String>, client_secret: impl Into<String>) -> OAuth {
    OAuth::oidc(
        "google",
        "Google",
        "https://accounts.google.com",
        client_id,
        client_secret,
    )
    .with_authorization_param("access_type", "offline")
    .with_authorization_param("prompt", "consent")
    .allow_email_account_linking(false)
}

/// Spotify (OAuth 2.0), with the scopes to read the user's email and top artists.
pub fn spotify(client_id: impl Into<String>, client_secret: impl Into<String>) -> OAuth {
    OAuth::oauth2("spotify", "Spotify", client_id, client_secret)
        .with_authorization_url("https://accounts.spotify.com/authorize")
        .with_token_url("https://accounts.spotify.com/api/token")
        .with_userinfo_url("https://api.spotify.com/v1/me")
        .with_api_url("https://api.spotify.com")
        .with_scopes(["user-read-email", "user-top-read"])
        .with_client_auth(ClientAuth::Basic)
        .with_profile(spotify_profile)
}

/// Sets the GitHub `/user/emails` URL (for presets pointed at another host).
pub fn with_github_emails_url(mut provider: OAuth, url: impl Into<String>) -> OAuth {
    provider.emails_url = Some(url.into());
    provider
}
