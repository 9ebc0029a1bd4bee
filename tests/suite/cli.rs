//! The server binary's admin commands and start-up checks, run as a user would run them.
#![cfg(feature = "ssr")]

use std::{
    io::Write,
    path::Path,
    process::{Command, Output, Stdio},
};

/// A folder for one test's runs of the binary: the default SQLite database in its `data`
/// folder, or with `TEST_DATABASE_URL` a fresh PostgreSQL database (see
/// `crate::common::test_config`), whose URL is kept in `.database_url`.
fn cli_dir() -> std::path::PathBuf {
    let config = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(crate::common::test_config("cli"));
    if config.database_url.starts_with("postgres") {
        std::fs::write(config.data_dir.join(".database_url"), &config.database_url).unwrap();
    }
    config.data_dir
}

/// The database the binary uses in `dir`.
fn database_url(dir: &Path) -> String {
    std::fs::read_to_string(dir.join(".database_url"))
        .unwrap_or_else(|_| format!("sqlite://{}/data/leptos-auth.db", dir.display()))
}

/// Runs the binary in `dir` with a clean auth environment and the folder's database,
/// feeding `stdin`.
fn run(dir: &Path, args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_leptos-auth"));
    let database_url = std::fs::read_to_string(dir.join(".database_url")).unwrap_or_default();
    command
        .args(args)
        .current_dir(dir)
        .env_remove("AUTH_SECRET")
        .env_remove("NEXTAUTH_SECRET")
        .env("DATABASE_URL", database_url)
        .env_remove("LEPTOS_ENV")
        .env("LEPTOS_AUTH_DATA_DIR", dir.join("data"))
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command.spawn().expect("start the binary");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn user_add_then_list_without_hashes() {
    let dir = cli_dir();
    let added = run(
        &dir,
        &[
            "user",
            "add",
            "--email",
            "Ada@Example.com",
            "--name",
            "Ada",
            "--password-stdin",
        ],
        &[],
        "a strong password\n",
    );
    assert!(added.status.success(), "{}", text(&added.stderr));
    assert!(text(&added.stdout).contains("ada@example.com"));

    let listed = run(&dir, &["user", "list"], &[], "");
    assert!(listed.status.success());
    let out = text(&listed.stdout);
    assert!(
        out.contains("ada@example.com") && out.contains("Ada"),
        "{out}"
    );
    assert!(!out.contains("argon2"), "no password hashes are printed");
}

#[test]
fn user_add_refuses_duplicates_weak_passwords_and_argv_passwords() {
    let dir = cli_dir();
    let args = [
        "user",
        "add",
        "--email",
        "ada@example.com",
        "--password-stdin",
    ];
    assert!(run(&dir, &args, &[], "a strong password").status.success());

    let duplicate = run(&dir, &args, &[], "another strong one");
    assert!(!duplicate.status.success());
    assert!(
        text(&duplicate.stderr).contains("already exists"),
        "{}",
        text(&duplicate.stderr)
    );

    let weak = run(
        &dir,
        &[
            "user",
            "add",
            "--email",
            "b@example.com",
            "--password-stdin",
        ],
        &[],
        "short",
    );
    assert!(!weak.status.success());
    assert!(text(&weak.stderr).contains("between 8 and 256"));

    let on_argv = run(
        &dir,
        &[
            "user",
            "add",
            "--email",
            "c@example.com",
            "--password",
            "hunter22",
        ],
        &[],
        "",
    );
    assert_eq!(on_argv.status.code(), Some(2));
    assert!(text(&on_argv.stderr).contains("--password-stdin"));
}

#[test]
fn unreachable_database_is_a_clear_error() {
    let dir = cli_dir();
    let not_a_dir = dir.join("file");
    std::fs::write(&not_a_dir, "").unwrap();
    let url = format!("sqlite://{}/db.sqlite", not_a_dir.display());
    let out = run(&dir, &["user", "list"], &[("DATABASE_URL", &url)], "");
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error: cannot open the database"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
}

#[test]
fn migrate_and_help() {
    let dir = cli_dir();
    let migrate = run(&dir, &["migrate"], &[], "");
    assert!(migrate.status.success(), "{}", text(&migrate.stderr));
    assert!(text(&migrate.stdout).contains("database schema is up to date"));
    if !dir.join(".database_url").exists() {
        assert!(
            dir.join("data/leptos-auth.db").exists(),
            "SQLite file in the data folder"
        );
    }
    let help = run(&dir, &["--help"], &[], "");
    assert!(help.status.success());
    let help = text(&help.stdout);
    assert!(help.contains("Manage users"), "{help}");
    // The README's CLI section shows exactly this.
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(
        readme.contains(help.trim_end()),
        "README.md › Admin CLI differs from `leptos-auth --help`:\n{help}"
    );
    // Every subcommand has its own help.
    for args in [
        &["user", "add", "--help"][..],
        &["user", "two-factor", "disable", "--help"],
        &["audit", "list", "--help"],
        &["user", "import", "--help"],
    ] {
        let out = run(&dir, args, &[], "");
        assert!(out.status.success(), "{args:?}");
        assert!(text(&out.stdout).contains("Usage: leptos-auth"), "{args:?}");
    }
    for args in [
        &["frobnicate"][..],
        &["user", "sessions"],
        &["audit", "list", "--limit", "many"],
        &["user", "import", "--from", "csv", "x.csv"],
        &["completions", "nosuchshell"],
    ] {
        let out = run(&dir, args, &[], "");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(text(&out.stderr).contains("error:"), "{args:?}");
    }
    // Shell completions, without any configuration.
    for shell in ["bash", "zsh", "fish"] {
        let out = run(
            &dir,
            &["completions", shell],
            &[("DATABASE_URL", "mysql://nowhere")],
            "",
        );
        assert!(out.status.success(), "{shell}");
        assert!(text(&out.stdout).contains("two-factor"), "{shell}");
    }
}

#[test]
fn production_refuses_to_start_without_a_long_secret_or_its_url() {
    let dir = cli_dir();
    let missing = run(&dir, &["migrate"], &[("LEPTOS_ENV", "PROD")], "");
    assert!(!missing.status.success());
    assert!(
        text(&missing.stderr).contains("AUTH_SECRET is not set"),
        "{}",
        text(&missing.stderr)
    );

    let short = run(
        &dir,
        &["migrate"],
        &[("LEPTOS_ENV", "PROD"), ("AUTH_SECRET", "too-short")],
        "",
    );
    assert!(!short.status.success());
    assert!(
        text(&short.stderr).contains("9 bytes long"),
        "{}",
        text(&short.stderr)
    );

    let secret = "x".repeat(32);
    let no_url = run(
        &dir,
        &["serve"],
        &[("LEPTOS_ENV", "PROD"), ("AUTH_SECRET", &secret)],
        "",
    );
    assert!(!no_url.status.success());
    assert!(
        text(&no_url.stderr).contains("AUTH_URL is not set"),
        "{}",
        text(&no_url.stderr)
    );

    let ok = run(
        &dir,
        &["migrate"],
        &[
            ("LEPTOS_ENV", "PROD"),
            ("AUTH_SECRET", &secret),
            ("AUTH_URL", "https://app.example.com"),
        ],
        "",
    );
    assert!(ok.status.success(), "{}", text(&ok.stderr));
}

#[test]
fn admin_commands_need_only_the_database_and_the_secret() {
    let dir = cli_dir();
    let secret = "y".repeat(32);
    // Production, no AUTH_URL, even a mail server configured: no command here makes a link.
    let production = [
        ("LEPTOS_ENV", "PROD"),
        ("AUTH_SECRET", secret.as_str()),
        ("AUTH_EMAIL_SERVER", "smtp://127.0.0.1:1"),
    ];
    let add = run(
        &dir,
        &[
            "user",
            "add",
            "--email",
            "ada@example.com",
            "--password-stdin",
        ],
        &production,
        "a strong password",
    );
    assert!(add.status.success(), "{}", text(&add.stderr));
    for args in [
        &["user", "list"][..],
        &["migrate"],
        &["audit", "list"],
        &["user", "sessions", "--email", "ada@example.com"],
    ] {
        let out = run(&dir, args, &production, "");
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    }
    assert!(
        text(&run(&dir, &["user", "list"], &production, "").stdout).contains("ada@example.com")
    );
    // Without the secret, still refused.
    let no_secret = run(&dir, &["user", "list"], &[("LEPTOS_ENV", "PROD")], "");
    assert!(!no_secret.status.success());
}

#[test]
fn development_generates_and_keeps_a_secret_with_a_warning() {
    let dir = cli_dir();
    let first = run(&dir, &["migrate"], &[("RUST_LOG", "warn")], "");
    assert!(first.status.success());
    assert!(
        text(&first.stdout).contains("AUTH_SECRET is not set"),
        "warning: {}",
        text(&first.stdout)
    );
    let secret = std::fs::read_to_string(dir.join("data/dev-secret")).unwrap();
    assert!(secret.len() >= 32);
    run(&dir, &["migrate"], &[], "");
    assert_eq!(
        std::fs::read_to_string(dir.join("data/dev-secret")).unwrap(),
        secret,
        "kept across restarts"
    );
}

#[test]
fn user_sessions_lists_and_user_revoke_ends_them() {
    let dir = cli_dir();
    let add = [
        "user",
        "add",
        "--email",
        "ada@example.com",
        "--password-stdin",
    ];
    assert!(run(&dir, &add, &[], "a strong password").status.success());
    let database_url = database_url(&dir);
    // Two browsers sign in through a real server on the same database.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let user_agents = ["Browser One", "Browser Two"];
    runtime.block_on(async {
        let server = crate::common::spawn_on_database(&database_url).await;
        for agent in user_agents {
            let browser = reqwest::Client::builder()
                .cookie_store(true)
                .user_agent(agent)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap();
            let csrf: serde_json::Value = browser
                .get(server.url("/api/auth/csrf"))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let signed_in = browser
                .post(server.url("/api/auth/callback/credentials"))
                .form(&[
                    ("csrfToken", csrf["csrfToken"].as_str().unwrap()),
                    ("email", "ada@example.com"),
                    ("password", "a strong password"),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(signed_in.status(), 302);
        }
    });

    let listed = run(
        &dir,
        &["user", "sessions", "--email", "ada@example.com"],
        &[],
        "",
    );
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    let out = text(&listed.stdout);
    for agent in user_agents {
        assert!(out.contains(agent), "{out}");
    }
    assert!(out.contains("127.0.0.1"), "{out}");

    // Both sign-ins are in the audit log, newest first, limited on request.
    let audit = run(
        &dir,
        &["audit", "list", "--email", "ada@example.com"],
        &[],
        "",
    );
    assert!(audit.status.success(), "{}", text(&audit.stderr));
    let out = text(&audit.stdout);
    assert_eq!(out.matches(" sign_in ").count(), 2, "{out}");
    assert!(out.contains("Browser Two"), "{out}");
    let one = run(&dir, &["audit", "list", "--limit", "1"], &[], "");
    assert_eq!(text(&one.stdout).matches(" sign_in ").count(), 1);
    let bad = run(&dir, &["audit", "list", "--limit", "many"], &[], "");
    assert!(!bad.status.success());

    let revoked = run(
        &dir,
        &["user", "revoke", "--email", "ada@example.com"],
        &[],
        "",
    );
    assert!(revoked.status.success());
    assert!(
        text(&revoked.stdout).contains("ended 2 session(s)"),
        "{}",
        text(&revoked.stdout)
    );
    let listed = run(
        &dir,
        &["user", "sessions", "--email", "ada@example.com"],
        &[],
        "",
    );
    let out = text(&listed.stdout);
    assert!(out.contains("user agent"), "{out}");
    assert!(!out.contains("Browser"), "no session is left: {out}");

    let unknown = run(
        &dir,
        &["user", "revoke", "--email", "nobody@example.com"],
        &[],
        "",
    );
    assert!(!unknown.status.success());
    assert!(text(&unknown.stderr).contains("no user with email"));
}

#[test]
fn users_imported_from_mongo_sign_in_with_their_bcrypt_password_once_rehashed() {
    let dir = cli_dir();
    let hash = bcrypt::hash("my old nextauth password", 4).unwrap();
    let export = serde_json::json!([
        {
            "_id": { "$oid": "65f1c0ffee0000000000abcd" },
            "email": "Grace@Example.com",
            "name": "Grace",
            "password": hash,
            "role": "admin",
            "createdAt": { "$date": "2024-03-01T10:00:00Z" }
        },
        { "_id": { "$oid": "65f1c0ffee0000000000abce" }, "email": "grace@example.com", "password": hash },
        { "_id": { "$oid": "65f1c0ffee0000000000abcf" }, "email": "not-an-email", "password": hash },
        { "_id": { "$oid": "65f1c0ffee0000000000abd0" }, "email": "linus@example.com", "password": "plaintext" }
    ]);
    let file = dir.join("users.json");
    std::fs::write(&file, export.to_string()).unwrap();
    let args = [
        "user",
        "import",
        "--from",
        "mongo-export",
        file.to_str().unwrap(),
    ];

    let imported = run(&dir, &args, &[], "");
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    assert!(
        text(&imported.stdout)
            .contains("imported 1, skipped 1 (duplicate email), rejected 2 (malformed)"),
        "{}",
        text(&imported.stdout)
    );
    assert!(text(&imported.stderr).contains("rejected row 3: no valid email"));
    // Importing again changes nothing.
    let again = run(&dir, &args, &[], "");
    assert!(text(&again.stdout).contains("imported 0, skipped 2"));

    // A file that is not a mongoexport array: an error, nothing written.
    std::fs::write(dir.join("bad.json"), "{\"email\": \"x\"").unwrap();
    let bad = run(
        &dir,
        &[
            "user",
            "import",
            "--from",
            "mongo-export",
            dir.join("bad.json").to_str().unwrap(),
        ],
        &[],
        "",
    );
    assert!(!bad.status.success());

    let database_url = database_url(&dir);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = crate::common::spawn_on_database(&database_url).await;
        let wrong = server.sign_in("grace@example.com", "not it").await;
        assert!(crate::common::location(&wrong).contains("error=CredentialsSignin"));
        let right = server
            .sign_in("grace@example.com", "my old nextauth password")
            .await;
        assert!(crate::common::location(&right).ends_with("/dashboard"));
        let (_, stored) = server
            .auth
            .store()
            .user_with_password("grace@example.com")
            .await
            .unwrap()
            .unwrap();
        assert!(
            stored.starts_with("$argon2id$"),
            "rehashed at the first sign-in: {stored}"
        );
        // And the new hash works too.
        let fresh = server.other_browser();
        let again = fresh
            .sign_in("grace@example.com", "my old nextauth password")
            .await;
        assert!(crate::common::location(&again).ends_with("/dashboard"));
    });
}

#[test]
fn user_two_factor_disable_lets_a_user_who_lost_the_second_factor_in_again() {
    let dir = cli_dir();
    let add = [
        "user",
        "add",
        "--email",
        "ada@example.com",
        "--password-stdin",
    ];
    assert!(run(&dir, &add, &[], "a strong password").status.success());
    let database_url = database_url(&dir);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    // A JSON-mode password sign-in from a fresh browser, through a real server on the same
    // database: its status.
    let sign_in = |server: &crate::common::TestServer| {
        let browser = server.other_browser();
        async move {
            browser
                .sign_in_json("ada@example.com", "a strong password")
                .await
                .status()
        }
    };
    let server = runtime.block_on(async {
        let server = crate::common::spawn_on_database(&database_url).await;
        let store = server.auth.store();
        let user = store
            .user_by_email("ada@example.com")
            .await
            .unwrap()
            .unwrap();
        // Two-factor on, as the settings page leaves it (the secret does not matter here).
        store
            .put_two_factor(&leptos_auth::store::TwoFactorRecord {
                user_id: user.id.clone(),
                secret: "sealed elsewhere".into(),
                enabled_at: Some(1),
                last_step: 0,
                backup_codes: String::new(),
                created_at: 1,
            })
            .await
            .unwrap();
        assert_eq!(sign_in(&server).await, 401, "the code is asked");
        server
    });

    let disabled = run(
        &dir,
        &[
            "user",
            "two-factor",
            "disable",
            "--email",
            "ada@example.com",
        ],
        &[],
        "",
    );
    assert!(disabled.status.success(), "{}", text(&disabled.stderr));
    assert!(text(&disabled.stdout).contains("turned off"));
    runtime.block_on(async {
        assert_eq!(sign_in(&server).await, 200, "the password alone signs in");
    });
    let audit = run(
        &dir,
        &["audit", "list", "--email", "ada@example.com"],
        &[],
        "",
    );
    assert!(
        text(&audit.stdout).contains("two_factor_disabled"),
        "{}",
        text(&audit.stdout)
    );
    let again = run(
        &dir,
        &[
            "user",
            "two-factor",
            "disable",
            "--email",
            "ada@example.com",
        ],
        &[],
        "",
    );
    assert!(text(&again.stdout).contains("had no two-factor"));
    let unknown = run(
        &dir,
        &[
            "user",
            "two-factor",
            "disable",
            "--email",
            "nobody@example.com",
        ],
        &[],
        "",
    );
    assert!(!unknown.status.success());
    let usage = run(&dir, &["user", "two-factor", "off"], &[], "");
    assert!(!usage.status.success());
}
