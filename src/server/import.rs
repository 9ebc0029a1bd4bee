//! `leptos-auth user import --from mongo-export FILE`: moving off NextAuth + MongoDB. Reads
//! a `mongoexport --jsonArray` dump of a users collection (`_id` as `{"$oid"}`, `email`,
//! `name`, `password` as a bcrypt hash, anything else kept as the user's custom data) and
//! creates the users in one transaction. Imported users sign in with their old password;
//! its bcrypt hash is replaced by argon2id at that first sign-in.

use leptos_auth::{
    store::{NewUser, Store},
    validation::is_valid_email,
};
use serde_json::{Map, Value};

/// What an import did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Users created.
    pub imported: usize,
    /// Rows whose email already has a user (in the database or earlier in the file).
    pub skipped: usize,
    /// Rows that are not a usable user, with their position (from 1) and why.
    pub rejected: Vec<(usize, &'static str)>,
}

/// Parses the dump; a file that is not a JSON array of objects is an error before anything
/// is written.
pub fn parse_mongo_export(text: &str) -> Result<Vec<Value>, String> {
    let rows: Vec<Value> = serde_json::from_str(text)
        .map_err(|e| format!("not a mongoexport --jsonArray file: {e}"))?;
    Ok(rows)
}

/// One row as a new user, or why it cannot be one.
fn to_new_user(row: &Value) -> Result<NewUser, &'static str> {
    let Value::Object(fields) = row else {
        return Err("not an object");
    };
    let email = fields
        .get("email")
        .and_then(Value::as_str)
        .filter(|e| is_valid_email(e))
        .ok_or("no valid email")?;
    let password_hash = match fields.get("password") {
        None | Some(Value::Null) => None,
        Some(Value::String(hash)) if is_bcrypt(hash) => Some(hash.clone()),
        Some(_) => return Err("password is not a bcrypt hash"),
    };
    let name = fields
        .get("name")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let image = fields
        .get("image")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let mut data = Map::new();
    for (key, value) in fields {
        match key.as_str() {
            "email" | "name" | "image" | "password" => {}
            // Kept so the old record can be found again.
            "_id" => {
                let id = value.get("$oid").unwrap_or(value).clone();
                data.insert("mongoId".into(), id);
            }
            _ => {
                data.insert(key.clone(), value.clone());
            }
        }
    }
    Ok(NewUser {
        name,
        email: Some(email.to_owned()),
        image,
        password_hash,
        data: (!data.is_empty()).then(|| Value::Object(data).to_string()),
    })
}

/// bcrypt's modular-crypt format: `$2a$`/`$2b$`/`$2y$`, cost, 53 characters of salt and hash.
fn is_bcrypt(hash: &str) -> bool {
    ["$2a$", "$2b$", "$2y$"].iter().any(|p| hash.starts_with(p)) && hash.len() == 60
}

/// Imports the rows: all valid ones in one transaction (a database error imports none).
pub async fn import(store: &dyn Store, rows: &[Value]) -> Result<ImportReport, String> {
    let mut report = ImportReport::default();
    let mut users = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        match to_new_user(row) {
            Ok(user) => users.push(user),
            Err(reason) => report.rejected.push((index + 1, reason)),
        }
    }
    let created = store
        .import_users(users)
        .await
        .map_err(|e| format!("nothing was imported: {e}"))?;
    report.imported = created.iter().filter(|c| **c).count();
    report.skipped = created.len() - report.imported;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_users_with_their_extra_fields_as_data() {
        let row = serde_json::json!({
            "_id": { "$oid": "65f1c0ffee0000000000abcd" },
            "email": "Grace@Example.com",
            "name": "Grace",
            "password": "$2b$10$abcdefghijklmnopqrstuuVQ0B7Yb2p6G0m9f3qzq3j5d0y3C8aGu",
            "role": "admin",
        });
        let user = to_new_user(&row).unwrap();
        assert_eq!(user.email.as_deref(), Some("Grace@Example.com"));
        let data: Value = serde_json::from_str(user.data.as_deref().unwrap()).unwrap();
        assert_eq!(data["mongoId"], "65f1c0ffee0000000000abcd");
        assert_eq!(data["role"], "admin");
        for bad in [
            serde_json::json!({ "email": "not an email" }),
            serde_json::json!({ "email": "a@example.com", "password": "plaintext!" }),
            serde_json::json!("a string"),
        ] {
            assert!(to_new_user(&bad).is_err(), "{bad}");
        }
    }
}
