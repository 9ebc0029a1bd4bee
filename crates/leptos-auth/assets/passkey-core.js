// leptos-auth: passkeys in the browser (README › Passkeys). This file holds what both kinds
// of page need: the ceremony, and showing the controls where passkeys can work.
// passkey-sign-in.js (`<PasskeyButton>`, `<PasskeySignUp>`) and passkey-manager.js
// (`<PasskeyManager>`) import it; the auth router serves each of them with this file in front
// and without the import, the comment lines and the indentation — so no line of code starts
// with `//`, `/**` or `import`, no string spans lines, and the files share one scope. Plain
// JavaScript rather than WASM: the ceremony in the WASM client cost 18.5 KiB of the bundle's
// budget. `T` holds the words in the page's language: the router serves each script with
// `const T = {…};` in front (README › Languages).

export const base = new URL(".", import.meta.url).pathname.replace(/\/$/, "");

/** A refusal, with the server's stable code (or `Cancelled` when the prompt was closed). */
export class PasskeyError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** POSTs `body` with a CSRF token as JSON; the answer, or a `PasskeyError`. */
export async function post(path, body) {
  const { csrfToken } = await (await fetch(`${base}/csrf`)).json();
  const response = await fetch(base + path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ...body, csrfToken }),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new PasskeyError(answer.error ?? "Unavailable", answer.message ?? T.tryAgain);
  }
  return answer;
}

/** One ceremony: the server's options, the browser's prompt, the answer posted back. */
export async function ceremony(action, fields, signal) {
  const { options, ceremony } = await post("/webauthn-options/passkey", { action, ...fields });
  let credential;
  try {
    credential =
      action == "register"
        ? await navigator.credentials.create({
            publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options.publicKey),
          })
        : await navigator.credentials.get({
            publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options.publicKey),
            ...(signal && { mediation: "conditional", signal }),
          });
  } catch (error) {
    throw error.name == "InvalidStateError"
      ? new PasskeyError("PasskeyExists", T.passkeyExists)
      : error.name == "NotAllowedError" || error.name == "AbortError"
        ? new PasskeyError("Cancelled", T.promptClosed)
        : new PasskeyError("PasskeyError", T.passkeyFailed);
  }
  return post("/callback/passkey", { action, ceremony, data: credential.toJSON(), ...fields });
}

/** Tells the app's tabs, this one included, that the session changed. */
export function announce() {
  const channel = new BroadcastChannel("next-auth");
  channel.postMessage('{"event":"session","data":{"trigger":"getSession"}}');
  channel.close();
}

/** Shows `error` in `alert`, unless the user just closed the prompt. */
export function show(alert, error) {
  alert.hidden = error.code == "Cancelled";
  alert.textContent = error.message;
}

// Passkeys need a browser that has them, a site named by host (browsers refuse an IP
// address) and the passkey provider on the server.
const available =
  typeof PublicKeyCredential == "function" &&
  "parseRequestOptionsFromJSON" in PublicKeyCredential &&
  !/^[\d.]+$|:/.test(location.hostname) &&
  fetch(`${base}/providers`)
    .then((response) => response.json())
    .then((providers) => Object.values(providers).some((p) => p.type == "webauthn"))
    .catch(() => false);

/** Puts the words in: `data-t` names an element's text, `data-t-placeholder` its placeholder. */
function translate(element) {
  for (const labelled of element.querySelectorAll("[data-t]")) labelled.textContent = T[labelled.dataset.t];
  for (const field of element.querySelectorAll("[data-t-placeholder]")) field.placeholder = T[field.dataset.tPlaceholder];
}

/** Runs `setUp` once on each element matching `selector`, now and as pages render more. */
export function enhance(selector, setUp) {
  const run = () => {
    for (const element of document.querySelectorAll(`${selector}:not([data-ready])`)) {
      element.dataset.ready = "";
      translate(element);
      setUp(element);
    }
  };
  Promise.resolve(available).then((ok) => {
    if (ok) {
      run();
      new MutationObserver(run).observe(document.body, { childList: true, subtree: true });
    }
  });
}
