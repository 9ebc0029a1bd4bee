//! Who the client is: the peer address, or behind trusted proxies the nearest untrusted hop
//! of `X-Forwarded-For` ([`TrustedProxies`], [`ClientIp`]).

use std::{
    fmt,
    net::{IpAddr, SocketAddr},
    str::FromStr,
};

use axum::{
    extract::ConnectInfo,
    http::{Extensions, HeaderMap, request::Parts},
};

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
pub(super) fn canonical(ip: IpAddr) -> IpAddr {
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
    /// The client address of a request (already resolved by
    /// [`Auth::layer`](crate::Auth::layer), or now).
    pub(crate) fn of(proxies: &TrustedProxies, parts: &Parts) -> ClientIp {
        ClientIp::resolve(proxies, &parts.extensions, &parts.headers)
    }

    pub(crate) fn resolve(
        proxies: &TrustedProxies,
        extensions: &Extensions,
        headers: &HeaderMap,
    ) -> ClientIp {
        if let Some(ip) = extensions.get::<ClientIp>() {
            return *ip;
        }
        let peer = extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        ClientIp(peer.map(|peer| proxies.client_ip(peer, headers)))
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
}
