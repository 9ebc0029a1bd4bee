//! Abuse defence (docs/architecture.md › Account safety): per-IP rate limits on the endpoints that
//! check secrets, create accounts or send mail, a per-account lockout after repeated failed
//! sign-ins, and a per-address budget of mails so that nobody can flood one inbox from many
//! addresses.
//!
//! The counters live in the [`Store`](crate::Store), so every instance sharing a database
//! sees the same limits. Each instance also remembers what it has already refused until
//! when, so a flood from one address is answered without a database round trip.

use std::{
    collections::HashMap,
    fmt,
    net::{IpAddr, SocketAddr},
    str::FromStr,
    sync::{
        Mutex,
        atomic::{AtomicU32, Ordering},
    },
    time::Duration,
};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{Extensions, HeaderMap, request::Parts},
};
use sha2::{Digest, Sha256};

use crate::{Auth, AuthError, core::now_secs, store::normalize_email};

/// Per-IP rate limits on sign-in, sign-up, password and email endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    /// Whether the per-IP limits apply. `AUTH_RATE_LIMITS=off` turns them off for test
    /// suites and load tests; the per-account [`Lockout`] stays on regardless.
    pub enabled: bool,
    /// Requests one address may make to one [`LimitedAction`] within `window`.
    pub max_requests: u32,
    /// The length of a rate-limit window.
    pub window: Duration,
    /// IPv6 clients are counted by network, not by address: one host is usually given a
    /// whole /64 and could rotate through it. The length of that network prefix.
    pub ipv6_prefix: u8,
}

impl Default for RateLimits {
    /// 5 requests per 10 seconds per address (per /64 for IPv6) and action: enough for a
    /// person retyping a password, far too few for a script.
    fn default() -> Self {
        RateLimits {
            enabled: true,
            max_requests: 5,
            window: Duration::from_secs(10),
            ipv6_prefix: 64,
        }
    }
}

impl RateLimits {
    /// Who a request from `ip` is counted as: the address itself for IPv4 (and
    /// IPv4-mapped IPv6), its network of `ipv6_prefix` bits for IPv6.
    pub fn client_key(&self, ip: IpAddr) -> String {
        match canonical(ip) {
            IpAddr::V6(v6) => {
                let prefix = self.ipv6_prefix.min(128);
                let mask = u128::MAX.checked_shl(u32::from(128 - prefix)).unwrap_or(0);
                let network = std::net::Ipv6Addr::from(u128::from(v6) & mask);
                format!("{network}/{prefix}")
            }
            v4 => v4.to_string(),
        }
    }
}

/// The per-account lockout: after `max_failures` failed password sign-ins within `window`,
/// password sign-in to that account is refused for `duration`, doubled for each further
/// lockout in a row (at most a day). Unknown emails are counted and locked the same way, so
/// the answer never tells whether an account exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lockout {
    /// Failures that lock the account.
    pub max_failures: u32,
    /// How far back failures are counted.
    pub window: Duration,
    /// How long the first lockout lasts.
    pub duration: Duration,
}

impl Default for Lockout {
    /// 10 failures within 15 minutes lock the account for 15 minutes.
    fn default() -> Self {
        Lockout {
            max_failures: 10,
            window: Duration::from_secs(15 * 60),
            duration: Duration::from_secs(15 * 60),
        }
    }
}

/// How many mails (sign-in links, password resets, verification links) one email address
/// may be sent within `window`, whoever asks and from wherever. Always on, like the
/// [`Lockout`]: the per-IP limit alone lets a botnet fill somebody's inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailLimit {
    /// Mails one address may be sent within `window`.
    pub max_mails: u32,
    /// How far back mails are counted.
    pub window: Duration,
}

impl Default for MailLimit {
    /// 5 mails per address per hour: room for a person who asks again, or for sign-up and a
    /// resend, and nothing like a flood. Each link stays valid, so the mails already sent
    /// still work while the budget is spent.
    fn default() -> Self {
        MailLimit {
            max_mails: 5,
            window: Duration::from_secs(60 * 60),
        }
    }
}

/// The longest a lockout lasts, however many came before it.
const MAX_LOCK: Duration = Duration::from_secs(24 * 60 * 60);

/// The endpoint families that each have their own per-IP budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LimitedAction {
    /// Credentials sign-in (`POST /callback/credentials`, the `sign_in` server function).
    SignIn,
    /// Creating an account.
    SignUp,
    /// Changing or resetting a password.
    Password,
    /// Anything that sends an email.
    Email,
}

impl LimitedAction {
    fn key(self) -> &'static str {
        match self {
            LimitedAction::SignIn => "sign-in",
            LimitedAction::SignUp => "sign-up",
            LimitedAction::Password => "password",
            LimitedAction::Email => "email",
        }
    }
}

/// A refusal because of too many requests ([`AuthError::RateLimited`]) or too many failed
/// sign-ins ([`AuthError::AccountLocked`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{code}: retry after {} s", retry_after.as_secs())]
pub struct TooManyAttempts {
    /// `RateLimited` or `AccountLocked`.
    pub code: AuthError,
    /// How long until the next attempt can succeed (the `Retry-After` header).
    pub retry_after: Duration,
}

/// Proxies whose `X-Forwarded-For` is believed (`AUTH_TRUSTED_PROXIES`, a comma-separated
/// list of addresses or CIDR ranges). Empty by default: the client is the socket peer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Cidr>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// An IPv4 address seen through an IPv6 socket (`::ffff:10.0.0.1`) is that IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// `AUTH_TRUSTED_PROXIES` has an entry that is neither an address nor a CIDR range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an IP address or CIDR range")]
pub struct InvalidProxy(String);

impl FromStr for TrustedProxies {
    type Err = InvalidProxy;

    fn from_str(list: &str) -> Result<Self, InvalidProxy> {
        let mut proxies = Vec::new();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let invalid = || InvalidProxy(entry.to_owned());
            let (address, prefix) = match entry.split_once('/') {
                Some((address, prefix)) => (address, Some(prefix)),
                None => (entry, None),
            };
            let network = canonical(address.parse::<IpAddr>().map_err(|_| invalid())?);
            let max = if network.is_ipv4() { 32 } else { 128 };
            let prefix = match prefix {
                Some(p) => p
                    .parse::<u8>()
                    .ok()
                    .filter(|p| *p <= max)
                    .ok_or_else(invalid)?,
                None => max,
            };
            proxies.push(Cidr { network, prefix });
        }
        Ok(TrustedProxies(proxies))
    }
}

impl TrustedProxies {
    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|cidr| cidr.contains(ip))
    }

    /// The client behind `peer`: `peer` itself unless it is a trusted proxy; then the
    /// nearest `X-Forwarded-For` entry that is not a trusted proxy. Entries further left
    /// were written by the client and prove nothing.
    pub(crate) fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = canonical(peer);
        if !self.trusts(client) {
            return client;
        }
        let hops = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect::<Vec<_>>();
        for hop in hops.into_iter().rev() {
            let Ok(ip) = hop.parse::<IpAddr>() else {
                // A trusted proxy always writes an address: this was written by the client.
                break;
            };
            client = canonical(ip);
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

/// The address a request comes from, as the rate limits see it: the socket peer, or with
/// [`TrustedProxies`] the client the proxies forwarded. `None` when the server was not started
/// with `into_make_service_with_connect_info::<SocketAddr>()`, in which case per-IP limits
/// cannot apply (a warning is logged once) — one shared bucket would lock everyone out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub Option<IpAddr>);

impl ClientIp {
    /// The client address of a request (already resolved by [`Auth::layer`], or now).
    pub(crate) fn of(auth: &Auth, parts: &Parts) -> ClientIp {
        ClientIp::resolve(auth, &parts.extensions, &parts.headers)
    }

    pub(crate) fn resolve(auth: &Auth, extensions: &Extensions, headers: &HeaderMap) -> ClientIp {
        if let Some(ip) = extensions.get::<ClientIp>() {
            return *ip;
        }
        let peer = extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        ClientIp(peer.map(|peer| auth.config().trusted_proxies.client_ip(peer, headers)))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = AuthError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AuthError> {
        let auth = crate::extract::auth_of(parts)?;
        Ok(ClientIp::of(&auth, parts))
    }
}

impl fmt::Display for ClientIp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(ip) => write!(f, "{ip}"),
            None => f.write_str("unknown"),
        }
    }
}

/// What this instance has refused, and until when (unix seconds): the fast path in front of
/// the store. Bounded: expired entries go first, and if a flood of distinct keys still fills
/// it, it is emptied (the store still holds the truth).
#[derive(Default)]
pub(crate) struct LocalBlocks {
    until: Mutex<HashMap<String, i64>>,
    events: AtomicU32,
}

const MAX_LOCAL_BLOCKS: usize = 16 * 1024;
/// Expired counters and sessions are deleted once every this many counted events.
const PRUNE_EVERY: u32 = 1024;

impl LocalBlocks {
    fn blocked_until(&self, key: &str, now: i64) -> Option<i64> {
        let map = self.until.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key).copied().filter(|until| *until > now)
    }

    fn block(&self, key: &str, until: i64, now: i64) {
        let mut map = self.until.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_LOCAL_BLOCKS {
            map.retain(|_, until| *until > now);
            if map.len() >= MAX_LOCAL_BLOCKS {
                map.clear();
            }
        }
        map.insert(key.to_owned(), until);
    }

    fn forget(&self, key: &str) {
        let mut map = self.until.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(key);
    }

    fn should_prune(&self) -> bool {
        self.events.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1
    }
}

impl TooManyAttempts {
    /// "Busy, come back in a second": too many passwords are being hashed right now.
    pub(crate) fn busy() -> Self {
        TooManyAttempts {
            code: AuthError::RateLimited,
            retry_after: Duration::from_secs(1),
        }
    }
}

fn refusal(code: AuthError, until: i64, now: i64) -> TooManyAttempts {
    TooManyAttempts {
        code,
        retry_after: Duration::from_secs(u64::try_from(until - now).unwrap_or(0).max(1)),
    }
}

fn secs(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX / 4)
}

/// The counter key of an account or address: a hash, so that the emails people mistype
/// (or attackers try) are not kept in clear.
fn address_key(kind: &str, identifier: &str) -> String {
    let digest = Sha256::digest(normalize_email(identifier).as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{kind}:{hex}")
}

fn account_key(identifier: &str) -> String {
    address_key("lock", identifier)
}

impl Auth {
    /// Counts one request of `action` from `ip` against the per-IP limit; `Err` when the
    /// address has used up its budget for the current window. Always `Ok` when the limits
    /// are off or the address is unknown. A database failure lets the request through (the
    /// lockout still guards accounts) and is logged.
    ///
    /// The auth endpoints call this themselves; call it from an app's own endpoints that
    /// an attacker could abuse (the demo's sign-up does).
    pub async fn rate_limit(
        &self,
        ip: ClientIp,
        action: LimitedAction,
    ) -> Result<(), TooManyAttempts> {
        let limits = &self.config().rate_limits;
        let Some(ip) = ip.0.filter(|_| limits.enabled) else {
            if limits.enabled {
                self.warn_no_client_ip();
            }
            return Ok(());
        };
        let client = limits.client_key(ip);
        let key = format!("ip:{}:{client}", action.key());
        let counted = self
            .count_against(&key, limits.max_requests, limits.window)
            .await;
        self.maybe_prune_expired(now_secs()).await;
        if counted.is_err() {
            tracing::warn!(%client, action = action.key(), "rate limited");
        }
        counted
    }

    /// Whether one more audit row about a failure nobody is signed in for may be written for
    /// `ip`: such rows are bounded by the per-IP rate limits, so a client cannot grow the
    /// log faster than it could sign in. Always true when the limits are off or the address
    /// is unknown.
    pub(crate) async fn may_log_anonymous_failure(&self, ip: Option<IpAddr>) -> bool {
        let limits = &self.config().rate_limits;
        let Some(ip) = ip.filter(|_| limits.enabled) else {
            return true;
        };
        let key = format!("ip:failure-log:{}", limits.client_key(ip));
        self.count_against(&key, limits.max_requests, limits.window)
            .await
            .is_ok()
    }

    /// Counts one mail to `email` against its [`MailLimit`]; `Err` once the address has had
    /// its share for the current window. A database failure lets the mail go (the per-IP
    /// limit still applies) and is logged.
    pub(crate) async fn count_mail_to(&self, email: &str) -> Result<(), TooManyAttempts> {
        let policy = &self.config().mail_limit;
        let counted = self
            .count_against(&address_key("mail", email), policy.max_mails, policy.window)
            .await;
        if counted.is_err() {
            tracing::warn!("mail budget of one address used up: not sending");
        }
        counted
    }

    /// Counts one event against `key`, allowing `max` per `window`; `Err` once they are
    /// used up, until the window ends (remembered locally, so a flood costs no more
    /// database round trips). A database failure lets the event through and is logged.
    async fn count_against(
        &self,
        key: &str,
        max: u32,
        window: Duration,
    ) -> Result<(), TooManyAttempts> {
        let now = now_secs();
        if let Some(until) = self.limits().blocked_until(key, now) {
            return Err(refusal(AuthError::RateLimited, until, now));
        }
        let window = secs(window).max(1);
        let counter = match self.store().count_event(key, now, window).await {
            Ok(counter) => counter,
            Err(e) => {
                e.log("rate-limit counter unavailable");
                return Ok(());
            }
        };
        if counter.count > max {
            let until = counter.window_start + window;
            self.limits().block(key, until, now);
            return Err(refusal(AuthError::RateLimited, until, now));
        }
        Ok(())
    }

    /// `Err` while the account named `identifier` (an email or user name) is locked.
    pub(crate) async fn check_lockout(&self, identifier: &str) -> Result<(), LockoutCheck> {
        let key = account_key(identifier);
        let now = now_secs();
        if let Some(until) = self.limits().blocked_until(&key, now) {
            return Err(LockoutCheck::Locked(refusal(
                AuthError::AccountLocked,
                until,
                now,
            )));
        }
        let counter = self
            .store()
            .counter(&key)
            .await
            .map_err(LockoutCheck::Unavailable)?;
        match counter {
            Some(counter) if counter.locked_until > now => {
                self.limits().block(&key, counter.locked_until, now);
                Err(LockoutCheck::Locked(refusal(
                    AuthError::AccountLocked,
                    counter.locked_until,
                    now,
                )))
            }
            _ => Ok(()),
        }
    }

    /// Counts a failed sign-in to `identifier`; returns the lockout when this failure
    /// starts one.
    pub(crate) async fn count_sign_in_failure(&self, identifier: &str) -> Option<TooManyAttempts> {
        let policy = &self.config().lockout;
        let key = account_key(identifier);
        let now = now_secs();
        let counter = match self
            .store()
            .count_event(&key, now, secs(policy.window).max(1))
            .await
        {
            Ok(counter) => counter,
            Err(e) => {
                e.log("lockout counter unavailable");
                return None;
            }
        };
        if counter.count < policy.max_failures {
            return None;
        }
        // Each lockout in a row lasts twice as long as the one before.
        let lock = policy
            .duration
            .saturating_mul(1 << counter.strikes.min(16))
            .min(MAX_LOCK);
        let until = now + secs(lock);
        if let Err(e) = self.store().lock_counter(&key, until).await {
            e.log("could not store a lockout");
        }
        self.limits().block(&key, until, now);
        tracing::warn!(
            failures = counter.count,
            minutes = lock.as_secs() / 60,
            "account locked after failed sign-ins"
        );
        Some(refusal(AuthError::AccountLocked, until, now))
    }

    /// A wrong password for `account` (an email or user name, when the form named one):
    /// recorded in the audit log (under the account tried, when it exists, so its owner sees
    /// it) and counted towards its lockout. The failure to answer: `AccountLocked` when this
    /// one locked it, else `CredentialsSignin`.
    pub(crate) async fn wrong_password(
        &self,
        ctx: &crate::core::RequestContext,
        account: Option<&str>,
        provider: &str,
    ) -> crate::error::Failure {
        let tried = match account {
            Some(account) => self.store().user_by_email(account).await.ok().flatten(),
            None => None,
        };
        let tried = tried.as_ref().map(|u| u.id.as_str());
        self.audit(ctx, tried, crate::AuditEvent::SignInFailed, Some(provider))
            .await;
        if let Some(account) = account
            && let Some(lockout) = self.count_sign_in_failure(account).await
        {
            self.audit(ctx, tried, crate::AuditEvent::Lockout, Some(provider))
                .await;
            return lockout.into();
        }
        AuthError::CredentialsSignin.into()
    }

    /// A successful sign-in ends the account's run of failures (and its backoff).
    pub(crate) async fn clear_sign_in_failures(&self, identifier: &str) {
        let key = account_key(identifier);
        self.limits().forget(&key);
        if let Err(e) = self.store().clear_counter(&key).await {
            e.log("could not clear sign-in failures");
        }
    }

    /// Once in a while (every so many counted events), deletes expired counters, sessions
    /// and email tokens, and audit rows older than `audit_retention`.
    pub(crate) async fn maybe_prune_expired(&self, now: i64) {
        let audit_before = now.saturating_sub(secs(self.config().audit_retention));
        if self.limits().should_prune()
            && let Err(e) = self.store().prune_expired(now, audit_before).await
        {
            e.log("could not prune expired rows");
        }
    }

    fn warn_no_client_ip(&self) {
        static WARNED: std::sync::Once = std::sync::Once::new();
        WARNED.call_once(|| {
            tracing::warn!(
                "per-IP rate limits are off: the server does not know client addresses (serve \
                 with into_make_service_with_connect_info::<SocketAddr>())"
            );
        });
    }
}

/// Why a sign-in may not even be tried.
pub(crate) enum LockoutCheck {
    Locked(TooManyAttempts),
    Unavailable(crate::StoreError),
}

impl From<LockoutCheck> for crate::error::Failure {
    fn from(check: LockoutCheck) -> Self {
        match check {
            LockoutCheck::Locked(refusal) => refusal.into(),
            LockoutCheck::Unavailable(e) => crate::error::Failure::new(AuthError::Configuration, e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", xff.parse().unwrap());
        headers
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_the_headers_say() {
        let proxies = TrustedProxies::default();
        assert_eq!(
            proxies.client_ip(ip("203.0.113.9"), &headers("1.2.3.4")),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_nearest_untrusted_hop_is_the_client() {
        let proxies: TrustedProxies = "10.0.0.0/8, 192.168.1.1".parse().unwrap();
        // The client claims 1.2.3.4; the load balancer appended the real peer 198.51.100.7.
        let h = headers("1.2.3.4, 198.51.100.7, 10.1.2.3");
        assert_eq!(proxies.client_ip(ip("10.0.0.1"), &h), ip("198.51.100.7"));
        // A forged entry cannot reach past the first untrusted hop.
        let h = headers("garbage, 198.51.100.7");
        assert_eq!(proxies.client_ip(ip("192.168.1.1"), &h), ip("198.51.100.7"));
        // Only proxies in the header: the leftmost is the best we know.
        let h = headers("10.9.9.9");
        assert_eq!(proxies.client_ip(ip("10.0.0.1"), &h), ip("10.9.9.9"));
        // A proxy without the header: the proxy itself.
        assert_eq!(
            proxies.client_ip(ip("10.0.0.1"), &HeaderMap::new()),
            ip("10.0.0.1")
        );
        // An untrusted peer's header is ignored.
        assert_eq!(
            proxies.client_ip(ip("198.51.100.1"), &headers("1.2.3.4")),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn ipv4_mapped_peers_match_ipv4_ranges() {
        let proxies: TrustedProxies = "127.0.0.1".parse().unwrap();
        assert_eq!(
            proxies.client_ip(ip("::ffff:127.0.0.1"), &headers("2001:db8::1")),
            ip("2001:db8::1")
        );
    }

    #[test]
    fn proxy_lists_are_validated() {
        assert!(
            "10.0.0.0/8,::1,2001:db8::/32"
                .parse::<TrustedProxies>()
                .is_ok()
        );
        for bad in ["10.0.0.0/33", "proxy.internal", "10.0.0.0/x", "::1/129"] {
            assert!(bad.parse::<TrustedProxies>().is_err(), "{bad}");
        }
        assert_eq!("".parse::<TrustedProxies>(), Ok(TrustedProxies::default()));
    }

    #[test]
    fn lockout_keys_do_not_depend_on_how_the_email_was_typed_nor_reveal_it() {
        assert_eq!(
            account_key(" Ada@Example.com"),
            account_key("ada@example.com")
        );
        assert!(!account_key("ada@example.com").contains("ada"));
    }
}
