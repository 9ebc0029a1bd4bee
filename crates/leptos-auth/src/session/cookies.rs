//! Auth cookies (docs/architecture.md › Cookies and CSRF): names with the `__Host-` prefix on
//! https, one set of safe attributes, and chunking of values too large for one cookie — on
//! top of the `cookie` crate, which parses `Cookie` headers and writes `Set-Cookie` values
//! (attribute syntax, percent-encoding of values).

use std::collections::HashMap;

use axum::http::{HeaderMap, header};
use cookie::{Cookie, CookieBuilder, SameSite, time::Duration};

/// Largest value put in one cookie; browsers cap a whole cookie at 4096 bytes and the name
/// and attributes need room too.
const CHUNK_SIZE: usize = 3800;
/// The most chunks one value is split into: 8 × 3800 bytes is about twice the longest
/// session token that is read at all.
const MAX_CHUNKS: usize = 8;
/// A Cookie header larger than this is ignored entirely (treated as "no cookies").
const MAX_COOKIE_HEADER: usize = 64 * 1024;

/// The cookies of a request, by name.
#[derive(Debug, Default, Clone)]
pub(crate) struct RequestCookies(HashMap<String, String>);

impl RequestCookies {
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let mut cookies = HashMap::new();
        let mut total = 0;
        for value in headers.get_all(header::COOKIE) {
            let Ok(value) = value.to_str() else { continue };
            total += value.len();
            if total > MAX_COOKIE_HEADER {
                return RequestCookies::default();
            }
            // The first of two cookies with one name wins; a malformed pair is skipped.
            for cookie in Cookie::split_parse_encoded(value).flatten() {
                cookies
                    .entry(cookie.name().to_owned())
                    .or_insert_with(|| cookie.value().to_owned());
            }
        }
        RequestCookies(cookies)
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// A value that may have been split into `name.0`, `name.1`, …, reassembled.
    pub fn get_chunked(&self, name: &str) -> Option<String> {
        if let Some(value) = self.get(name) {
            return Some(value.to_owned());
        }
        let chunks: Vec<&str> = (0..MAX_CHUNKS)
            .map_while(|i| self.get(&format!("{name}.{i}")))
            .collect();
        (!chunks.is_empty()).then(|| chunks.concat())
    }

    /// The chunks of `name` present in the request, with their index: only the names we
    /// write (`name.0` … `name.7`), never another spelling of an index (`name.00`,
    /// `name.+0`), so a client sending hundreds gets no more `Set-Cookie`s back than that.
    fn chunk_names<'a>(&'a self, name: &'a str) -> impl Iterator<Item = (usize, String)> + 'a {
        (0..MAX_CHUNKS)
            .map(move |i| (i, format!("{name}.{i}")))
            .filter(|(_, chunk)| self.0.contains_key(chunk))
    }
}

/// The cookie names of one site, with the prefix and security attributes that fit it.
#[derive(Debug, Clone)]
pub(crate) struct CookieJar {
    prefix: String,
    secure: bool,
}

impl CookieJar {
    pub fn new(prefix: &str, secure: bool) -> Self {
        CookieJar {
            prefix: prefix.to_owned(),
            secure,
        }
    }

    pub fn session_token(&self) -> String {
        self.name("session-token")
    }

    pub fn csrf_token(&self) -> String {
        self.name("csrf-token")
    }

    pub fn callback_url(&self) -> String {
        self.name("callback-url")
    }

    /// OAuth `state` check cookie.
    pub fn state(&self) -> String {
        self.name("state")
    }

    /// OAuth PKCE code verifier cookie.
    pub fn pkce_code_verifier(&self) -> String {
        self.name("pkce.code_verifier")
    }

    /// A sign-in waiting for its second factor.
    pub fn two_factor_pending(&self) -> String {
        self.name("two-factor")
    }

    /// "Trust this device": no second factor asked here for a while.
    pub fn trusted_device(&self) -> String {
        self.name("trusted-device")
    }

    /// OIDC `nonce` check cookie.
    pub fn nonce(&self) -> String {
        self.name("nonce")
    }

    /// On https every auth cookie is `__Host-`: the browser then refuses one with a Domain
    /// attribute or set over http, so a sibling subdomain cannot plant a session, a CSRF
    /// token or an OAuth check. (Auth.js uses `__Secure-` for most; that prefix does not
    /// stop a sibling.)
    fn name(&self, base: &str) -> String {
        let secure_prefix = if self.secure { "__Host-" } else { "" };
        format!("{secure_prefix}{}{base}", self.prefix)
    }

    /// Every auth cookie's attributes: the whole site (`__Host-` needs `Path=/` and no
    /// `Domain`), out of reach of scripts, sent on top-level navigations from elsewhere (the
    /// OAuth callback) but not on cross-site subrequests, `Secure` on https.
    fn cookie<'a>(&self, name: &'a str, value: &'a str) -> CookieBuilder<'a> {
        Cookie::build((name, value))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure)
    }

    /// A `Set-Cookie` value (percent-encoded where the value needs it); `max_age` `None`
    /// makes a browser-session cookie.
    pub fn set(&self, name: &str, value: &str, max_age: Option<u64>) -> String {
        let mut cookie = self.cookie(name, value);
        if let Some(seconds) = max_age {
            cookie = cookie.max_age(Duration::seconds(
                i64::try_from(seconds).unwrap_or(i64::MAX),
            ));
        }
        cookie.build().encoded().to_string()
    }

    /// A `Set-Cookie` value that deletes the cookie.
    pub fn expire(&self, name: &str) -> String {
        let cookie = self.cookie(name, "").max_age(Duration::ZERO);
        cookie.build().encoded().to_string()
    }

    /// `Set-Cookie` values storing `value` under `name`, split into chunks when it is too
    /// large, and deleting whatever stale chunks (or unchunked cookie) the request carried.
    pub fn set_chunked(
        &self,
        name: &str,
        value: &str,
        max_age: u64,
        request: &RequestCookies,
    ) -> Vec<String> {
        let mut out = Vec::new();
        if value.len() <= CHUNK_SIZE {
            out.push(self.set(name, value, Some(max_age)));
            out.extend(
                request
                    .chunk_names(name)
                    .map(|(_, stale)| self.expire(&stale)),
            );
            return out;
        }
        let chunks: Vec<&str> = value
            .as_bytes()
            .chunks(CHUNK_SIZE)
            .map(|c| std::str::from_utf8(c).unwrap_or_default())
            .collect();
        for (i, chunk) in chunks.iter().enumerate() {
            out.push(self.set(&format!("{name}.{i}"), chunk, Some(max_age)));
        }
        if request.get(name).is_some() {
            out.push(self.expire(name));
        }
        for (index, stale) in request.chunk_names(name) {
            if index >= chunks.len() {
                out.push(self.expire(&stale));
            }
        }
        out
    }

    /// `Set-Cookie` values deleting `name` and all its chunks present in the request.
    pub fn expire_chunked(&self, name: &str, request: &RequestCookies) -> Vec<String> {
        let mut out = vec![self.expire(name)];
        out.extend(
            request
                .chunk_names(name)
                .map(|(_, chunk)| self.expire(&chunk)),
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn request(cookie: &str) -> RequestCookies {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_str(cookie).unwrap());
        RequestCookies::from_headers(&headers)
    }

    #[test]
    fn secure_sites_get_prefixed_names_and_the_secure_attribute() {
        let jar = CookieJar::new("authjs.", true);
        for name in [
            jar.session_token(),
            jar.csrf_token(),
            jar.callback_url(),
            jar.state(),
            jar.pkce_code_verifier(),
            jar.nonce(),
        ] {
            assert!(name.starts_with("__Host-authjs."), "{name}");
        }
        // __Host- requires Path=/ and no Domain.
        let set = jar.set(&jar.session_token(), "v", Some(60));
        assert!(set.contains("; Path=/;") && set.contains("; Secure") && !set.contains("Domain"));
        assert!(jar.set("a", "b", None).contains("; Secure"));
        let plain = CookieJar::new("authjs.", false);
        assert_eq!(plain.session_token(), "authjs.session-token");
        assert!(!plain.set("a", "b", None).contains("Secure"));
    }

    #[test]
    fn values_are_percent_encoded_and_read_back_decoded() {
        let jar = CookieJar::new("p.", false);
        let url = "https://app.example.com/a b?x=1;y=\"2\"&z=%41";
        let set = jar.set("p.url", url, None);
        let sent = set.split("; ").next().unwrap();
        assert!(!sent[6..].contains([' ', ';', '"']), "{sent}");
        assert_eq!(request(sent).get("p.url"), Some(url));
        // Two cookies of one name: the first wins; a malformed pair is skipped.
        let two = request("a=1; =x; junk; a=2; b=3");
        assert_eq!((two.get("a"), two.get("b")), (Some("1"), Some("3")));
    }

    #[test]
    fn large_values_are_chunked_and_reassembled_and_stale_chunks_expire() {
        let jar = CookieJar::new("p.", false);
        let value = "v".repeat(CHUNK_SIZE * 2 + 10);
        let previous = request("p.s.0=a; p.s.1=b; p.s.2=c; p.s.3=d");
        let set = jar.set_chunked("p.s", &value, 60, &previous);
        assert!(set.iter().any(|c| c.starts_with("p.s.2=v")));
        assert!(
            set.iter()
                .any(|c| c.starts_with("p.s.3=;") && c.contains("Max-Age=0"))
        );
        let sent: Vec<String> = set
            .iter()
            .filter(|c| !c.contains("Max-Age=0"))
            .map(|c| c.split(';').next().unwrap().to_owned())
            .collect();
        assert_eq!(request(&sent.join("; ")).get_chunked("p.s").unwrap(), value);

        let small = jar.set_chunked("p.s", "small", 60, &previous);
        assert_eq!(small.iter().filter(|c| c.contains("Max-Age=0")).count(), 4);
    }

    #[test]
    fn thousands_of_forged_chunks_are_neither_read_nor_answered() {
        let jar = CookieJar::new("p.", false);
        let forged: Vec<String> = (0..2000).map(|i| format!("p.s.{i}=A")).collect();
        let forged = request(&forged.join("; "));
        assert_eq!(forged.get_chunked("p.s").unwrap(), "A".repeat(MAX_CHUNKS));
        assert_eq!(jar.expire_chunked("p.s", &forged).len(), MAX_CHUNKS + 1);
        assert_eq!(
            jar.set_chunked("p.s", "v", 60, &forged).len(),
            MAX_CHUNKS + 1
        );
    }

    #[test]
    fn other_spellings_of_a_chunk_index_are_not_chunks() {
        let jar = CookieJar::new("p.", false);
        let spellings = ["00", "+0", "000", "01", "+1", "0000", "1e0", " 1", "007"];
        let forged: Vec<String> = (0..199)
            .map(|i| {
                format!(
                    "p.s.{}{}=A",
                    spellings[i % spellings.len()],
                    "0".repeat(i / 9)
                )
            })
            .collect();
        let forged = request(&forged.join("; "));
        assert_eq!(forged.get_chunked("p.s"), None);
        assert!(jar.expire_chunked("p.s", &forged).len() <= 1);
        assert_eq!(jar.set_chunked("p.s", "v", 60, &forged).len(), 1);
    }
}
