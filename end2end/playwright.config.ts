import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The suite runs against the release binary (scripts/test.sh builds it first), on a port of
// its own so a development server on :3000 does not get in the way.
const PORT = 3100;
// A fresh database for every run.
const DATA_DIR = mkdtempSync(join(tmpdir(), "leptos-auth-e2e-"));

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
  webServer: {
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
      RUST_LOG: "warn",
    },
  },
});
