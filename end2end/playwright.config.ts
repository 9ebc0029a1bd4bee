import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The suite runs against the release binary (scripts/test.sh builds it first), on a port of
// its own so a development server on :3000 does not get in the way.
const PORT = 3100;
// The local OpenID provider (panva's oidc-provider) that stands in for GitHub, Google and
// Spotify: its default redirect URIs are this suite's callbacks on :3100.
const OIDC_PORT = 3200;
const OIDC = `http://127.0.0.1:${OIDC_PORT}`;
// maildev: the SMTP server the app sends through, and the REST API the tests read mail from.
const SMTP_PORT = 3225;
const MAILDEV = "http://127.0.0.1:3280";
// A fresh database for every run.
const DATA_DIR = mkdtempSync(join(tmpdir(), "leptos-auth-e2e-"));
// Passkeys need a site named by host, not by IP address (browsers refuse WebAuthn on
// http://127.0.0.1): a second instance of the app whose URL is http://localhost:3101.
const PASSKEY_PORT = 3101;
const PASSKEY_DATA_DIR = mkdtempSync(join(tmpdir(), "leptos-auth-e2e-passkeys-"));
// Sessions that are fresh for two seconds only: a third instance, for the step-up test.
const STALE_PORT = 3102;
const STALE_DATA_DIR = mkdtempSync(join(tmpdir(), "leptos-auth-e2e-stale-"));

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: {
      // Debian's Chromium: Playwright must never download a browser of its own here.
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: [
    {
      command: `node node_modules/maildev/dist/bin/maildev.js --silent --ip 127.0.0.1 --smtp ${SMTP_PORT} --web-ip 127.0.0.1 --web 3280 --mail-directory ${join(DATA_DIR, "mail")}`,
      url: `${MAILDEV}/api/healthz`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: "node oidc/provider.mjs",
      url: `${OIDC}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 30_000,
      env: { OIDC_PORT: String(OIDC_PORT), OIDC_ACCESS_TOKEN_TTL: "60" },
    },
    {
    command: "../target/release/leptos-auth",
    url: `http://127.0.0.1:${PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      LEPTOS_SITE_ADDR: `127.0.0.1:${PORT}`,
      LEPTOS_AUTH_DATA_DIR: DATA_DIR,
      AUTH_SECRET: "end-to-end-test-secret-that-is-long-enough-0123456789",
      AUTH_URL: `http://127.0.0.1:${PORT}`,
      // Every test signs in from 127.0.0.1: per-IP limits would refuse the suite itself.
      AUTH_RATE_LIMITS: "off",
      AUTH_EMAIL_SERVER: `smtp://127.0.0.1:${SMTP_PORT}`,
      AUTH_EMAIL_FROM: "leptos-auth <auth@example.com>",
      AUTH_OIDC_ISSUER: OIDC,
      AUTH_OIDC_ID: "leptos-auth-test",
      AUTH_OIDC_SECRET: "leptos-auth-test-secret",
      AUTH_OIDC_NAME: "Test OIDC",
      AUTH_SPOTIFY_ID: "leptos-auth-test",
      AUTH_SPOTIFY_SECRET: "leptos-auth-test-secret",
      AUTH_SPOTIFY_AUTHORIZATION_URL: `${OIDC}/auth`,
      AUTH_SPOTIFY_TOKEN_URL: `${OIDC}/token`,
      AUTH_SPOTIFY_USERINFO_URL: `${OIDC}/v1/me`,
      AUTH_SPOTIFY_API_URL: OIDC,
      RUST_LOG: "warn",
    },
    },
    {
      command: "../target/release/leptos-auth",
      url: `http://127.0.0.1:${PASSKEY_PORT}/healthz`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        LEPTOS_SITE_ADDR: `127.0.0.1:${PASSKEY_PORT}`,
        LEPTOS_AUTH_DATA_DIR: PASSKEY_DATA_DIR,
        AUTH_SECRET: "end-to-end-test-secret-that-is-long-enough-0123456789",
        AUTH_URL: `http://localhost:${PASSKEY_PORT}`,
        AUTH_RATE_LIMITS: "off",
        RUST_LOG: "warn",
      },
    },
    {
      command: "../target/release/leptos-auth",
      url: `http://127.0.0.1:${STALE_PORT}/healthz`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        LEPTOS_SITE_ADDR: `127.0.0.1:${STALE_PORT}`,
        LEPTOS_AUTH_DATA_DIR: STALE_DATA_DIR,
        AUTH_SECRET: "end-to-end-test-secret-that-is-long-enough-0123456789",
        AUTH_URL: `http://127.0.0.1:${STALE_PORT}`,
        AUTH_RATE_LIMITS: "off",
        AUTH_SESSION_FRESH_AGE: "2",
        RUST_LOG: "warn",
      },
    },
  ],
});
