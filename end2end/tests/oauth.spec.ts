import { test, expect, type Page } from "@playwright/test";

function uniqueLogin(label: string) {
  return `${label}${Date.now()}${Math.floor(Math.random() * 1e4)}`;
}

/** Fills the provider's login form (oidc-provider's devInteractions page). */
async function logInAtProvider(page: Page, login: string) {
  await expect(page).toHaveURL(/127\.0\.0\.1:3200\/interaction\//);
  await page.locator("input[name=login]").fill(login);
  await page.locator("input[name=password]").fill("any password");
  await page.locator("button[type=submit]").click();
}

test("Sign in with the OIDC provider from /sign-in lands on the dashboard", async ({ page }) => {
  const login = uniqueLogin("oidc");
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with Test OIDC" }).click();
  await logInAtProvider(page, login);
  await expect(page).toHaveURL(/127\.0\.0\.1:3100\/dashboard$/);
  await expect(page.getByTestId("user-email")).toHaveText(`${login}@example.com`);

  await page.goto("/settings");
  await expect(page.getByTestId("linked-account")).toHaveText(/oidc/);
  await expect(page.getByTestId("has-password")).toHaveText("Password: none");
  await page.getByRole("button", { name: "Unlink" }).click();
  await expect(page.getByRole("alert")).toContainText("only way to sign in");
  await expect(page.getByTestId("linked-account")).toHaveCount(1);
});

test("the Top artists page lists artists fetched by the server with the Spotify token", async ({ page }) => {
  const login = uniqueLogin("spotify");
  await page.goto("/sign-in?callbackUrl=%2Ftop-artists");
  await page.getByRole("button", { name: "Sign in with Spotify" }).click();
  await logInAtProvider(page, login);
  await expect(page).toHaveURL(/\/top-artists$/);
  await expect(page.getByTestId("artists")).toContainText("Test Artist One");
  await expect(page.getByTestId("artists").locator("li")).toHaveCount(6);
});
