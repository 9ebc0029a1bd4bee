//! OAuth 2.0 and OpenID Connect providers: endpoints, scopes, client authentication and the
//! mapping from the provider's profile to a user. Plain data; the protocol lives in
//! `auth::oauth`.

use serde_json::Value;

use crate::secret::ClientSecret;

/// The user as a provider describes them, after the provider's `profile` mapping.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    /// The user's id at the provider (`providerAccountId`).
    pub id: String,
    /// Display name.
    pub name: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Avatar URL.
    pub image: Option<String>,
    /// Whether the provider vouches for the email address.
    pub email_verified: bool,
}

/// Maps the provider's user JSON (userinfo response or ID token claims) to a [`Profile`].
pub type ProfileMapper = fn(&Value) -> Option<Profile>;

/// How the client authenticates at the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClientAuth {
    /// HTTP Basic (`client_secret_basic`), the OAuth 2.0 default.
    #[default]
    Basic,
    /// Credentials in the form body (`client_secret_post`).
    Post,
}

/// OAuth 2.0 with a userinfo endpoint, or OpenID Connect with discovery and ID tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthKind {
    /// Plain OAuth 2.0: the profile comes from the userinfo endpoint.
    OAuth2,
    /// OpenID Connect: endpoints from the issuer's discovery document, the profile from the
    /// verified ID token.
    Oidc,
}

/// An OAuth 2.0 or OIDC provider (Auth.js `OAuthConfig`). Start from a preset
/// ([`super::github`], [`super::google`], [`super::spotify`]) or from [`OAuth::oauth2`] /
/// [`OAuth::oidc`].
///
/// ```
/// use leptos_auth::providers::OAuth;
///
/// let gitea = OAuth::oauth2("gitea", "Gitea", "client-id", "client-secret")
///     .with_authorization_url("https://git.example.com/login/oauth/authorize")
///     .with_token_url("https://git.example.com/login/oauth/access_token")
///     .with_userinfo_url("https://git.example.com/api/v1/user")
///     .with_scopes(["read:user"]);
/// assert_eq!(gitea.id(), "gitea");
/// ```
#[derive(Debug, Clone)]
pub struct OAuth {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) kind: OAuthKind,
    pub(crate) client_id: String,
    pub(crate) client_secret: ClientSecret,
    pub(crate) issuer: Option<String>,
    pub(crate) authorization_url: Option<String>,
    pub(crate) token_url: Option<String>,
    pub(crate) userinfo_url: Option<String>,
    /// GitHub only: where to find the primary verified email when the profile has none.
    pub(crate) emails_url: Option<String>,
    pub(crate) api_url: Option<String>,
    pub(crate) scopes: Vec<String>,
    pub(crate) authorization_params: Vec<(String, String)>,
    pub(crate) client_auth: ClientAuth,
    pub(crate) profile: ProfileMapper,
    pub(crate) allow_email_linking: bool,
}

impl OAuth {
    /// A plain OAuth 2.0 provider; set its endpoints with the `with_*_url` methods.
    pub fn oauth2(
        id: impl Into<String>,
        name: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        OAuth {
            id: id.into(),
            name: name.into(),
            kind: OAuthKind::OAuth2,
            client_id: client_id.into(),
            client_secret: ClientSecret::new(client_secret),
            issuer: None,
            authorization_url: None,
            token_url: None,
            userinfo_url: None,
            emails_url: None,
            api_url: None,
            scopes: Vec::new(),
            authorization_params: Vec::new(),
            client_auth: ClientAuth::Basic,
            profile: standard_claims_profile,
            allow_email_linking: false,
        }
    }

    /// An OpenID Connect provider found through `<issuer>/.well-known/openid-configuration`,
    /// with the scopes `openid email profile`.
    pub fn oidc(
        id: impl Into<String>,
        name: impl Into<String>,
        issuer: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        OAuth {
            kind: OAuthKind::Oidc,
            issuer: Some(issuer.into().trim_end_matches('/').to_owned()),
            scopes: vec!["openid".into(), "email".into(), "profile".into()],
            ..OAuth::oauth2(id, name, client_id, client_secret)
        }
    }

    /// The id in URLs: `/api/auth/callback/<id>`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Whether this is an OIDC provider.
    pub fn kind(&self) -> OAuthKind {
        self.kind
    }

    /// The Auth.js provider type: `oauth` or `oidc`.
    pub fn provider_kind(&self) -> crate::provider_kind::ProviderKind {
        match self.kind {
            OAuthKind::OAuth2 => crate::provider_kind::ProviderKind::OAuth,
            OAuthKind::Oidc => crate::provider_kind::ProviderKind::Oidc,
        }
    }

    /// Sets the authorization endpoint (for OIDC: overrides discovery).
    pub fn with_authorization_url(mut self, url: impl Into<String>) -> Self {
        self.authorization_url = Some(url.into());
        self
    }

    /// Sets the token endpoint (for OIDC: overrides discovery).
    pub fn with_token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// Sets the userinfo endpoint (for OIDC: overrides discovery).
    pub fn with_userinfo_url(mut self, url: impl Into<String>) -> Self {
        self.userinfo_url = Some(url.into());
        self
    }

    /// Sets the base URL of the provider's API (used by server-side API proxies).
    pub fn with_api_url(mut self, url: impl Into<String>) -> Self {
        self.api_url = Some(url.into().trim_end_matches('/').to_owned());
        self
    }

    /// Replaces the requested scopes.
    pub fn with_scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Adds a query parameter to the authorization URL (e.g. `access_type=offline`).
    pub fn with_authorization_param(
        mut self,
        key: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        self.authorization_params.push((key.into(), value.into()));
        self
    }

    /// Chooses how the client authenticates at the token endpoint.
    pub fn with_client_auth(mut self, client_auth: ClientAuth) -> Self {
        self.client_auth = client_auth;
        self
    }

    /// Replaces the profile mapping.
    pub fn with_profile(mut self, profile: ProfileMapper) -> Self {
        self.profile = profile;
        self
    }

    /// Lets a first sign-in with this provider join an existing user with the same email
    /// (Auth.js `allowDangerousEmailAccountLinking`). Only for providers that verify emails.
    pub fn allow_email_account_linking(mut self, allow: bool) -> Self {
        self.allow_email_linking = allow;
        self
    }

    /// The provider API's base URL, if configured.
    pub fn api_url(&self) -> Option<&str> {
        self.api_url.as_deref()
    }
}

fn string(value: &Value, key: &str) -> Option<String> {
    match value.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The OIDC standard claims (`sub`, `name`, `email`, `picture`, `email_verified`).
pub fn standard_claims_profile(claims: &Value) -> Option<Profile> {
    Some(Profile {
        id: string(claims, "sub")?,
        name: string(claims, "name").or_else(|| string(claims, "preferred_username")),
        email: string(claims, "email"),
        image: string(claims, "picture"),
        email_verified: claims
            .get("email_verified")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    })
}

/// GitHub's `/user` response.
pub fn github_profile(user: &Value) -> Option<Profile> {
    Some(Profile {
        id: string(user, "id")?,
        name: string(user, "name").or_else(|| string(user, "login")),
        email: string(user, "email"),
        image: string(user, "avatar_url"),
        // GitHub only shows verified addresses as the public email.
        email_verified: string(user, "email").is_some(),
    })
}

/// Spotify's `/v1/me` response.
pub fn spotify_profile(me: &Value) -> Option<Profile> {
    Some(Profile {
        id: string(me, "id")?,
        name: string(me, "display_name"),
        email: string(me, "email"),
        image: me
            .get("images")?
            .get(0)
            .and_then(|image| string(image, "url")),
        email_verified: false,
    })
}
