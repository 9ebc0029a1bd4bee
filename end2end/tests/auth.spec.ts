import { test, expect, type Page } from "@playwright/test";

const PASSWORD = "correct horse battery";

function uniqueEmail(label: string) {
  return `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

async function waitForHydration(page: Page) {
  await page.locator("body[data-hydrated=true]").waitFor();
}

async function signUp(page: Page, name: string, email: string) {
  await page.goto("/sign-up");
  await waitForHydration(page);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

test("sign up lands on the dashboard with the name and the custom session fields", async ({ page }) => {
  const email = uniqueEmail("signup");
  await signUp(page, "Ada Lovelace", email);
  await expect(page.getByTestId("user-name")).toHaveText("Ada Lovelace");
  await expect(page.getByTestId("user-email")).toHaveText(email);
  await expect(page.getByTestId("user-id")).toHaveText(/^[0-9a-f]{32}$/);
  await expect(page.getByTestId("number-key")).toHaveText(/^\d+$/);
  await expect(page.getByTestId("nav-user")).toContainText(email);
});

test("sign out from the dashboard: the home page says Not signed in", async ({ page }) => {
  await signUp(page, "Grace", uniqueEmail("signout"));
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("session-status")).toHaveText("Not signed in");
  const response = await page.request.get("/dashboard", { maxRedirects: 0 });
  expect(response.status()).toBe(302);
});

test("a wrong password shows an inline error without navigating or reloading", async ({ page, browser }) => {
  const email = uniqueEmail("wrongpw");
  const other = await browser.newPage();
  await signUp(other, "Linus", email);
  await other.close();

  await page.goto("/sign-in");
  await waitForHydration(page);
  await page.evaluate(() => ((window as any).__noReload = true));
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert")).toHaveText("Invalid email or password.");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByLabel("Email")).toHaveValue(email);
  await expect(page.getByLabel("Password")).toHaveValue("");
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
});

test("a protected page sends to sign-in and, after signing in, back to that page", async ({ page, browser }) => {
  const email = uniqueEmail("callback");
  const other = await browser.newPage();
  await signUp(other, "Barbara", email);
  await other.close();

  await page.goto("/profile");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fprofile$/);
  await waitForHydration(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByTestId("profile-name")).toHaveText("Barbara");
});

test("signing out in one tab signs out the other tab within seconds", async ({ context }) => {
  const first = await context.newPage();
  await signUp(first, "Tabs", uniqueEmail("tabs"));
  const second = await context.newPage();
  await second.goto("/dashboard");
  await waitForHydration(second);
  await expect(second.getByRole("heading", { name: "Dashboard" })).toBeVisible();

  await first.getByRole("button", { name: "Sign out" }).click();
  await expect(first).toHaveURL(/\/$/);
  await expect(second).toHaveURL(/\/sign-in\?callbackUrl=%2Fdashboard$/, { timeout: 5_000 });
});

test("the server-rendered dashboard already contains the user's email", async ({ page }) => {
  const email = uniqueEmail("ssr");
  await signUp(page, "Source", email);
  const response = await page.request.get("/dashboard");
  expect(response.status()).toBe(200);
  expect(await response.text()).toContain(email);
});

test("a signed-in user who opens the sign-in page goes to the dashboard", async ({ page }) => {
  await signUp(page, "Already", uniqueEmail("already"));
  await page.goto("/sign-in");
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("the profile page renames the user through session update()", async ({ page }) => {
  await signUp(page, "Old Name", uniqueEmail("update"));
  await page.goto("/profile");
  await waitForHydration(page);
  await page.getByLabel("Display name").fill("New Name");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("profile-name")).toHaveText("New Name");
  await expect(page.getByTestId("nav-user")).toContainText("New Name");
  await page.reload();
  await expect(page.getByTestId("profile-name")).toHaveText("New Name");
});

test.describe("with JavaScript disabled", () => {
  test.use({ javaScriptEnabled: false });

  test("sign up, sign out, failed and successful sign-in all work with plain forms", async ({ page }) => {
    const email = uniqueEmail("nojs");
    await page.goto("/sign-up");
    await page.getByLabel("Name").fill("No Script");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign up" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("user-email")).toHaveText(email);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId("session-status")).toHaveText("Not signed in");

    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fdashboard$/);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("alert")).toHaveText("Invalid email or password.");

    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("user-name")).toHaveText("No Script");
  });
});
