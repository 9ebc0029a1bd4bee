//! The built-in pages (sign-in, sign-up, sign-out, error, verify-request, and the pages
//! mailed links open): plain server-rendered HTML that works without JavaScript, in the
//! request's language (README › Languages) and the configured theme (README › Themes). Apps
//! usually replace the sign-in page via `pages.sign_in`.

pub(crate) use crate::html::escape;
use crate::{
    Auth, AuthError, context::RequestContext, i18n::Text, providers::Provider, redirect::with_query,
};

/// Every built-in page: its card, in the configured theme and the request's language.
fn layout(auth: &Auth, ctx: &RequestContext, title: &str, body: &str) -> String {
    let theme = &auth.config().theme;
    format!(
        r#"<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>
{variables}
body{{font-family:system-ui,sans-serif;background:var(--bg);color:var(--fg);display:grid;place-items:center;align-content:center;gap:1.5rem;min-height:100vh;margin:0}}
.card{{background:var(--card);border:1px solid var(--border);border-radius:12px;padding:2rem;width:100%;max-width:24rem;box-sizing:border-box}}
h1{{font-size:1.4rem;margin:0 0 1rem}} label{{display:block;margin:.75rem 0 .25rem}} a{{color:var(--brand)}}
input{{width:100%;padding:.55rem;border:1px solid var(--border);border-radius:8px;box-sizing:border-box;font:inherit;background:var(--card);color:var(--fg)}}
button{{margin-top:1rem;width:100%;padding:.6rem;border:0;border-radius:8px;background:var(--brand);color:var(--brand-fg);font:inherit;cursor:pointer}}
.error{{background:var(--error-bg);color:var(--error-fg);border-radius:8px;padding:.6rem;margin-bottom:1rem}} hr{{border:0;border-top:1px solid var(--border);margin:1.5rem 0}}
</style></head><body>{logo}<main class="card">{body}</main></body></html>"#,
        lang = escape(ctx.language.tag()),
        title = escape(title),
        variables = theme.css_variables(),
        logo = theme.logo_html(None, "max-height:3rem;max-width:12rem"),
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
    let lang = &ctx.language;
    let mut body = format!("<h1>{}</h1>", escape(lang.text(Text::SignIn)));
    if let Some(error) = error {
        let message = lang.error_message(AuthError::from_code(error), retry_after_secs);
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
<label for="email">{email}</label><input id="email" name="email" type="email" autocomplete="email" required>
<label for="password">{password}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">{button}</button></form>"#,
                action = escape(&auth.absolute_url(ctx, &auth.paths().callback(provider.id()))),
                csrf = hidden("csrfToken", csrf_token),
                callback = hidden("callbackUrl", callback_url),
                email = escape(lang.text(Text::Email)),
                password = escape(lang.text(Text::Password)),
                button = escape(&lang.fill(Text::SignInWith, &[("provider", provider.name())])),
            )),
            Provider::Email(_) => body.push_str(&format!(
                r#"<form method="post" action="{action}">{csrf}{callback}
<label for="link-email">{label}</label><input id="link-email" name="email" type="email" autocomplete="email" required>
<button type="submit">{button}</button></form>"#,
                action = escape(&auth.absolute_url(ctx, &auth.paths().sign_in_with(provider.id()))),
                csrf = hidden("csrfToken", csrf_token),
                callback = hidden("callbackUrl", callback_url),
                label = escape(lang.text(Text::SendLinkTo)),
                button = escape(lang.text(Text::EmailMeALink)),
            )),
            Provider::Passkey(_) => {}
            Provider::OAuth(_) => body.push_str(&format!(
                r#"<form method="post" action="{action}">{csrf}{callback}<button type="submit">{button}</button></form>"#,
                action = escape(&auth.absolute_url(ctx, &auth.paths().sign_in_with(provider.id()))),
                csrf = hidden("csrfToken", csrf_token),
                callback = hidden("callbackUrl", callback_url),
                button = escape(&lang.fill(Text::SignInWith, &[("provider", provider.name())])),
            )),
        }
    }
    if auth.sign_up_provider().is_some() {
        body.push_str(&format!(
            r#"<p>{} <a href="{}">{}</a></p>"#,
            escape(lang.text(Text::NoAccountYet)),
            escape(&with_query(
                &auth.absolute_url(ctx, &auth.paths().sign_up()),
                &[("callbackUrl", Some(callback_url))]
            )),
            escape(lang.text(Text::CreateOne)),
        ));
    }
    layout(auth, ctx, lang.text(Text::SignIn), &body)
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
    let lang = &ctx.language;
    let error = page
        .error
        .map(|code| {
            let message = lang.error_message(AuthError::from_code(code), page.retry_after_secs);
            format!(
                r#"<p class="error" role="alert" data-error="{code}">{}</p>"#,
                escape(&message),
                code = escape(code),
            )
        })
        .unwrap_or_default();
    let body = format!(
        r#"<h1>{title}</h1>{error}
<form method="post" action="{action}">{csrf}{callback}
<label for="name">{name_label}</label><input id="name" name="name" type="text" autocomplete="name" maxlength="100" value="{name}">
<label for="email">{email_label}</label><input id="email" name="email" type="email" autocomplete="email" required value="{email}">
<label for="password">{password_label}</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="{min}" required>
<button type="submit">{sign_up}</button></form>
<p>{have_one} <a href="{sign_in}">{sign_in_text}</a></p>"#,
        title = escape(lang.text(Text::CreateAccount)),
        name_label = escape(lang.text(Text::Name)),
        email_label = escape(lang.text(Text::Email)),
        password_label = escape(lang.text(Text::Password)),
        sign_up = escape(lang.text(Text::SignUp)),
        have_one = escape(lang.text(Text::HaveAnAccount)),
        sign_in_text = escape(lang.text(Text::SignIn)),
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
    layout(auth, ctx, lang.text(Text::CreateAccount), &body)
}

/// "Are you sure you want to sign out?"
pub(crate) fn sign_out(auth: &Auth, ctx: &RequestContext, csrf_token: &str) -> String {
    let lang = &ctx.language;
    let body = format!(
        r#"<h1>{title}</h1><p>{question}</p>
<form method="post" action="{action}">{csrf}<button type="submit">{title}</button></form>"#,
        title = escape(lang.text(Text::SignOut)),
        question = escape(lang.text(Text::SignOutQuestion)),
        action = escape(&auth.absolute_url(ctx, &auth.paths().sign_out())),
        csrf = hidden("csrfToken", csrf_token),
    );
    layout(auth, ctx, lang.text(Text::SignOut), &body)
}

/// The error page for codes that are not fixed by signing in again.
pub(crate) fn error(
    auth: &Auth,
    ctx: &RequestContext,
    error: AuthError,
    retry_after_secs: Option<u64>,
) -> String {
    let lang = &ctx.language;
    let body = format!(
        r#"<h1>{heading}</h1><p class="error" role="alert" data-error="{code}">{message}</p>
<p><a href="{sign_in}">{sign_in_text}</a> · <a href="{home}">{home_text}</a></p>"#,
        heading = escape(lang.text(Text::UnableToSignIn)),
        code = error.code(),
        message = escape(&lang.error_message(error, retry_after_secs)),
        sign_in_text = escape(lang.text(Text::SignIn)),
        home_text = escape(lang.text(Text::Home)),
        sign_in = escape(&auth.absolute_url(ctx, &auth.paths().sign_in())),
        home = escape(ctx.base_url.as_str()),
    );
    layout(auth, ctx, ctx.language.text(Text::ErrorTitle), &body)
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
    layout(auth, ctx, page.title, &body)
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
    let lang = &ctx.language;
    let t = |text| escape(lang.text(text));
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
                t(Text::Error(AuthError::from_code(code)))
            )
        })
        .unwrap_or_default();
    let address = if page.email.is_empty() {
        t(Text::YourEmailAddress)
    } else {
        format!("<strong>{}</strong>", escape(page.email))
    };
    // The address is markup: it goes in after the text is escaped.
    let with_address = |text| t(text).replace("{address}", &address);
    let (title, verify) = (t(Text::VerifyEmailTitle), t(Text::VerifyMyEmail));
    let body = if page.signed_in_as_account {
        format!(
            r#"<h1>{title}</h1>{error}<p>{confirm}</p>
<form method="post" action="{action}">{hidden_fields}{email}<button type="submit">{verify}</button></form>"#,
            confirm = with_address(Text::ConfirmAddress),
            email = hidden("email", page.email),
        )
    } else {
        // Links from before the address was in them: the address is typed.
        let email_input = |id: &str| {
            if page.email.is_empty() {
                format!(
                    r#"<label for="{id}">{label}</label><input id="{id}" name="email" type="email" autocomplete="username" required>"#,
                    label = t(Text::Email),
                )
            } else {
                hidden("email", page.email)
            }
        };
        let (email_field, not_mine_email) = (email_input("email"), email_input("not-mine-email"));
        format!(
            r#"<h1>{title}</h1>{error}<p>{created}</p>
<form method="post" action="{action}">{hidden_fields}{email_field}
<label for="password">{password}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">{verify}</button></form>
<hr><p>{not_mine}</p>
<form method="post" action="{action}">{hidden_fields}{not_mine_email}<input type="hidden" name="intent" value="not-mine"><button type="submit">{not_me}</button></form>"#,
            created = with_address(Text::AccountCreatedWith),
            password = t(Text::Password),
            not_mine = t(Text::NotMineExplained),
            not_me = t(Text::NotMe),
        )
    };
    layout(auth, ctx, lang.text(Text::VerifyEmailTitle), &body)
}

/// The built-in "choose a new password" page of a reset link.
pub(crate) fn reset_password(
    auth: &Auth,
    ctx: &RequestContext,
    csrf_token: &str,
    token: &str,
    error: Option<&str>,
) -> String {
    let lang = &ctx.language;
    let error = error
        .map(|code| {
            let message = match code {
                "WeakPassword" => lang.fill(
                    Text::NewPasswordLength,
                    &[
                        ("min", &crate::validation::MIN_PASSWORD_LEN.to_string()),
                        ("max", &crate::validation::MAX_PASSWORD_LEN.to_string()),
                    ],
                ),
                code => lang
                    .text(Text::Error(AuthError::from_code(code)))
                    .to_owned(),
            };
            format!(r#"<p class="error" role="alert">{}</p>"#, escape(&message))
        })
        .unwrap_or_default();
    let body = format!(
        r#"<h1>{title}</h1>{error}
<form method="post" action="{action}">{csrf}{token}{callback}
<label for="password">{label}</label><input id="password" name="password" type="password" autocomplete="new-password" required>
<button type="submit">{button}</button></form>"#,
        title = escape(lang.text(Text::ChooseNewPassword)),
        label = escape(lang.text(Text::NewPassword)),
        button = escape(lang.text(Text::SetPasswordAndSignIn)),
        action = escape(&auth.absolute_url(ctx, &auth.paths().reset_password())),
        csrf = hidden("csrfToken", csrf_token),
        token = hidden("token", token),
        callback = hidden("callbackUrl", ctx.base_url.as_str()),
    );
    layout(auth, ctx, lang.text(Text::ChooseNewPassword), &body)
}

/// "Check your email": after a magic link was sent, or (`after_sign_up`) after a sign-up
/// whose address must be verified before signing in.
pub(crate) fn verify_request(auth: &Auth, ctx: &RequestContext, after_sign_up: bool) -> String {
    let lang = &ctx.language;
    let text = if after_sign_up {
        Text::ConfirmLinkSent
    } else {
        Text::SignInLinkSent
    };
    let body = format!(
        r#"<h1>{title}</h1><p>{text}</p>
<p><a href="{home}">{host}</a></p>"#,
        title = escape(lang.text(Text::CheckEmail)),
        text = escape(lang.text(text)),
        home = escape(ctx.base_url.as_str()),
        host = escape(ctx.base_url.host_str().unwrap_or_default()),
    );
    layout(auth, ctx, lang.text(Text::CheckEmail), &body)
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
    let lang = &ctx.language;
    let t = |text| escape(lang.text(text));
    let sign_in = escape(&auth.absolute_url(ctx, &auth.paths().sign_in()));
    let title = t(Text::TwoFactorTitle);
    let error = error
        .map(|code| {
            format!(
                r#"<p class="error" role="alert" data-error="{code}">{}</p>"#,
                escape(lang.text(crate::two_factor::TwoFactorError::text_of(code))),
                code = escape(code),
            )
        })
        .unwrap_or_default();
    if !pending {
        let body = format!(
            r#"<h1>{title}</h1>{error}<p>{gone}</p>
<p><a href="{sign_in}">{sign_in_text}</a></p>"#,
            gone = t(Text::TwoFactorGone),
            sign_in_text = t(Text::SignIn),
        );
        return layout(auth, ctx, lang.text(Text::TwoFactorTitle), &body);
    }
    let days = auth.config().session.trusted_device_age.as_secs() / (24 * 60 * 60);
    let body = format!(
        r#"<h1>{title}</h1>{error}<p>{prompt}</p>
<form method="post" action="{action}">{csrf}
<label for="code">{code}</label><input id="code" name="code" type="text" inputmode="text" autocomplete="one-time-code" autocapitalize="off" spellcheck="false" maxlength="32" required autofocus>
<label class="check"><input type="checkbox" name="trustDevice" value="true" style="width:auto"> {trust}</label>
<button type="submit">{verify}</button></form>
<p><a href="{sign_in}">{cancel}</a></p>"#,
        prompt = t(Text::TwoFactorPrompt),
        code = t(Text::Code),
        trust = escape(&lang.fill(Text::TrustDevice, &[("days", &days.to_string())])),
        verify = t(Text::Verify),
        cancel = t(Text::Cancel),
        action = escape(&auth.absolute_url(ctx, &auth.paths().verify_two_factor())),
        csrf = hidden("csrfToken", csrf_token),
    );
    layout(auth, ctx, lang.text(Text::TwoFactorTitle), &body)
}

/// The backup codes, shown once (after turning two-factor on or making new ones): to copy
/// or download as text, and where to go on.
pub(crate) fn backup_codes(
    auth: &Auth,
    ctx: &RequestContext,
    codes: &[String],
    continue_url: &str,
) -> String {
    let lang = &ctx.language;
    let t = |text| escape(lang.text(text));
    let text = codes.join("\n");
    let download: String =
        percent_encoding::utf8_percent_encode(&text, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
    let body = format!(
        r#"<h1>{title}</h1><p>{explained}</p>
<pre id="backup-codes" data-testid="backup-codes">{codes}</pre>
<p><button type="button" onclick="navigator.clipboard.writeText(document.getElementById('backup-codes').textContent)">{copy}</button>
<a href="data:text/plain;charset=utf-8,{download}" download="backup-codes.txt">{download_text}</a></p>
<p><a href="{continue_url}">{continue_text}</a></p>"#,
        title = t(Text::BackupCodesTitle),
        explained = t(Text::BackupCodesText),
        copy = t(Text::Copy),
        download_text = t(Text::DownloadAsText),
        continue_text = t(Text::Continue),
        codes = escape(&text),
        continue_url = escape(continue_url),
    );
    layout(auth, ctx, lang.text(Text::BackupCodesTitle), &body)
}
