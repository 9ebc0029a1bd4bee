// Takes the README's email screenshots (docs/email-*.png) from a running release server
// mailing to maildev: `node screenshots.mjs http://127.0.0.1:3100 http://127.0.0.1:3280`.
import { chromium } from "@playwright/test";

const [base, maildev] = process.argv.slice(2);
const email = "ada@example.com";
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const page = await browser.newPage({ viewport: { width: 640, height: 560 } });
await page.goto(`${base}/sign-in`);
await page.locator("body[data-hydrated=true]").waitFor();
await page.getByLabel("Send a sign-in link to").fill(email);
await page.getByRole("button", { name: "Email me a sign-in link" }).click();
await page.waitForURL(/verify-request/);

let mail;
for (let i = 0; i < 100 && !mail; i++) {
  const mails = await (await page.request.get(`${maildev}/api/email`)).json();
  mail = mails.reverse().find((m) => m.to.some((a) => a.address === email));
  if (!mail) await page.waitForTimeout(100);
}
if (!mail) throw new Error("no mail");
await page.goto(`${maildev}/api/email/${mail.id}/html`);
await page.screenshot({ path: "../docs/email-sign-in-mail.png" });
const link = mail.text.split("\n").find((l) => l.startsWith("http")).trim();
await page.goto(link);
await page.screenshot({ path: "../docs/email-confirm-page.png" });
await browser.close();
