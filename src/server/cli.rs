//! Administrative subcommands of the server binary: `user add`, `user list`,
//! `user sessions`, `user revoke`, `user two-factor disable`, `user import`, `audit list`,
//! `migrate`.
//! They use the same configuration as the server (`DATABASE_URL`, `AUTH_SECRET`, …).

use std::{io::Read, process::ExitCode, sync::Arc};

use leptos_auth::{Auth, store::Store};

/// What the command line asked for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// Run the web server (no arguments, or `serve`).
    Serve,
    /// Print usage.
    Help,
    /// `user add --email E [--name N] --password-stdin`
    UserAdd { email: String, name: Option<String> },
    /// `user list`
    UserList,
    /// `user sessions --email E`
    UserSessions { email: String },
    /// `user revoke --email E`
    UserRevoke { email: String },
    /// `user two-factor disable --email E`
    UserTwoFactorDisable { email: String },
    /// `user import --from mongo-export FILE`
    UserImport { file: String },
    /// `audit list [--email E] [--limit N]`
    AuditList { email: Option<String>, limit: u32 },
    /// `migrate`
    Migrate,
}

/// Usage text of the binary.
pub const USAGE: &str = "\
leptos-auth: Auth.js-compatible sign-in for Leptos

Usage:
  leptos-auth [serve]                      start the web server (default)
  leptos-auth user add --email E [--name N] --password-stdin
                                           create a password user (password read from stdin)
  leptos-auth user list                    list users (id, email, name, verified)
  leptos-auth user sessions --email E      list a user's sessions
  leptos-auth user revoke --email E        end every session of a user (signs them out)
  leptos-auth user two-factor disable --email E
                                           turn a user's two-factor sign-in off (a lost
                                           phone and lost backup codes); audited
  leptos-auth user import --from mongo-export FILE
                                           import users from a `mongoexport --jsonArray` dump
                                           (NextAuth + MongoDB; bcrypt passwords keep working)
  leptos-auth audit list [--email E] [--limit N]
                                           the newest security events (default 50), of all
                                           users or of one
  leptos-auth migrate                      bring the database schema up to date
  leptos-auth --help                       show this help

Configuration comes from Leptos.toml (optional), .env and the environment
(DATABASE_URL, AUTH_SECRET, LEPTOS_SITE_ADDR, ...); see README.md.";

/// Parses the arguments (without the program name).
pub fn parse(args: &[String]) -> Result<Command, String> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] | ["serve"] => Ok(Command::Serve),
        ["--help" | "-h" | "help", ..] => Ok(Command::Help),
        ["migrate"] => Ok(Command::Migrate),
        ["user", "list"] => Ok(Command::UserList),
        ["user", "sessions", "--email", email] => Ok(Command::UserSessions {
            email: email.to_string(),
        }),
        ["user", "revoke", "--email", email] => Ok(Command::UserRevoke {
            email: email.to_string(),
        }),
        ["user", "two-factor", "disable", "--email", email] => Ok(Command::UserTwoFactorDisable {
            email: email.to_string(),
        }),
        ["user", "two-factor", ..] => Err("usage: user two-factor disable --email E".into()),
        ["user", "import", "--from", "mongo-export", file] => Ok(Command::UserImport {
            file: file.to_string(),
        }),
        ["user", "import", ..] => Err("usage: user import --from mongo-export FILE".into()),
        ["audit", "list", rest @ ..] => {
            let (mut email, mut limit) = (None, 50);
            let mut rest = rest.iter();
            while let Some(flag) = rest.next() {
                match (*flag, rest.next()) {
                    ("--email", Some(value)) => email = Some(value.to_string()),
                    ("--limit", Some(value)) => {
                        limit = value
                            .parse()
                            .map_err(|_| format!("--limit needs a number, not {value:?}"))?;
                    }
                    _ => return Err("usage: audit list [--email E] [--limit N]".into()),
                }
            }
            Ok(Command::AuditList { email, limit })
        }
        ["user", "sessions" | "revoke", ..] => Err(format!(
            "`user {}` needs --email E",
            args.get(1).copied().unwrap_or_default()
        )),
        ["user", "add", rest @ ..] => {
            let (mut email, mut name, mut password_stdin) = (None, None, false);
            let mut rest = rest.iter();
            while let Some(flag) = rest.next() {
                match *flag {
                    "--email" => email = rest.next().map(|s| s.to_string()),
                    "--name" => name = rest.next().map(|s| s.to_string()),
                    "--password-stdin" => password_stdin = true,
                    "--password" => {
                        return Err(
                            "passwords are never taken from the command line (they end up \
                                    in shell history and `ps`): use --password-stdin"
                                .into(),
                        );
                    }
                    other => return Err(format!("unknown option for `user add`: {other}")),
                }
            }
            let email = email.ok_or("`user add` needs --email")?;
            if !password_stdin {
                return Err(
                    "`user add` needs --password-stdin (the password is read from standard input)"
                        .into(),
                );
            }
            Ok(Command::UserAdd { email, name })
        }
        _ => Err(format!("unknown command: {}", args.join(" "))),
    }
}

/// Runs an administrative command against an opened store.
pub async fn run(command: Command, auth: &Auth) -> ExitCode {
    match command {
        Command::UserAdd { email, name } => {
            let mut password = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut password) {
                eprintln!("error: cannot read the password from standard input: {e}");
                return ExitCode::FAILURE;
            }
            let password = password.trim_end_matches(['\n', '\r']);
            match auth.register(&email, name.as_deref(), password).await {
                Ok(user) => {
                    println!(
                        "created user {} <{}>",
                        user.id,
                        user.email.unwrap_or_default()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {}", with_causes(&e));
                    ExitCode::FAILURE
                }
            }
        }
        Command::UserList => match auth.store().list_users().await {
            Ok(users) => {
                println!("{:<34} {:<32} {:<24} verified", "id", "email", "name");
                for user in users {
                    println!(
                        "{:<34} {:<32} {:<24} {}",
                        user.id,
                        user.email.unwrap_or_default(),
                        user.name.unwrap_or_default(),
                        if user.email_verified.is_some() {
                            "yes"
                        } else {
                            "no"
                        }
                    );
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {}", with_causes(&e));
                ExitCode::FAILURE
            }
        },
        Command::UserSessions { email } => match user_sessions(auth, &email).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
        Command::UserRevoke { email } => match user_id(auth, &email).await {
            Ok(user_id) => match auth.store().delete_sessions_of_user(&user_id, None).await {
                Ok(count) => {
                    println!("ended {count} session(s) of {email}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {}", with_causes(&e));
                    ExitCode::FAILURE
                }
            },
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
        Command::UserTwoFactorDisable { email } => {
            let outcome = match user_id(auth, &email).await {
                Ok(user_id) => auth
                    .disable_two_factor_of(&user_id)
                    .await
                    .map_err(|e| with_causes(&e)),
                Err(message) => Err(message),
            };
            match outcome {
                Ok(true) => {
                    println!("two-factor sign-in turned off for {email}");
                    ExitCode::SUCCESS
                }
                Ok(false) => {
                    println!("{email} had no two-factor sign-in");
                    ExitCode::SUCCESS
                }
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::UserImport { file } => {
            let rows = match std::fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {file}: {e}"))
                .and_then(|text| super::import::parse_mongo_export(&text))
            {
                Ok(rows) => rows,
                Err(message) => {
                    eprintln!("error: {message}");
                    return ExitCode::FAILURE;
                }
            };
            match super::import::import(auth.store(), &rows).await {
                Ok(report) => {
                    for (row, reason) in &report.rejected {
                        eprintln!("rejected row {row}: {reason}");
                    }
                    println!(
                        "imported {}, skipped {} (duplicate email), rejected {} (malformed)",
                        report.imported,
                        report.skipped,
                        report.rejected.len()
                    );
                    ExitCode::SUCCESS
                }
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::AuditList { email, limit } => {
            match audit_list(auth, email.as_deref(), limit).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::FAILURE
                }
            }
        }
        // Opening the store already migrated it.
        Command::Migrate => {
            println!("database schema is up to date");
            ExitCode::SUCCESS
        }
        Command::Serve | Command::Help => ExitCode::SUCCESS,
    }
}

async fn user_id(auth: &Auth, email: &str) -> Result<String, String> {
    match auth.store().user_by_email(email).await {
        Ok(Some(user)) => Ok(user.id),
        Ok(None) => Err(format!("no user with email {email}")),
        Err(e) => Err(with_causes(&e)),
    }
}

async fn user_sessions(auth: &Auth, email: &str) -> Result<(), String> {
    let user_id = user_id(auth, email).await?;
    let sessions = auth
        .sessions_of_user(&user_id)
        .await
        .map_err(|e| with_causes(&e))?;
    println!(
        "{:<34} {:<26} {:<26} {:<16} user agent",
        "id", "signed in", "last seen", "ip"
    );
    for session in sessions {
        println!(
            "{:<34} {:<26} {:<26} {:<16} {}",
            session.id,
            session.created_at,
            session.last_seen_at,
            session.ip.unwrap_or_default(),
            session.user_agent.unwrap_or_default()
        );
    }
    Ok(())
}

async fn audit_list(auth: &Auth, email: Option<&str>, limit: u32) -> Result<(), String> {
    let user_id = match email {
        Some(email) => Some(user_id(auth, email).await?),
        None => None,
    };
    let events = auth
        .store()
        .audit_events(user_id.as_deref(), limit)
        .await
        .map_err(|e| with_causes(&e))?;
    println!(
        "{:<21} {:<34} {:<16} {:<12} {:<16} user agent",
        "time", "user", "event", "provider", "ip"
    );
    for event in events {
        println!(
            "{:<21} {:<34} {:<16} {:<12} {:<16} {}",
            event.time_iso8601(),
            event.user_id.unwrap_or_default(),
            event.event,
            event.provider.unwrap_or_default(),
            event.ip.unwrap_or_default(),
            event.user_agent.unwrap_or_default()
        );
    }
    Ok(())
}

/// Opens the configured store, running its migrations (`leptos_auth::store::open`: SQLite
/// for `sqlite://`, PostgreSQL for `postgres://`), with the URL's password left out of the
/// error.
pub async fn open_store(database_url: &str) -> Result<Arc<dyn Store>, String> {
    leptos_auth::store::open(database_url).await.map_err(|e| {
        format!(
            "cannot open the database {}: {}",
            redact(database_url),
            with_causes(&e)
        )
    })
}

/// An error and its causes on one line: `database error: unable to open database file`.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut line = error.to_string();
    let mut cause = error.source();
    while let Some(error) = cause {
        line.push_str(": ");
        line.push_str(&error.to_string());
        cause = error.source();
    }
    line
}

/// The URL without its password, fit for an error message.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://***{}", &url[..scheme_end], &url[at..])
        }
        _ => url.to_owned(),
    }
}
