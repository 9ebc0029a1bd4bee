//! Every store keeps the same contract: the in-memory store, SQLite, and PostgreSQL (on the
//! server named by `TEST_DATABASE_URL`, a fresh database per run; skipped without it, which
//! the test command always sets).

use std::sync::Arc;

use leptos_auth::{
    providers::ProviderKind,
    store::{
        Account, AccountTokens, MemoryStore, NewUser, PasskeyRecord, PostgresStore, SessionRecord,
        SqliteStore, Store, StoreError, TwoFactorRecord,
    },
};

async fn stores() -> Vec<(&'static str, Arc<dyn Store>)> {
    // Each test gets its own databases: tests run in parallel.
    static RUN: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let run = format!(
        "{}_{}",
        std::process::id(),
        RUN.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    );
    let dir = std::env::temp_dir().join(format!("leptos-auth-store-{run}"));
    let _ = std::fs::remove_dir_all(&dir);
    let sqlite = SqliteStore::connect(&format!("sqlite://{}/store.db", dir.display()))
        .await
        .unwrap();
    let mut stores: Vec<(&'static str, Arc<dyn Store>)> = vec![
        ("memory", Arc::new(MemoryStore::default())),
        ("sqlite", Arc::new(sqlite)),
    ];
    if let Some(admin_url) = leptos_auth_test_util::postgres::admin_url() {
        let url = leptos_auth_test_util::postgres::fresh_database(&admin_url, "store").await;
        let postgres = PostgresStore::connect(&url).await.unwrap();
        stores.push(("postgres", Arc::new(postgres)));
    }
    stores
}

fn session(id: &str, user_id: &str, now: i64) -> SessionRecord {
    SessionRecord {
        id: id.into(),
        user_id: user_id.into(),
        token_hash: Some(format!("hash-{id}")),
        data: Some("{}".into()),
        created_at: now,
        last_seen_at: now,
        expires_at: now + 3600,
        absolute_expires_at: now + 7200,
        user_agent: Some("Test Browser".into()),
        ip: Some("127.0.0.1".into()),
    }
}

fn account(provider_account_id: &str) -> Account {
    Account {
        id: format!("acc-{provider_account_id}"),
        user_id: String::new(),
        provider: "oidc".into(),
        provider_account_id: provider_account_id.into(),
        kind: ProviderKind::Oidc,
        tokens: AccountTokens::default(),
    }
}

fn passkey(id: &str, user_id: &str, created_at: i64) -> PasskeyRecord {
    PasskeyRecord {
        id: id.into(),
        user_id: user_id.into(),
        credential: format!(r#"{{"cred":"{id}"}}"#),
        name: format!("key {id}"),
        counter: 0,
        backup_eligible: true,
        backup_state: false,
        transports: r#"["internal"]"#.into(),
        aaguid: "00000000-0000-0000-0000-000000000000".into(),
        created_at,
        last_used_at: None,
    }
}

/// Passkeys belong to one user each: unique ids, listed oldest first, used (new credential,
/// counter and backup state), renamed and deleted only by their owner.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passkeys_are_stored_used_renamed_and_deleted_per_user() {
    for (name, store) in stores().await {
        let ada = store
            .create_user(NewUser {
                email: Some(format!("ada-{name}@example.com")),
                ..NewUser::default()
            })
            .await
            .unwrap();
        let eve = store
            .create_user(NewUser {
                email: Some(format!("eve-{name}@example.com")),
                ..NewUser::default()
            })
            .await
            .unwrap();
        let now = 1_900_000_000;
        store
            .create_passkey(&passkey("k2", &ada.id, now + 5))
            .await
            .unwrap();
        store
            .create_passkey(&passkey("k1", &ada.id, now))
            .await
            .unwrap();
        store
            .create_passkey(&passkey("k3", &eve.id, now))
            .await
            .unwrap();
        assert!(
            matches!(
                store.create_passkey(&passkey("k3", &ada.id, now)).await,
                Err(StoreError::Conflict)
            ),
            "{name}: a credential id is registered once, whoever asks"
        );
        let listed: Vec<String> = store
            .passkeys_of_user(&ada.id)
            .await
            .unwrap()
            .into_iter()
            .map(|p| p.id)
            .collect();
        assert_eq!(listed, ["k1", "k2"], "{name}: oldest first, own only");
        assert_eq!(
            store.passkey("k1").await.unwrap(),
            Some(passkey("k1", &ada.id, now)),
            "{name}: every field round-trips"
        );

        assert!(
            store
                .record_passkey_use("k1", r#"{"cred":"k1","n":7}"#, 7, true, now + 60)
                .await
                .unwrap(),
            "{name}"
        );
        let used = store.passkey("k1").await.unwrap().unwrap();
        assert_eq!(
            (
                used.credential.as_str(),
                used.counter,
                used.backup_state,
                used.last_used_at
            ),
            (r#"{"cred":"k1","n":7}"#, 7, true, Some(now + 60)),
            "{name}"
        );
        assert!(
            !store
                .record_passkey_use("gone", "{}", 1, false, now)
                .await
                .unwrap()
        );

        assert!(
            !store
                .rename_passkey(&eve.id, "k1", "mine now")
                .await
                .unwrap(),
            "{name}: nobody renames another user's passkey"
        );
        assert!(
            store
                .rename_passkey(&ada.id, "k1", "MacBook")
                .await
                .unwrap()
        );
        assert_eq!(store.passkey("k1").await.unwrap().unwrap().name, "MacBook");

        assert!(
            !store.delete_passkey(&eve.id, "k1").await.unwrap(),
            "{name}: nobody deletes another user's passkey"
        );
        assert!(store.delete_passkey(&ada.id, "k1").await.unwrap(), "{name}");
        assert!(store.passkey("k1").await.unwrap().is_none(), "{name}");
        assert!(
            !store.delete_passkey(&ada.id, "k1").await.unwrap(),
            "{name}"
        );
        assert_eq!(
            store.passkeys_of_user(&eve.id).await.unwrap().len(),
            1,
            "{name}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_are_stored_listed_touched_and_deleted_per_user() {
    for (name, store) in stores().await {
        let ada = store
            .create_user(NewUser {
                email: Some(format!("ada-{name}@example.com")),
                ..NewUser::default()
            })
            .await
            .unwrap();
        let eve = store
            .create_user(NewUser {
                email: Some(format!("eve-{name}@example.com")),
                ..NewUser::default()
            })
            .await
            .unwrap();
        let now = 1_900_000_000;
        for (id, user) in [("s1", &ada), ("s2", &ada), ("s3", &eve)] {
            store
                .create_session(&session(id, &user.id, now))
                .await
                .unwrap();
        }
        assert!(
            matches!(
                store.create_session(&session("s1", &ada.id, now)).await,
                Err(StoreError::Conflict)
            ),
            "{name}: ids are unique"
        );
        assert_eq!(
            store.session("s1").await.unwrap().unwrap().user_id,
            ada.id,
            "{name}"
        );
        let by_hash = store
            .session_by_token_hash("hash-s2")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(by_hash.id, "s2", "{name}");

        store
            .touch_session("s2", now + 60, now + 4000, Some(r#"{"a":1}"#))
            .await
            .unwrap();
        let touched = store.session("s2").await.unwrap().unwrap();
        assert_eq!(
            (
                touched.last_seen_at,
                touched.expires_at,
                touched.data.as_deref()
            ),
            (now + 60, now + 4000, Some(r#"{"a":1}"#)),
            "{name}"
        );
        store
            .touch_session("s2", now + 120, now + 4000, None)
            .await
            .unwrap();
        assert_eq!(
            store.session("s2").await.unwrap().unwrap().data.as_deref(),
            Some(r#"{"a":1}"#),
            "{name}: claims kept when not given"
        );
        let listed = store.sessions_of_user(&ada.id).await.unwrap();
        assert_eq!(
            listed.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            ["s2", "s1"],
            "{name}: most recently seen first"
        );

        assert!(
            !store.delete_session(&ada.id, "s3").await.unwrap(),
            "{name}: not Ada's"
        );
        assert!(store.session("s3").await.unwrap().is_some(), "{name}");
        assert_eq!(
            store
                .delete_sessions_of_user(&ada.id, Some("s2"))
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            store.sessions_of_user(&ada.id).await.unwrap().len(),
            1,
            "{name}"
        );
        assert_eq!(
            store.delete_sessions_of_user(&ada.id, None).await.unwrap(),
            1
        );
        assert!(store.session("s2").await.unwrap().is_none(), "{name}");

        store.prune_expired(now + 10_000, 0).await.unwrap();
        assert!(
            store.session("s3").await.unwrap().is_none(),
            "{name}: expired rows go"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counters_count_in_windows_lock_and_clear() {
    for (name, store) in stores().await {
        let key = format!("ip:sign-in:{name}");
        let now = 1_900_000_000;
        for expected in 1..=3 {
            let counter = store
                .count_event(&key, now + i64::from(expected), 10)
                .await
                .unwrap();
            assert_eq!(
                (counter.count, counter.window_start),
                (expected, now + 1),
                "{name}"
            );
        }
        let next_window = store.count_event(&key, now + 20, 10).await.unwrap();
        assert_eq!(
            (next_window.count, next_window.window_start),
            (1, now + 20),
            "{name}"
        );

        store.lock_counter(&key, now + 900).await.unwrap();
        let locked = store.counter(&key).await.unwrap().unwrap();
        assert_eq!(
            (locked.locked_until, locked.strikes, locked.count),
            (now + 900, 1, 0)
        );
        let after_lock = store.count_event(&key, now + 21, 10).await.unwrap();
        assert_eq!(after_lock.count, 1, "{name}: a lock starts the count over");
        assert_eq!(after_lock.strikes, 1, "{name}: strikes are remembered");

        store.clear_counter(&key).await.unwrap();
        assert!(store.counter(&key).await.unwrap().is_none(), "{name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_and_their_first_account_are_created_together_or_not_at_all() {
    for (name, store) in stores().await {
        let email = format!("frank-{name}@example.com");
        let new_user = || NewUser {
            email: Some(email.clone()),
            ..NewUser::default()
        };
        let user = store
            .create_user_with_account(new_user(), true, account(&format!("{name}-1")))
            .await
            .unwrap();
        assert!(user.email_verified.is_some(), "{name}");
        let linked = store.accounts_of_user(&user.id).await.unwrap();
        assert_eq!(linked.len(), 1, "{name}");

        // The same provider account again (a parallel callback): refused, nothing left over.
        let users_before = store.list_users().await.unwrap().len();
        let other = NewUser {
            email: Some(format!("other-{name}@example.com")),
            ..NewUser::default()
        };
        assert!(matches!(
            store
                .create_user_with_account(other, false, account(&format!("{name}-1")))
                .await,
            Err(StoreError::Conflict)
        ));
        assert_eq!(
            store.list_users().await.unwrap().len(),
            users_before,
            "{name}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passwords_are_set_replaced_and_removed() {
    for (name, store) in stores().await {
        let email = format!("grace-{name}@example.com");
        let user = store
            .create_user(NewUser {
                email: Some(email.clone()),
                password_hash: Some("first-hash".into()),
                ..NewUser::default()
            })
            .await
            .unwrap();
        let hash = |store: Arc<dyn Store>, email: String| async move {
            store
                .user_with_password(&email)
                .await
                .unwrap()
                .map(|(_, hash)| hash)
        };
        assert_eq!(
            hash(store.clone(), email.clone()).await.as_deref(),
            Some("first-hash")
        );
        store
            .set_password_hash(&user.id, "second-hash")
            .await
            .unwrap();
        assert_eq!(
            hash(store.clone(), email.clone()).await.as_deref(),
            Some("second-hash")
        );
        store.remove_password(&user.id).await.unwrap();
        assert_eq!(hash(store.clone(), email.clone()).await, None, "{name}");
        assert!(!store.has_password(&user.id).await.unwrap(), "{name}");
        // The user is still there, only without a password.
        assert!(
            store.user_by_email(&email).await.unwrap().is_some(),
            "{name}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_lists_newest_first_per_user_or_all() {
    for (name, store) in stores().await {
        for (time, user, event) in [
            (1, Some("u1"), "sign_in"),
            (2, None, "sign_in_failed"),
            (3, Some("u2"), "sign_in"),
            (4, Some("u1"), "sign_out"),
        ] {
            let record = leptos_auth::store::AuditRecord {
                time,
                user_id: user.map(str::to_owned),
                event: event.into(),
                provider: Some("credentials".into()),
                ip: Some("127.0.0.1".into()),
                user_agent: None,
            };
            store.record_audit_event(&record).await.unwrap();
        }
        let u1: Vec<String> = store
            .audit_events(Some("u1"), 10)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.event)
            .collect();
        assert_eq!(u1, ["sign_out", "sign_in"], "{name}");
        let all = store.audit_events(None, 3).await.unwrap();
        assert_eq!(
            all.iter().map(|e| e.time).collect::<Vec<_>>(),
            [4, 3, 2],
            "{name}: newest first, limited"
        );
        assert_eq!(all[0].provider.as_deref(), Some("credentials"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_tokens_are_taken_once_and_pruned_when_expired() {
    use leptos_auth::store::{TokenPurpose, VerificationToken};

    for (name, store) in stores().await {
        let token = |hash: &str, purpose, expires_at| VerificationToken {
            token_hash: hash.into(),
            identifier: "ada@example.com".into(),
            purpose,
            expires_at,
        };
        let reset = token("h-reset", TokenPurpose::PasswordReset, 2_000);
        store.create_verification_token(&reset).await.unwrap();
        store
            .create_verification_token(&token("h-old", TokenPurpose::SignIn, 500))
            .await
            .unwrap();
        store
            .create_verification_token(&token("h-verify", TokenPurpose::VerifyEmail, 2_000))
            .await
            .unwrap();

        // Taken whole, once; parallel takes of one token: exactly one wins.
        assert_eq!(
            store.take_verification_token("h-reset").await.unwrap(),
            Some(reset),
            "{name}"
        );
        assert_eq!(
            store.take_verification_token("h-reset").await.unwrap(),
            None,
            "{name}"
        );
        let (a, b) = tokio::join!(
            store.take_verification_token("h-verify"),
            store.take_verification_token("h-verify")
        );
        assert_eq!(
            a.unwrap().is_some() as u8 + b.unwrap().is_some() as u8,
            1,
            "{name}: one winner"
        );

        // Pruning drops expired tokens only.
        store
            .create_verification_token(&token("h-live", TokenPurpose::SignIn, 2_000))
            .await
            .unwrap();
        store.prune_expired(1_000, 0).await.unwrap();
        assert_eq!(
            store.take_verification_token("h-old").await.unwrap(),
            None,
            "{name}"
        );
        assert!(
            store
                .take_verification_token("h-live")
                .await
                .unwrap()
                .is_some(),
            "{name}"
        );

        // Voiding an address's links takes all of them, whatever their purpose, and only
        // theirs.
        for (hash, purpose) in [
            ("v-1", TokenPurpose::SignIn),
            ("v-2", TokenPurpose::PasswordReset),
            ("v-3", TokenPurpose::VerifyEmail),
        ] {
            store
                .create_verification_token(&token(hash, purpose, 2_000))
                .await
                .unwrap();
        }
        let other = leptos_auth::store::VerificationToken {
            identifier: "grace@example.com".into(),
            ..token("v-other", TokenPurpose::SignIn, 2_000)
        };
        store.create_verification_token(&other).await.unwrap();
        assert_eq!(
            store
                .delete_verification_tokens("ada@example.com")
                .await
                .unwrap(),
            3,
            "{name}"
        );
        for hash in ["v-1", "v-2", "v-3"] {
            assert_eq!(
                store.take_verification_token(hash).await.unwrap(),
                None,
                "{name}"
            );
        }
        assert_eq!(
            store.take_verification_token("v-other").await.unwrap(),
            Some(other),
            "{name}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_rows_older_than_the_retention_are_pruned() {
    for (name, store) in stores().await {
        for time in [1_000, 2_000, 3_000] {
            store
                .record_audit_event(&leptos_auth::store::AuditRecord {
                    time,
                    user_id: Some("u1".into()),
                    event: "sign_in".into(),
                    provider: Some("credentials".into()),
                    ip: None,
                    user_agent: None,
                })
                .await
                .unwrap();
        }
        store.prune_expired(3_500, 2_000).await.unwrap();
        let kept: Vec<i64> = store
            .audit_events(Some("u1"), 10)
            .await
            .unwrap()
            .iter()
            .map(|e| e.time)
            .collect();
        assert_eq!(kept, vec![3_000, 2_000], "{name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provider_tokens_at_rest_are_bound_to_their_account_and_old_rows_are_migrated() {
    use leptos_auth::{
        Auth, AuthConfig,
        secret::{AccessToken, RefreshToken},
    };

    for (name, raw) in stores().await {
        let auth = Auth::new(
            AuthConfig::new(vec!["a store test secret of 32+ bytes!!".into()]),
            raw.clone(),
        );
        let sealed = auth.store();
        let mut ids = Vec::new();
        for who in ["ada", "eve"] {
            let user = sealed
                .create_user(NewUser {
                    email: Some(format!("{who}@example.com")),
                    ..NewUser::default()
                })
                .await
                .unwrap();
            let account = Account {
                id: format!("acc-{who}"),
                user_id: user.id.clone(),
                provider: "github".into(),
                provider_account_id: format!("{who}-on-github"),
                kind: ProviderKind::OAuth,
                tokens: AccountTokens {
                    access_token: Some(AccessToken::new(format!("{who}-access"))),
                    refresh_token: Some(RefreshToken::new(format!("{who}-refresh"))),
                    ..AccountTokens::default()
                },
            };
            sealed.link_account(account).await.unwrap();
            ids.push(user.id);
        }
        let stored = |account: &Account| account.tokens.refresh_token.clone().unwrap();
        let ada_raw = raw.accounts_of_user(&ids[0]).await.unwrap().remove(0);
        assert!(
            !stored(&ada_raw).secret().contains("ada-refresh"),
            "{name}: encrypted"
        );

        // Eve copies Ada's sealed tokens into her own row: they do not decrypt there.
        raw.update_account_tokens("acc-eve", &ada_raw.tokens)
            .await
            .unwrap();
        let eve = sealed.accounts_of_user(&ids[1]).await.unwrap().remove(0);
        assert_eq!(eve.tokens.refresh_token, None, "{name}");
        assert_eq!(eve.tokens.access_token, None, "{name}");
        let ada = sealed.accounts_of_user(&ids[0]).await.unwrap().remove(0);
        assert_eq!(stored(&ada).secret(), "ada-refresh", "{name}");

        // A row from before encryption (plain text) is refused until migrated, then works.
        let plain = AccountTokens {
            refresh_token: Some(RefreshToken::new("eve-plain-refresh")),
            ..AccountTokens::default()
        };
        raw.update_account_tokens("acc-eve", &plain).await.unwrap();
        let eve = sealed.accounts_of_user(&ids[1]).await.unwrap().remove(0);
        assert_eq!(
            eve.tokens.refresh_token, None,
            "{name}: plain text is not a token"
        );
        assert_eq!(auth.migrate_stored_tokens().await.unwrap(), 1, "{name}");
        assert_eq!(
            auth.migrate_stored_tokens().await.unwrap(),
            0,
            "{name}: idempotent"
        );
        let eve = sealed.accounts_of_user(&ids[1]).await.unwrap().remove(0);
        assert_eq!(stored(&eve).secret(), "eve-plain-refresh", "{name}");
        let eve_raw = raw.accounts_of_user(&ids[1]).await.unwrap().remove(0);
        assert!(stored(&eve_raw).secret().starts_with("enc2."), "{name}");
    }
}

#[tokio::test]
async fn a_second_factor_is_stored_per_user_and_each_step_and_backup_code_is_taken_once() {
    for (name, store) in stores().await {
        let user = store
            .create_user(NewUser {
                email: Some(format!("tf-{name}@example.com")),
                ..NewUser::default()
            })
            .await
            .unwrap();
        assert_eq!(store.two_factor(&user.id).await.unwrap(), None, "{name}");
        let record = TwoFactorRecord {
            user_id: user.id.clone(),
            secret: "sealed".into(),
            enabled_at: None,
            last_step: 0,
            backup_codes: String::new(),
            created_at: 10,
        };
        store.put_two_factor(&record).await.unwrap();
        // Turning it on replaces the set-up row.
        let enabled = TwoFactorRecord {
            enabled_at: Some(20),
            last_step: 100,
            backup_codes: "a b c".into(),
            ..record.clone()
        };
        store.put_two_factor(&enabled).await.unwrap();
        assert_eq!(
            store.two_factor(&user.id).await.unwrap().as_ref(),
            Some(&enabled),
            "{name}"
        );
        // A step at most once, and never an older one.
        assert!(!store.use_totp_step(&user.id, 100).await.unwrap(), "{name}");
        assert!(!store.use_totp_step(&user.id, 99).await.unwrap(), "{name}");
        assert!(store.use_totp_step(&user.id, 101).await.unwrap(), "{name}");
        assert!(!store.use_totp_step(&user.id, 101).await.unwrap(), "{name}");
        assert!(!store.use_totp_step("nobody", 500).await.unwrap(), "{name}");
        // Backup codes change only from what the caller saw.
        assert!(
            store
                .swap_backup_codes(&user.id, "a b c", "a c")
                .await
                .unwrap(),
            "{name}"
        );
        assert!(
            !store
                .swap_backup_codes(&user.id, "a b c", "a")
                .await
                .unwrap(),
            "{name}"
        );
        let stored = store.two_factor(&user.id).await.unwrap().unwrap();
        assert_eq!(stored.backup_codes, "a c", "{name}");
        assert_eq!(stored.last_step, 101, "{name}");
        assert!(store.delete_two_factor(&user.id).await.unwrap(), "{name}");
        assert!(!store.delete_two_factor(&user.id).await.unwrap(), "{name}");
        assert_eq!(store.two_factor(&user.id).await.unwrap(), None, "{name}");
    }
}

#[tokio::test]
async fn a_store_opens_from_its_database_url() {
    let dir = std::env::temp_dir().join(format!("leptos-auth-open-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    // The folder of a SQLite file is created; the migrations run.
    let sqlite = leptos_auth::store::open(&format!("sqlite://{}/a/auth.db", dir.display()))
        .await
        .unwrap();
    assert!(sqlite.list_users().await.unwrap().is_empty());
    if let Some(admin_url) = leptos_auth_test_util::postgres::admin_url() {
        let url = leptos_auth_test_util::postgres::fresh_database(&admin_url, "open").await;
        let postgres = leptos_auth::store::open(&url).await.unwrap();
        assert!(postgres.list_users().await.unwrap().is_empty());
    }
    for url in ["mysql://localhost/auth", "data/auth.db", ""] {
        match leptos_auth::store::open(url).await {
            Err(StoreError::UnsupportedUrl(message)) => {
                assert!(message.contains("sqlite://"), "{url}: {message}")
            }
            other => panic!("{url}: {:?}", other.map(|_| ())),
        }
    }
}
