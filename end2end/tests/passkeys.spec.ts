import { test, expect, type CDPSession, type Page } from "@playwright/test";

// Passkeys in Chromium with its DevTools virtual authenticator (a platform authenticator
// with resident keys and user verification that always says yes), against the instance of
// the app at http://localhost:3101: browsers refuse WebAuthn on an IP-address origin.
test.use({ baseURL: "http://localhost:3101" });

const PASSWORD = "correct horse battery";

function uniqueEmail(label: string) {
  return `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

async function waitForHydration(page: Page) {
  await page.locator("body[data-hydrated=true]").waitFor();
}

type Authenticator = { cdp: CDPSession; authenticatorId: string };

async function addAuthenticator(page: Page, cdp?: CDPSession): Promise<Authenticator> {
  cdp ??= await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

async function credentialsOf({ cdp, authenticatorId }: Authenticator) {
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  return credentials;
}

async function signUpWithPassword(page: Page, email: string) {
  await page.goto("/sign-up");
  await waitForHydration(page);
  await page.getByLabel("Name").fill("Ada");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up", exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** Adds a passkey called `name` on the settings page; the account then has `count`. */
async function addPasskey(page: Page, name: string, count: number) {
  await page.goto("/settings");
  await waitForHydration(page);
  const passkeys = page.getByTestId("passkeys");
  await expect(passkeys).toBeVisible();
  await expect(passkeys.getByTestId("passkey")).toHaveCount(count - 1);
  await passkeys.getByLabel("Name").fill(name);
  await passkeys.getByRole("button", { name: "Add a passkey" }).click();
  await expect(passkeys.getByRole("status")).toHaveText("Passkey added.");
  await expect(passkeys.getByTestId("passkey")).toHaveCount(count);
  await expect(passkeys.getByTestId("passkey").filter({ hasText: name })).toHaveCount(1);
}

async function signOut(page: Page) {
  await page.getByRole("navigation").getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);
}

/** Chromium's virtual authenticator answers a conditional (autofill) request on its own, so
 * a page would sign in before the test clicks: tests of the button take the autofill away. */
async function withoutAutofill(page: Page) {
  await page.addInitScript(() => {
    PublicKeyCredential.isConditionalMediationAvailable = async () => false;
  });
}

async function signInWithPasskey(page: Page) {
  await page.goto("/sign-in");
  await waitForHydration(page);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
}

test("a passkey added in settings signs in with one click, no email typed", async ({ page }) => {
  await withoutAutofill(page);
  const authenticator = await addAuthenticator(page);
  const email = uniqueEmail("passkey");
  await signUpWithPassword(page, email);
  await addPasskey(page, "MacBook", 1);
  const [credential] = await credentialsOf(authenticator);
  expect(credential.isResidentCredential).toBe(true);

  await signOut(page);
  await signInWithPasskey(page);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("nav-user")).toContainText(email);
  // Used just now, and in the security activity.
  await page.goto("/settings");
  await expect(page.getByTestId("passkey").filter({ hasText: "MacBook" })).toContainText("last used");
  await expect(page.getByTestId("audit")).toContainText("Passkey added");
});

test("the sign-in page signs in through the email field's autofill", async ({ page }) => {
  await addAuthenticator(page);
  const asked: string[] = [];
  page.on("request", (request) => {
    if (request.url().endsWith("/api/auth/webauthn-options/passkey")) {
      asked.push(request.postDataJSON()?.action);
    }
  });
  const email = uniqueEmail("autofill");
  await signUpWithPassword(page, email);
  await addPasskey(page, "MacBook", 1);
  await signOut(page);
  // The page asks for a conditional request at once; Chromium's virtual authenticator picks
  // the saved passkey from the "autofill" as a user would, and the page signs in.
  await page.goto("/sign-in");
  await expect(page.getByLabel("Email")).toHaveAttribute("autocomplete", "username webauthn");
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("nav-user")).toContainText(email);
  expect(asked).toEqual(["register", "authenticate"]);
});

test("an account can be created with a passkey and no password", async ({ page }) => {
  await withoutAutofill(page);
  await addAuthenticator(page);
  const email = uniqueEmail("passkey-only");
  await page.goto("/sign-up");
  await waitForHydration(page);
  await page.getByLabel("Name").fill("Lin");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Sign up with a passkey instead" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("nav-user")).toContainText(email);

  await signOut(page);
  // No password to sign in with…
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("Invalid email or password");
  // …but the passkey.
  await signInWithPasskey(page);
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("a deleted passkey no longer signs in; two passkeys on one account both do", async ({ page }) => {
  await withoutAutofill(page);
  const laptop = await addAuthenticator(page);
  const email = uniqueEmail("two-passkeys");
  await signUpWithPassword(page, email);
  await addPasskey(page, "Laptop", 1);
  // A second device: the laptop's authenticator goes away, a phone's comes.
  const [laptopKey] = await credentialsOf(laptop);
  await laptop.cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: laptop.authenticatorId });
  const phone = await addAuthenticator(page, laptop.cdp);
  await addPasskey(page, "Phone", 2);
  await expect(page.getByTestId("passkey")).toHaveCount(2);

  await signOut(page);
  await signInWithPasskey(page);
  await expect(page).toHaveURL(/\/dashboard$/);

  // Back to the laptop: its passkey signs in as well.
  await phone.cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: phone.authenticatorId });
  const laptopAgain = await addAuthenticator(page, phone.cdp);
  await laptopAgain.cdp.send("WebAuthn.addCredential", {
    authenticatorId: laptopAgain.authenticatorId,
    credential: laptopKey,
  });
  await signOut(page);
  await signInWithPasskey(page);
  await expect(page).toHaveURL(/\/dashboard$/);

  // Delete the laptop's passkey: it signs nobody in any more.
  await page.goto("/settings");
  await waitForHydration(page);
  const row = page.getByTestId("passkey").filter({ hasText: "Laptop" });
  await row.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("passkey")).toHaveCount(1);
  await signOut(page);
  await signInWithPasskey(page);
  await expect(page.getByRole("alert")).toHaveText("The passkey could not be verified.");
  await expect(page).toHaveURL(/\/sign-in/);
});
