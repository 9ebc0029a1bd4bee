//! Static site assets (WASM, JS glue, CSS, `public/` files), served from the binary itself.
//!
//! Release builds embed `target/site` (see `SiteAssets` in `main.rs`), so the executable alone
//! serves the whole app. Debug builds read the same folder from disk, which is what
//! `cargo leptos watch` keeps up to date.

use std::borrow::Cow;

use axum::{
    body::{Body, Bytes},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::Response,
};
use leptos::prelude::LeptosOptions;
use rust_embed::EmbeddedFile;

/// Looks a site file up by its path relative to the site root (`pkg/app.wasm`). Pass
/// `<YourEmbed as rust_embed::RustEmbed>::get`.
pub type AssetLookup = fn(&str) -> Option<EmbeddedFile>;

/// Prefix of asset URLs that carry a content version: `/_v/<version>/pkg/app.wasm`.
const VERSIONED_PREFIX: &str = "/_v/";

/// Versioned URLs change whenever the content does, so browsers may keep them for a year.
const CACHE_IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Unversioned URLs keep their name across deployments: revalidate (cheap, thanks to ETag).
const CACHE_REVALIDATE: &str = "no-cache";

/// The URL prefix for `/pkg` assets in rendered pages: `/_v/<hash of wasm, js and css>` when
/// the assets are embedded, empty (plain `/pkg/...`) in debug builds and when nothing is
/// embedded.
pub fn asset_root(lookup: AssetLookup, options: &LeptosOptions) -> String {
    if cfg!(debug_assertions) {
        return String::new();
    }
    let pkg = format!("{}/{}", options.site_pkg_dir, options.output_name);
    let mut version = [0u8; 32];
    for extension in ["wasm", "js", "css"] {
        let Some(file) = lookup(&format!("{pkg}.{extension}")) else {
            tracing::warn!("site asset {pkg}.{extension} is not embedded; pages will not hydrate");
            return String::new();
        };
        for (v, h) in version.iter_mut().zip(file.metadata.sha256_hash()) {
            *v ^= h;
        }
    }
    format!("{VERSIONED_PREFIX}{}", hex(&version[..8]))
}

/// Answers a GET/HEAD for `path` from the site assets, or `None` when there is no such file.
///
/// Picks a precompressed variant (`.br`, `.gz`) that the client accepts, sets the content
/// type of the original file, an ETag, and cache headers that depend on whether the URL is
/// versioned.
pub fn serve(lookup: AssetLookup, path: &str, request_headers: &HeaderMap) -> Option<Response> {
    let (path, versioned) = match path.strip_prefix(VERSIONED_PREFIX) {
        Some(rest) => (rest.split_once('/')?.1, true),
        None => (path.trim_start_matches('/'), false),
    };
    if !is_safe_relative_path(path) {
        return None;
    }
    let original = lookup(path)?;
    let content_type = original.metadata.mimetype().to_owned();

    let accepted = accepted_encodings(request_headers);
    let mut has_variants = false;
    let mut chosen = None;
    for (encoding, suffix) in [("br", "br"), ("gzip", "gz")] {
        if let Some(variant) = lookup(&format!("{path}.{suffix}")) {
            has_variants = true;
            if chosen.is_none() && accepted.iter().any(|a| a == encoding) {
                chosen = Some((variant, encoding));
            }
        }
    }
    let (file, encoding) = match chosen {
        Some((variant, encoding)) => (variant, Some(encoding)),
        None => (original, None),
    };

    let etag = format!("\"{}\"", hex(&file.metadata.sha256_hash()[..16]));
    let mut response = if if_none_match(request_headers, &etag) {
        Response::builder()
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
    } else {
        // Release builds embed the files: serve them in place. Copying the wasm for every
        // response pinned its size in memory per slow or parallel download.
        let body = match file.data {
            Cow::Borrowed(embedded) => Body::from(Bytes::from_static(embedded)),
            Cow::Owned(read_from_disk) => Body::from(read_from_disk),
        };
        Response::builder().body(body)
    }
    .ok()?;

    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&content_type).ok()?,
    );
    headers.insert(header::ETAG, HeaderValue::from_str(&etag).ok()?);
    let cache = if versioned {
        CACHE_IMMUTABLE
    } else {
        CACHE_REVALIDATE
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Some(encoding) = encoding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    if has_variants {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    Some(response)
}

/// Only plain relative paths reach the lookup: in debug builds it reads the disk.
fn is_safe_relative_path(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && path
            .split('/')
            .all(|segment| !segment.is_empty() && segment != "." && segment != "..")
}

/// Encodings from `Accept-Encoding`, without those refused with `q=0`.
fn accepted_encodings(headers: &HeaderMap) -> Vec<String> {
    let Some(value) = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return Vec::new();
    };
    value
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';').map(str::trim);
            let name = parts.next()?.to_ascii_lowercase();
            let refused = parts.any(|p| p.replace(' ', "").eq_ignore_ascii_case("q=0"));
            (!name.is_empty() && !refused).then_some(name)
        })
        .collect()
}

fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_traversal_is_refused() {
        assert!(!is_safe_relative_path("../Cargo.toml"));
        assert!(!is_safe_relative_path("pkg/../../etc/passwd"));
        assert!(!is_safe_relative_path("pkg//x"));
        assert!(!is_safe_relative_path("pkg\\x"));
        assert!(is_safe_relative_path("pkg/leptos-auth.wasm"));
    }

    #[test]
    fn encodings_refused_with_q_zero_are_not_accepted() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip, br;q=0, deflate"),
        );
        assert_eq!(accepted_encodings(&headers), vec!["gzip", "deflate"]);
    }
}
