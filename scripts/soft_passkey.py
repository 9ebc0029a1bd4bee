"""A software passkey authenticator for the two-instance test: answers a server's WebAuthn
options as a browser with a platform authenticator does (the JSON of
`PublicKeyCredential.toJSON()`), with an ES256 key. Pure Python (P-256 arithmetic below), so
the test needs no package beyond the standard library."""

import base64
import hashlib
import json
import secrets

# NIST P-256.
P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
A = P - 3
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
G = (
    0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
    0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5,
)


def _add(p1, p2):
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    (x1, y1), (x2, y2) = p1, p2
    if x1 == x2 and (y1 + y2) % P == 0:
        return None
    if p1 == p2:
        slope = (3 * x1 * x1 + A) * pow(2 * y1, -1, P) % P
    else:
        slope = (y2 - y1) * pow(x2 - x1, -1, P) % P
    x3 = (slope * slope - x1 - x2) % P
    return x3, (slope * (x1 - x3) - y1) % P


def _multiply(k, point):
    result = None
    while k:
        if k & 1:
            result = _add(result, point)
        point = _add(point, point)
        k >>= 1
    return result


def _der_integer(value):
    raw = value.to_bytes(32, "big").lstrip(b"\0") or b"\0"
    if raw[0] & 0x80:
        raw = b"\0" + raw
    return b"\x02" + bytes([len(raw)]) + raw


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftPasskey:
    def __init__(self):
        self.key = secrets.randbelow(N - 1) + 1
        self.public = _multiply(self.key, G)
        self.credential_id = secrets.token_bytes(32)
        self.user_handle = b""

    def _sign(self, message):
        z = int.from_bytes(hashlib.sha256(message).digest(), "big")
        while True:
            k = secrets.randbelow(N - 1) + 1
            r = _multiply(k, G)[0] % N
            s = pow(k, -1, N) * (z + r * self.key) % N
            if r and s:
                body = _der_integer(r) + _der_integer(s)
                return b"\x30" + bytes([len(body)]) + body

    @staticmethod
    def _client_data(kind, options, origin):
        return json.dumps(
            {"type": kind, "challenge": options["challenge"], "origin": origin, "crossOrigin": False}
        ).encode()

    def register(self, options, origin):
        """The credential for registration `options` (the `publicKey` part) at `origin`."""
        self.user_handle = unb64(options["user"]["id"])
        x, y = (c.to_bytes(32, "big") for c in self.public)
        cose_key = b"\xa5\x01\x02\x03\x26\x20\x01\x21\x58\x20" + x + b"\x22\x58\x20" + y
        auth_data = (
            hashlib.sha256(options["rp"]["id"].encode()).digest()
            + bytes([0x45])  # user present, user verified, attested credential data
            + (0).to_bytes(4, "big")
            + bytes(16)
            + len(self.credential_id).to_bytes(2, "big")
            + self.credential_id
            + cose_key
        )
        attestation = (
            b"\xa3\x63fmt\x64none\x67attStmt\xa0\x68authData\x59"
            + len(auth_data).to_bytes(2, "big")
            + auth_data
        )
        client_data = self._client_data("webauthn.create", options, origin)
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(client_data),
                "attestationObject": b64(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        }

    def assert_(self, options, origin):
        """The assertion for sign-in `options` (the `publicKey` part) at `origin`."""
        auth_data = hashlib.sha256(options["rpId"].encode()).digest() + bytes([0x05]) + bytes(4)
        client_data = self._client_data("webauthn.get", options, origin)
        signature = self._sign(auth_data + hashlib.sha256(client_data).digest())
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(client_data),
                "authenticatorData": b64(auth_data),
                "signature": b64(signature),
                "userHandle": b64(self.user_handle),
            },
            "clientExtensionResults": {},
        }
