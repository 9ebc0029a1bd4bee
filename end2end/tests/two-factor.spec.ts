import { test, expect, type Browser, type Page } from "@playwright/test";
import { createHmac } from "node:crypto";

// Two-factor sign-in with an authenticator app: the test reads the key from the settings
// page and computes the codes itself (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps), as an
// app on a phone would.

const PASSWORD = "correct horse battery";

function uniqueEmail(label: string) {
  return `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

async function waitForHydration(page: Page) {
  await page.locator("body[data-hydrated=true]").waitFor();
}

function base32Decode(text: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const char of text.replace(/=+$/, "").toUpperCase()) {
    const value = alphabet.indexOf(char);
    if (value < 0) throw new Error(`not base32: ${char}`);
    bits += value.toString(2).padStart(5, "0");
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The code of `secret` for the time step `steps` away from now. */
function totp(secret: string, steps = 0): string {
  const counter = Math.floor(Date.now() / 1000 / 30) + steps;
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", base32Decode(secret)).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, "0");
}

async function signUp(page: Page, email: string) {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Two Factor");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** Turns two-factor sign-in on in settings: the key and the backup codes. */
async function turnOnTwoFactor(page: Page) {
  await page.goto("/settings");
  await expect(page.getByTestId("two-factor-status")).toHaveText("Off");
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  await expect(page).toHaveURL(/\/settings$/);
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  // The QR code is an SVG made by the server.
  await expect(page.locator(".qr svg")).toBeVisible();
  await page.locator("#enable-code").fill(totp(secret));
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  const codes = (await page.getByTestId("backup-codes").textContent())!.trim().split("\n");
  expect(codes).toHaveLength(10);
  await expect(page.getByRole("link", { name: "Download as text" })).toHaveAttribute("download", "backup-codes.txt");
  await page.getByRole("link", { name: "Continue" }).click();
  await expect(page.getByTestId("two-factor-status")).toHaveText("On · 10 backup codes left");
  return { secret, codes };
}

async function signOut(page: Page) {
  await page.goto("/dashboard");
  await waitForHydration(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);
}

/** The sign-in form; with two-factor on, it ends on the page that asks for the code. */
async function signInWithPassword(page: Page, email: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

async function enterCode(page: Page, code: string, trust = false) {
  await expect(page).toHaveURL(/\/api\/auth\/two-factor(\?error=\w+)?$/);
  await page.getByLabel("Code").fill(code);
  if (trust) await page.getByLabel(/Trust this device/).check();
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

test("two-factor: turn it on, then sign in with a code, with a backup code, and from a trusted device", async ({ page }) => {
  const email = uniqueEmail("totp");
  await signUp(page, email);
  const { secret, codes } = await turnOnTwoFactor(page);
  await signOut(page);

  // Password, then the code (the next step's: the set-up used this step's, once).
  await signInWithPassword(page, email);
  await expect(page).toHaveURL(/\/api\/auth\/two-factor$/);
  await page.getByLabel("Code").fill("000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert")).toHaveText("The code is not correct.");
  await enterCode(page, totp(secret, 1));
  await expect(page.getByTestId("user-email")).toHaveText(email);
  await signOut(page);

  // A backup code, and "trust this device".
  await signInWithPassword(page, email);
  await enterCode(page, codes[0], true);
  await signOut(page);

  // Trusted: the password is enough here.
  await signInWithPassword(page, email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/settings");
  await expect(page.getByTestId("two-factor-status")).toHaveText("On · 9 backup codes left");
  await expect(page.getByTestId("audit").getByText("Backup code used")).toHaveCount(1);
});

test.describe("with JavaScript disabled", () => {
  test.use({ javaScriptEnabled: false });

  test("the sign-in with a code works with plain forms", async ({ page }) => {
    const email = uniqueEmail("totp-nojs");
    await signUp(page, email);
    const { secret } = await turnOnTwoFactor(page);
    await page.goto("/dashboard");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/$/);

    await signInWithPassword(page, email);
    await enterCode(page, totp(secret, 1));
    await expect(page.getByTestId("user-email")).toHaveText(email);
  });
});

test.describe("a stale session", () => {
  // The instance whose sessions are fresh for two seconds only.
  test.use({ baseURL: "http://127.0.0.1:3102" });

  test("is asked to confirm it is you before changing the password, then can", async ({ page }) => {
    const email = uniqueEmail("stale");
    await signUp(page, email);
    await page.waitForTimeout(3_000);
    await page.goto("/settings");
    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByLabel("New password").fill("a brand new password");
    await page.getByRole("button", { name: "Change password" }).click();
    const confirm = page.getByTestId("reauthenticate");
    await expect(confirm).toContainText("Confirm it is you");

    await confirm.getByLabel("Password").fill("not the password");
    await confirm.getByRole("button", { name: "Confirm" }).click();
    await expect(page.getByTestId("reauthenticate")).toContainText("The password is not correct.");
    await page.getByTestId("reauthenticate").getByLabel("Password").fill(PASSWORD);
    await page.getByTestId("reauthenticate").getByRole("button", { name: "Confirm" }).click();
    await expect(page.getByTestId("reauthenticated")).toBeVisible();

    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByLabel("New password").fill("a brand new password");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("Password changed.")).toBeVisible();
  });
});
