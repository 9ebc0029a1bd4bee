//! A real SMTP server for the email tests: maildev from npm (`end2end/node_modules`), one
//! per test, on 127.0.0.1 with free ports, read through its REST API.

use std::{
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::Duration,
};

use serde_json::Value;

/// A running maildev, stopped on drop.
pub struct Maildev {
    child: Child,
    smtp_port: u16,
    web: String,
    _dir: TempDir,
}

/// A folder removed on drop (maildev keeps each mail as a file).
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A port for a server a test starts (maildev, the OpenID provider). Below the kernel's
/// ephemeral range, so that no `bind(0)` elsewhere in the tests can take it between the
/// moment it is chosen and the moment the server binds it, and never twice in a process.
pub fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    const SPAN: u16 = 200;
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let base = 20_000 + (std::process::id() % 50) as u16 * SPAN;
    for _ in 0..SPAN {
        let port = base + NEXT.fetch_add(1, Ordering::SeqCst) % SPAN;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port in {base}..{}", base + SPAN);
}

impl Maildev {
    /// Starts one and waits (up to 10 s) until its SMTP and web ports answer.
    pub async fn start() -> Maildev {
        // Shared by the library's and the demo's tests: end2end/ is at the workspace root.
        let bin = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .map(|dir| dir.join("end2end/node_modules/maildev/dist/bin/maildev.js"))
            .find(|bin| bin.exists())
            .expect("maildev is not installed: run scripts/setup.sh (npm ci in end2end/)");
        let (smtp_port, web_port) = (free_port(), free_port());
        let dir = std::env::temp_dir().join(format!("leptos-auth-maildev-{smtp_port}"));
        let child = Command::new("node")
            .arg(bin)
            .args(["--smtp", &smtp_port.to_string(), "--ip", "127.0.0.1"])
            .args(["--web", &web_port.to_string(), "--web-ip", "127.0.0.1"])
            .arg("--mail-directory")
            .arg(&dir)
            .arg("--silent")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start maildev");
        let maildev = Maildev {
            child,
            smtp_port,
            web: format!("http://127.0.0.1:{web_port}"),
            _dir: TempDir(dir),
        };
        for _ in 0..100 {
            let ready = reqwest::get(format!("{}/api/healthz", maildev.web)).await;
            let smtp = tokio::net::TcpStream::connect(("127.0.0.1", smtp_port)).await;
            if ready.is_ok_and(|r| r.status().is_success()) && smtp.is_ok() {
                return maildev;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("maildev did not start within 10 s");
    }

    /// `AUTH_EMAIL_SERVER` for this server.
    pub fn server_url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.smtp_port)
    }

    /// Every mail received so far for `to`, oldest first.
    pub async fn mails_to(&self, to: &str) -> Vec<Value> {
        let all: Vec<Value> = reqwest::get(format!("{}/api/email", self.web))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        all.into_iter()
            .filter(|mail| {
                mail["to"]
                    .as_array()
                    .is_some_and(|list| list.iter().any(|a| a["address"] == to))
            })
            .collect()
    }

    /// Waits (up to 10 s) until `to` has received `count` mails; returns the newest.
    pub async fn wait_for_mail(&self, to: &str, count: usize) -> Value {
        for _ in 0..100 {
            let mails = self.mails_to(to).await;
            if mails.len() >= count {
                return mails.last().unwrap().clone();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no mail #{count} for {to} within 10 s");
    }
}

impl Drop for Maildev {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The link in a mail's plain-text part (the line that starts with `http`).
pub fn link_in(mail: &Value) -> String {
    mail["text"]
        .as_str()
        .expect("a plain-text part")
        .lines()
        .find(|line| line.starts_with("http"))
        .expect("a link in the mail")
        .trim()
        .to_owned()
}

/// The query parameter `name` of `url`.
pub fn query_param(url: &str, name: &str) -> String {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| panic!("no {name} in {url}"))
}
