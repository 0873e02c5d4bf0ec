"""Logging in as homeservers now do it: with a password, the bot asks for a refresh token and
renews its access token when the homeserver lets it expire (Synapse's
`refreshable_access_token_lifetime`, the Matrix Authentication Service); with an access token
from the operator, it uses that one (see docs/deployment.md for one from MAS). matrix-nio's
`login` cannot ask for a refresh token: the two requests are here."""

from __future__ import annotations

import logging

from nio import AsyncClient

from uccn_bot.matrix.requests import request
from uccn_sdk.errors import UccnError

log = logging.getLogger("uccn.matrix")

EXPIRED = "M_UNKNOWN_TOKEN"
"""What the homeserver answers to an access token it no longer takes."""


class Login:
    def __init__(
        self, client: AsyncClient, user_id: str, device_id: str, password: str | None
    ) -> None:
        self.client, self.user_id, self.device_id = client, user_id, device_id
        self.password = password
        self._refresh: str | None = None

    async def log_in(self) -> None:
        """Log in with the password as the bot's device, asking for a refresh token."""
        status, answer = await request(
            self.client,
            "POST",
            "login",
            {
                "type": "m.login.password",
                "identifier": {"type": "m.id.user", "user": self.user_id},
                "password": self.password,
                "device_id": self.device_id,
                "initial_device_display_name": "uccn bot",
                "refresh_token": True,
            },
            token=False,
        )
        if status != 200 or "access_token" not in answer:
            reason = answer.get("error") or f"HTTP {status}"
            raise UccnError(f"Matrix login as {self.user_id} failed: {reason}")
        self._refresh = answer.get("refresh_token")
        # As nio's own login does: the token, and the encryption keys of the device loaded.
        self.client.restore_login(self.user_id, self.device_id, answer["access_token"])

    async def renew(self) -> bool:
        """A new access token once the homeserver refused the current one: from the refresh
        token, else by logging in again with the password. False when neither can."""
        if self._refresh:
            status, answer = await request(
                self.client, "POST", "refresh", {"refresh_token": self._refresh}, token=False
            )
            if status == 200 and "access_token" in answer:
                self.client.access_token = answer["access_token"]
                self._refresh = answer.get("refresh_token", self._refresh)
                log.info("renewed the access token of %s", self.user_id)
                return True
            log.warning("the refresh token of %s was refused (%s)", self.user_id, status)
        if self.password:
            await self.log_in()
            log.info("logged in again as %s: the access token had expired", self.user_id)
            return True
        return False
