import { test, expect } from "@playwright/test";

/** Resolves once the WASM client has hydrated the page (set by a client-only effect). */
async function waitForHydration(page: import("@playwright/test").Page) {
  await page.locator("body[data-hydrated=true]").waitFor();
}

test("home page is rendered on the server, before any script runs", async ({ request }) => {
  const response = await request.get("/");
  expect(response.status()).toBe(200);
  const html = await response.text();
  expect(html).toContain("<h1>leptos-auth</h1>");
  expect(html).toContain('data-testid="session-status"');
});

test("home page content is there with JavaScript disabled", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "leptos-auth" })).toBeVisible();
  await expect(page.locator("body")).not.toHaveAttribute("data-hydrated", "true");
  await context.close();
});

test("the page hydrates: a button updates reactive state", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/");
  await waitForHydration(page);
  const counter = page.getByTestId("counter");
  await expect(counter).toHaveText("Clicked 0 times");
  await counter.click();
  await counter.click();
  await expect(counter).toHaveText("Clicked 2 times");
  expect(errors).toEqual([]);
});

test("navigation to a route-group page happens on the client, without a reload", async ({ page }) => {
  await page.goto("/");
  await waitForHydration(page);
  // A full page load would wipe this marker.
  await page.evaluate(() => ((window as any).__noReload = true));
  await page.getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.getByRole("link", { name: "leptos-auth" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { name: "leptos-auth" })).toBeVisible();
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
});

test("an unknown path shows the styled 404 page with status 404", async ({ page }) => {
  const response = await page.goto("/this/page/does/not/exist");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  // Styled: the app stylesheet applies to the page.
  const color = await page.locator(".status-code").evaluate((el) => getComputedStyle(el).color);
  expect(color).toBe("rgb(79, 70, 229)");
});

test("health check answers 200", async ({ request }) => {
  const response = await request.get("/healthz");
  expect(response.status()).toBe(200);
});
