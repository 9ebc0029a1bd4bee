import { test, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

// Every page, signed out and signed in, against axe-core's WCAG 2.x A and AA rules: no
// serious or critical finding. And a sign-in done with the keyboard alone.

const PASSWORD = "correct horse battery";

function uniqueEmail(label: string) {
  return `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

async function expectAccessible(page: Page, path: string) {
  await page.goto(path);
  await page.waitForLoadState("networkidle");
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  // The rules ran on the page (a blank or failed page passes nothing).
  expect(results.passes.length, path).toBeGreaterThan(5);
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious, `${path}\n${serious.join("\n")}`).toEqual([]);
}

const SIGNED_OUT = [
  "/",
  "/sign-in",
  "/sign-up",
  "/forgot-password",
  "/reset-password?token=x",
  "/api/auth/signin",
  "/api/auth/signup",
  "/api/auth/signout",
  "/api/auth/error?error=Verification",
  "/api/auth/verify-request",
  "/api/auth/two-factor",
  "/api/auth/password/reset?token=x",
];

const SIGNED_IN = ["/", "/dashboard", "/profile", "/settings", "/top-artists"];

test("every signed-out page passes axe's WCAG A/AA rules", async ({ page }) => {
  for (const path of SIGNED_OUT) await expectAccessible(page, path);
});

test.describe("in dark mode (the system's preference)", () => {
  test.use({ colorScheme: "dark" });

  test("the pages turn dark and keep their contrast", async ({ page }) => {
    // Both the demo's style sheet and the library's built-in pages follow the system.
    for (const path of ["/sign-in", "/api/auth/signin"]) {
      await page.goto(path);
      // The page's background: the body's, or the root's where the body has none.
      const background = await page.evaluate(() =>
        [document.body, document.documentElement]
          .map((element) => getComputedStyle(element).backgroundColor)
          .find((color) => color !== "rgba(0, 0, 0, 0)"),
      );
      expect(background, path).toBe("rgb(15, 17, 23)");
    }
    for (const path of SIGNED_OUT) await expectAccessible(page, path);
  });
});

test("every signed-in page passes axe's WCAG A/AA rules, two-factor set-up included", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Axe");
  await page.getByLabel("Email").fill(uniqueEmail("axe"));
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  for (const path of SIGNED_IN) await expectAccessible(page, path);
  // The settings page while two-factor is being set up (the QR code and the key).
  await page.goto("/settings");
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  await expect(page.getByTestId("totp-secret")).toBeVisible();
  await expectAccessible(page, "/settings");
});

test("signing in works with the keyboard alone", async ({ page, browser }) => {
  const email = uniqueEmail("keyboard");
  const setup = await browser.newPage();
  await setup.goto("/sign-up");
  await setup.getByLabel("Name").fill("Keys");
  await setup.getByLabel("Email").fill(email);
  await setup.getByLabel("Password").fill(PASSWORD);
  await setup.getByRole("button", { name: "Sign up" }).click();
  await expect(setup).toHaveURL(/\/dashboard$/);
  await setup.close();

  await page.goto("/sign-in");
  await page.locator("body[data-hydrated=true]").waitFor();
  // Tab to the email field from the top of the page, then type and move on by keyboard.
  let reached = false;
  for (let i = 0; i < 30 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.id === "email");
  }
  expect(reached, "the email field is reachable with Tab").toBe(true);
  await page.keyboard.type(email);
  await page.keyboard.press("Tab");
  await expect(page.locator("#password")).toBeFocused();
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("user-email")).toHaveText(email);
});
