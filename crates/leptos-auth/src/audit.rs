//! The audit log (docs/architecture.md › Account safety): one row for every security-relevant event
//! — sign-ins (success and failure), sign-out, sign-up, account linking and unlinking, password
//! change and reset, email verification, session revocation, lockout — with time, user (when
//! known), IP and user agent. Writing an event never fails the request it describes: a store error
//! is logged instead.

use crate::{
    Auth,
    core::{RequestContext, now_secs},
    store::AuditRecord,
};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditEvent {
    /// A sign-in succeeded.
    SignIn,
    /// A sign-in failed (wrong credentials, refused by a provider or a callback).
    SignInFailed,
    /// The user signed out.
    SignOut,
    /// A new user signed up (or was created by a first OAuth sign-in).
    SignUp,
    /// A provider account was linked to the user.
    LinkAccount,
    /// A provider account was unlinked.
    UnlinkAccount,
    /// The user changed their password.
    PasswordChange,
    /// The user set a new password through a reset link.
    PasswordReset,
    /// The user confirmed their email address through a verification link.
    EmailVerified,
    /// Sessions were revoked.
    SessionRevoked,
    /// The password was removed: the account was taken back by the owner of its address.
    PasswordRemoved,
    /// Every link mailed for the account (sign-in, reset, verification) stopped working.
    LinksVoided,
    /// Too many failed sign-ins locked an account.
    Lockout,
}

impl AuditEvent {
    /// The stored name, e.g. `sign_in_failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditEvent::SignIn => "sign_in",
            AuditEvent::SignInFailed => "sign_in_failed",
            AuditEvent::SignOut => "sign_out",
            AuditEvent::SignUp => "sign_up",
            AuditEvent::LinkAccount => "link_account",
            AuditEvent::UnlinkAccount => "unlink_account",
            AuditEvent::PasswordChange => "password_change",
            AuditEvent::PasswordReset => "password_reset",
            AuditEvent::EmailVerified => "email_verified",
            AuditEvent::SessionRevoked => "session_revoked",
            AuditEvent::PasswordRemoved => "password_removed",
            AuditEvent::LinksVoided => "links_voided",
            AuditEvent::Lockout => "lockout",
        }
    }
}

impl AuditRecord {
    /// [`AuditRecord::time`] as ISO 8601 (UTC), e.g. `2026-11-23T01:40:00Z`.
    pub fn time_iso8601(&self) -> String {
        crate::core::iso8601(self.time)
    }
}

/// The longest `User-Agent` kept in the log.
const MAX_USER_AGENT: usize = 256;
/// The longest provider id kept in the log (ids are short words like `github`).
const MAX_PROVIDER: usize = 64;

/// Provider names the library records that are not configured providers: how an address
/// was proven (see `ownership.rs`), and the password flows.
const INTERNAL_PROVIDERS: [&str; 5] = [
    "credentials",
    "email",
    "password_reset",
    "verification_link",
    "unknown",
];

/// How many events `GET /audit` lists.
const RECENT_EVENTS: u32 = 50;

impl Auth {
    /// The request's user's most recent security events, newest first.
    /// `SessionRequired` when signed out.
    pub async fn recent_security_events(
        &self,
        headers: &axum::http::HeaderMap,
    ) -> Result<Vec<AuditRecord>, crate::AuthError> {
        let token = self
            .read_token(&self.context(headers))
            .await
            .ok_or(crate::AuthError::SessionRequired)?;
        self.store()
            .audit_events(Some(&token.sub), RECENT_EVENTS)
            .await
            .map_err(|e| {
                e.log("could not read the audit log");
                crate::AuthError::Configuration
            })
    }

    /// Records `event` of `user_id` for `request` (its address and user agent), for the
    /// security actions an app performs itself, e.g. unlinking an account. Never fails: a
    /// store error is logged.
    pub async fn record_audit_event(
        &self,
        request: &axum::http::request::Parts,
        user_id: Option<&str>,
        event: AuditEvent,
        provider: Option<&str>,
    ) {
        let ctx = self.context_of(request);
        self.audit(&ctx, user_id, event, provider).await;
    }

    /// Records `event` for the request `ctx`; never fails (a store error is logged).
    ///
    /// Every field is bounded, whatever the client sent: a provider id that no provider
    /// has is recorded as `unknown`, the user agent is cut. Rows about a failure nobody is
    /// signed in for are bounded per client by the rate limits, so an anonymous client cannot
    /// grow the log faster than it could sign in; old rows go after `audit_retention`.
    pub(crate) async fn audit(
        &self,
        ctx: &RequestContext,
        user_id: Option<&str>,
        event: AuditEvent,
        provider: Option<&str>,
    ) {
        if user_id.is_none()
            && event == AuditEvent::SignInFailed
            && !self.may_log_anonymous_failure(ctx.client_ip).await
        {
            tracing::debug!("audit row of an anonymous failure skipped: over the rate limit");
            return;
        }
        let provider = provider.map(|id| {
            let known = self.provider(id).is_some() || INTERNAL_PROVIDERS.contains(&id);
            if known {
                id.chars().take(MAX_PROVIDER).collect()
            } else {
                "unknown".to_owned()
            }
        });
        let record = AuditRecord {
            time: now_secs(),
            user_id: user_id.map(str::to_owned),
            event: event.as_str().to_owned(),
            provider,
            ip: ctx.client_ip.map(|ip| ip.to_string()),
            user_agent: ctx
                .user_agent
                .as_deref()
                .map(|ua| ua.chars().take(MAX_USER_AGENT).collect()),
        };
        if let Err(e) = self.store().record_audit_event(&record).await {
            e.log("could not write the audit log");
        }
    }
}
