//! The audit log (docs/architecture.md › Account safety): one row for every security-relevant event
//! — sign-ins (success and failure), sign-out, sign-up, account linking and unlinking, password
//! change and reset, email verification, session revocation, lockout — with time, user (when
//! known), IP and user agent. Writing an event never fails the request it describes: a store error
//! is logged instead.

use std::sync::Arc;

use crate::{
    clock::now_secs,
    context::RequestContext,
    limits::Limits,
    store::{AuditRecord, Store},
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
    /// The password was removed: by the user (who signs in with a passkey), or when the
    /// owner of the account's address took it back.
    PasswordRemoved,
    /// Every link mailed for the account (sign-in, reset, verification) stopped working.
    LinksVoided,
    /// Too many failed sign-ins locked an account.
    Lockout,
    /// A passkey was added to the account.
    PasskeyAdded,
    /// A passkey was deleted from the account.
    PasskeyRemoved,
    /// A passkey signed with a counter at or below the one last seen: it may have been
    /// copied off its authenticator. The sign-in was refused.
    PasskeyCounterRegressed,
    /// Two-factor sign-in turned on (a code from the app confirmed it).
    TwoFactorEnabled,
    /// Two-factor sign-in turned off (by the user, or by an admin with the CLI).
    TwoFactorDisabled,
    /// New backup codes made; the old ones stopped working.
    BackupCodesRegenerated,
    /// A second factor (authenticator code) accepted at sign-in or re-authentication.
    TwoFactorSucceeded,
    /// A backup code used (at sign-in or re-authentication); it works once.
    BackupCodeUsed,
    /// A wrong or replayed second-factor code.
    TwoFactorFailed,
    /// The user re-authenticated for a sensitive action (fresh session).
    Reauthenticated,
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
            AuditEvent::PasskeyAdded => "passkey_added",
            AuditEvent::PasskeyRemoved => "passkey_removed",
            AuditEvent::PasskeyCounterRegressed => "passkey_counter_regressed",
            AuditEvent::TwoFactorEnabled => "two_factor_enabled",
            AuditEvent::TwoFactorDisabled => "two_factor_disabled",
            AuditEvent::BackupCodesRegenerated => "backup_codes_regenerated",
            AuditEvent::TwoFactorSucceeded => "two_factor_succeeded",
            AuditEvent::BackupCodeUsed => "backup_code_used",
            AuditEvent::TwoFactorFailed => "two_factor_failed",
            AuditEvent::Reauthenticated => "reauthenticated",
        }
    }
}

impl AuditRecord {
    /// [`AuditRecord::time`] as ISO 8601 (UTC), e.g. `2026-11-23T01:40:00Z`.
    pub fn time_iso8601(&self) -> String {
        crate::clock::iso8601(self.time)
    }
}

/// The longest `User-Agent` kept in the log.
const MAX_USER_AGENT: usize = 256;
/// The longest provider id kept in the log (ids are short words like `github`).
const MAX_PROVIDER: usize = 64;

/// Provider names the library records that are not configured providers: how an address
/// was proven (see `ownership.rs`), and the password flows.
const INTERNAL_PROVIDERS: [&str; 6] = [
    "admin",
    "credentials",
    "email",
    "password_reset",
    "verification_link",
    "unknown",
];

/// How many events `GET /audit` lists.
pub(crate) const RECENT_EVENTS: u32 = 50;

/// Writes the audit log: bounded rows, and anonymous failures only within the rate limits.
pub(crate) struct Audit {
    store: Arc<dyn Store>,
    limits: Arc<Limits>,
    /// The ids of the configured providers: any other id is recorded as `unknown`.
    providers: Vec<String>,
}

impl Audit {
    pub(crate) fn new(store: Arc<dyn Store>, limits: Arc<Limits>, providers: Vec<String>) -> Self {
        Audit {
            store,
            limits,
            providers,
        }
    }

    /// Records `event` for the request `ctx`; never fails (a store error is logged).
    ///
    /// Every field is bounded, whatever the client sent: a provider id that no provider
    /// has is recorded as `unknown`, the user agent is cut. Rows about a failure nobody is
    /// signed in for are bounded per client by the rate limits, so an anonymous client cannot
    /// grow the log faster than it could sign in; old rows go after `audit_retention`.
    pub(crate) async fn record(
        &self,
        ctx: &RequestContext,
        user_id: Option<&str>,
        event: AuditEvent,
        provider: Option<&str>,
    ) {
        if user_id.is_none()
            && event == AuditEvent::SignInFailed
            && !self.limits.may_log_anonymous_failure(ctx.client_ip).await
        {
            tracing::debug!("audit row of an anonymous failure skipped: over the rate limit");
            return;
        }
        let provider = provider.map(|id| {
            let known = self.providers.iter().any(|p| p == id) || INTERNAL_PROVIDERS.contains(&id);
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
        if let Err(e) = self.store.record_audit_event(&record).await {
            e.log("could not write the audit log");
        }
    }

    /// Records `event` done to `user_id` by an administrator (the CLI): no request behind
    /// it, provider `admin`.
    pub(crate) async fn record_admin(&self, user_id: &str, event: AuditEvent) {
        let record = AuditRecord {
            time: now_secs(),
            user_id: Some(user_id.to_owned()),
            event: event.as_str().to_owned(),
            provider: Some("admin".to_owned()),
            ip: None,
            user_agent: None,
        };
        if let Err(e) = self.store.record_audit_event(&record).await {
            e.log("could not write the audit log");
        }
    }
}
