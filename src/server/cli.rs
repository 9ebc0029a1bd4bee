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

/// The command line, as clap reads it; [`parse`] turns it into a [`Command`].
#[derive(Debug, clap::Parser)]
#[command(
    name = "leptos-auth",
    about = "leptos-auth: Auth.js-compatible sign-in for Leptos",
    after_help = "Configuration comes from Leptos.toml (optional), .env and the environment \
                  (DATABASE_URL, AUTH_SECRET, LEPTOS_SITE_ADDR, ...); see README.md.",
    disable_help_subcommand = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<TopCommand>,
}

#[derive(Debug, clap::Subcommand)]
enum TopCommand {
    /// Start the web server (the default)
    Serve,
    /// Manage users
    #[command(subcommand)]
    User(UserCommand),
    /// Read the security audit log
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Bring the database schema up to date
    Migrate,
    /// Print a shell completion script
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, clap::Subcommand)]
enum UserCommand {
    /// Create a password user (the password is read from standard input)
    Add {
        /// The user's email address
        #[arg(long)]
        email: String,
        /// The user's name
        #[arg(long)]
        name: Option<String>,
        /// Read the password from standard input (the only way to give one)
        #[arg(long)]
        password_stdin: bool,
        /// Refused: a password on the command line ends up in shell history and `ps`
        #[arg(long, hide = true)]
        password: Option<String>,
    },
    /// List users (id, email, name, verified)
    List,
    /// List a user's sessions
    Sessions {
        /// The user's email address
        #[arg(long)]
        email: String,
    },
    /// End every session of a user (signs them out)
    Revoke {
        /// The user's email address
        #[arg(long)]
        email: String,
    },
    /// Two-factor sign-in of a user
    #[command(name = "two-factor", subcommand)]
    TwoFactor(TwoFactorCommand),
    /// Import users from a `mongoexport --jsonArray` dump (NextAuth + MongoDB; bcrypt
    /// passwords keep working)
    Import {
        /// The format of the dump
        #[arg(long, value_enum)]
        from: ImportFormat,
        /// The dump file
        file: String,
    },
}

#[derive(Debug, clap::Subcommand)]
enum TwoFactorCommand {
    /// Turn it off (a lost phone and lost backup codes); audited
    Disable {
        /// The user's email address
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ImportFormat {
    /// `mongoexport --jsonArray` of NextAuth's MongoDB adapter
    MongoExport,
}

#[derive(Debug, clap::Subcommand)]
enum AuditCommand {
    /// The newest security events, of all users or of one
    List {
        /// Only this user's events
        #[arg(long)]
        email: Option<String>,
        /// How many
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

/// Why the command line was not run: help or a completion script to print (exit 0), or a
/// usage error (exit 2), each already formatted.
#[derive(Debug)]
pub enum NotRun {
    /// `--help` (of any subcommand) or `completions SHELL`: print this to standard output.
    Print(String),
    /// A usage error, with the relevant usage: print this to standard error, exit 2.
    Usage(String),
}

/// The help text of the binary (`leptos-auth --help`).
pub fn help() -> String {
    <Cli as clap::CommandFactory>::command()
        .render_help()
        .to_string()
}

/// Parses the arguments (without the program name).
pub fn parse(args: &[String]) -> Result<Command, NotRun> {
    use clap::Parser;
    let argv = std::iter::once("leptos-auth".to_owned()).chain(args.iter().cloned());
    let cli = Cli::try_parse_from(argv).map_err(|e| match e.kind() {
        clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
            NotRun::Print(e.render().to_string())
        }
        _ => NotRun::Usage(e.render().to_string()),
    })?;
    let usage = |message: &str| NotRun::Usage(format!("error: {message}"));
    Ok(match cli.command {
        None | Some(TopCommand::Serve) => Command::Serve,
        Some(TopCommand::Migrate) => Command::Migrate,
        Some(TopCommand::Completions { shell }) => {
            let mut script = Vec::new();
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "leptos-auth",
                &mut script,
            );
            return Err(NotRun::Print(String::from_utf8_lossy(&script).into_owned()));
        }
        Some(TopCommand::Audit(AuditCommand::List { email, limit })) => {
            Command::AuditList { email, limit }
        }
        Some(TopCommand::User(user)) => match user {
            UserCommand::Add {
                password: Some(_), ..
            } => {
                return Err(usage(
                    "passwords are never taken from the command line (they end up in shell \
                     history and `ps`): use --password-stdin",
                ));
            }
            UserCommand::Add {
                password_stdin: false,
                ..
            } => {
                return Err(usage(
                    "`user add` needs --password-stdin (the password is read from standard input)",
                ));
            }
            UserCommand::Add { email, name, .. } => Command::UserAdd { email, name },
            UserCommand::List => Command::UserList,
            UserCommand::Sessions { email } => Command::UserSessions { email },
            UserCommand::Revoke { email } => Command::UserRevoke { email },
            UserCommand::TwoFactor(TwoFactorCommand::Disable { email }) => {
                Command::UserTwoFactorDisable { email }
            }
            UserCommand::Import {
                from: ImportFormat::MongoExport,
                file,
            } => Command::UserImport { file },
        },
    })
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
        Command::Serve => ExitCode::SUCCESS,
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
