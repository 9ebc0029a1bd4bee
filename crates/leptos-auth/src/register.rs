//! Creating password users with the checks every way in needs: [`Auth::register`] (the
//! admin CLI, an app's own code) and sign-up (`POST /api/auth/signup`, the `sign_up` server
//! function, `<SignUpForm>`), which adds the per-IP limit, the verification mail and the
//! first session (README › Sign-up).

use axum::http::request::Parts;

use crate::{
    Auth, AuthError, AuthFnError,
    context::RequestContext,
    error::Failure,
    limits::{LimitedAction, TooManyAttempts},
    providers::Provider,
    redirect::with_query,
    sign_in::SignedIn,
    store::{NewUser, StoreError, User, hash_password, normalize_email},
    validation::{MAX_PASSWORD_LEN, MIN_PASSWORD_LEN, is_valid_email},
};

/// Why a user could not be registered. The messages are fit to show to the person signing
/// up; the cause of `Unavailable` is for the log only.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// Not an email address.
    #[error("Please enter a valid email address.")]
    InvalidEmail,
    /// Too short or too long.
    #[error(
        "The password must be between {MIN_PASSWORD_LEN} and {MAX_PASSWORD_LEN} characters long."
    )]
    WeakPassword,
    /// Name too long.
    #[error("The name must be at most 100 characters.")]
    InvalidName,
    /// Someone already signed up with this email.
    #[error("An account with this email already exists.")]
    EmailTaken,
    /// Hashing or the database failed.
    #[error("The account could not be created right now. Please try again.")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl RegisterError {
    /// The code on the wire; `None` for `Unavailable` (a 503, not the client's doing).
    pub fn auth_error(&self) -> Option<AuthError> {
        match self {
            RegisterError::InvalidEmail => Some(AuthError::InvalidEmail),
            RegisterError::WeakPassword => Some(AuthError::WeakPassword),
            RegisterError::InvalidName => Some(AuthError::InvalidName),
            RegisterError::EmailTaken => Some(AuthError::EmailTaken),
            RegisterError::Unavailable(_) => None,
        }
    }
}

/// The fields of a sign-up form.
pub(crate) struct SignUpFields<'a> {
    pub email: &'a str,
    pub name: Option<&'a str>,
    pub password: &'a str,
}

/// How a sign-up ended well.
pub(crate) enum SignedUp {
    /// The new user is signed in (sign-in does not wait for a verified address).
    SignedIn(SignedIn),
    /// The address must be verified before signing in: the "check your email" page. An
    /// address that has an account already ends here too, so the answer tells a stranger
    /// nothing; its owner gets a notice instead of a link.
    CheckEmail(String),
}

/// Why a sign-up was refused.
pub(crate) enum SignUpRefused {
    /// No credentials provider with sign-up (`Credentials::email_password()`) is configured.
    Disabled,
    /// Over the per-IP sign-up limit.
    TooManyAttempts(TooManyAttempts),
    /// The fields, or the store.
    Invalid(RegisterError),
    /// Created, but the sign-in that follows was refused (the `sign_in` callback).
    SignIn(Failure),
}

impl Auth {
    /// Creates a user who signs in with email and password (hashed with argon2id).
    pub async fn register(
        &self,
        email: &str,
        name: Option<&str>,
        password: &str,
    ) -> Result<User, RegisterError> {
        if !is_valid_email(email) {
            return Err(RegisterError::InvalidEmail);
        }
        let length = password.chars().count();
        if !(MIN_PASSWORD_LEN..=MAX_PASSWORD_LEN).contains(&length) {
            return Err(RegisterError::WeakPassword);
        }
        let name = name.map(str::trim).filter(|n| !n.is_empty());
        if name.is_some_and(|n| n.chars().count() > 100) {
            return Err(RegisterError::InvalidName);
        }
        let password_hash = hash_password(password.to_owned())
            .await
            .map_err(|e| RegisterError::Unavailable(e.into()))?;
        let new_user = NewUser {
            name: name.map(str::to_owned),
            email: Some(normalize_email(email)),
            image: None,
            password_hash: Some(password_hash),
            data: None,
        };
        let user = self
            .store()
            .create_user(new_user)
            .await
            .map_err(|e| match e {
                StoreError::Conflict => RegisterError::EmailTaken,
                e => RegisterError::Unavailable(e.into()),
            })?;
        self.config().events.create_user(&user).await;
        Ok(user)
    }
}

impl Auth {
    /// The credentials provider new password accounts sign in with, when it takes sign-ups.
    pub(crate) fn sign_up_provider(&self) -> Option<&str> {
        self.config().providers.iter().find_map(|p| match p {
            Provider::Credentials(c) if c.sign_up => Some(c.id.as_str()),
            _ => None,
        })
    }

    /// Sign-up: the per-IP limit, [`Auth::register`], the verification mail (sent after the
    /// answer, so a slow mail server holds nothing up; a failure is logged and the user can
    /// ask again), then either the first session (through the common sign-in completion:
    /// `sign_in` callback, `jwt` trigger `SignUp`, `pages.new_user`) or, where sign-in needs
    /// a verified address, the "check your email" page.
    pub(crate) async fn sign_up_in(
        &self,
        ctx: &RequestContext,
        fields: SignUpFields<'_>,
        callback_url: Option<&str>,
    ) -> Result<SignedUp, SignUpRefused> {
        let Some(provider) = self.sign_up_provider().map(str::to_owned) else {
            return Err(SignUpRefused::Disabled);
        };
        self.rate_limit(crate::ClientIp(ctx.client_ip), LimitedAction::SignUp)
            .await
            .map_err(SignUpRefused::TooManyAttempts)?;
        let verify_first = self.config().require_verified_email;
        let check_email = || {
            let page = match &self.config().pages.verify_request {
                Some(page) => page.clone(),
                None => self.absolute_url(ctx, &self.paths().verify_request()),
            };
            SignedUp::CheckEmail(with_query(&page, &[("kind", Some("sign-up"))]))
        };
        match self
            .register(fields.email, fields.name, fields.password)
            .await
        {
            Ok(user) => {
                if self.config().can_send_mail() {
                    let (auth, ctx, user) = (self.clone(), ctx.clone(), user.clone());
                    let callback_url = callback_url.map(str::to_owned);
                    tokio::spawn(async move {
                        if let Err(failure) = auth
                            .send_verification_in(&ctx, &user, callback_url.as_deref())
                            .await
                        {
                            failure.log("email");
                        }
                    });
                }
                if verify_first {
                    return Ok(check_email());
                }
                self.complete_sign_in(ctx, &user, &provider, true, callback_url)
                    .await
                    .map(SignedUp::SignedIn)
                    .map_err(SignUpRefused::SignIn)
            }
            Err(RegisterError::EmailTaken) if verify_first => {
                if self.config().can_send_mail() {
                    let (auth, ctx) = (self.clone(), ctx.clone());
                    let email = normalize_email(fields.email);
                    tokio::spawn(async move { auth.account_exists_notice(&ctx, &email).await });
                }
                Ok(check_email())
            }
            Err(error) => {
                if let RegisterError::Unavailable(cause) = &error {
                    tracing::error!(cause = %cause, "sign-up failed");
                }
                Err(SignUpRefused::Invalid(error))
            }
        }
    }

    /// Sign-up for the `sign_up` server function: where to go and the cookies to set, or
    /// the typed error (causes are logged).
    pub(crate) async fn sign_up_with(
        &self,
        request: &Parts,
        fields: SignUpFields<'_>,
        callback_url: Option<&str>,
    ) -> Result<(String, Vec<String>), AuthFnError> {
        let ctx = self.context_of(request);
        let callback_url = self.allowed_callback_url(&ctx, callback_url);
        match self.sign_up_in(&ctx, fields, callback_url.as_deref()).await {
            Ok(SignedUp::SignedIn(signed_in)) => Ok((signed_in.url, signed_in.cookies)),
            Ok(SignedUp::CheckEmail(url)) => Ok((url, Vec::new())),
            Err(SignUpRefused::Disabled) => Err(AuthError::SignUpDisabled.into()),
            Err(SignUpRefused::TooManyAttempts(refusal)) => Err(refusal.into()),
            Err(SignUpRefused::Invalid(error)) => Err(error
                .auth_error()
                .map_or(AuthFnError::Unavailable, AuthFnError::Auth)),
            Err(SignUpRefused::SignIn(failure)) => {
                let provider = self.sign_up_provider().unwrap_or("credentials").to_owned();
                Err(failure.log(&provider).into())
            }
        }
    }
}
