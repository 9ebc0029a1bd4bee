//! The built-in pages (sign-in, sign-out, error, verify-request, and the pages mailed links
//! open): plain server-rendered HTML
//! that works without JavaScript. Apps usually replace the sign-in page via `pages.sign_in`.

pub(crate) use crate::html::escape;
use crate::{Auth, AuthError, context::RequestContext, providers::Provider, redirect::with_query};

fn layout(title: &str, body: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>
body{{font-family:system-ui,sans-serif;background:#f6f7fb;color:#1c2033;display:grid;place-items:center;min-height:100vh;margin:0}}
.card{{background:#fff;border:1px solid #dfe3ee;border-radius:12px;padding:2rem;width:100%;max-width:24rem;box-sizing:border-box}}
h1{{font-size:1.4rem;margin:0 0 1rem}} label{{display:block;margin:.75rem 0 .25rem}}
input{{width:100%;padding:.55rem;border:1px solid #dfe3ee;border-radius:8px;box-sizing:border-box;font:inherit}}
button{{margin-top:1rem;width:100%;padding:.6rem;border:0;border-radius:8px;background:#4f46e5;color:#fff;font:inherit;cursor:pointer}}
.error{{background:#fef3f2;color:#b42318;border-radius:8px;padding:.6rem;margin-bottom:1rem}} hr{{border:0;border-top:1px solid #dfe3ee;margin:1.5rem 0}}
</style></head><body><main class="card">{body}</main></body></html>"#,
        title = escape(title)
    )
}

fn hidden(name: &str, value: &str) -> String {
    format!(
        r#"<input type="hidden" name="{name}" value="{}">"#,
        escape(value)
    )
}

/// The sign-in page: a form per credentials provider, a button per other provider.
pub(crate) fn sign_in(
    auth: &Auth,
    ctx: &RequestContext,
    csrf_token: &str,
    callback_url: Option<&str>,
    error: Option<&str>,
    retry_after_secs: Option<u64>,
) -> String {
    let mut body = String::from("<h1>Sign in</h1>");
    if let Some(error) = error {
        let message = AuthError::from_code(error).user_message_after(retry_after_secs);
        body.push_str(&format!(
            r#"<p class="error" role="alert">{}</p>"#,
            escape(&message)
        ));
    }
    let callback_url = callback_url.unwrap_or(ctx.base_url.as_str());
    // The passkey prompt needs a script and this page works without any: it offers passkeys
    // only where the app's own page does.
    let forms = auth
        .config()
        .providers
        .iter()
        .filter(|p| !matches!(p, Provider::Passkey(_)));
    for (i, provider) in forms.enumerate() {
        if i > 0 {
            body.push_str("<hr>");
        }
        match provider {
            Provider::Credentials(_) => body.push_str(&format!(
                r#"<form method="post" action="{action}">{csrf}{callback}
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in with {name}</button></form>"#,
                action = escape(&auth.absolute_url(ctx, &auth.paths().callback(provider.id()))),
                csrf = hidden("csrfToken", csrf_token),
                callback = hidden("callbackUrl", callback_url),
                name = escape(provider.name()),
            )),
            Provider::Email(_) => body.push_str(&format!(
                r#"<form method="post" action="{action}">{csrf}{callback}
<label for="link-email">Send a sign-in link to</label><input id="link-email" name="email" type="email" autocomplete="email" required>
<button type="submit">Email me a sign-in link</button></form>"#,
                action = escape(&auth.absolute_url(ctx, &auth.paths().sign_in_with(provider.id()))),
                csrf = hidden("csrfToken", csrf_token),
                callback = hidden("callbackUrl", callback_url),
            )),
            Provider::Passkey(_) => {}
            Provider::OAuth(_) => body.push_str(&format!(
                r#"<form method="post" action="{action}">{csrf}{callback}<button type="submit">Sign in with {name}</button></form>"#,
                action = escape(&auth.absolute_url(ctx, &auth.paths().sign_in_with(provider.id()))),
                csrf = hidden("csrfToken", csrf_token),
                callback = hidden("callbackUrl", callback_url),
                name = escape(provider.name()),
            )),
        }
    }
    if auth.sign_up_provider().is_some() {
        body.push_str(&format!(
            r#"<p>No account yet? <a href="{}">Create one</a></p>"#,
            escape(&with_query(
                &auth.absolute_url(ctx, &auth.paths().sign_up()),
                &[("callbackUrl", Some(callback_url))]
            )),
        ));
    }
    layout("Sign in", &body)
}

/// What the sign-up page shows.
pub(crate) struct SignUpPage<'a> {
    pub csrf_token: &'a str,
    pub callback_url: Option<&'a str>,
    /// The code of a refused attempt.
    pub error: Option<&'a str>,
    pub retry_after_secs: Option<u64>,
    /// What was typed before (a refused attempt keeps it).
    pub email: &'a str,
    pub name: &'a str,
}

/// The sign-up page: name, email, password; it posts to `POST /signup`.
pub(crate) fn sign_up(auth: &Auth, ctx: &RequestContext, page: SignUpPage<'_>) -> String {
    let error = page
        .error
        .map(|code| {
            let message = AuthError::from_code(code).user_message_after(page.retry_after_secs);
            format!(
                r#"<p class="error" role="alert" data-error="{code}">{}</p>"#,
                escape(&message),
                code = escape(code),
            )
        })
        .unwrap_or_default();
    let body = format!(
        r#"<h1>Create an account</h1>{error}
<form method="post" action="{action}">{csrf}{callback}
<label for="name">Name</label><input id="name" name="name" type="text" autocomplete="name" maxlength="100" value="{name}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email" required value="{email}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="{min}" required>
<button type="submit">Sign up</button></form>
<p>Already have an account? <a href="{sign_in}">Sign in</a></p>"#,
        action = escape(&auth.absolute_url(ctx, &auth.paths().sign_up())),
        csrf = hidden("csrfToken", page.csrf_token),
        callback = hidden(
            "callbackUrl",
            page.callback_url.unwrap_or(ctx.base_url.as_str())
        ),
        name = escape(page.name),
        email = escape(page.email),
        min = crate::validation::MIN_PASSWORD_LEN,
        sign_in = escape(&auth.absolute_url(ctx, &auth.paths().sign_in())),
    );
    layout("Create an account", &body)
}

/// "Are you sure you want to sign out?"
pub(crate) fn sign_out(auth: &Auth, ctx: &RequestContext, csrf_token: &str) -> String {
    let body = format!(
        r#"<h1>Sign out</h1><p>Are you sure you want to sign out?</p>
<form method="post" action="{action}">{csrf}<button type="submit">Sign out</button></form>"#,
        action = escape(&auth.absolute_url(ctx, &auth.paths().sign_out())),
        csrf = hidden("csrfToken", csrf_token),
    );
    layout("Sign out", &body)
}

/// The error page for codes that are not fixed by signing in again.
pub(crate) fn error(
    auth: &Auth,
    ctx: &RequestContext,
    error: AuthError,
    retry_after_secs: Option<u64>,
) -> String {
    let body = format!(
        r#"<h1>Unable to sign in</h1><p class="error" role="alert" data-error="{code}">{message}</p>
<p><a href="{sign_in}">Sign in</a> · <a href="{home}">Home</a></p>"#,
        code = error.code(),
        message = escape(&error.user_message_after(retry_after_secs)),
        sign_in = escape(&auth.absolute_url(ctx, &auth.paths().sign_in())),
        home = escape(ctx.base_url.as_str()),
    );
    layout("Error", &body)
}

/// A page that a mailed link opens: one button whose POST uses the token.
pub(crate) struct LinkPage<'a> {
    pub title: &'a str,
    pub text: &'a str,
    pub button: &'a str,
    /// Path of the POST endpoint.
    pub action: &'a str,
    pub csrf_token: &'a str,
    /// Hidden fields: the token and what goes with it.
    pub fields: &'a [(&'a str, &'a str)],
}

/// The confirmation page of a sign-in or verification link.
pub(crate) fn confirm_link(auth: &Auth, ctx: &RequestContext, page: LinkPage<'_>) -> String {
    let fields: String = page
        .fields
        .iter()
        .map(|(name, value)| hidden(name, value))
        .collect();
    let body = format!(
        r#"<h1>{title}</h1><p>{text}</p>
<form method="post" action="{action}">{csrf}{fields}<button type="submit">{button}</button></form>"#,
        title = escape(page.title),
        text = escape(page.text),
        action = escape(&auth.absolute_url(ctx, page.action)),
        csrf = hidden("csrfToken", page.csrf_token),
        button = escape(page.button),
    );
    layout(page.title, &body)
}

/// What the page of a verification link shows.
pub(crate) struct VerifyEmailPage<'a> {
    pub csrf_token: &'a str,
    pub token: &'a str,
    /// The address the link was mailed to (empty for links from before it was in them).
    pub email: &'a str,
    pub callback_url: &'a str,
    /// Whether the browser is signed in as the account already: then one button is enough.
    pub signed_in_as_account: bool,
    /// The code of the last attempt's failure.
    pub error: Option<&'a str>,
}

/// The page of a verification link: the account's password (unless the browser is signed
/// in as it) to confirm, or "this was not me" to take the account back.
pub(crate) fn verify_email(auth: &Auth, ctx: &RequestContext, page: VerifyEmailPage<'_>) -> String {
    let action = escape(&auth.absolute_url(ctx, &auth.paths().verify_email()));
    let hidden_fields = [
        hidden("csrfToken", page.csrf_token),
        hidden("token", page.token),
        hidden("callbackUrl", page.callback_url),
    ]
    .concat();
    let error = page
        .error
        .map(|code| {
            format!(
                r#"<p class="error" role="alert">{}</p>"#,
                escape(AuthError::from_code(code).user_message())
            )
        })
        .unwrap_or_default();
    let address = if page.email.is_empty() {
        "your email address".to_owned()
    } else {
        format!("<strong>{}</strong>", escape(page.email))
    };
    let body = if page.signed_in_as_account {
        format!(
            r#"<h1>Verify your email</h1>{error}<p>Confirm that {address} is yours.</p>
<form method="post" action="{action}">{hidden_fields}{email}<button type="submit">Verify my email</button></form>"#,
            email = hidden("email", page.email),
        )
    } else {
        // Links from before the address was in them: the address is typed.
        let email_input = |id: &str| {
            if page.email.is_empty() {
                format!(
                    r#"<label for="{id}">Email</label><input id="{id}" name="email" type="email" autocomplete="username" required>"#
                )
            } else {
                hidden("email", page.email)
            }
        };
        let (email_field, not_mine_email) = (email_input("email"), email_input("not-mine-email"));
        format!(
            r#"<h1>Verify your email</h1>{error}<p>An account was created with {address}. If you created it, enter its password to confirm the address and sign in.</p>
<form method="post" action="{action}">{hidden_fields}{email_field}
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Verify my email</button></form>
<hr><p>Did not create this account? Then it is yours to take back: every session of it ends, its password and linked sign-in methods are removed, and you are signed in here.</p>
<form method="post" action="{action}">{hidden_fields}{not_mine_email}<input type="hidden" name="intent" value="not-mine"><button type="submit">This was not me</button></form>"#,
        )
    };
    layout("Verify your email", &body)
}

/// The built-in "choose a new password" page of a reset link.
pub(crate) fn reset_password(
    auth: &Auth,
    ctx: &RequestContext,
    csrf_token: &str,
    token: &str,
    error: Option<&str>,
) -> String {
    let error = error
        .map(|code| {
            let message = match code {
                "WeakPassword" => format!(
                    "The new password must be between {} and {} characters long.",
                    crate::validation::MIN_PASSWORD_LEN,
                    crate::validation::MAX_PASSWORD_LEN
                ),
                code => AuthError::from_code(code).user_message().to_owned(),
            };
            format!(r#"<p class="error" role="alert">{}</p>"#, escape(&message))
        })
        .unwrap_or_default();
    let body = format!(
        r#"<h1>Choose a new password</h1>{error}
<form method="post" action="{action}">{csrf}{token}{callback}
<label for="password">New password</label><input id="password" name="password" type="password" autocomplete="new-password" required>
<button type="submit">Set password and sign in</button></form>"#,
        action = escape(&auth.absolute_url(ctx, &auth.paths().reset_password())),
        csrf = hidden("csrfToken", csrf_token),
        token = hidden("token", token),
        callback = hidden("callbackUrl", ctx.base_url.as_str()),
    );
    layout("Choose a new password", &body)
}

/// "Check your email": after a magic link was sent, or (`after_sign_up`) after a sign-up
/// whose address must be verified before signing in.
pub(crate) fn verify_request(ctx: &RequestContext, after_sign_up: bool) -> String {
    let text = if after_sign_up {
        "We sent a link to your email address. Open it to confirm the address, then sign in."
    } else {
        "A sign-in link has been sent to your email address."
    };
    let body = format!(
        r#"<h1>Check your email</h1><p>{text}</p>
<p><a href="{home}">{host}</a></p>"#,
        home = escape(ctx.base_url.as_str()),
        host = escape(ctx.base_url.host_str().unwrap_or_default()),
    );
    layout("Check your email", &body)
}

/// The page that asks for the second factor of a pending sign-in: a 6-digit code or a backup
/// code, and "trust this device". Without a pending sign-in (expired, used, another
/// browser), a link back to signing in.
pub(crate) fn two_factor(
    auth: &Auth,
    ctx: &RequestContext,
    csrf_token: &str,
    pending: bool,
    error: Option<&str>,
) -> String {
    let sign_in = escape(&auth.absolute_url(ctx, &auth.paths().sign_in()));
    let error = error
        .map(|code| {
            format!(
                r#"<p class="error" role="alert" data-error="{code}">{}</p>"#,
                escape(crate::two_factor::TwoFactorError::message_of(code)),
                code = escape(code),
            )
        })
        .unwrap_or_default();
    if !pending {
        let body = format!(
            r#"<h1>Two-factor sign-in</h1>{error}<p>Your sign-in expired or was completed. Please sign in again.</p>
<p><a href="{sign_in}">Sign in</a></p>"#
        );
        return layout("Two-factor sign-in", &body);
    }
    let days = auth.config().session.trusted_device_age.as_secs() / (24 * 60 * 60);
    let body = format!(
        r#"<h1>Two-factor sign-in</h1>{error}<p>Enter the 6-digit code from your authenticator app, or one of your backup codes.</p>
<form method="post" action="{action}">{csrf}
<label for="code">Code</label><input id="code" name="code" type="text" inputmode="text" autocomplete="one-time-code" autocapitalize="off" spellcheck="false" maxlength="32" required autofocus>
<label class="check"><input type="checkbox" name="trustDevice" value="true" style="width:auto"> Trust this device for {days} days</label>
<button type="submit">Verify</button></form>
<p><a href="{sign_in}">Cancel</a></p>"#,
        action = escape(&auth.absolute_url(ctx, &auth.paths().verify_two_factor())),
        csrf = hidden("csrfToken", csrf_token),
    );
    layout("Two-factor sign-in", &body)
}

/// The backup codes, shown once (after turning two-factor on or making new ones): to copy
/// or download as text, and where to go on.
pub(crate) fn backup_codes(codes: &[String], continue_url: &str) -> String {
    let text = codes.join("\n");
    let download: String =
        percent_encoding::utf8_percent_encode(&text, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
    let body = format!(
        r#"<h1>Your backup codes</h1><p>Each code signs you in once if you lose your authenticator app. Keep them somewhere safe: they are not shown again.</p>
<pre id="backup-codes" data-testid="backup-codes">{codes}</pre>
<p><button type="button" onclick="navigator.clipboard.writeText(document.getElementById('backup-codes').textContent)">Copy</button>
<a href="data:text/plain;charset=utf-8,{download}" download="backup-codes.txt">Download as text</a></p>
<p><a href="{continue_url}">Continue</a></p>"#,
        codes = escape(&text),
        continue_url = escape(continue_url),
    );
    layout("Your backup codes", &body)
}
