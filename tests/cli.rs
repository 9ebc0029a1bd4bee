//! The server binary's admin commands and start-up checks, run as a user would run them.
#![cfg(feature = "ssr")]

mod common;

use std::{
    io::Write,
    path::Path,
    process::{Command, Output, Stdio},
};

/// Runs the binary in `dir` with a clean auth environment, feeding `stdin`.
fn run(dir: &Path, args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_leptos-auth"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("AUTH_SECRET")
        .env_remove("NEXTAUTH_SECRET")
        .env_remove("DATABASE_URL")
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
    let dir = common::temp_dir("cli");
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
    let dir = common::temp_dir("cli");
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
    let dir = common::temp_dir("cli");
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
    let dir = common::temp_dir("cli");
    let migrate = run(&dir, &["migrate"], &[], "");
    assert!(migrate.status.success(), "{}", text(&migrate.stderr));
    assert!(
        dir.join("data/leptos-auth.db").exists(),
        "SQLite file in the data folder"
    );
    let help = run(&dir, &["--help"], &[], "");
    assert!(help.status.success());
    assert!(text(&help.stdout).contains("user add --email E"));
    let unknown = run(&dir, &["frobnicate"], &[], "");
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn production_refuses_to_start_without_a_long_secret_or_its_url() {
    let dir = common::temp_dir("cli");
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
        &["migrate"],
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
fn development_generates_and_keeps_a_secret_with_a_warning() {
    let dir = common::temp_dir("cli");
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
