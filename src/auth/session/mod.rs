//! The session as the app sees it (both sides), and, on the server, how it is carried:
//! JWT, cookies and CSRF tokens.

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::{Map, Value};

#[cfg(feature = "ssr")]
pub(crate) mod cookies;
#[cfg(feature = "ssr")]
pub(crate) mod csrf;
#[cfg(feature = "ssr")]
pub(crate) mod jwt;

/// The JSON of `GET /api/auth/session` when signed in, and what `use_session()` and
/// `get_session()` return: `{"user":{"name","email","image",…},"expires":"<ISO 8601>"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// The signed-in user.
    pub user: SessionUser,
    /// When the session expires unless it is refreshed (ISO 8601, UTC).
    pub expires: String,
    /// Fields the `session` callback added next to `user` (e.g. `error`).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The user part of a [`Session`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionUser {
    /// Display name.
    pub name: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Avatar URL.
    pub image: Option<String>,
    /// Custom fields added by the `session` callback (e.g. `id`, `numberKey`).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Session {
    /// Reads the custom fields of `session.user` as a typed struct.
    ///
    /// ```
    /// # use leptos_auth::auth::{Session, SessionUser};
    /// #[derive(serde::Deserialize)]
    /// #[serde(rename_all = "camelCase")]
    /// struct Fields { id: String, number_key: u32 }
    ///
    /// let session: Session = serde_json::from_str(
    ///     r#"{"user":{"name":"Ada","email":null,"image":null,"id":"u1","numberKey":7},"expires":"2030-01-01T00:00:00Z"}"#,
    /// ).unwrap();
    /// let fields: Fields = session.user_fields().unwrap();
    /// assert_eq!((fields.id.as_str(), fields.number_key), ("u1", 7));
    /// ```
    pub fn user_fields<T: DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_value(Value::Object(self.user.extra.clone())).ok()
    }

    /// The `error` field, e.g. `"RefreshTokenError"`, when the server flagged one.
    pub fn error(&self) -> Option<&str> {
        self.extra.get("error").and_then(Value::as_str)
    }
}
