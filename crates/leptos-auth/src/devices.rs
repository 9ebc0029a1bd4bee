//! The signed-in devices of a user: listing their sessions (device, address, last seen) and
//! ending them (one, or every other one), "sign out other devices" (docs/architecture.md ›
//! Account safety).

use axum::http::HeaderMap;

use crate::{
    Auth, AuthError,
    audit::AuditEvent,
    clock::now_secs,
    context::RequestContext,
    session::{SessionInfo, jwt::Token},
    store::StoreError,
};

/// Which sessions [`Auth::revoke_sessions`] ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevokeSessions {
    /// The session with this id (only if it is the caller's own).
    One(String),
    /// Every session of the caller but the current one.
    Others,
}

/// What [`Auth::revoke_sessions`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Revoked {
    /// How many sessions ended.
    pub count: u64,
    /// `Set-Cookie` values clearing the caller's cookie when its own session was among them.
    pub cookies: Vec<String>,
}

impl Auth {
    /// The sessions of the request's user, most recently seen first, the current one marked.
    /// `SessionRequired` when signed out.
    pub async fn list_sessions(&self, headers: &HeaderMap) -> Result<Vec<SessionInfo>, AuthError> {
        self.list_sessions_in(&self.context(headers)).await
    }

    pub(crate) async fn list_sessions_in(
        &self,
        ctx: &RequestContext,
    ) -> Result<Vec<SessionInfo>, AuthError> {
        let token = self
            .sessions()
            .read_token(ctx)
            .await
            .ok_or(AuthError::SessionRequired)?;
        let mut sessions = self.sessions_of_user(&token.sub).await.map_err(|e| {
            tracing::error!(error = %e, "could not list sessions");
            AuthError::Configuration
        })?;
        for session in &mut sessions {
            session.current = token.sid.as_deref() == Some(session.id.as_str());
        }
        Ok(sessions)
    }

    /// Every live session of `user_id`, most recently seen first (for admin tools: none is
    /// marked current).
    pub async fn sessions_of_user(&self, user_id: &str) -> Result<Vec<SessionInfo>, StoreError> {
        let now = now_secs();
        let records = self.store().sessions_of_user(user_id).await?;
        Ok(records
            .into_iter()
            .filter(|r| r.expires_at > now && r.absolute_expires_at > now)
            .map(|r| SessionInfo {
                current: false,
                created_at: crate::clock::iso8601(r.created_at),
                last_seen_at: crate::clock::iso8601(r.last_seen_at),
                device: device_label(r.user_agent.as_deref()),
                user_agent: r.user_agent,
                ip: r.ip,
                id: r.id,
            })
            .collect())
    }

    /// Ends sessions of the request's user: never another user's, whatever id is sent.
    pub async fn revoke_sessions(
        &self,
        headers: &HeaderMap,
        which: RevokeSessions,
    ) -> Result<Revoked, AuthError> {
        self.revoke_sessions_in(&self.context(headers), which).await
    }

    pub(crate) async fn revoke_sessions_in(
        &self,
        ctx: &RequestContext,
        which: RevokeSessions,
    ) -> Result<Revoked, AuthError> {
        let token = self
            .sessions()
            .read_token(ctx)
            .await
            .ok_or(AuthError::SessionRequired)?;
        let store = self.store();
        let unavailable = |e: StoreError| {
            tracing::error!(error = %e, "could not revoke sessions");
            AuthError::Configuration
        };
        // Ending every other session is how a borrowed session would lock its owner out.
        if matches!(which, RevokeSessions::Others) && !self.sessions().is_fresh(&token) {
            return Err(AuthError::SessionNotFresh);
        }
        let revoked = match which {
            RevokeSessions::Others => Revoked {
                count: self
                    .revoke_all_sessions(&token.sub, Some(&token))
                    .await
                    .map_err(unavailable)?,
                cookies: Vec::new(),
            },
            RevokeSessions::One(id) => {
                let deleted = store
                    .delete_session(&token.sub, &id)
                    .await
                    .map_err(unavailable)?;
                self.sessions().forget(&id);
                let own = token.sid.as_deref() == Some(id.as_str());
                Revoked {
                    count: u64::from(deleted),
                    cookies: if own {
                        self.sessions().end_session(ctx).await
                    } else {
                        Vec::new()
                    },
                }
            }
        };
        if revoked.count > 0 {
            tracing::info!(user = %token.sub, count = revoked.count, "sessions revoked");
            self.audit(ctx, Some(&token.sub), AuditEvent::SessionRevoked, None)
                .await;
        }
        Ok(revoked)
    }

    /// Ends every session of `user_id` but `except` (password change, admin revoke).
    pub(crate) async fn revoke_all_sessions(
        &self,
        user_id: &str,
        except: Option<&Token>,
    ) -> Result<u64, StoreError> {
        let except = except.and_then(|t| t.sid.as_deref());
        // This instance stops trusting them at once; others within `check_interval`.
        for session in self.store().sessions_of_user(user_id).await? {
            self.sessions().forget(&session.id);
        }
        self.store().delete_sessions_of_user(user_id, except).await
    }
}

/// "Firefox on Linux", "Chrome on Android", "curl": enough to tell one's devices apart. The
/// browser and system come from woothee's maintained user-agent table; what it does not know
/// (a tool) is named by the first word of its user agent.
pub(crate) fn device_label(user_agent: Option<&str>) -> String {
    let Some(ua) = user_agent.filter(|ua| !ua.trim().is_empty()) else {
        return "Unknown device".into();
    };
    let known = |name: &str| !name.is_empty() && name != woothee::woothee::VALUE_UNKNOWN;
    let parsed = woothee::parser::Parser::new().parse(ua);
    let (browser, system) = match &parsed {
        // Browsers on computers, phones and consoles; a crawler or an HTTP library is named
        // by its own first word below ("curl", not "HTTP Library").
        Some(result) if !matches!(result.category, "crawler" | "misc") => (
            Some(result.name).filter(|name| known(name)),
            Some(result.os).filter(|os| known(os)),
        ),
        _ => (None, None),
    };
    match (browser, system) {
        (Some(browser), Some(system)) => format!("{browser} on {system}"),
        (Some(name), None) | (None, Some(name)) => name.to_owned(),
        // A tool: its first word (`curl/8.5.0` → `curl`).
        (None, None) => ua
            .split(['/', ' '])
            .next()
            .unwrap_or("Unknown device")
            .chars()
            .take(40)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::device_label;

    #[test]
    fn devices_are_named_by_browser_and_system() {
        for (ua, label) in [
            (
                "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
                "Firefox on Linux",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
                 Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
                "Edge on Windows 10",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 \
                 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1",
                "Safari on iPhone",
            ),
            (
                "Mozilla/5.0 (Linux; Android 14) Firefox/128.0",
                "Firefox on Android",
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 \
                 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
                "Safari on Mac OSX",
            ),
            ("curl/8.5.0", "curl"),
        ] {
            assert_eq!(device_label(Some(ua)), label);
        }
        assert_eq!(device_label(None), "Unknown device");
    }
}
