use leptos::prelude::*;

/// "Sign in with <provider>": a plain form posting to `/api/auth/signin/<id>`, so it works
/// with and without JavaScript (the browser leaves for the provider either way). Signed in,
/// the same button links the provider to the current user.
#[component]
pub fn ProviderButton(
    #[prop(into)] provider_id: String,
    #[prop(into)] label: String,
    #[prop(into)] callback_url: Signal<String>,
    #[prop(into)] csrf_token: Signal<String>,
) -> impl IntoView {
    view! {
        <form method="post" action=format!("/api/auth/signin/{provider_id}") class="provider-form">
            <input type="hidden" name="csrfToken" value=csrf_token/>
            <input type="hidden" name="callbackUrl" value=callback_url/>
            <button type="submit" class="button wide">{label}</button>
        </form>
    }
}
