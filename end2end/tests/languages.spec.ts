import { test, expect } from "@playwright/test";

// The library's sign-up form and built-in pages speak the browser's language (German here,
// from Accept-Language), before and after hydration; error codes in URLs stay English.

test.use({ locale: "de-DE" });

const PASSWORD = "correct horse battery";

test("a German browser gets the sign-up form and its errors in German", async ({ page }) => {
  const email = `sprache-${Date.now()}@example.com`;
  await page.goto("/sign-up");
  await page.locator("body[data-hydrated=true]").waitFor();
  // Hydration keeps the server's words (the texts come with the session state).
  await expect(page.getByRole("button", { name: "Registrieren" })).toBeVisible();
  await page.getByLabel("Name").fill("Grete");
  await page.getByLabel("E-Mail").fill(email);
  await page.getByLabel("Passwort").fill("kurz");
  // The browser's own check (minlength) would stop a short password: remove it to see the
  // server's answer, as a client without that check gets it.
  await page.getByLabel("Passwort").evaluate((input) => input.removeAttribute("minlength"));
  await page.getByRole("button", { name: "Registrieren" }).click();
  await expect(page).toHaveURL(/\/sign-up\?error=WeakPassword/);
  const alert = page.getByRole("alert");
  await expect(alert).toBeVisible();
  await expect(alert).not.toContainText("The password");
  // What was typed is still there, and a right password signs up.
  await expect(page.getByLabel("E-Mail")).toHaveValue(email);
  await page.getByLabel("Passwort").fill(PASSWORD);
  await page.getByRole("button", { name: "Registrieren" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("the built-in pages are German too", async ({ page }) => {
  // (The demo replaces the sign-in page with its own; this one is the library's.)
  await page.goto("/api/auth/verify-request");
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  await expect(page.getByRole("heading", { name: "Prüfen Sie Ihre E-Mails" })).toBeVisible();
  await page.goto("/api/auth/error?error=Verification");
  await expect(page.getByRole("alert")).toHaveAttribute("data-error", "Verification");
  await expect(page.getByRole("alert")).toContainText("nicht mehr gültig");
});

test("the passkey controls speak German too", async ({ page }) => {
  // The instance named by host, where passkeys can work; its scripts bring the words.
  await page.goto("http://localhost:3101/sign-up");
  await expect(page.getByRole("button", { name: "Stattdessen mit Passkey registrieren" })).toBeVisible();
  await page.goto("http://localhost:3101/sign-in");
  await expect(page.getByRole("button", { name: "Mit Passkey anmelden" })).toBeVisible();
});
