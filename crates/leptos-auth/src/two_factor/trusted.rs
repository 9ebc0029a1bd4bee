//! "Trust this device": after a second factor, a browser may skip it for
//! `trusted_device_age` (30 days). The cookie is signed with the site's secret and names the
//! user; it also carries a fingerprint of the account's second factor (when it was turned on)
//! and password, so turning two-factor off (and on again) or changing the password makes every
//! trusted device ask again, with nothing to list or delete in the store.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};

use crate::{
    Auth,
    clock::now_secs,
    context::RequestContext,
    keys::secrets_match,
    store::{TwoFactorRecord, User},
};

/// What the cookie carries.
#[derive(Serialize, Deserialize)]
struct TrustedDevice {
    user: String,
    expires: i64,
    /// [`Auth::factors_fingerprint`] when the device was trusted.
    factors: String,
}

impl Auth {
    /// Whether this browser was trusted by `user` for the factor `record`, and still is.
    pub(super) async fn device_trusted(
        &self,
        ctx: &RequestContext,
        user: &User,
        record: &TwoFactorRecord,
    ) -> bool {
        let Some(value) = ctx.cookies.get(&ctx.jar.trusted_device()) else {
            return false;
        };
        let Some((payload, signature)) = value.split_once('.') else {
            return false;
        };
        if !self.keys().verify(payload, signature) {
            tracing::warn!("a trusted-device cookie did not verify");
            return false;
        }
        let Some(device) = URL_SAFE_NO_PAD
            .decode(payload)
            .ok()
            .and_then(|json| serde_json::from_slice::<TrustedDevice>(&json).ok())
        else {
            return false;
        };
        device.user == user.id
            && device.expires > now_secs()
            && secrets_match(
                &device.factors,
                &self.factors_fingerprint(user, record).await,
            )
    }

    /// The cookie that trusts this browser for `user` and the factor `record`.
    pub(super) async fn trusted_device_cookie(
        &self,
        ctx: &RequestContext,
        user: &User,
        record: &TwoFactorRecord,
    ) -> Option<String> {
        let age = self.config().session.trusted_device_age.as_secs();
        let device = TrustedDevice {
            user: user.id.clone(),
            expires: now_secs() + age as i64,
            factors: self.factors_fingerprint(user, record).await,
        };
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&device).ok()?);
        let signature = self.keys().sign(&payload);
        Some(ctx.jar.set(
            &ctx.jar.trusted_device(),
            &format!("{payload}.{signature}"),
            Some(age),
        ))
    }

    /// Changes when the second factor is turned on again, the password changes or the
    /// secret rotates. A store that cannot be asked for the password gives a value no
    /// cookie has: not trusted.
    async fn factors_fingerprint(&self, user: &User, record: &TwoFactorRecord) -> String {
        let password = match &user.email {
            Some(email) => match self.store().user_with_password(email).await {
                Ok(found) => found.map(|(_, hash)| hash).unwrap_or_default(),
                Err(_) => return crate::keys::random_hex(16),
            },
            None => String::new(),
        };
        let enabled_at = record.enabled_at.unwrap_or_default();
        // Keyed, so the cookie tells nothing about the password hash behind it.
        self.keys()
            .sign(&format!("trusted-device:{enabled_at}:{password}"))
    }
}
