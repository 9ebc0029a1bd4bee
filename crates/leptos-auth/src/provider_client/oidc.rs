//! OpenID Connect: issuer discovery and ID token verification (signature against the
//! provider's JWKS, `iss`, `aud`, `azp`, `exp`, `nbf`, `iat`, `nonce`).

use jsonwebtoken::{Algorithm, DecodingKey, Validation, jwk::JwkSet};
use serde::Deserialize;
use serde_json::Value;

use crate::keys::secrets_match;

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
    #[error("{url}: response larger than {MAX_PROVIDER_RESPONSE} bytes")]
    TooLarge { url: String },
    #[error("{url}: not the JSON expected")]
    Json {
        url: String,
        #[source]
        source: serde_json::Error,
    },
}

/// A token request (code exchange, refresh) that failed, described without the response
/// body: a body that did not parse may hold tokens, and logs must never see them.
#[derive(Debug, thiserror::Error)]
pub(crate) enum TokenRequestError {
    #[error("the provider refused: {error}")]
    Refused { error: String },
    #[error("token request failed")]
    Http(#[source] ProviderError),
    #[error("unreadable token response (at {path})")]
    Unreadable { path: String },
    #[error("{0}")]
    Other(String),
}

impl From<oauth2::RequestTokenError<ProviderError, oauth2::basic::BasicErrorResponse>>
    for TokenRequestError
{
    fn from(
        e: oauth2::RequestTokenError<ProviderError, oauth2::basic::BasicErrorResponse>,
    ) -> Self {
        use oauth2::RequestTokenError as E;
        match e {
            // The standard error code only; descriptions are free text from the provider.
            E::ServerResponse(response) => TokenRequestError::Refused {
                error: response.error().to_string().escape_debug().to_string(),
            },
            E::Request(e) => TokenRequestError::Http(e),
            E::Parse(e, _body) => TokenRequestError::Unreadable {
                path: e.path().to_string(),
            },
            E::Other(message) => TokenRequestError::Other(message),
        }
    }
}

/// The most a provider may send in one response (discovery, JWKS, tokens, UserInfo, API
/// calls): a provider that streams without end cannot exhaust the server's memory.
pub(crate) const MAX_PROVIDER_RESPONSE: usize = 1024 * 1024;

/// The body of `response`, refused once it grows past [`MAX_PROVIDER_RESPONSE`].
async fn read_capped(mut response: reqwest::Response, url: &str) -> Result<Vec<u8>, ProviderError> {
    let too_large = || ProviderError::TooLarge {
        url: url.to_owned(),
    };
    if response
        .content_length()
        .is_some_and(|length| length > MAX_PROVIDER_RESPONSE as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|source| ProviderError::Request {
            url: url.to_owned(),
            source,
        })?
    {
        if body.len() + chunk.len() > MAX_PROVIDER_RESPONSE {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The HTTP client the `oauth2` crate uses for token requests: ours, with its timeout and
/// the response size cap.
pub(crate) struct CappedHttp<'a>(pub &'a reqwest::Client);

impl<'c> oauth2::AsyncHttpClient<'c> for CappedHttp<'_> {
    type Error = ProviderError;
    type Future = std::pin::Pin<
        Box<
            dyn std::future::Future<Output = Result<oauth2::HttpResponse, ProviderError>>
                + Send
                + 'c,
        >,
    >;

    fn call(&'c self, request: oauth2::HttpRequest) -> Self::Future {
        Box::pin(oauth_http(self.0, request))
    }
}

async fn oauth_http(
    http: &reqwest::Client,
    request: oauth2::HttpRequest,
) -> Result<oauth2::HttpResponse, ProviderError> {
    let (parts, body) = request.into_parts();
    let url = parts.uri.to_string();
    let response = http
        .request(parts.method, &url)
        .headers(parts.headers)
        .body(body)
        .send()
        .await
        .map_err(|source| ProviderError::Request {
            url: url.clone(),
            source,
        })?;
    let status = response.status();
    let headers = response.headers().clone();
    let mut answer = oauth2::HttpResponse::new(read_capped(response, &url).await?);
    *answer.status_mut() = status;
    *answer.headers_mut() = headers;
    Ok(answer)
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
    let body = read_capped(response, url).await?;
    serde_json::from_slice(&body).map_err(|source| ProviderError::Json {
        url: url.to_owned(),
        source,
    })
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

/// Clock skew tolerated between the provider and this server.
const LEEWAY_SECS: u64 = 15;

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
    #[error("id_token has several audiences and an azp that is not this client")]
    AuthorizedParty,
    #[error("id_token issued in the future")]
    IssuedInFuture,
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
    validation.validate_nbf = true;
    validation.leeway = LEEWAY_SECS;
    let claims = jsonwebtoken::decode::<Value>(id_token, &key, &validation)
        .map_err(IdTokenError::Jwt)?
        .claims;
    // OIDC Core §3.1.3.7: with several audiences, `azp` must name this client; when
    // present it must name this client in any case.
    let several_audiences = claims
        .get("aud")
        .and_then(Value::as_array)
        .is_some_and(|aud| aud.len() > 1);
    match claims.get("azp").and_then(Value::as_str) {
        Some(azp) if azp != client_id => return Err(IdTokenError::AuthorizedParty),
        None if several_audiences => return Err(IdTokenError::AuthorizedParty),
        _ => {}
    }
    let issued_at = claims
        .get("iat")
        .and_then(Value::as_i64)
        .unwrap_or(i64::MAX);
    if issued_at > crate::clock::now_secs() + i64::try_from(LEEWAY_SECS).unwrap_or(0) {
        return Err(IdTokenError::IssuedInFuture);
    }
    if let Some(expected) = expected_nonce {
        let nonce = claims
            .get("nonce")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !secrets_match(nonce, expected) {
            return Err(IdTokenError::Nonce);
        }
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use jsonwebtoken::{EncodingKey, Header};
    use serde_json::json;

    use super::*;

    /// A P-256 key made for these tests only.
    const TEST_KEY_PEM: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQghCu2542fPav+I06E
wFnaj0WEte8kOLyyVJZ3hc2OlbmhRANCAATaJ1jhZtzdhjbBaKIWe1EZxOq95Nh1
g+KrIjeN15rxdRkAypwYoVgy8gpDnvKYoHhWelPBcB3yRKizLf7qKmZ1
-----END PRIVATE KEY-----";
    const ISSUER: &str = "https://op.example";
    const CLIENT: &str = "our-client";

    fn jwks() -> JwkSet {
        serde_json::from_value(json!({ "keys": [{
            "kty": "EC", "crv": "P-256", "kid": "k1", "alg": "ES256", "use": "sig",
            "x": "2idY4Wbc3YY2wWiiFntRGcTqveTYdYPiqyI3jdea8XU",
            "y": "GQDKnBihWDLyCkOe8pigeFZ6U8FwHfJEqLMt_uoqZnU",
        }]}))
        .unwrap()
    }

    /// Valid claims, with `changes` merged over them.
    fn id_token(changes: Value) -> String {
        let now = crate::clock::now_secs();
        let mut claims = json!({
            "iss": ISSUER, "aud": CLIENT, "sub": "user-1", "nonce": "n-1",
            "iat": now, "exp": now + 300,
        });
        for (key, value) in changes.as_object().unwrap() {
            claims[key] = value.clone();
        }
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some("k1".into());
        use base64::Engine;
        let der: String = TEST_KEY_PEM
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(der)
            .unwrap();
        let key = EncodingKey::from_ec_der(&der);
        jsonwebtoken::encode(&header, &claims, &key).unwrap()
    }

    fn verify(token: &str) -> Result<Value, IdTokenError> {
        verify_id_token(token, &jwks(), ISSUER, CLIENT, Some("n-1"))
    }

    #[test]
    fn a_valid_id_token_is_accepted() {
        assert_eq!(verify(&id_token(json!({}))).unwrap()["sub"], "user-1");
        let shared = id_token(json!({ "aud": [CLIENT, "other"], "azp": CLIENT }));
        assert!(verify(&shared).is_ok());
    }

    #[test]
    fn tokens_for_other_parties_or_times_are_refused() {
        let now = crate::clock::now_secs();
        let refused = [
            (
                "several audiences, no azp",
                json!({ "aud": [CLIENT, "other"] }),
            ),
            ("azp of another client", json!({ "azp": "other" })),
            ("another audience", json!({ "aud": "other" })),
            ("another issuer", json!({ "iss": "https://evil.example" })),
            ("not valid yet", json!({ "nbf": now + 600 })),
            ("issued in the future", json!({ "iat": now + 600 })),
            ("expired", json!({ "exp": now - 600 })),
            ("another nonce", json!({ "nonce": "n-2" })),
        ];
        for (case, changes) in refused {
            assert!(verify(&id_token(changes)).is_err(), "{case}");
        }
    }
}
