//! A software authenticator for the passkey tests: it answers a server's WebAuthn options
//! the way a browser and a platform authenticator together do (the JSON of
//! `PublicKeyCredential.toJSON()`), with an ES256 key of its own, and lets a test change
//! each part an attacker controls: origin, RP ID, flags, counter, user handle, challenge.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD as B64};
use p256::ecdsa::{Signature, SigningKey, signature::Signer};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// User present.
pub const UP: u8 = 0x01;
/// User verified (fingerprint, face, PIN).
pub const UV: u8 = 0x04;
/// Backup eligible (a synced passkey).
pub const BE: u8 = 0x08;
/// Backed up.
pub const BS: u8 = 0x10;
const ATTESTED: u8 = 0x40;

/// One passkey, as an authenticator holds it.
pub struct SoftPasskey {
    key: SigningKey,
    /// The credential id.
    pub credential_id: Vec<u8>,
    /// The user handle the site gave at registration.
    pub user_handle: Vec<u8>,
    /// The signature counter; 0 stays 0 (synced passkeys do not count).
    pub counter: u32,
    /// Flags the authenticator always sets besides the answer's (`BE | BS` for a synced
    /// passkey).
    pub own_flags: u8,
}

/// What a ceremony answer is made of; each field can be changed to play an attacker.
pub struct Answer {
    /// The origin the browser reports (`http://localhost:3000`).
    pub origin: String,
    /// The RP ID whose hash the authenticator signs.
    pub rp_id: String,
    /// The challenge (base64url) the browser reports.
    pub challenge: String,
    /// Authenticator flags: `UP | UV` by default.
    pub flags: u8,
}

impl Answer {
    /// The honest answer to `options` (`{"publicKey":{…}}` or its inside) at `origin`.
    pub fn to(options: &Value, origin: &str) -> Answer {
        let public_key = options.get("publicKey").unwrap_or(options);
        let rp_id = public_key["rp"]["id"]
            .as_str()
            .or_else(|| public_key["rpId"].as_str())
            .expect("an RP ID in the options")
            .to_owned();
        Answer {
            origin: origin.to_owned(),
            rp_id,
            challenge: public_key["challenge"]
                .as_str()
                .expect("a challenge")
                .to_owned(),
            flags: UP | UV,
        }
    }

    fn client_data(&self, kind: &str) -> Vec<u8> {
        json!({
            "type": kind,
            "challenge": self.challenge,
            "origin": self.origin,
            "crossOrigin": false,
        })
        .to_string()
        .into_bytes()
    }
}

impl SoftPasskey {
    /// A new passkey whose key and id are derived from `seed` (tests stay reproducible).
    pub fn new(seed: &str) -> SoftPasskey {
        let key = SigningKey::from_slice(&Sha256::digest(seed.as_bytes())).expect("a P-256 key");
        let credential_id = Sha256::digest(format!("id:{seed}").as_bytes()).to_vec();
        SoftPasskey {
            key,
            credential_id,
            user_handle: Vec::new(),
            counter: 0,
            own_flags: 0,
        }
    }

    /// The credential id as the server names it (base64url).
    pub fn id(&self) -> String {
        B64.encode(&self.credential_id)
    }

    /// Creates the credential for registration `options`: the JSON the browser posts.
    pub fn register(&mut self, options: &Value, answer: &Answer) -> Value {
        let public_key = options.get("publicKey").unwrap_or(options);
        self.user_handle = B64
            .decode(public_key["user"]["id"].as_str().expect("a user handle"))
            .expect("a base64url user handle");
        let point = self.key.verifying_key().to_encoded_point(false);
        let mut cose_key = vec![0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20];
        cose_key.extend_from_slice(point.x().expect("x"));
        cose_key.extend_from_slice(&[0x22, 0x58, 0x20]);
        cose_key.extend_from_slice(point.y().expect("y"));
        let mut auth_data = self.auth_data_header(answer, answer.flags | ATTESTED);
        auth_data.extend_from_slice(&[0x11; 16]); // AAGUID
        auth_data.extend_from_slice(&(self.credential_id.len() as u16).to_be_bytes());
        auth_data.extend_from_slice(&self.credential_id);
        auth_data.extend_from_slice(&cose_key);
        let mut attestation = vec![0xa3];
        attestation.extend_from_slice(b"\x63fmt\x64none\x67attStmt\xa0\x68authData");
        attestation.push(0x59);
        attestation.extend_from_slice(&(auth_data.len() as u16).to_be_bytes());
        attestation.extend_from_slice(&auth_data);
        json!({
            "id": self.id(),
            "rawId": self.id(),
            "type": "public-key",
            "response": {
                "clientDataJSON": B64.encode(answer.client_data("webauthn.create")),
                "attestationObject": B64.encode(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        })
    }

    /// Signs in: the JSON the browser posts for sign-in `options`. A counter above 0 goes
    /// up by one first.
    pub fn assert(&mut self, answer: &Answer) -> Value {
        if self.counter > 0 {
            self.counter += 1;
        }
        let auth_data = self.auth_data_header(answer, answer.flags);
        let client_data = answer.client_data("webauthn.get");
        let mut signed = auth_data.clone();
        signed.extend_from_slice(&Sha256::digest(&client_data));
        let signature: Signature = self.key.sign(&signed);
        json!({
            "id": self.id(),
            "rawId": self.id(),
            "type": "public-key",
            "response": {
                "clientDataJSON": B64.encode(&client_data),
                "authenticatorData": B64.encode(&auth_data),
                "signature": B64.encode(signature.to_der().as_bytes()),
                "userHandle": B64.encode(&self.user_handle),
            },
            "clientExtensionResults": {},
        })
    }

    fn auth_data_header(&self, answer: &Answer, flags: u8) -> Vec<u8> {
        let mut data = Sha256::digest(answer.rp_id.as_bytes()).to_vec();
        data.push(flags | self.own_flags);
        data.extend_from_slice(&self.counter.to_be_bytes());
        data
    }
}
