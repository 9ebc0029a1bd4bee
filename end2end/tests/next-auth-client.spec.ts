// The real next-auth/react v4 client library, unchanged, against this server: the
// compatibility bar of the credentials issue. It runs in Node, so a tiny cookie jar stands
// in for the browser's.
import { test, expect } from "@playwright/test";

const PASSWORD = "correct horse battery";

type Jar = Map<string, string>;

/** Wraps fetch so cookies set by the server are sent back, as a browser would. */
function fetchWithCookies(jar: Jar, realFetch: typeof fetch): typeof fetch {
  return async (input: any, init: any = {}) => {
    const headers = new Headers(init.headers ?? {});
    if (jar.size > 0) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await realFetch(input, { ...init, headers, redirect: "manual" });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      if (/max-age=0/i.test(cookie)) jar.delete(name);
      else jar.set(name, pair.slice(index + 1));
    }
    return response;
  };
}

test("next-auth/react v4 works against this server unchanged", async ({ baseURL, request }) => {
  const email = `nextauth-${Date.now()}@example.com`;
  // Create the account through the library's sign-up (a plain form post).
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  const signUp = await request.post("/api/auth/signup", {
    form: { csrfToken, name: "Next Auth", email, password: PASSWORD },
    maxRedirects: 0,
  });
  expect(signUp.status()).toBe(302);

  process.env.NEXTAUTH_URL = `${baseURL}/api/auth`;
  const jar: Jar = new Map();
  const realFetch = globalThis.fetch;
  globalThis.fetch = fetchWithCookies(jar, realFetch);
  try {
    const client = await import("next-auth/react");

    const providers = await client.getProviders();
    expect(providers?.credentials).toMatchObject({ id: "credentials", type: "credentials" });

    const csrfToken = await client.getCsrfToken();
    expect(csrfToken).toMatch(/^[0-9a-f]{64}$/);

    expect(await client.getSession()).toBeNull();

    const failed = await client.signIn("credentials", {
      redirect: false,
      email,
      password: "wrong password",
      callbackUrl: `${baseURL}/dashboard`,
    });
    expect(failed).toMatchObject({ ok: false, status: 401, error: "CredentialsSignin", url: null });
    expect(await client.getSession()).toBeNull();

    const ok = await client.signIn("credentials", {
      redirect: false,
      email,
      password: PASSWORD,
      callbackUrl: `${baseURL}/dashboard`,
    });
    expect(ok).toMatchObject({ ok: true, status: 200, error: null, url: `${baseURL}/dashboard` });

    const session = await client.getSession();
    expect(session?.user).toMatchObject({ email, name: "Next Auth" });
    expect((session?.user as any).numberKey).toEqual(expect.any(Number));
    expect(new Date(session!.expires).getTime()).toBeGreaterThan(Date.now());

    const signedOut = await client.signOut({ redirect: false, callbackUrl: `${baseURL}/` });
    expect(signedOut).toEqual({ url: `${baseURL}/` });
    expect(await client.getSession()).toBeNull();
  } finally {
    globalThis.fetch = realFetch;
  }
});
