//! Which URLs may be followed after sign-in and sign-out: one rule, used by the server's
//! default `redirect` callback and by the components that navigate to a `callbackUrl`.

/// Whether `path` is a path on this site that every browser resolves on this site: it starts
/// with exactly one `/`, has no `.` or `..` segment (plain or percent-encoded), and no
/// backslash, whitespace or control character anywhere.
///
/// Browsers treat `//host` and `/\host` as another host, strip tabs and newlines before
/// resolving (`/\t/host` becomes `//host`), and turn `\` into `/`; none of these can pass.
/// Dot segments are refused because resolving them can leave a path that starts with `//`
/// (`/..//host` becomes `//host`), which is another host wherever it is used as a path.
///
/// ```
/// use leptos_auth::redirect::is_safe_local_path;
///
/// assert!(is_safe_local_path("/dashboard?tab=1#top"));
/// for evil in [
///     "//evil.example", "/\\evil.example", "/\t/evil.example", "https://evil.example",
///     "dashboard", "/..//evil.example", "/.%2e/%2E%2e//evil.example",
/// ] {
///     assert!(!is_safe_local_path(evil), "{evil:?}");
/// }
/// ```
pub fn is_safe_local_path(path: &str) -> bool {
    let mut chars = path.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/'))
        && !has_unsafe_char(path)
        && !has_dot_segment(path)
}

/// Whether the path part of `url` (before `?` or `#`) has a `.` or `..` segment, spelled
/// plainly or percent-encoded.
fn has_dot_segment(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    path.split('/').any(|segment| {
        let segment = segment.to_ascii_lowercase().replace("%2e", ".");
        segment == "." || segment == ".."
    })
}

/// A character browsers strip or rewrite before resolving a URL: backslash, whitespace,
/// control characters.
fn has_unsafe_char(url: &str) -> bool {
    url.chars()
        .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
}

/// The path to navigate to for a requested `callbackUrl`: the request itself when it is a
/// safe local path, the path of an absolute URL on `site_origin` (e.g.
/// `http://127.0.0.1:3000`, as the server's redirect callback answers), else `fallback`.
///
/// ```
/// use leptos_auth::redirect::local_callback_url;
///
/// let origin = Some("https://app.example");
/// assert_eq!(local_callback_url(Some("/settings"), origin, "/dashboard"), "/settings");
/// assert_eq!(local_callback_url(Some("https://app.example/profile"), origin, "/dashboard"), "/profile");
/// assert_eq!(local_callback_url(Some("https://evil.example/"), origin, "/dashboard"), "/dashboard");
/// assert_eq!(local_callback_url(None, origin, "/dashboard"), "/dashboard");
/// ```
pub fn local_callback_url(
    requested: Option<&str>,
    site_origin: Option<&str>,
    fallback: &str,
) -> String {
    let Some(requested) = requested else {
        return fallback.to_owned();
    };
    if is_safe_local_path(requested) {
        return requested.to_owned();
    }
    let on_site = site_origin
        .map(|origin| origin.trim_end_matches('/'))
        .filter(|origin| !origin.is_empty())
        .and_then(|origin| requested.strip_prefix(origin))
        .map(|rest| if rest.is_empty() { "/" } else { rest });
    match on_site {
        Some(path) if is_safe_local_path(path) => path.to_owned(),
        _ => fallback.to_owned(),
    }
}

/// The Auth.js default `redirect` callback: a safe local path is resolved against the site's
/// URL, an absolute http(s) URL is kept only when it is on the site's origin (without
/// credentials in it, and with a path that does not start with `//`), and anything else
/// becomes the site's URL.
#[cfg(feature = "ssr")]
pub fn default_redirect(url: &str, base_url: &url::Url) -> String {
    allowed_redirect(url, base_url)
        .unwrap_or_else(|| base_url.clone())
        .to_string()
}

/// The URL to follow for `url` under the redirect rule, or `None` when it is refused.
#[cfg(feature = "ssr")]
pub(crate) fn allowed_redirect(url: &str, base_url: &url::Url) -> Option<url::Url> {
    let candidate = if is_safe_local_path(url) {
        base_url.join(url).ok()
    } else if !has_unsafe_char(url) {
        url::Url::parse(url).ok()
    } else {
        None
    };
    candidate.filter(|target| {
        matches!(target.scheme(), "http" | "https")
            && target.username().is_empty()
            && target.password().is_none()
            && target.origin() == base_url.origin()
            // `https://site//host` is on the site, but its path is a host to anyone who
            // later takes the path alone.
            && !target.path().starts_with("//")
    })
}

/// Strings built from the pieces that make redirect checks go wrong: slashes and
/// backslashes, control characters and whitespace, schemes, userinfo, hosts and ports,
/// percent-escapes.
#[cfg(feature = "ssr")]
/// Appends query parameters, skipping absent ones, percent-encoded.
pub(crate) fn with_query(url: &str, params: &[(&str, Option<&str>)]) -> String {
    let query: Vec<(&str, &str)> = params
        .iter()
        .filter_map(|(k, v)| Some((*k, (*v)?)))
        .collect();
    if query.is_empty() {
        return url.to_owned();
    }
    let encoded = serde_urlencoded::to_string(&query).unwrap_or_default();
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{encoded}")
}

#[cfg(all(test, feature = "ssr"))]
pub(crate) fn hostile_url() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let piece = prop_oneof![
        Just("/"),
        Just("\\"),
        Just("//"),
        Just("\t"),
        Just("\r"),
        Just("\n"),
        Just(" "),
        Just("\u{0}"),
        Just("\u{a0}"),
        Just(":"),
        Just("@"),
        Just("."),
        Just(".."),
        Just("%2e"),
        Just("%2E."),
        Just("?"),
        Just("#"),
        Just("%2F"),
        Just("%5C"),
        Just("%09"),
        Just("http:"),
        Just("https:"),
        Just("javascript:"),
        Just("evil.example"),
        Just("127.0.0.1"),
        Just(":3000"),
        Just("user:pass@"),
        Just("dashboard"),
    ];
    proptest::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn no_accepted_redirect_leaves_the_site(requested in hostile_url()) {
            let base = url::Url::parse("http://127.0.0.1:3000/").unwrap();
            let target = url::Url::parse(&default_redirect(&requested, &base)).unwrap();
            prop_assert_eq!(target.origin(), base.origin());
            prop_assert!(target.username().is_empty() && target.password().is_none());
            prop_assert!(!target.path().starts_with("//"), "{}", target);
        }

        #[test]
        fn a_local_callback_url_resolves_on_the_site(requested in hostile_url()) {
            let base = url::Url::parse("http://127.0.0.1:3000/").unwrap();
            let path = local_callback_url(Some(&requested), Some("http://127.0.0.1:3000"), "/home");
            prop_assert!(is_safe_local_path(&path), "{:?}", path);
            // What a browser does with it: resolve against the page's URL.
            let resolved = base.join(&path).unwrap();
            prop_assert_eq!(resolved.origin(), base.origin());
            prop_assert!(!resolved.path().starts_with("//"), "{}", resolved);
        }
    }

    #[test]
    fn default_redirect_refuses_other_origins() {
        let base = url::Url::parse("http://127.0.0.1:3000/").unwrap();
        assert_eq!(
            default_redirect("/dashboard", &base),
            "http://127.0.0.1:3000/dashboard"
        );
        assert_eq!(
            default_redirect("http://127.0.0.1:3000/x", &base),
            "http://127.0.0.1:3000/x"
        );
        for evil in [
            "https://evil.example",
            "//evil.example/x",
            "/\\evil.example",
            "/\t/evil.example",
            "/\r\n/evil.example",
            "http://user:pass@127.0.0.1:3000/",
            "http:\\\\evil.example",
            "javascript:alert(1)",
            "data:text/html,hi",
        ] {
            assert_eq!(
                default_redirect(evil, &base),
                "http://127.0.0.1:3000/",
                "{evil:?}"
            );
        }
    }
}
