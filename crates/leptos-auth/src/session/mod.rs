//! The session as the app sees it (both sides), and, on the server, how it is carried:
//! JWT, cookies and CSRF tokens. Issuing and ending sessions is `session_lifecycle/`'s job.

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
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// The signed-in user.
    pub user: SessionUser,
    /// When the session expires unless it is refreshed (ISO 8601, UTC).
    pub expires: String,
    /// Fields the `session` callback added next to `user` (e.g. `error`).
    pub extra: Map<String, Value>,
}

/// The user part of a [`Session`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SessionUser {
    /// Display name.
    pub name: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Avatar URL.
    pub image: Option<String>,
    /// Custom fields added by the `session` callback (e.g. `id`, `numberKey`).
    pub extra: Map<String, Value>,
}

/// One session of the signed-in user, as `GET /api/auth/sessions` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    /// Its id, for `POST /api/auth/sessions/revoke`.
    pub id: String,
    /// Whether it is the session of the request that listed it.
    pub current: bool,
    /// Sign-in time (ISO 8601).
    pub created_at: String,
    /// Last activity (ISO 8601, to the minute).
    pub last_seen_at: String,
    /// The browser's `User-Agent` at sign-in.
    pub user_agent: Option<String>,
    /// A short label made from it, e.g. "Firefox on Linux".
    pub device: String,
    /// The client address at sign-in.
    pub ip: Option<String>,
}

/// One passkey of the signed-in user, as `GET /api/auth/passkeys` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasskeyInfo {
    /// Its credential id, for renaming and deleting it.
    pub id: String,
    /// What the user called it ("MacBook", "Pixel").
    pub name: String,
    /// When it was added (ISO 8601).
    pub created_at: String,
    /// When it last signed in (ISO 8601), if ever.
    pub last_used_at: Option<String>,
    /// Whether it is synced to other devices (its backup state): a synced passkey survives
    /// the loss of one device.
    pub synced: bool,
}

// Hand-written (de)serialization through a JSON map: it keeps the custom fields beside the
// standard ones like `#[serde(flatten)]` would, without flatten's generic buffering code,
// which weighs several kilobytes in the WASM bundle.

fn take_string(map: &mut Map<String, Value>, key: &str) -> Option<String> {
    match map.remove(key) {
        Some(Value::String(s)) => Some(s),
        _ => None,
    }
}

impl SessionUser {
    fn from_map(mut map: Map<String, Value>) -> Self {
        SessionUser {
            name: take_string(&mut map, "name"),
            email: take_string(&mut map, "email"),
            image: take_string(&mut map, "image"),
            extra: map,
        }
    }

    fn to_map(&self) -> Map<String, Value> {
        let mut map = self.extra.clone();
        map.insert(
            "name".into(),
            self.name.clone().map_or(Value::Null, Value::String),
        );
        map.insert(
            "email".into(),
            self.email.clone().map_or(Value::Null, Value::String),
        );
        map.insert(
            "image".into(),
            self.image.clone().map_or(Value::Null, Value::String),
        );
        map
    }
}

impl Serialize for SessionUser {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_map().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for SessionUser {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(SessionUser::from_map(Map::deserialize(deserializer)?))
    }
}

impl Serialize for Session {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = self.extra.clone();
        map.insert("user".into(), Value::Object(self.user.to_map()));
        map.insert("expires".into(), Value::String(self.expires.clone()));
        map.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Session {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut map = Map::deserialize(deserializer)?;
        let user = match map.remove("user") {
            Some(Value::Object(user)) => SessionUser::from_map(user),
            _ => return Err(serde::de::Error::missing_field("user")),
        };
        let expires = take_string(&mut map, "expires")
            .ok_or_else(|| serde::de::Error::missing_field("expires"))?;
        Ok(Session {
            user,
            expires,
            extra: map,
        })
    }
}

impl Session {
    /// Reads the custom fields of `session.user` as a typed struct.
    ///
    /// ```
    /// # use leptos_auth::{Session, session::SessionUser};
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
