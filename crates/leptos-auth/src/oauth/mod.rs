//! The OAuth 2.0 / OpenID Connect sign-in dance (docs/architecture.md › Endpoints): the
//! authorization redirect with state, PKCE S256 and nonce, the code exchange, the profile,
//! and the account that links provider and user. The `oauth2` crate does the protocol; its
//! typestate generics stay inside this module.

pub(crate) mod checks;
mod refresh;

use std::collections::HashMap;

use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet,
    EndpointSet, ExtraTokenFields, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    StandardRevocableToken, StandardTokenResponse, TokenResponse, TokenUrl,
    basic::{
        BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
        BasicTokenType,
    },
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use refresh::ProviderTokenError;

use super::{
    Auth, AuthError,
    audit::AuditEvent,
    clock::now_secs,
    context::RequestContext,
    error::Failure,
    keys::{random_hex, secrets_match},
    ownership::Proof,
    provider_client::{Endpoints, ProviderError, oidc},
    providers::{ClientAuth, OAuth, OAuthKind, Profile},
    secret::{AccessToken, RefreshToken},
    sign_in::SignedIn,
    store::{Account, AccountTokens, NewUser, StoreError, User, normalize_email},
};

/// The token response, with the OIDC `id_token` the `oauth2` crate does not model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct IdTokenField {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id_token: Option<String>,
}

impl ExtraTokenFields for IdTokenField {}

type ProviderTokenResponse = StandardTokenResponse<IdTokenField, BasicTokenType>;

type ProviderClient = oauth2::Client<
    BasicErrorResponse,
    ProviderTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

fn store_failure(error: StoreError) -> Failure {
    Failure::new(AuthError::Configuration, error)
}

impl Auth {
    fn oauth_client(
        &self,
        provider: &OAuth,
        endpoints: &Endpoints,
        redirect_uri: Option<String>,
    ) -> Result<ProviderClient, ProviderError> {
        let mut client = oauth2::Client::new(ClientId::new(provider.client_id.clone()))
            .set_client_secret(ClientSecret::new(
                provider.client_secret.secret().to_owned(),
            ))
            .set_auth_uri(
                AuthUrl::new(endpoints.authorization.clone()).map_err(ProviderError::InvalidUrl)?,
            )
            .set_token_uri(
                TokenUrl::new(endpoints.token.clone()).map_err(ProviderError::InvalidUrl)?,
            )
            .set_auth_type(match provider.client_auth {
                ClientAuth::Basic => AuthType::BasicAuth,
                ClientAuth::Post => AuthType::RequestBody,
            });
        if let Some(uri) = redirect_uri {
            client =
                client.set_redirect_uri(RedirectUrl::new(uri).map_err(ProviderError::InvalidUrl)?);
        }
        Ok(client)
    }

    fn redirect_uri(&self, ctx: &RequestContext, provider: &OAuth) -> String {
        self.absolute_url(ctx, &self.paths().callback(&provider.id))
    }

    /// Starts a sign-in: the provider's authorization URL and the check cookies to set.
    pub(crate) async fn oauth_authorization(
        &self,
        ctx: &RequestContext,
        provider: &OAuth,
        callback_url: Option<&str>,
    ) -> Result<(String, Vec<String>), Failure> {
        let endpoints = self
            .provider_client()
            .endpoints(provider)
            .await
            .map_err(|e| Failure::new(AuthError::OAuthSignin, e))?;
        let client = self
            .oauth_client(provider, &endpoints, Some(self.redirect_uri(ctx, provider)))
            .map_err(|e| Failure::new(AuthError::OAuthSignin, e))?;
        let (pkce_challenge, pkce_verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(CsrfToken::new_random)
            .set_pkce_challenge(pkce_challenge)
            .add_scopes(provider.scopes.iter().cloned().map(Scope::new));
        for (key, value) in &provider.authorization_params {
            request = request.add_extra_param(key.clone(), value.clone());
        }
        let nonce = (provider.kind == OAuthKind::Oidc).then(|| random_hex(16));
        if let Some(nonce) = &nonce {
            request = request.add_extra_param("nonce", nonce.clone());
        }
        let (url, state) = request.url();

        let jar = &ctx.jar;
        let binding = self.check_binding(ctx, provider).await;
        let check_cookie = |name: String, value: &str| {
            jar.set(
                &name,
                &checks::seal(self.keys(), &name, &binding, value),
                Some(checks::CHECK_MAX_AGE),
            )
        };
        let mut cookies = vec![
            check_cookie(jar.state(), state.secret()),
            check_cookie(jar.pkce_code_verifier(), pkce_verifier.secret()),
        ];
        if let Some(nonce) = &nonce {
            cookies.push(check_cookie(jar.nonce(), nonce));
        }
        if let Some(callback_url) = callback_url {
            cookies.push(jar.set(
                &jar.callback_url(),
                callback_url,
                Some(checks::CHECK_MAX_AGE),
            ));
        }
        Ok((url.to_string(), cookies))
    }

    /// `Set-Cookie` values that remove the state, PKCE, nonce and callback-URL cookies the
    /// request carries: they serve one callback, successful or not.
    pub(crate) fn expire_check_cookies(&self, ctx: &RequestContext) -> Vec<String> {
        [
            ctx.jar.state(),
            ctx.jar.pkce_code_verifier(),
            ctx.jar.nonce(),
            ctx.jar.callback_url(),
        ]
        .into_iter()
        .filter(|name| ctx.cookies.get(name).is_some())
        .map(|name| ctx.jar.expire(&name))
        .collect()
    }

    async fn check(&self, ctx: &RequestContext, provider: &OAuth, name: String) -> Option<String> {
        let binding = self.check_binding(ctx, provider).await;
        checks::open(self.keys(), &name, &binding, ctx.cookies.get(&name)?)
    }

    /// What the check cookies are bound to: the provider, and the browser as it was when the
    /// sign-in started (its CSRF cookie, and who was signed in, which decides linking).
    async fn check_binding(&self, ctx: &RequestContext, provider: &OAuth) -> String {
        let csrf_cookie = ctx.cookies.get(&ctx.jar.csrf_token()).unwrap_or_default();
        let user = self
            .sessions()
            .read_token(ctx)
            .await
            .map(|t| t.sub)
            .unwrap_or_default();
        format!("{}|{user}|{csrf_cookie}", provider.id)
    }

    /// Completes a sign-in at `/callback/<provider>`: checks, code exchange, profile, account,
    /// session.
    pub(crate) async fn oauth_callback(
        &self,
        ctx: &RequestContext,
        provider: &OAuth,
        query: &HashMap<String, String>,
        callback_url: Option<&str>,
    ) -> Result<SignedIn, Failure> {
        if let Some(error) = query.get("error") {
            let code = if error == "access_denied" {
                AuthError::AccessDenied
            } else {
                AuthError::OAuthCallback
            };
            let error = error.escape_debug().to_string();
            return Err(Failure::new(
                code,
                format!("provider answered error={error}"),
            ));
        }
        let code = query
            .get("code")
            .ok_or_else(|| Failure::new(AuthError::OAuthCallback, "no code"))?;
        let expected_state = self
            .check(ctx, provider, ctx.jar.state())
            .await
            .ok_or_else(|| {
                Failure::new(AuthError::OAuthCallback, "state cookie missing or invalid")
            })?;
        let returned_state = query.get("state").map(String::as_str).unwrap_or_default();
        if !secrets_match(returned_state, &expected_state) {
            return Err(Failure::new(AuthError::OAuthCallback, "state mismatch"));
        }
        let verifier = self
            .check(ctx, provider, ctx.jar.pkce_code_verifier())
            .await
            .ok_or_else(|| {
                Failure::new(AuthError::OAuthCallback, "PKCE cookie missing or invalid")
            })?;

        let endpoints = self
            .provider_client()
            .endpoints(provider)
            .await
            .map_err(|e| Failure::new(AuthError::OAuthCallback, e))?;
        let client = self
            .oauth_client(provider, &endpoints, Some(self.redirect_uri(ctx, provider)))
            .map_err(|e| Failure::new(AuthError::OAuthCallback, e))?;
        let response = client
            .exchange_code(AuthorizationCode::new(code.clone()))
            .set_pkce_verifier(PkceCodeVerifier::new(verifier))
            .request_async(&oidc::CappedHttp(self.provider_client().http()))
            .await
            .map_err(|e| {
                Failure::new(AuthError::OAuthCallback, oidc::TokenRequestError::from(e))
            })?;
        let tokens = account_tokens(&response);

        let profile = match provider.kind {
            OAuthKind::Oidc => {
                let nonce = self.check(ctx, provider, ctx.jar.nonce()).await;
                let mut claims = self
                    .verified_id_token(provider, &endpoints, &tokens, nonce.as_deref())
                    .await?;
                // A conforming provider puts the scope claims (email, name, picture) in
                // UserInfo, not in the ID token, in the code flow (OIDC Core §5.4).
                if let Some(url) = endpoints.userinfo.as_deref() {
                    let access_token = tokens
                        .access_token
                        .as_ref()
                        .map(AccessToken::secret)
                        .unwrap_or_default();
                    let userinfo: Value = self
                        .provider_client()
                        .bearer_get(url, access_token)
                        .await
                        .map_err(|e| Failure::new(AuthError::OAuthCallback, e))?;
                    merge_userinfo(&mut claims, userinfo)?;
                }
                (provider.profile)(&claims)
            }
            OAuthKind::OAuth2 => self.userinfo_profile(provider, &endpoints, &tokens).await?,
        }
        .ok_or_else(|| Failure::new(AuthError::OAuthCallback, "the profile has no id"))?;

        let (user, is_new_user) = self
            .user_for_profile(ctx, provider, &profile, tokens)
            .await?;
        let mut signed_in = self
            .complete_sign_in(ctx, &user, &provider.id, is_new_user, callback_url)
            .await?;
        signed_in.cookies.extend(self.expire_check_cookies(ctx));
        Ok(signed_in)
    }

    async fn verified_id_token(
        &self,
        provider: &OAuth,
        endpoints: &Endpoints,
        tokens: &AccountTokens,
        nonce: Option<&str>,
    ) -> Result<Value, Failure> {
        let id_token = tokens
            .id_token
            .as_deref()
            .ok_or_else(|| Failure::new(AuthError::OAuthCallback, "no id_token"))?;
        let nonce =
            nonce.ok_or_else(|| Failure::new(AuthError::OAuthCallback, "nonce cookie missing"))?;
        let keys = endpoints
            .oidc
            .as_ref()
            .ok_or_else(|| Failure::new(AuthError::OAuthCallback, "no JWKS"))?;
        match oidc::verify_id_token(
            id_token,
            &keys.jwks,
            &keys.issuer,
            &provider.client_id,
            Some(nonce),
        ) {
            Ok(claims) => Ok(claims),
            Err(oidc::IdTokenError::UnknownKey) => {
                let endpoints = self
                    .provider_client()
                    .refresh_jwks(provider)
                    .await
                    .map_err(|e| Failure::new(AuthError::OAuthCallback, e))?;
                let keys = endpoints
                    .oidc
                    .as_ref()
                    .ok_or_else(|| Failure::new(AuthError::OAuthCallback, "no JWKS"))?;
                oidc::verify_id_token(
                    id_token,
                    &keys.jwks,
                    &keys.issuer,
                    &provider.client_id,
                    Some(nonce),
                )
                .map_err(|e| Failure::new(AuthError::OAuthCallback, e))
            }
            Err(e) => Err(Failure::new(AuthError::OAuthCallback, e)),
        }
    }

    async fn userinfo_profile(
        &self,
        provider: &OAuth,
        endpoints: &Endpoints,
        tokens: &AccountTokens,
    ) -> Result<Option<Profile>, Failure> {
        let url = endpoints
            .userinfo
            .as_deref()
            .ok_or_else(|| Failure::new(AuthError::OAuthCallback, "no userinfo URL"))?;
        let access_token = tokens
            .access_token
            .as_ref()
            .map(AccessToken::secret)
            .unwrap_or_default();
        let user: Value = self
            .provider_client()
            .bearer_get(url, access_token)
            .await
            .map_err(|e| Failure::new(AuthError::OAuthCallback, e))?;
        let mut profile = (provider.profile)(&user);
        // GitHub hides private emails from /user; the primary verified one is in /user/emails.
        if let (Some(profile), Some(emails_url)) = (profile.as_mut(), &provider.emails_url)
            && profile.email.is_none()
            && let Ok(emails) = self
                .provider_client()
                .bearer_get::<Vec<Value>>(emails_url, access_token)
                .await
        {
            let primary = emails.iter().find(|e| {
                e.get("primary").and_then(Value::as_bool) == Some(true)
                    && e.get("verified").and_then(Value::as_bool) == Some(true)
            });
            if let Some(email) = primary.and_then(|e| e.get("email")).and_then(Value::as_str) {
                profile.email = Some(email.to_owned());
                profile.email_verified = true;
            }
        }
        Ok(profile)
    }

    /// Finds or creates the user behind a provider profile, and links or updates the account
    /// (README › Security): the account's user; else the signed-in user; else a user with
    /// the same email, only when the provider allows email linking and has verified the
    /// email (`OAuthAccountNotLinked` otherwise) — an unverified such user is taken back
    /// first; else a new user, created together with the account in one transaction.
    async fn user_for_profile(
        &self,
        ctx: &RequestContext,
        provider: &OAuth,
        profile: &Profile,
        tokens: AccountTokens,
    ) -> Result<(User, bool), Failure> {
        let store = self.store();
        let signed_in = self.sessions().read_token(ctx).await.map(|t| t.sub);
        if let Some(account) = store
            .account(&provider.id, &profile.id)
            .await
            .map_err(store_failure)?
        {
            return self
                .existing_account_user(signed_in.as_deref(), account, tokens)
                .await;
        }

        let current_user = match &signed_in {
            Some(user_id) => store.user_by_id(user_id).await.map_err(store_failure)?,
            None => None,
        };
        let existing = match (&current_user, &profile.email) {
            (None, Some(email)) => store.user_by_email(email).await.map_err(store_failure)?,
            _ => None,
        };
        if existing.is_some() {
            // Only a provider that vouches for the address may link by email, and only where
            // the app allows it; an account nobody had verified is then taken back first.
            if !provider.allow_email_linking || !profile.email_verified {
                // Unless a parallel callback for this very provider account created that
                // user a moment ago: then it is this user.
                if let Some(account) = store
                    .account(&provider.id, &profile.id)
                    .await
                    .map_err(store_failure)?
                {
                    return self
                        .existing_account_user(signed_in.as_deref(), account, tokens)
                        .await;
                }
                return Err(Failure::new(
                    AuthError::OAuthAccountNotLinked,
                    "email already used by another user",
                ));
            }
        }
        let account = Account {
            id: random_hex(16),
            user_id: String::new(),
            provider: provider.id.clone(),
            provider_account_id: profile.id.clone(),
            kind: provider.provider_kind(),
            tokens,
        };
        let vouched = |user: &User| profile.email_verified && same_address(user, profile);
        let user = match (current_user, existing) {
            // The signed-in browser showed it holds the account, and now its address too.
            (Some(user), _) if vouched(&user) && user.email_verified.is_none() => {
                store
                    .mark_email_verified(&user.id)
                    .await
                    .map_err(store_failure)?;
                self.audit(
                    ctx,
                    Some(&user.id),
                    AuditEvent::EmailVerified,
                    Some(&provider.id),
                )
                .await;
                store
                    .user_by_id(&user.id)
                    .await
                    .map_err(store_failure)?
                    .or(Some(user))
            }
            (Some(user), _) => Some(user),
            // Signed out: the address is the only proof, so whoever else could sign in to an
            // unverified account loses that first.
            (None, Some(user)) => Some(
                self.address_proven(ctx, user, Proof::Provider(&provider.id))
                    .await
                    .map_err(store_failure)?,
            ),
            (None, None) => None,
        };
        if let Some(user) = user {
            let account = Account {
                user_id: user.id.clone(),
                ..account
            };
            store.link_account(account).await.map_err(store_failure)?;
            self.account_linked(ctx, &user, provider).await;
            return Ok((user, false));
        }

        let new_user = NewUser {
            name: profile.name.clone(),
            email: profile.email.clone(),
            image: profile.image.clone(),
            password_hash: None,
            data: None,
        };
        let retry_tokens = account.tokens.clone();
        match store
            .create_user_with_account(new_user, profile.email_verified, account)
            .await
        {
            Ok(user) => {
                self.config().events.create_user(&user).await;
                self.account_linked(ctx, &user, provider).await;
                Ok((user, true))
            }
            // A parallel callback for the same provider account won the race: its user is
            // this user.
            Err(StoreError::Conflict) => {
                let account = store
                    .account(&provider.id, &profile.id)
                    .await
                    .map_err(store_failure)?
                    .ok_or_else(|| {
                        Failure::new(
                            AuthError::OAuthAccountNotLinked,
                            "email already used by another user",
                        )
                    })?;
                self.existing_account_user(signed_in.as_deref(), account, retry_tokens)
                    .await
            }
            Err(e) => Err(store_failure(e)),
        }
    }

    /// Tells the `link_account` event and the audit log that `provider` now signs `user` in.
    async fn account_linked(&self, ctx: &RequestContext, user: &User, provider: &OAuth) {
        self.config().events.link_account(user, &provider.id).await;
        self.audit(
            ctx,
            Some(&user.id),
            AuditEvent::LinkAccount,
            Some(&provider.id),
        )
        .await;
    }

    /// Sign-in with an account that is already linked: its user, with fresh tokens.
    async fn existing_account_user(
        &self,
        signed_in: Option<&str>,
        account: Account,
        mut tokens: AccountTokens,
    ) -> Result<(User, bool), Failure> {
        if signed_in.is_some_and(|user_id| user_id != account.user_id) {
            return Err(Failure::new(
                AuthError::OAuthAccountNotLinked,
                "account belongs to another user",
            ));
        }
        // Providers send a refresh token on the first consent only: keep the stored one.
        if tokens.refresh_token.is_none() {
            tokens.refresh_token = account.tokens.refresh_token;
        }
        let store = self.store();
        store
            .update_account_tokens(&account.id, &tokens)
            .await
            .map_err(store_failure)?;
        let user = store
            .user_by_id(&account.user_id)
            .await
            .map_err(store_failure)?;
        user.map(|u| (u, false))
            .ok_or_else(|| Failure::new(AuthError::Configuration, "account without its user"))
    }
}

/// Whether the provider's address is `user`'s (as stored: normalised).
fn same_address(user: &User, profile: &Profile) -> bool {
    match (&user.email, &profile.email) {
        (Some(stored), Some(profile)) => *stored == normalize_email(profile),
        _ => false,
    }
}

/// Adds the UserInfo claims to the ID token's, after checking that both describe the same
/// subject (OIDC Core §5.3.2: a UserInfo `sub` that differs must not be used).
fn merge_userinfo(claims: &mut Value, userinfo: Value) -> Result<(), Failure> {
    let Value::Object(userinfo) = userinfo else {
        return Err(Failure::new(
            AuthError::OAuthCallback,
            "userinfo is not a JSON object",
        ));
    };
    if userinfo.get("sub") != claims.get("sub") {
        return Err(Failure::new(
            AuthError::OAuthCallback,
            "userinfo sub differs from the id_token's",
        ));
    }
    if let Value::Object(claims) = claims {
        for (name, value) in userinfo {
            claims.insert(name, value);
        }
    }
    Ok(())
}

fn account_tokens(response: &ProviderTokenResponse) -> AccountTokens {
    AccountTokens {
        access_token: Some(AccessToken::new(response.access_token().secret().as_str())),
        refresh_token: response
            .refresh_token()
            .map(|t| RefreshToken::new(t.secret().as_str())),
        expires_at: response
            .expires_in()
            .map(|d| now_secs() + d.as_secs() as i64),
        scope: response.scopes().map(|scopes| {
            scopes
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        }),
        token_type: Some("bearer".into()),
        id_token: response.extra_fields().id_token.clone(),
    }
}
