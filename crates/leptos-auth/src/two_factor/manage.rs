//! Setting two-factor sign-in up, turning it on and off, and new backup codes: each needs a
//! fresh session (and turning it off a current code as well), each is an audit event.

use qrcode::{QrCode, render::svg};
use serde::Serialize;

use super::{
    TwoFactorError,
    codes::{Proof, backup_codes_left, new_backup_codes, new_secret, totp},
};
use crate::{
    Auth, ClientIp,
    audit::AuditEvent,
    callbacks::Token,
    clock::now_secs,
    context::RequestContext,
    limits::LimitedAction,
    store::{TwoFactorRecord, User},
};

/// Two-factor sign-in of an account, as a settings page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TwoFactorStatus {
    /// Whether sign-in asks for a second factor.
    pub enabled: bool,
    /// Whether a set-up waits for its first code.
    pub setting_up: bool,
    /// Unused backup codes.
    pub backup_codes_left: usize,
}

/// A second factor being set up: what the user scans or types into the authenticator app.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TwoFactorSetup {
    /// The secret in base32, for typing in by hand.
    pub secret: String,
    /// The `otpauth://totp/…` URI the QR code holds.
    pub uri: String,
    /// The QR code of `uri` as an inline SVG element, made on the server.
    pub qr_svg: String,
}

impl Auth {
    /// Whether `user_id` has two-factor sign-in, and how many backup codes are left.
    pub async fn two_factor_status(
        &self,
        user_id: &str,
    ) -> Result<TwoFactorStatus, TwoFactorError> {
        let record = self.store().two_factor(user_id).await?;
        Ok(match record {
            Some(record) => TwoFactorStatus {
                enabled: record.enabled_at.is_some(),
                setting_up: record.enabled_at.is_none(),
                backup_codes_left: backup_codes_left(&record.backup_codes),
            },
            None => TwoFactorStatus {
                enabled: false,
                setting_up: false,
                backup_codes_left: 0,
            },
        })
    }

    /// The set-up of `user` that waits for its first code (to show its QR code again), if
    /// there is one. `site` names the site in the authenticator app.
    pub async fn two_factor_setup(
        &self,
        user: &User,
        site: &str,
    ) -> Result<Option<TwoFactorSetup>, TwoFactorError> {
        let record = self.store().two_factor(&user.id).await?;
        Ok(record
            .filter(|record| record.enabled_at.is_none())
            .and_then(|record| self.open_totp_secret(&record))
            .and_then(|secret| setup_of(&secret, site, user)))
    }

    /// Turns two-factor sign-in off for `user_id` without a code: the admin CLI's support
    /// case (a lost phone and lost backup codes). Audited; whether it was on.
    pub async fn disable_two_factor_of(&self, user_id: &str) -> Result<bool, TwoFactorError> {
        let removed = self.store().delete_two_factor(user_id).await?;
        if removed {
            self.audit_admin(user_id, AuditEvent::TwoFactorDisabled)
                .await;
        }
        Ok(removed)
    }

    /// Starts setting up (again): a new secret, not asked at sign-in until a code confirms it.
    pub(crate) async fn set_up_two_factor_in(
        &self,
        ctx: &RequestContext,
    ) -> Result<TwoFactorSetup, TwoFactorError> {
        let (user, _) = self.two_factor_owner(ctx, true).await?;
        if let Some(record) = self.store().two_factor(&user.id).await?
            && record.enabled_at.is_some()
        {
            return Err(TwoFactorError::AlreadyEnabled);
        }
        let secret = new_secret();
        let site = site_name(ctx);
        let setup = setup_of(&secret, &site, &user).ok_or(TwoFactorError::NotSetUp)?;
        self.store()
            .put_two_factor(&TwoFactorRecord {
                user_id: user.id.clone(),
                secret: self.seal_totp_secret(&user.id, &secret),
                enabled_at: None,
                last_step: 0,
                backup_codes: String::new(),
                created_at: now_secs(),
            })
            .await?;
        Ok(setup)
    }

    /// Confirms the set-up with a code from the app: two-factor sign-in is on, and the
    /// backup codes (shown once) are returned.
    pub(crate) async fn enable_two_factor_in(
        &self,
        ctx: &RequestContext,
        code: &str,
    ) -> Result<Vec<String>, TwoFactorError> {
        let (user, _) = self.two_factor_owner(ctx, true).await?;
        let record = self
            .store()
            .two_factor(&user.id)
            .await?
            .ok_or(TwoFactorError::NotSetUp)?;
        if record.enabled_at.is_some() {
            return Err(TwoFactorError::AlreadyEnabled);
        }
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        let Some(step) = self.totp_step(&record, &code) else {
            self.audit(ctx, Some(&user.id), AuditEvent::TwoFactorFailed, None)
                .await;
            return Err(TwoFactorError::InvalidCode);
        };
        let (shown, stored) = new_backup_codes();
        self.store()
            .put_two_factor(&TwoFactorRecord {
                enabled_at: Some(now_secs()),
                // The confirming code does not sign anyone in afterwards.
                last_step: step,
                backup_codes: stored,
                ..record
            })
            .await?;
        self.audit(ctx, Some(&user.id), AuditEvent::TwoFactorEnabled, None)
            .await;
        Ok(shown)
    }

    /// Turns two-factor sign-in off: a current code or a backup code proves the factor is
    /// still in hand. Trusted devices stop being trusted.
    pub(crate) async fn disable_two_factor_in(
        &self,
        ctx: &RequestContext,
        code: &str,
    ) -> Result<(), TwoFactorError> {
        let (user, _) = self.two_factor_owner(ctx, true).await?;
        let record = self
            .enabled_factor(&user.id)
            .await?
            .ok_or(TwoFactorError::NotEnabled)?;
        self.prove_second_factor(ctx, &user, &record, code).await?;
        self.store().delete_two_factor(&user.id).await?;
        self.audit(ctx, Some(&user.id), AuditEvent::TwoFactorDisabled, None)
            .await;
        Ok(())
    }

    /// New backup codes; the old ones stop working.
    pub(crate) async fn regenerate_backup_codes_in(
        &self,
        ctx: &RequestContext,
    ) -> Result<Vec<String>, TwoFactorError> {
        let (user, _) = self.two_factor_owner(ctx, true).await?;
        let record = self
            .enabled_factor(&user.id)
            .await?
            .ok_or(TwoFactorError::NotEnabled)?;
        let (shown, stored) = new_backup_codes();
        self.store()
            .put_two_factor(&TwoFactorRecord {
                backup_codes: stored,
                ..record
            })
            .await?;
        self.audit(
            ctx,
            Some(&user.id),
            AuditEvent::BackupCodesRegenerated,
            None,
        )
        .await;
        Ok(shown)
    }

    /// Checks a code of `user`'s enabled factor, using it up, with the account's lockout:
    /// a failure is audited and counts towards it, a success is audited.
    pub(crate) async fn prove_second_factor(
        &self,
        ctx: &RequestContext,
        user: &User,
        record: &TwoFactorRecord,
        code: &str,
    ) -> Result<(), TwoFactorError> {
        let account = lockout_identifier(user);
        self.limits().check_lockout(&account).await?;
        match self.use_second_factor(record, code).await? {
            Some(proof) => {
                self.limits().clear_sign_in_failures(&account).await;
                let event = match proof {
                    Proof::Authenticator => AuditEvent::TwoFactorSucceeded,
                    Proof::BackupCode => AuditEvent::BackupCodeUsed,
                };
                self.audit(ctx, Some(&user.id), event, None).await;
                Ok(())
            }
            None => {
                self.audit(ctx, Some(&user.id), AuditEvent::TwoFactorFailed, None)
                    .await;
                match self.limits().count_sign_in_failure(&account).await {
                    Some(lockout) => {
                        self.audit(ctx, Some(&user.id), AuditEvent::Lockout, None)
                            .await;
                        Err(lockout.into())
                    }
                    None => Err(TwoFactorError::InvalidCode),
                }
            }
        }
    }

    /// The signed-in user of the request (limited per address like password changes); with
    /// `fresh`, only when they authenticated within `fresh_age`.
    pub(crate) async fn two_factor_owner(
        &self,
        ctx: &RequestContext,
        fresh: bool,
    ) -> Result<(User, Token), TwoFactorError> {
        self.rate_limit(ClientIp(ctx.client_ip), LimitedAction::Password)
            .await?;
        let token = self
            .sessions()
            .read_session(ctx)
            .await?
            .ok_or(TwoFactorError::SessionRequired)?;
        if fresh && !self.sessions().is_fresh(&token) {
            return Err(TwoFactorError::SessionNotFresh);
        }
        let user = self
            .store()
            .user_by_id(&token.sub)
            .await?
            .ok_or(TwoFactorError::SessionRequired)?;
        Ok((user, token))
    }
}

/// The lockout counter of an account: its email, like password sign-in's, so second-factor
/// failures and wrong passwords lock the same account; its id when it has no email.
pub(crate) fn lockout_identifier(user: &User) -> String {
    user.email.clone().unwrap_or_else(|| user.id.clone())
}

/// The site as the authenticator app names it: the host of the site URL.
fn site_name(ctx: &RequestContext) -> String {
    ctx.base_url.host_str().unwrap_or("leptos-auth").to_owned()
}

fn setup_of(secret: &[u8], site: &str, user: &User) -> Option<TwoFactorSetup> {
    let account = user
        .email
        .as_deref()
        .or(user.name.as_deref())
        .unwrap_or(&user.id);
    let totp = totp(secret, Some((site, account)))?;
    let uri = totp.to_url().ok()?;
    let qr = QrCode::new(uri.as_bytes()).ok()?;
    let svg = qr
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    // An element for the page, not a document: no XML declaration.
    let qr_svg = match svg.find("<svg") {
        Some(start) => svg[start..].to_owned(),
        None => svg,
    };
    Some(TwoFactorSetup {
        secret: totp.secret().to_base32(),
        uri,
        qr_svg,
    })
}
