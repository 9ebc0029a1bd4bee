#!/usr/bin/env python3
"""Two release servers, one PostgreSQL database (SPEC §8 scale-out), driven over HTTP.

Shows: a session started on A works on B; revoking it on B makes A refuse it within
AUTH_SESSION_CHECK_INTERVAL; a lockout triggered through A holds on B; sign-ups racing on
both for one email make exactly one user; a passkey ceremony started on one finishes on the
other (registration and sign-in); a sign-in waiting for its second factor on one completes on
the other, and second-factor failures on both add up to one lockout. Both serve one public URL, http://localhost:<A's port>,
as behind a load balancer (passkeys need a host name, not an IP address).

Usage: TEST_DATABASE_URL=postgres://... scripts/test-two-instances.py  (run by test.sh after
the release build; TEST_DATABASE_URL is an admin URL, a fresh database is created).
"""

import base64
import hashlib
import hmac
import http.cookiejar
import json
import struct
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from soft_passkey import SoftPasskey

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "leptos-auth")
EMAIL = "ada@example.com"
PASSWORD = "correct horse battery staple"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Keeps cookies, follows no redirects; talks to whichever server it is told."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def request(self, method, url, form=None, body=None):
        data, headers = None, {"User-Agent": "two-instances-test"}
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            # Header lookups on these are case-insensitive (the server sends lower case).
            return error.code, error.headers, error.read()

    def json(self, url):
        status, _, body = self.request("GET", url)
        assert status == 200, (url, status, body)
        return json.loads(body)

    def csrf(self, base):
        return self.json(base + "/api/auth/csrf")["csrfToken"]

    def passkey_options(self, base, action):
        body = {"csrfToken": self.csrf(base), "action": action}
        status, _, answer = self.request("POST", base + "/api/auth/webauthn-options/passkey", body=body)
        assert status == 200, (status, answer)
        return json.loads(answer)

    def passkey_answer(self, base, action, ceremony, credential):
        body = {
            "csrfToken": self.csrf(base),
            "action": action,
            "ceremony": ceremony["ceremony"],
            "data": credential,
        }
        status, _, answer = self.request("POST", base + "/api/auth/callback/passkey", body=body)
        return status, json.loads(answer)

    def sign_in(self, base, password=PASSWORD, email=EMAIL):
        form = {"csrfToken": self.csrf(base), "email": email, "password": password}
        status, headers, _ = self.request("POST", base + "/api/auth/callback/credentials", form)
        return status, headers.get("Location") or ""


SECRET = "two-instances-test-secret-that-is-long-enough-0123"


def totp(secret, steps=0):
    """The RFC 6238 code of a base32 `secret`, `steps` time steps from now."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = struct.pack(">Q", int(time.time()) // 30 + steps)
    mac = hmac.new(key, counter, hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def post_json(browser, base, path, body):
    body = dict(body, csrfToken=browser.csrf(base), json="true")
    status, _, answer = browser.request("POST", base + path, body=body)
    return status, json.loads(answer or b"null")


def fresh_database(admin_url):
    name = f"leptos_auth_two_{os.getpid()}"
    quiet = dict(os.environ, PGOPTIONS="--client-min-messages=warning")
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", admin_url, "-qc", sql], check=True, env=quiet)
    return admin_url.rsplit("/", 1)[0] + "/" + name


def cli_env(database_url, data_dir):
    """What the admin commands need in production mode: the database, secret and URL."""
    return dict(
        os.environ,
        DATABASE_URL=database_url,
        LEPTOS_AUTH_DATA_DIR=data_dir,
        AUTH_SECRET=SECRET,
        AUTH_URL="http://127.0.0.1",
    )


def start(port, public_url, database_url, data_dir):
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        AUTH_SECRET=SECRET,
        AUTH_URL=public_url,
        LEPTOS_SITE_ADDR=f"127.0.0.1:{port}",
        LEPTOS_AUTH_DATA_DIR=data_dir,
        AUTH_SESSION_CHECK_INTERVAL="1",
        AUTH_RATE_LIMITS="off",
        RUST_LOG="error",
    )
    process = subprocess.Popen([BINARY], env=env, cwd=data_dir)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    sys.exit(f"the server on port {port} did not start")


def main():
    admin_url = os.environ.get("TEST_DATABASE_URL")
    if not admin_url:
        sys.exit("TEST_DATABASE_URL is not set (test.sh starts a PostgreSQL server)")
    database_url = fresh_database(admin_url)
    data_dir = tempfile.mkdtemp(prefix="leptos-auth-two-")
    port_a = random.randint(20000, 29999)
    port_b = port_a + 1
    a_url, b_url = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
    subprocess.run(
        [BINARY, "user", "add", "--email", EMAIL, "--name", "Ada", "--password-stdin"],
        input=PASSWORD.encode(),
        env=cli_env(database_url, data_dir),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    public_url = f"http://localhost:{port_a}"
    servers = [
        start(port_a, public_url, database_url, data_dir),
        start(port_b, public_url, database_url, data_dir),
    ]
    try:
        # 1. Signed in on A, the same cookie works on B.
        ada = Browser()
        status, location = ada.sign_in(a_url)
        assert status == 302 and "error=" not in location, (status, location)
        assert ada.json(b_url + "/api/auth/session")["user"]["email"] == EMAIL
        print("ok: a session started on A works on B")

        # 2. Revoked on B (the session ends itself by id), refused by A within the interval.
        own = [s for s in ada.json(b_url + "/api/auth/sessions") if s["current"]][0]
        copy = Browser()
        for cookie in ada.jar:
            copy.jar.set_cookie(cookie)
        status, _, body = ada.request(
            "POST",
            b_url + "/api/auth/sessions/revoke",
            body={"csrfToken": ada.csrf(b_url), "id": own["id"]},
        )
        assert json.loads(body) == {"revoked": 1}, body
        time.sleep(1.2)
        assert copy.json(a_url + "/api/auth/session") == {}, "A still accepts a revoked session"
        print("ok: revoked on B, refused by A within session_check_interval")

        # 3. A lockout through A holds on B.
        attacker = Browser()
        for _ in range(10):
            attacker.sign_in(a_url, password="wrong password")
        status, location = Browser().sign_in(b_url)
        assert "error=AccountLocked" in location, (status, location)
        print("ok: a lockout triggered through A holds on B")

        # 4. Sign-ups racing on A and B for one email: exactly one user.
        results = []

        def sign_up(base):
            browser = Browser()
            form = {
                "csrfToken": browser.csrf(base),
                "name": "Racer",
                "email": "racer@example.com",
                "password": "long enough",
            }
            results.append(browser.request("POST", base + "/api/auth/signup", form)[0])

        threads = [threading.Thread(target=sign_up, args=(url,)) for url in (a_url, b_url) * 3]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        listed = subprocess.run(
            [BINARY, "user", "list"],
            env=cli_env(database_url, data_dir),
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        racers = [line for line in listed.splitlines() if "racer@example.com" in line]
        assert len(racers) == 1, listed
        assert all(status < 500 for status in results), results
        print(f"ok: six racing sign-ups on two instances made one user (statuses {results})")

        # 5. Passkeys: options from one instance, the answer to the other (for the racer:
        # Ada's password sign-in is locked by now).
        owner = Browser()
        status, location = owner.sign_in(b_url, password="long enough", email="racer@example.com")
        assert status == 302 and "error=" not in location, (status, location)
        passkey = SoftPasskey()
        ceremony = owner.passkey_options(a_url, "register")
        credential = passkey.register(ceremony["options"]["publicKey"], public_url)
        answer = owner.passkey_answer(b_url, "register", ceremony, credential)
        assert answer[0] == 200 and answer[1]["ok"] is True, answer
        visitor = Browser()
        ceremony = visitor.passkey_options(b_url, "authenticate")
        assertion = passkey.assert_(ceremony["options"]["publicKey"], public_url)
        status, body = visitor.passkey_answer(a_url, "authenticate", ceremony, assertion)
        assert status == 200 and "url" in body, (status, body)
        assert visitor.json(b_url + "/api/auth/session")["user"]["email"] == "racer@example.com"
        # The same answer again, to either instance: the ceremony is used up.
        for base in (a_url, b_url):
            status, body = Browser().passkey_answer(base, "authenticate", ceremony, assertion)
            assert status == 400 and body["error"] == "ChallengeExpired", (status, body)
        print("ok: passkey registration and sign-in started on one instance finish on the other")

        # 6. Two-factor: set up on A, turned on through B; a sign-in waiting for its code on
        # A completes on B; failures on both instances add up to one lockout.
        email = "grace@example.com"
        subprocess.run(
            [BINARY, "user", "add", "--email", email, "--password-stdin"],
            input=PASSWORD.encode(),
            env=cli_env(database_url, data_dir),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        grace = Browser()
        assert grace.sign_in(a_url, email=email)[0] == 302
        status, setup = post_json(grace, a_url, "/api/auth/two-factor/setup", {})
        assert status == 200, (status, setup)
        status, enabled = post_json(
            grace, b_url, "/api/auth/two-factor/enable", {"code": totp(setup["secret"])}
        )
        assert status == 200 and len(enabled["backupCodes"]) == 10, (status, enabled)
        visitor = Browser()
        status, location = visitor.sign_in(a_url, email=email)
        assert status == 302 and location.endswith("/api/auth/two-factor"), (status, location)
        status, body = post_json(
            visitor, b_url, "/api/auth/two-factor/verify", {"code": totp(setup["secret"], 1)}
        )
        assert status == 200, (status, body)
        assert visitor.json(a_url + "/api/auth/session")["user"]["email"] == email
        guesser = Browser()
        for base, other in ((a_url, b_url), (b_url, a_url)):
            assert guesser.sign_in(base, email=email)[0] == 302
            for _ in range(5):
                status, body = post_json(
                    guesser, other, "/api/auth/two-factor/verify", {"code": "000000"}
                )
        assert status == 429 and body["error"] == "AccountLocked", (status, body)
        status, location = Browser().sign_in(a_url, email=email)
        assert "error=AccountLocked" in location, (status, location)
        print("ok: a second factor pending on one instance completes on the other; the lockout is shared")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
