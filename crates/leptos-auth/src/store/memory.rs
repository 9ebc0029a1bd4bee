//! A [`Store`] in memory: for tests and examples. Everything is lost when the process ends.

use std::{collections::HashMap, sync::Mutex};

use async_trait::async_trait;

use super::{
    Account, AccountStore, AccountTokens, AuditRecord, AuditStore, COUNTER_MEMORY_SECS, Counter,
    CounterStore, NewUser, PasskeyRecord, PasskeyStore, SessionRecord, SessionStore, StoreError,
    TwoFactorRecord, TwoFactorStore, User, UserStore, VerificationToken, VerificationTokenStore,
    normalize_email,
};

/// Users and accounts in a `Mutex`, in insertion order.
///
/// ```
/// # tokio_test_block(async {
/// use leptos_auth::store::{MemoryStore, NewUser, UserStore};
///
/// let store = MemoryStore::default();
/// let user = store
///     .create_user(NewUser { email: Some("Ada@Example.com".into()), ..NewUser::default() })
///     .await
///     .unwrap();
/// assert_eq!(user.email.as_deref(), Some("ada@example.com"));
/// assert!(store.user_by_email("ADA@example.com").await.unwrap().is_some());
/// # });
/// # fn tokio_test_block(f: impl std::future::Future<Output = ()>) {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
#[derive(Debug, Default)]
pub struct MemoryStore {
    data: Mutex<Data>,
}

#[derive(Debug, Default)]
struct Data {
    users: Vec<(User, Option<String>)>,
    accounts: Vec<Account>,
    /// Counters with the time they may be forgotten.
    counters: HashMap<String, (Counter, i64)>,
    sessions: Vec<SessionRecord>,
    audit: Vec<AuditRecord>,
    verification_tokens: Vec<VerificationToken>,
    passkeys: Vec<PasskeyRecord>,
    two_factor: HashMap<String, TwoFactorRecord>,
    next_id: u64,
}

impl MemoryStore {
    fn with<T>(&self, f: impl FnOnce(&mut Data) -> T) -> T {
        // A panic while holding the lock leaves plain data behind, still usable.
        let mut data = self.data.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut data)
    }
}

#[async_trait]
impl UserStore for MemoryStore {
    async fn create_user(&self, user: NewUser) -> Result<User, StoreError> {
        let email = user.email.as_deref().map(normalize_email);
        self.with(|data| {
            if email.is_some() && data.users.iter().any(|(u, _)| u.email == email) {
                return Err(StoreError::Conflict);
            }
            data.next_id += 1;
            let created = User {
                id: format!("user-{}", data.next_id),
                name: user.name,
                email,
                image: user.image,
                email_verified: None,
            };
            data.users.push((created.clone(), user.password_hash));
            Ok(created)
        })
    }

    async fn import_users(&self, users: Vec<NewUser>) -> Result<Vec<bool>, StoreError> {
        self.with(|data| {
            Ok(users
                .into_iter()
                .map(|user| {
                    let email = user.email.as_deref().map(normalize_email);
                    if email.is_some() && data.users.iter().any(|(u, _)| u.email == email) {
                        return false;
                    }
                    data.next_id += 1;
                    let created = User {
                        id: format!("user-{}", data.next_id),
                        name: user.name,
                        email,
                        image: user.image,
                        email_verified: None,
                    };
                    data.users.push((created, user.password_hash));
                    true
                })
                .collect())
        })
    }

    async fn user_by_id(&self, id: &str) -> Result<Option<User>, StoreError> {
        Ok(self.with(|data| {
            data.users
                .iter()
                .find(|(u, _)| u.id == id)
                .map(|(u, _)| u.clone())
        }))
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        let email = Some(normalize_email(email));
        Ok(self.with(|data| {
            data.users
                .iter()
                .find(|(u, _)| u.email == email)
                .map(|(u, _)| u.clone())
        }))
    }

    async fn user_with_password(&self, email: &str) -> Result<Option<(User, String)>, StoreError> {
        let email = Some(normalize_email(email));
        Ok(self.with(|data| {
            data.users
                .iter()
                .find(|(u, _)| u.email == email)
                .and_then(|(u, hash)| Some((u.clone(), hash.clone()?)))
        }))
    }

    async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        Ok(self.with(|data| data.users.iter().map(|(u, _)| u.clone()).collect()))
    }

    async fn mark_email_verified(&self, user_id: &str) -> Result<(), StoreError> {
        self.with(|data| {
            if let Some((user, _)) = data.users.iter_mut().find(|(u, _)| u.id == user_id) {
                user.email_verified.get_or_insert_with(|| "verified".into());
            }
        });
        Ok(())
    }

    async fn has_password(&self, user_id: &str) -> Result<bool, StoreError> {
        Ok(self.with(|data| {
            data.users
                .iter()
                .any(|(u, hash)| u.id == user_id && hash.is_some())
        }))
    }

    async fn set_password_hash(
        &self,
        user_id: &str,
        password_hash: &str,
    ) -> Result<(), StoreError> {
        self.with(|data| {
            if let Some((_, hash)) = data.users.iter_mut().find(|(u, _)| u.id == user_id) {
                *hash = Some(password_hash.to_owned());
            }
        });
        Ok(())
    }

    async fn remove_password(&self, user_id: &str) -> Result<(), StoreError> {
        self.with(|data| {
            if let Some((_, hash)) = data.users.iter_mut().find(|(u, _)| u.id == user_id) {
                *hash = None;
            }
        });
        Ok(())
    }
}

#[async_trait]
impl AccountStore for MemoryStore {
    async fn link_account(&self, account: Account) -> Result<(), StoreError> {
        self.with(|data| {
            let taken = data.accounts.iter().any(|a| {
                a.provider == account.provider
                    && a.provider_account_id == account.provider_account_id
            });
            if taken {
                return Err(StoreError::Conflict);
            }
            data.accounts.push(account);
            Ok(())
        })
    }

    async fn create_user_with_account(
        &self,
        user: NewUser,
        email_verified: bool,
        account: Account,
    ) -> Result<User, StoreError> {
        let email = user.email.as_deref().map(normalize_email);
        self.with(|data| {
            let email_taken = email.is_some() && data.users.iter().any(|(u, _)| u.email == email);
            let account_taken = data.accounts.iter().any(|a| {
                a.provider == account.provider
                    && a.provider_account_id == account.provider_account_id
            });
            if email_taken || account_taken {
                return Err(StoreError::Conflict);
            }
            data.next_id += 1;
            let created = User {
                id: format!("user-{}", data.next_id),
                name: user.name,
                email,
                image: user.image,
                email_verified: email_verified.then(|| "verified".into()),
            };
            data.users.push((created.clone(), user.password_hash));
            data.accounts.push(Account {
                user_id: created.id.clone(),
                ..account
            });
            Ok(created)
        })
    }

    async fn account(
        &self,
        provider: &str,
        provider_account_id: &str,
    ) -> Result<Option<Account>, StoreError> {
        Ok(self.with(|data| {
            data.accounts
                .iter()
                .find(|a| a.provider == provider && a.provider_account_id == provider_account_id)
                .cloned()
        }))
    }

    async fn accounts_of_user(&self, user_id: &str) -> Result<Vec<Account>, StoreError> {
        Ok(self.with(|data| {
            let mut accounts: Vec<Account> = data
                .accounts
                .iter()
                .filter(|a| a.user_id == user_id)
                .cloned()
                .collect();
            accounts.sort_by(|a, b| a.provider.cmp(&b.provider));
            accounts
        }))
    }

    async fn all_accounts(&self) -> Result<Vec<Account>, StoreError> {
        Ok(self.with(|data| data.accounts.clone()))
    }

    async fn update_account_tokens(
        &self,
        account_id: &str,
        tokens: &AccountTokens,
    ) -> Result<(), StoreError> {
        self.with(|data| {
            if let Some(account) = data.accounts.iter_mut().find(|a| a.id == account_id) {
                let id_token = tokens
                    .id_token
                    .clone()
                    .or_else(|| account.tokens.id_token.take());
                account.tokens = AccountTokens {
                    id_token,
                    ..tokens.clone()
                };
            }
        });
        Ok(())
    }

    async fn unlink_account(&self, user_id: &str, provider: &str) -> Result<(), StoreError> {
        self.with(|data| {
            data.accounts
                .retain(|a| !(a.user_id == user_id && a.provider == provider))
        });
        Ok(())
    }
}

#[async_trait]
impl SessionStore for MemoryStore {
    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
        self.with(|data| {
            if data.sessions.iter().any(|s| s.id == session.id) {
                return Err(StoreError::Conflict);
            }
            data.sessions.push(session.clone());
            Ok(())
        })
    }

    async fn session(&self, id: &str) -> Result<Option<SessionRecord>, StoreError> {
        Ok(self.with(|data| data.sessions.iter().find(|s| s.id == id).cloned()))
    }

    async fn session_by_token_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<SessionRecord>, StoreError> {
        Ok(self.with(|data| {
            data.sessions
                .iter()
                .find(|s| s.token_hash.as_deref() == Some(token_hash))
                .cloned()
        }))
    }

    async fn touch_session(
        &self,
        id: &str,
        last_seen_at: i64,
        expires_at: i64,
        new_data: Option<&str>,
    ) -> Result<(), StoreError> {
        self.with(|data| {
            if let Some(session) = data.sessions.iter_mut().find(|s| s.id == id) {
                session.last_seen_at = last_seen_at;
                session.expires_at = expires_at;
                if let Some(new_data) = new_data {
                    session.data = Some(new_data.to_owned());
                }
            }
        });
        Ok(())
    }

    async fn sessions_of_user(&self, user_id: &str) -> Result<Vec<SessionRecord>, StoreError> {
        let mut sessions: Vec<SessionRecord> = self.with(|data| {
            data.sessions
                .iter()
                .filter(|s| s.user_id == user_id)
                .cloned()
                .collect()
        });
        sessions.sort_by_key(|s| std::cmp::Reverse(s.last_seen_at));
        Ok(sessions)
    }

    async fn delete_session(&self, user_id: &str, id: &str) -> Result<bool, StoreError> {
        Ok(self.with(|data| {
            let before = data.sessions.len();
            data.sessions
                .retain(|s| !(s.user_id == user_id && s.id == id));
            data.sessions.len() < before
        }))
    }

    async fn delete_sessions_of_user(
        &self,
        user_id: &str,
        except: Option<&str>,
    ) -> Result<u64, StoreError> {
        Ok(self.with(|data| {
            let before = data.sessions.len();
            data.sessions
                .retain(|s| s.user_id != user_id || Some(s.id.as_str()) == except);
            (before - data.sessions.len()) as u64
        }))
    }

    async fn delete_expired_sessions(&self, now: i64) -> Result<(), StoreError> {
        self.with(|data| {
            data.sessions
                .retain(|s| s.expires_at >= now && s.absolute_expires_at >= now)
        });
        Ok(())
    }
}

#[async_trait]
impl VerificationTokenStore for MemoryStore {
    async fn create_verification_token(&self, token: &VerificationToken) -> Result<(), StoreError> {
        self.with(|data| data.verification_tokens.push(token.clone()));
        Ok(())
    }

    async fn delete_verification_tokens(&self, identifier: &str) -> Result<u64, StoreError> {
        Ok(self.with(|data| {
            let before = data.verification_tokens.len();
            data.verification_tokens
                .retain(|t| t.identifier != identifier);
            (before - data.verification_tokens.len()) as u64
        }))
    }

    async fn take_verification_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<VerificationToken>, StoreError> {
        Ok(self.with(|data| {
            let index = data
                .verification_tokens
                .iter()
                .position(|t| t.token_hash == token_hash)?;
            Some(data.verification_tokens.swap_remove(index))
        }))
    }

    async fn delete_expired_verification_tokens(&self, now: i64) -> Result<(), StoreError> {
        self.with(|data| data.verification_tokens.retain(|t| t.expires_at >= now));
        Ok(())
    }
}

#[async_trait]
impl CounterStore for MemoryStore {
    async fn count_event(&self, key: &str, now: i64, window: i64) -> Result<Counter, StoreError> {
        Ok(self.with(|data| {
            let (counter, expires) = data.counters.entry(key.to_owned()).or_default();
            if counter.count == 0 || counter.window_start + window <= now {
                counter.count = 1;
                counter.window_start = now;
            } else {
                counter.count += 1;
            }
            *expires = (*expires).max(counter.window_start + window);
            *counter
        }))
    }

    async fn lock_counter(&self, key: &str, until: i64) -> Result<(), StoreError> {
        self.with(|data| {
            if let Some((counter, expires)) = data.counters.get_mut(key) {
                counter.locked_until = until;
                counter.strikes += 1;
                counter.count = 0;
                *expires = (*expires).max(until + COUNTER_MEMORY_SECS);
            }
        });
        Ok(())
    }

    async fn counter(&self, key: &str) -> Result<Option<Counter>, StoreError> {
        Ok(self.with(|data| data.counters.get(key).map(|(counter, _)| *counter)))
    }

    async fn clear_counter(&self, key: &str) -> Result<(), StoreError> {
        self.with(|data| data.counters.remove(key));
        Ok(())
    }

    async fn delete_expired_counters(&self, now: i64) -> Result<(), StoreError> {
        self.with(|data| data.counters.retain(|_, (_, expires)| *expires >= now));
        Ok(())
    }
}

#[async_trait]
impl AuditStore for MemoryStore {
    async fn record_audit_event(&self, event: &AuditRecord) -> Result<(), StoreError> {
        self.with(|data| data.audit.push(event.clone()));
        Ok(())
    }

    async fn audit_events(
        &self,
        user_id: Option<&str>,
        limit: u32,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        Ok(self.with(|data| {
            data.audit
                .iter()
                .rev()
                .filter(|e| user_id.is_none() || e.user_id.as_deref() == user_id)
                .take(limit as usize)
                .cloned()
                .collect()
        }))
    }

    async fn delete_audit_events_before(&self, before: i64) -> Result<(), StoreError> {
        self.with(|data| data.audit.retain(|e| e.time >= before));
        Ok(())
    }
}

#[async_trait]
impl PasskeyStore for MemoryStore {
    async fn create_passkey(&self, passkey: &PasskeyRecord) -> Result<(), StoreError> {
        self.with(|data| {
            if data.passkeys.iter().any(|p| p.id == passkey.id) {
                return Err(StoreError::Conflict);
            }
            data.passkeys.push(passkey.clone());
            Ok(())
        })
    }

    async fn passkey(&self, id: &str) -> Result<Option<PasskeyRecord>, StoreError> {
        Ok(self.with(|data| data.passkeys.iter().find(|p| p.id == id).cloned()))
    }

    async fn passkeys_of_user(&self, user_id: &str) -> Result<Vec<PasskeyRecord>, StoreError> {
        let mut passkeys: Vec<PasskeyRecord> = self.with(|data| {
            data.passkeys
                .iter()
                .filter(|p| p.user_id == user_id)
                .cloned()
                .collect()
        });
        passkeys.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Ok(passkeys)
    }

    async fn record_passkey_use(
        &self,
        id: &str,
        credential: &str,
        counter: i64,
        backup_state: bool,
        used_at: i64,
    ) -> Result<bool, StoreError> {
        Ok(self.with(|data| {
            let Some(passkey) = data.passkeys.iter_mut().find(|p| p.id == id) else {
                return false;
            };
            passkey.credential = credential.to_owned();
            passkey.counter = counter;
            passkey.backup_state = backup_state;
            passkey.last_used_at = Some(used_at);
            true
        }))
    }

    async fn rename_passkey(
        &self,
        user_id: &str,
        id: &str,
        name: &str,
    ) -> Result<bool, StoreError> {
        Ok(self.with(|data| {
            let Some(passkey) = data
                .passkeys
                .iter_mut()
                .find(|p| p.id == id && p.user_id == user_id)
            else {
                return false;
            };
            passkey.name = name.to_owned();
            true
        }))
    }

    async fn delete_passkey(&self, user_id: &str, id: &str) -> Result<bool, StoreError> {
        Ok(self.with(|data| {
            let before = data.passkeys.len();
            data.passkeys
                .retain(|p| !(p.id == id && p.user_id == user_id));
            data.passkeys.len() < before
        }))
    }
}

#[async_trait]
impl TwoFactorStore for MemoryStore {
    async fn two_factor(&self, user_id: &str) -> Result<Option<TwoFactorRecord>, StoreError> {
        Ok(self.with(|data| data.two_factor.get(user_id).cloned()))
    }

    async fn put_two_factor(&self, record: &TwoFactorRecord) -> Result<(), StoreError> {
        self.with(|data| {
            data.two_factor
                .insert(record.user_id.clone(), record.clone())
        });
        Ok(())
    }

    async fn use_totp_step(&self, user_id: &str, step: i64) -> Result<bool, StoreError> {
        Ok(self.with(|data| match data.two_factor.get_mut(user_id) {
            Some(record) if record.last_step < step => {
                record.last_step = step;
                true
            }
            _ => false,
        }))
    }

    async fn swap_backup_codes(
        &self,
        user_id: &str,
        expected: &str,
        new: &str,
    ) -> Result<bool, StoreError> {
        Ok(self.with(|data| match data.two_factor.get_mut(user_id) {
            Some(record) if record.backup_codes == expected => {
                record.backup_codes = new.to_owned();
                true
            }
            _ => false,
        }))
    }

    async fn delete_two_factor(&self, user_id: &str) -> Result<bool, StoreError> {
        Ok(self.with(|data| data.two_factor.remove(user_id).is_some()))
    }
}
