"""Cross-signing for the bot's account, so that clients that send only to verified devices
(Element is making it the rule) still reach it.

The bot holds one secret, 32 random bytes; its master, self-signing and user-signing keys are
ed25519 keys derived from it (HKDF-SHA256). The secret is kept in the key store folder (0600)
and shown once, as the recovery key, by `uccn bot keys`: with it (`recovery_key` in
`[connectors.matrix]`) a bot on a new machine or a new device takes its identity back and signs
its new device. matrix-nio has no cross-signing: the few requests are here (the spec's
canonical JSON; ed25519 from pycryptodome, which matrix-nio depends on already).
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from Crypto.Hash import SHA256
from Crypto.Protocol.KDF import HKDF
from Crypto.Signature import eddsa
from nio import AsyncClient

from uccn_bot.matrix.requests import request
from uccn_sdk.errors import UccnError

log = logging.getLogger("uccn.matrix")

USAGES = ("master", "self_signing", "user_signing")
RECOVERY_PREFIX = "UCCN"


def canonical(value: object) -> bytes:
    """The spec's canonical JSON: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def unpadded(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def decoded(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class SigningKey:
    seed: bytes

    @property
    def public(self) -> str:
        """The public key, unpadded base64: also the key's id after `ed25519:`."""
        key = eddsa.import_private_key(self.seed)
        return unpadded(key.public_key().export_key(format="raw"))

    def sign(self, value: dict[str, Any]) -> str:
        """The signature of `value` (its `signatures` and `unsigned` left out)."""
        signed = {k: v for k, v in value.items() if k not in ("signatures", "unsigned")}
        signer = eddsa.new(eddsa.import_private_key(self.seed), "rfc8032")
        return unpadded(signer.sign(canonical(signed)))

    def add_signature(self, value: dict[str, Any], user_id: str) -> dict[str, Any]:
        """`value` with this key's signature added to its `signatures`."""
        signature = self.sign(value)
        signatures = {u: dict(s) for u, s in value.get("signatures", {}).items()}
        signatures.setdefault(user_id, {})[f"ed25519:{self.public}"] = signature
        return {**value, "signatures": signatures}


def verify(public: str, value: dict[str, Any], signature: str) -> bool:
    """Whether `signature` is `public`'s over `value`."""
    signed = {k: v for k, v in value.items() if k not in ("signatures", "unsigned")}
    key = eddsa.import_public_key(decoded(public))
    try:
        eddsa.new(key, "rfc8032").verify(canonical(signed), decoded(signature))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Identity:
    """The bot's cross-signing keys, from its secret."""

    secret: bytes

    @classmethod
    def new(cls) -> Identity:
        return cls(secrets.token_bytes(32))

    @classmethod
    def from_recovery_key(cls, text: str) -> Identity:
        cleaned = "".join(text.split()).upper()
        if not cleaned.startswith(RECOVERY_PREFIX):
            raise UccnError("a recovery key starts with UCCN (see `uccn bot keys`)")
        try:
            data = base64.b32decode(cleaned[len(RECOVERY_PREFIX) :] + "=" * 3)
        except ValueError as error:
            raise UccnError(f"the recovery key cannot be read: {error}") from None
        secret, check = data[:32], data[32:]
        if len(secret) != 32 or check != SHA256.new(secret).digest()[:1]:
            raise UccnError("the recovery key is not complete or has a typo")
        return cls(secret)

    @property
    def recovery_key(self) -> str:
        """The secret and a check byte, in base32 groups of four: to write down."""
        text = base64.b32encode(self.secret + SHA256.new(self.secret).digest()[:1]).decode()
        text = RECOVERY_PREFIX + text.rstrip("=")
        return " ".join(text[i : i + 4] for i in range(0, len(text), 4))

    def key(self, usage: str) -> SigningKey:
        seed = HKDF(self.secret, 32, b"", SHA256, context=f"uccn cross-signing {usage}".encode())
        return SigningKey(bytes(seed))

    def published(self, user_id: str) -> dict[str, dict[str, Any]]:
        """The three public keys as the homeserver keeps them, the other two signed by the
        master key."""
        master = self.key("master")
        keys: dict[str, dict[str, Any]] = {}
        for usage in USAGES:
            public = self.key(usage).public
            value: dict[str, Any] = {
                "user_id": user_id,
                "usage": [usage],
                "keys": {f"ed25519:{public}": public},
            }
            keys[usage] = value if usage == "master" else master.add_signature(value, user_id)
        return keys


def secret_file(folder: Path, user_id: str) -> Path:
    return folder / f"{user_id}.cross-signing"


def load(folder: Path, user_id: str) -> Identity | None:
    path = secret_file(folder, user_id)
    return Identity(decoded(path.read_text().strip())) if path.exists() else None


def save(folder: Path, user_id: str, identity: Identity) -> None:
    path = secret_file(folder, user_id)
    descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(unpadded(identity.secret) + "\n")


async def published_keys(client: AsyncClient, user_id: str) -> dict[str, Any]:
    """What the homeserver holds for `user_id`: its devices' keys and its cross-signing keys."""
    status, answer = await request(client, "POST", "keys/query", {"device_keys": {user_id: []}})
    if status != 200:
        raise UccnError(f"the homeserver did not give {user_id}'s keys ({status}: {answer})")
    return answer


def master_of(keys: dict[str, Any], user_id: str) -> str | None:
    found = keys.get("master_keys", {}).get(user_id, {}).get("keys", {})
    return next(iter(found.values()), None) if found else None


async def cross_sign(
    client: AsyncClient,
    folder: Path,
    *,
    password: str | None,
    recovery_key: str | None,
) -> Identity | None:
    """Make sure the bot's account is cross-signed and its device signed: set the keys up on
    the first start (with the password, through user-interactive auth), take them back from
    the recovery key on a new machine. Returns the identity in use, or None when the account
    has keys this bot cannot use (logged, with what to do)."""
    user_id, device_id = client.user_id, client.device_id
    identity = Identity.from_recovery_key(recovery_key) if recovery_key else load(folder, user_id)
    keys = await published_keys(client, user_id)
    on_server = master_of(keys, user_id)
    if on_server is None:
        identity = identity or Identity.new()
        await _upload(client, identity, password)
        log.info("set up cross-signing for %s; `uccn bot keys` shows its recovery key", user_id)
    elif identity is None or identity.key("master").public != on_server:
        log.warning(
            "%s has cross-signing keys this bot does not hold: its device %s stays unsigned "
            "(clients that send only to verified devices will not reach it); give the bot its "
            "recovery key (recovery_key in [connectors.matrix])",
            user_id,
            device_id,
        )
        return None
    save(folder, user_id, identity)
    await _sign_device(client, identity, keys if on_server else None)
    return identity


async def _upload(client: AsyncClient, identity: Identity, password: str | None) -> None:
    body: dict[str, Any] = {
        f"{usage}_key": key for usage, key in identity.published(client.user_id).items()
    }
    status, answer = await request(client, "POST", "keys/device_signing/upload", body)
    if status == 401 and "session" in answer:  # user-interactive auth: the account's password
        if not password:
            raise UccnError(
                "setting up cross-signing needs the bot's password (password in "
                "[connectors.matrix]), once"
            )
        body["auth"] = {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": client.user_id},
            "password": password,
            "session": answer["session"],
        }
        status, answer = await request(client, "POST", "keys/device_signing/upload", body)
    if status != 200:
        raise UccnError(f"the homeserver refused the cross-signing keys ({status}: {answer})")


async def _sign_device(
    client: AsyncClient, identity: Identity, keys: dict[str, Any] | None
) -> None:
    """Sign the bot's device with its self-signing key, unless it is signed already."""
    user_id, device_id = client.user_id, client.device_id
    keys = keys or await published_keys(client, user_id)
    device = keys.get("device_keys", {}).get(user_id, {}).get(device_id)
    if device is None:
        raise UccnError(f"the homeserver has no keys for the bot's device {device_id}")
    self_signing = identity.key("self_signing")
    if f"ed25519:{self_signing.public}" in device.get("signatures", {}).get(user_id, {}):
        return
    signed = self_signing.add_signature(device, user_id)
    status, answer = await request(
        client, "POST", "keys/signatures/upload", {user_id: {device_id: signed}}
    )
    if status != 200 or answer.get("failures"):
        raise UccnError(f"the homeserver refused the device's signature ({status}: {answer})")
    log.info("signed the device %s with the account's self-signing key", device_id)
