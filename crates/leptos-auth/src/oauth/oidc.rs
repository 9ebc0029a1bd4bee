//! OpenID Connect: issuer discovery and ID token verification (signature against the
//! provider's JWKS, `iss`, `aud`, `exp`, `nonce`).

use jsonwebtoken::{Algorithm, DecodingKey, Validation, jwk::JwkSet};
use serde::Deserialize;
use serde_json::Value;

use super::checks;

/// The parts of `/.well-known/openid-configuration` that sign-in needs.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub userinfo_endpoint: Option<String>,
    pub jwks_uri: String,
}

pub(crate) async fn discover(
    http: &reqwest::Client,
    issuer: &str,
) -> Result<Discovery, ProviderError> {
    let url = format!("{issuer}/.well-known/openid-configuration");
    let discovery: Discovery = get_json(http.get(&url), &url).await?;
    // A discovery document for another issuer would let that issuer sign our ID tokens.
    if discovery.issuer.trim_end_matches('/') != issuer.trim_end_matches('/') {
        return Err(ProviderError::IssuerMismatch {
            url,
            issuer: discovery.issuer,
        });
    }
    Ok(discovery)
}

pub(crate) async fn fetch_jwks(
    http: &reqwest::Client,
    jwks_uri: &str,
) -> Result<JwkSet, ProviderError> {
    get_json(http.get(jwks_uri), jwks_uri).await
}

/// What went wrong talking to a provider. The URL is kept for the log; bodies never are
/// (a provider's error body may echo a token).
#[derive(Debug, thiserror::Error)]
pub(crate) enum ProviderError {
    #[error("the provider has no {0} configured")]
    NotConfigured(&'static str),
    #[error("invalid endpoint URL")]
    InvalidUrl(#[source] oauth2::url::ParseError),
    #[error("GET {url}")]
    Request {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("GET {url}: HTTP {status}")]
    Status {
        url: String,
        status: reqwest::StatusCode,
    },
    #[error("discovery at {url} names issuer {issuer:?}")]
    IssuerMismatch { url: String, issuer: String },
}

/// `GET url` and its JSON body.
pub(crate) async fn get_json<T: serde::de::DeserializeOwned>(
    request: reqwest::RequestBuilder,
    url: &str,
) -> Result<T, ProviderError> {
    let request_error = |source| ProviderError::Request {
        url: url.to_owned(),
        source,
    };
    let response = request
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(request_error)?;
    if !response.status().is_success() {
        return Err(ProviderError::Status {
            url: url.to_owned(),
            status: response.status(),
        });
    }
    response.json().await.map_err(request_error)
}

/// Asymmetric algorithms only: an HMAC-signed ID token would be checked with the client
/// secret as key, which every client of the provider knows (algorithm confusion).
const ALLOWED: [Algorithm; 6] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::ES256,
    Algorithm::ES384,
];

/// Why an ID token was not accepted; `UnknownKey` means "refresh the JWKS and try again".
#[derive(Debug, thiserror::Error)]
pub(crate) enum IdTokenError {
    #[error("id_token signed with a key not in the JWKS")]
    UnknownKey,
    #[error("id_token algorithm {0:?} not allowed")]
    Algorithm(Algorithm),
    #[error("id_token invalid")]
    Jwt(#[source] jsonwebtoken::errors::Error),
    #[error("id_token nonce mismatch")]
    Nonce,
}

/// Verifies an ID token and returns its claims.
pub(crate) fn verify_id_token(
    id_token: &str,
    jwks: &JwkSet,
    issuer: &str,
    client_id: &str,
    expected_nonce: Option<&str>,
) -> Result<Value, IdTokenError> {
    let header = jsonwebtoken::decode_header(id_token).map_err(IdTokenError::Jwt)?;
    if !ALLOWED.contains(&header.alg) {
        return Err(IdTokenError::Algorithm(header.alg));
    }
    let jwk = match &header.kid {
        Some(kid) => jwks.find(kid),
        None if jwks.keys.len() == 1 => jwks.keys.first(),
        None => None,
    }
    .ok_or(IdTokenError::UnknownKey)?;
    let key = DecodingKey::from_jwk(jwk).map_err(IdTokenError::Jwt)?;
    let mut validation = Validation::new(header.alg);
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[client_id]);
    validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
    validation.leeway = 15;
    let claims = jsonwebtoken::decode::<Value>(id_token, &key, &validation)
        .map_err(IdTokenError::Jwt)?
        .claims;
    if let Some(expected) = expected_nonce {
        let nonce = claims
            .get("nonce")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !checks::matches(nonce, expected) {
            return Err(IdTokenError::Nonce);
        }
    }
    Ok(claims)
}
