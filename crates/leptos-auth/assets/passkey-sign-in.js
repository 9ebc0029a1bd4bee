// leptos-auth: signing in and up with a passkey (README › Passkeys), for `<PasskeyButton>`
// and `<PasskeySignUp>`.

import { announce, ceremony, enhance, show } from "./passkey-core.js";

/** After a sign-in or sign-up: on to the page the server named. */
function signedIn(answer) {
  announce();
  location.assign(answer.url);
}

// <PasskeyButton>: a click asks for any passkey of the site; with autofill, the page's field
// with autocomplete="username webauthn" offers them too, until the button leaves the page.
enhance("[data-passkey=sign-in]", (element) => {
  const [button, alert] = element.children;
  const callbackUrl = element.dataset.callbackUrl;
  let autofill;
  const stopAutofill = () => autofill?.abort();
  button.hidden = false;
  button.onclick = () => {
    stopAutofill();
    alert.hidden = true;
    ceremony("authenticate", { callbackUrl }).then(signedIn, (error) => show(alert, error));
  };
  if (element.dataset.autofill == null) return;
  new MutationObserver((_, observer) => {
    if (!element.isConnected) {
      stopAutofill();
      observer.disconnect();
    }
  }).observe(document.body, { childList: true, subtree: true });
  PublicKeyCredential.isConditionalMediationAvailable?.().then((ok) => {
    if (!ok || !element.isConnected) return;
    autofill = new AbortController();
    const { signal } = autofill;
    ceremony("authenticate", { callbackUrl }, signal).then(signedIn, (error) => {
      if (!signal.aborted) show(alert, error);
    });
  });
});

// <PasskeySignUp>: an account from the page's email (and name) field and a new passkey.
enhance("[data-passkey=sign-up]", (element) => {
  const [button, alert] = element.children;
  const field = (id) => (id && document.getElementById(id)?.value) || undefined;
  button.hidden = false;
  button.onclick = () => {
    alert.hidden = true;
    const { emailField, nameField, callbackUrl } = element.dataset;
    const fields = { email: field(emailField) ?? "", name: field(nameField), callbackUrl };
    ceremony("register", fields).then(signedIn, (error) => show(alert, error));
  };
});
