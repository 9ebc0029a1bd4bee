//! The README shows code a new user copies: every Rust block of "Use it in your own Leptos
//! app" must be a verbatim excerpt of `examples/minimal`, which CI compiles for the server
//! and the client, and every other Rust block must be in this file's `snippets` module,
//! compiled with it. None of them can drift into code that does not build.

fn significant_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_rust_block_of_the_app_guide_is_code_of_examples_minimal() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let start = readme
        .find("## Use it in your own Leptos app")
        .expect("the guide");
    let end = start + readme[start..].find("\n### ").expect("the guide's end");
    let guide = &readme[start..end];
    let sources: Vec<Vec<String>> = ["src/lib.rs", "src/main.rs"]
        .iter()
        .map(|file| {
            significant_lines(
                &std::fs::read_to_string(format!("{root}/examples/minimal/{file}")).unwrap(),
            )
        })
        .collect();
    let blocks: Vec<&str> = guide
        .split("```rust\n")
        .skip(1)
        .map(|rest| &rest[..rest.find("```").expect("a closed block")])
        .collect();
    assert!(
        blocks.len() >= 4,
        "the guide's Rust blocks: {}",
        blocks.len()
    );
    for block in blocks {
        let lines = significant_lines(block);
        let found = sources.iter().any(|source| {
            source
                .windows(lines.len())
                .any(|window| window == lines.as_slice())
        });
        assert!(
            found,
            "this README block is not in examples/minimal (copy it from there):\n{block}"
        );
    }
}

/// The README's Rust blocks outside the app guide, verbatim, each in a function that gives it
/// what the README says it has (`config`, a client id…): if one stops compiling, so does
/// this test.
#[cfg(feature = "ssr")]
// The README binds `config` again so that each block reads on its own.
#[allow(dead_code, unused_variables, clippy::let_and_return)]
mod snippets {
    use leptos_auth::{AuthConfig, config::Pages};

    fn logging() {
        // main.rs of your app, before anything logs:
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .init();
    }

    fn callbacks(config: AuthConfig) -> AuthConfig {
        use leptos_auth::{
            Session, async_trait,
            callbacks::{Callbacks, JwtParams, JwtTrigger, Token},
        };

        struct MyCallbacks;

        #[async_trait]
        impl Callbacks for MyCallbacks {
            // Runs when the session token is made or read: put custom claims in `token.extra`.
            async fn jwt(&self, mut token: Token, params: JwtParams<'_>) -> Token {
                if params.trigger == JwtTrigger::SignIn {
                    token.extra.insert("role".into(), "admin".into());
                }
                token
            }
            // Shapes what the client sees: copy the claims into `session.user`.
            async fn session(&self, mut session: Session, token: &Token) -> Session {
                session
                    .user
                    .extra
                    .insert("id".into(), token.sub.clone().into());
                if let Some(role) = token.extra.get("role") {
                    session.user.extra.insert("role".into(), role.clone());
                }
                session
            }
        }

        let config = config.with_callbacks(MyCallbacks).with_pages(Pages {
            sign_in: Some("/sign-in".into()),
            ..Pages::default()
        });
        config
    }

    fn providers(
        config: AuthConfig,
        (client_id, client_secret, id, secret): (String, String, String, String),
    ) -> AuthConfig {
        use leptos_auth::providers::{OAuth, Profile};

        fn gitea_profile(user: &serde_json::Value) -> Option<Profile> {
            Some(Profile {
                id: user.get("id")?.to_string(),
                name: user
                    .get("full_name")
                    .and_then(|v| v.as_str())
                    .map(Into::into),
                email: user.get("email").and_then(|v| v.as_str()).map(Into::into),
                image: user
                    .get("avatar_url")
                    .and_then(|v| v.as_str())
                    .map(Into::into),
                email_verified: false,
            })
        }

        let gitea = OAuth::oauth2("gitea", "Gitea", client_id, client_secret)
            .with_authorization_url("https://git.example.com/login/oauth/authorize")
            .with_token_url("https://git.example.com/login/oauth/access_token")
            .with_userinfo_url("https://git.example.com/api/v1/user")
            .with_scopes(["read:user"])
            .with_profile(gitea_profile);
        // An OpenID Connect provider needs only its issuer: endpoints and keys come from discovery.
        let keycloak = OAuth::oidc(
            "keycloak",
            "Keycloak",
            "https://sso.example.com/realms/main",
            id,
            secret,
        );
        let config = config.with_provider(gitea).with_provider(keycloak);
        config
    }

    fn theme(config: AuthConfig) -> AuthConfig {
        use leptos_auth::theme::{Color, ColorScheme, Theme};

        let config = config.with_theme(Theme {
            color_scheme: ColorScheme::Auto, // follows prefers-color-scheme; Light or Dark to force
            brand_color: Color::parse("#0f766e"),
            logo: Some("/logo.svg".into()),
            button_text: Color::parse("#ffffff"),
        });
        config
    }

    fn languages(config: AuthConfig) -> AuthConfig {
        use leptos_auth::i18n::Text;

        let config = config
            .with_language("es", |text: Text| match text {
                Text::SignIn => Some("Iniciar sesión"),
                Text::SignUp => Some("Registrarse"),
                _ => None,
            })
            .with_language_chooser(|headers| {
                let cookies = headers.get("cookie")?.to_str().ok()?;
                cookies
                    .split("; ")
                    .find_map(|c| c.strip_prefix("lang="))
                    .map(str::to_owned)
            });
        config
    }

    fn passkeys(config: AuthConfig) -> AuthConfig {
        use leptos_auth::providers::Passkey;

        let config = config.with_provider(Passkey::new()); // id `passkey`, as in Auth.js
        config
    }
}

#[test]
fn every_other_rust_block_of_the_readme_is_compiled_here() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let sources: Vec<Vec<String>> = [
        "examples/minimal/src/lib.rs",
        "examples/minimal/src/main.rs",
        "tests/suite/readme.rs",
    ]
    .iter()
    .map(|file| significant_lines(&std::fs::read_to_string(format!("{root}/{file}")).unwrap()))
    .collect();
    let blocks: Vec<&str> = readme
        .split("```rust\n")
        .skip(1)
        .map(|rest| &rest[..rest.find("```").expect("a closed block")])
        .collect();
    assert!(
        blocks.len() >= 10,
        "the README's Rust blocks: {}",
        blocks.len()
    );
    for block in blocks {
        let lines = significant_lines(block);
        let found = sources.iter().any(|source| {
            source
                .windows(lines.len())
                .any(|window| window == lines.as_slice())
        });
        assert!(
            found,
            "this README block is compiled nowhere (put it in tests/suite/readme.rs › snippets):\n{block}"
        );
    }
}
