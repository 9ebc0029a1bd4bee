import { test, expect, type Page } from "@playwright/test";

// maildev's REST API (started by playwright.config.ts): the mail the app really sent.
const MAILDEV = "http://127.0.0.1:3280";
const PASSWORD = "correct horse battery";

type Mail = { subject: string; text: string; to: { address: string }[] };

function uniqueEmail(label: string) {
  return `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

/** Waits (up to 10 s) for a mail to `to` whose subject starts with `subject`. */
async function waitForMail(page: Page, to: string, subject: string): Promise<Mail> {
  for (let i = 0; i < 100; i++) {
    const response = await page.request.get(`${MAILDEV}/api/email`);
    const mails = (await response.json()) as Mail[];
    const found = mails.filter((m) => m.to.some((a) => a.address === to) && m.subject.startsWith(subject));
    if (found.length > 0) return found[found.length - 1];
    await page.waitForTimeout(100);
  }
  throw new Error(`no "${subject}" mail for ${to}`);
}

function linkIn(mail: Mail): string {
  const line = mail.text.split("\n").find((l) => l.startsWith("http"));
  if (!line) throw new Error(`no link in ${mail.text}`);
  return line.trim();
}

async function waitForHydration(page: Page) {
  await page.locator("body[data-hydrated=true]").waitFor();
}

async function signUp(page: Page, email: string, password = PASSWORD) {
  await page.goto("/sign-up");
  await waitForHydration(page);
  await page.getByLabel("Name").fill("Mail");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

test("magic link: request it, read the mail, open the link, confirm, signed in", async ({ page }) => {
  const email = uniqueEmail("link");
  await page.goto("/sign-in");
  await waitForHydration(page);
  await page.getByLabel("Send a sign-in link to").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page).toHaveURL(/\/api\/auth\/verify-request/);
  await expect(page.getByRole("heading")).toHaveText("Check your email");

  const mail = await waitForMail(page, email, "Sign in to");
  const link = linkIn(mail);
  // Opening the link only shows a page: a scanner that follows it uses nothing.
  await page.goto(link);
  await expect(page.getByText(`Sign in as ${email}?`)).toBeVisible();
  await page.goto(link);
  await page.getByRole("button", { name: "Sign in" }).click();

  // A new address: a new user, verified by the link itself.
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("user-email")).toHaveText(email);
  await expect(page.getByTestId("email-verified")).toBeVisible();

  // The link works once.
  await page.context().clearCookies();
  await page.goto(link);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("no longer valid");
});

test("forgot password: mail, new password, signed in; the old one refused, other sessions gone", async ({ browser }) => {
  const email = uniqueEmail("reset");
  const laptop = await (await browser.newContext()).newPage();
  await signUp(laptop, email);

  const phone = await (await browser.newContext()).newPage();
  await phone.goto("/sign-in");
  await phone.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(phone).toHaveURL(/\/forgot-password$/);
  await phone.getByLabel("Email").fill(email);
  await phone.getByRole("button", { name: "Email me a link" }).click();
  await expect(phone.getByTestId("reset-sent")).toBeVisible();

  const link = linkIn(await waitForMail(phone, email, "Reset your password"));
  expect(link).toContain("/reset-password?token=");
  await phone.goto(link);
  await phone.getByLabel("New password").fill("a brand new password");
  await phone.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(phone).toHaveURL(/\/dashboard$/);
  await expect(phone.getByTestId("user-email")).toHaveText(email);

  // The laptop's session ended with the reset.
  await laptop.goto("/dashboard");
  await expect(laptop).toHaveURL(/\/sign-in/);

  const other = await (await browser.newContext()).newPage();
  await other.goto("/sign-in");
  await waitForHydration(other);
  await other.getByLabel("Email", { exact: true }).fill(email);
  await other.getByLabel("Password").fill(PASSWORD);
  await other.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(other.getByRole("alert")).toHaveText("Invalid email or password.");
  await other.getByLabel("Password").fill("a brand new password");
  await other.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(other).toHaveURL(/\/dashboard$/);
});

test("sign-up mails a verification link; following it verifies the address", async ({ page }) => {
  const email = uniqueEmail("verify");
  await signUp(page, email);
  await expect(page.getByTestId("verify-email")).toBeVisible();
  await waitForMail(page, email, "Verify your email");

  // The dashboard's button sends another link.
  await page.getByRole("button", { name: "Send the link again" }).click();
  await expect(page.getByTestId("verification-sent")).toBeVisible();
  const link = linkIn(await waitForMail(page, email, "Verify your email"));

  await page.goto(link);
  await page.getByRole("button", { name: "Verify my email" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("email-verified")).toBeVisible();
  await expect(page.getByTestId("verify-email")).toBeHidden();
});

test("a verification link opened in another browser asks for the password; 'This was not me' is offered", async ({
  page,
  browser,
}) => {
  const email = uniqueEmail("verify-elsewhere");
  await signUp(page, email);
  const link = linkIn(await waitForMail(page, email, "Verify your email"));

  // The phone: not signed in. The page names the address and wants the password.
  const phone = await browser.newContext();
  const other = await phone.newPage();
  await other.goto(link);
  await expect(other.locator("strong", { hasText: email })).toBeVisible();
  await expect(other.getByRole("button", { name: "This was not me" })).toBeVisible();
  await other.getByLabel("Password").fill("not the password");
  await other.getByRole("button", { name: "Verify my email" }).click();
  await expect(other.getByRole("alert")).toHaveText("Invalid email or password.");
  await other.getByLabel("Password").fill(PASSWORD);
  await other.getByRole("button", { name: "Verify my email" }).click();
  await expect(other).toHaveURL(/\/dashboard$/);
  await expect(other.getByTestId("email-verified")).toBeVisible();
  await phone.close();

  // The laptop that signed up is still signed in (its session's claims say "verified" from
  // its next sign-in on).
  await page.reload();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("user-email")).toHaveText(email);
});
