//! A real PostgreSQL stopped under a running server, then started again: session reads and
//! sign-ins fail fast while it is down (no request waits for the connection pool to give
//! up), nobody is signed out by it, and everything works again once it is back, without a
//! restart. The test runs its own throw-away cluster (it stops it), from Debian's
//! `postgresql` that the test command installs.

use std::{
    path::PathBuf,
    process::Command,
    sync::Arc,
    time::{Duration, Instant},
};

use crate::common::spawn_with;
use leptos_auth::{
    config::SessionStrategy,
    store::{PostgresStore, Store},
};
use serde_json::{Value, json};

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery staple";

/// A PostgreSQL cluster of this test's own, on a free port of 127.0.0.1.
struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
}

impl Cluster {
    fn start_new() -> Cluster {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("Debian's postgresql (scripts/test.sh installs it)")
            .filter_map(|entry| Some(entry.ok()?.path().join("bin")))
            .filter(|bin| bin.join("pg_ctl").exists())
            .max()
            .expect("a PostgreSQL version under /usr/lib/postgresql");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = std::env::temp_dir().join(format!("leptos-auth-outage-{port}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("socket")).unwrap();
        let cluster = Cluster { bin, dir, port };
        if cluster.as_root() {
            run(Command::new("chown")
                .arg("-R")
                .arg("postgres")
                .arg(&cluster.dir));
        }
        cluster.run_as_owner(
            "initdb",
            &[
                "-D",
                &cluster.data(),
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
            ],
        );
        cluster.start();
        cluster
    }

    fn as_root(&self) -> bool {
        let id = Command::new("id").arg("-u").output().unwrap();
        String::from_utf8_lossy(&id.stdout).trim() == "0"
    }

    fn data(&self) -> String {
        self.dir.join("data").display().to_string()
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn run_as_owner(&self, program: &str, args: &[&str]) {
        let program = self.bin.join(program);
        let mut command = if self.as_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            Command::new(program)
        };
        run(command.args(args));
    }

    fn start(&self) {
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off",
            self.port,
            self.dir.join("socket").display()
        );
        let log = self.dir.join("server.log").display().to_string();
        self.run_as_owner(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-l",
                &log,
                "-w",
                "-o",
                &options,
                "start",
            ],
        );
    }

    fn stop(&self) {
        self.run_as_owner("pg_ctl", &["-D", &self.data(), "-m", "fast", "-w", "stop"]);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join("pg_ctl"))
            .args(["-D", &self.data(), "-m", "immediate", "stop"])
            .output();
        let _ = Command::new(self.bin.join("pg_ctl"))
            .args(["-D", &self.data(), "-m", "immediate", "stop"])
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn run(command: &mut Command) {
    let output = command.output().expect("the command runs");
    assert!(
        output.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

async fn timed<T>(request: impl std::future::Future<Output = T>) -> (T, Duration) {
    let started = Instant::now();
    let answer = request.await;
    (answer, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_fails_fast_signs_nobody_out_and_heals_by_itself() {
    let cluster = Cluster::start_new();
    let store: Arc<dyn Store> = Arc::new(PostgresStore::connect(&cluster.url()).await.unwrap());
    let configure = |strategy: SessionStrategy| {
        move |mut config: leptos_auth::AuthConfig| {
            config.rate_limits.enabled = false;
            config.session.strategy = strategy;
            // Every JWT read asks the store, so the outage is met at once.
            config.session.check_interval = Duration::ZERO;
            config.database_retry_interval = Duration::from_secs(1);
            config
        }
    };
    let jwt = spawn_with(store.clone(), configure(SessionStrategy::Jwt)).await;
    let database = spawn_with(store.clone(), configure(SessionStrategy::Database)).await;
    jwt.register(EMAIL, "Ada", PASSWORD).await;
    for server in [&jwt, &database] {
        assert!(
            server
                .sign_in_json(EMAIL, PASSWORD)
                .await
                .status()
                .is_success()
        );
        assert_eq!(server.session().await["user"]["email"], EMAIL);
    }

    // A second JWT session, signed out before the outage: a copy of its cookie must not come
    // back to life while the store cannot be asked.
    let signed_out = jwt.other_browser();
    let signed_in = signed_out.sign_in_json(EMAIL, PASSWORD).await;
    let copied_cookie = crate::common::set_cookies(&signed_in)
        .iter()
        .map(|c| c.split(';').next().unwrap().to_owned())
        .find(|c| c.starts_with("authjs.session-token="))
        .expect("a session cookie");
    let csrf = signed_out.csrf_token().await;
    signed_out
        .post_form("/api/auth/signout", &[("csrfToken", &csrf)])
        .await;

    cluster.stop();
    // The first request of each server finds the database gone (the pool gives up on it).
    let _ = jwt.get("/api/auth/session").await;
    let _ = database.get("/api/auth/session").await;

    let replayed: Value = crate::common::client()
        .get(jwt.url("/api/auth/session"))
        .header("cookie", &copied_cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(replayed, json!({}), "an ended session stays ended");

    // Meanwhile, over several retry intervals: no request waits for the database.
    let mut slowest = Duration::ZERO;
    for _ in 0..10 {
        // A JWT session is trusted on its signature.
        let (session, took) = timed(jwt.session()).await;
        assert_eq!(session["user"]["email"], EMAIL, "JWT sessions keep working");
        slowest = slowest.max(took);

        // A database session cannot be read: 503 with when to come back, cookie untouched.
        let (read, took) = timed(database.get("/api/auth/session")).await;
        slowest = slowest.max(took);
        assert_eq!(read.status(), 503);
        assert!(read.headers().contains_key("retry-after"));
        assert_eq!(read.headers().get_all("set-cookie").iter().count(), 0);

        // Sign-ins (writes) are refused the same way.
        let (refused, took) = timed(jwt.other_browser().sign_in_json(EMAIL, PASSWORD)).await;
        slowest = slowest.max(took);
        assert_eq!(refused.status(), 503);
        let wait: u64 = refused.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=5).contains(&wait), "Retry-After {wait}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert!(
        slowest < Duration::from_secs(1),
        "every request answered within a second during the outage (slowest {slowest:?})"
    );
    // A sign-up is refused too, with the code every flow gives a store that is down.
    let newcomer = jwt.other_browser();
    let csrf = newcomer.csrf_token().await;
    let refused = newcomer
        .post_form(
            "/api/auth/signup",
            &[
                ("csrfToken", csrf.as_str()),
                ("email", "newcomer@example.com"),
                ("password", PASSWORD),
                ("json", "true"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 503);
    assert_eq!(
        refused.json::<Value>().await.unwrap()["error"],
        "Configuration"
    );

    // Back up: within a few retry intervals everything works again, no restart, and the
    // database session read earlier is still there.
    cluster.start();
    let mut healed = false;
    for _ in 0..60 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        if jwt
            .other_browser()
            .sign_in_json(EMAIL, PASSWORD)
            .await
            .status()
            .is_success()
        {
            healed = true;
            break;
        }
    }
    assert!(healed, "sign-in works again once the database is back");
    assert_eq!(database.session().await["user"]["email"], EMAIL);
    let body: Value = database
        .get("/api/auth/session")
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(body, json!({}));
}
