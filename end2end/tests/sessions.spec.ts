import { test, expect, type Page } from "@playwright/test";

const PASSWORD = "correct horse battery";

function uniqueEmail(label: string) {
  return `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

async function waitForHydration(page: Page) {
  await page.locator("body[data-hydrated=true]").waitFor();
}

async function signUp(page: Page, email: string) {
  await page.goto("/sign-up");
  await waitForHydration(page);
  await page.getByLabel("Name").fill("Devices");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** Signs in through the sign-in form (works with and without JavaScript). */
async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

test("the settings page lists this browser's sessions and signs out all the others", async ({ browser }) => {
  const email = uniqueEmail("devices");
  const laptop = await browser.newContext();
  const phone = await browser.newContext({ userAgent: "Mozilla/5.0 (Linux; Android 14) Firefox/128.0" });
  const laptopPage = await laptop.newPage();
  await signUp(laptopPage, email);
  const phonePage = await phone.newPage();
  await signIn(phonePage, email);

  await laptopPage.goto("/settings");
  const sessions = laptopPage.getByTestId("session");
  await expect(sessions).toHaveCount(2);
  await expect(laptopPage.locator('[data-testid=session][data-current=true]')).toContainText("(this device)");
  await expect(sessions.filter({ hasText: "Firefox on Android" })).toHaveCount(1);
  // Both sign-ins are in the recent security activity: the sign-up's (a sign-up is a sign-in
  // too, as an OAuth account's first sign-in is) and the phone's.
  await expect(laptopPage.getByTestId("audit").getByText("Signed in")).toHaveCount(2);
  await expect(laptopPage.getByTestId("audit").getByText("Account created")).toHaveCount(1);

  await laptopPage.getByTestId("revoke-others").click();
  await expect(laptopPage).toHaveURL(/\/settings$/);
  await expect(sessions).toHaveCount(1);

  // The phone is signed out: its next page load goes to the sign-in page.
  await phonePage.goto("/dashboard");
  await expect(phonePage).toHaveURL(/\/sign-in/);
  await laptop.close();
  await phone.close();
});

test("changing the password works without JavaScript and ends the other sessions", async ({ browser }) => {
  const email = uniqueEmail("password");
  const first = await browser.newContext();
  await signUp(await first.newPage(), email);

  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const page = await noScript.newPage();
  await signIn(page, email);
  await page.goto("/settings");
  await page.getByLabel("Current password").fill("not the password");
  await page.getByLabel("New password").fill("a brand new password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("The current password is not correct.")).toBeVisible();

  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("New password").fill("a brand new password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed.")).toBeVisible();
  await expect(page.getByTestId("session")).toHaveCount(1);

  // The first browser's session ended; the new password signs in.
  const firstPage = first.pages()[0];
  await firstPage.goto("/dashboard");
  await expect(firstPage).toHaveURL(/\/sign-in/);
  await signIn(firstPage, email, "a brand new password");
  await first.close();
  await noScript.close();
});
