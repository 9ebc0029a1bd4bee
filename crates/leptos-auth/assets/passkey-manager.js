// leptos-auth: the signed-in user's passkeys in the browser (README › Passkeys), for
// `<PasskeyManager>`: the list with rename and delete, "Add a passkey" (after confirming with
// the password or a passkey when the sign-in is not recent), "Remove my password".

import { PasskeyError, announce, base, ceremony, enhance, post, show } from "./passkey-core.js";

const escape = (text) => String(text).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const day = (iso) => iso.slice(0, 10);

/** Signs in again with the password, which makes the session fresh. */
async function confirmWithPassword(email, password) {
  const { csrfToken } = await (await fetch(`${base}/csrf`)).json();
  const response = await fetch(`${base}/callback/credentials`, {
    method: "POST",
    headers: { "X-Auth-Return-Redirect": "1" },
    body: new URLSearchParams({ csrfToken, email, password }),
  });
  const { url = "" } = await response.json().catch(() => ({}));
  if (!response.ok || url.includes("error=")) {
    throw new PasskeyError("CredentialsSignin", T.wrongPassword);
  }
  announce();
}

enhance("[data-passkey=manager]", (section) => {
  const $ = (selector) => section.querySelector(selector);
  const status = $("[role=status]");
  const reload = async () => {
    const response = await fetch(`${base}/passkeys`);
    if (!response.ok) return;
    const passkeys = await response.json();
    $("ul").innerHTML = passkeys
      .map(
        (p) =>
          `<li data-testid="passkey"><strong>${escape(p.name)}</strong><span class="muted"> · ${escape(T.addedOn.replace("{date}", day(p.createdAt)))} · ${escape(p.lastUsedAt ? T.lastUsedOn.replace("{date}", day(p.lastUsedAt)) : T.neverUsed)}${p.synced ? ` · ${escape(T.synced)}` : ""}</span> <button type="button" class="button" data-action="rename" data-id="${escape(p.id)}">${escape(T.rename)}</button> <button type="button" class="button" data-action="delete" data-id="${escape(p.id)}">${escape(T.delete)}</button></li>`,
      )
      .join("");
    $("[data-action=remove-password]").hidden = !passkeys.length;
  };
  const run = (promise) =>
    promise.then(reload, (error) => {
      if (error.code == "SessionNotFresh") $("[data-confirm]").hidden = false;
      show(status, error);
    });
  const add = async () => {
    status.textContent = T.followPrompt;
    await ceremony("register", { name: $("#passkey-name").value });
    $("#passkey-name").value = "";
    $("[data-confirm]").hidden = true;
    status.textContent = T.passkeyAdded;
  };
  section.hidden = false;
  reload();
  section.onsubmit = (event) => {
    event.preventDefault();
    if (event.target.dataset.form == "add") return run(add());
    const password = $("#confirm-password");
    run(confirmWithPassword(section.dataset.email, password.value).then(add));
    password.value = "";
  };
  section.onclick = ({ target }) => {
    const { action, id } = target.closest("[data-action]")?.dataset ?? {};
    if (action == "delete") run(post("/passkeys/delete", { id }));
    if (action == "rename") {
      const name = prompt(T.newName);
      if (name) run(post("/passkeys/rename", { id, name }));
    }
    if (action == "confirm-passkey") run(ceremony("authenticate", {}).then(announce).then(add));
    if (action == "remove-password") {
      run(post("/password/remove", {}).then(() => {
        status.textContent = T.passwordRemoved;
      }));
    }
  };
});
