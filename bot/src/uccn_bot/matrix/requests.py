"""The client API requests matrix-nio has no method for (cross-signing, a refresh token, an
encrypted reaction): one way to make them, through the client's own HTTP session."""

from __future__ import annotations

import json
from typing import Any

from nio import AsyncClient


async def request(
    client: AsyncClient, method: str, path: str, body: dict[str, Any], *, token: bool = True
) -> tuple[int, dict[str, Any]]:
    """A client API request matrix-nio has no method for; its status and JSON answer."""
    headers = {"Authorization": f"Bearer {client.access_token}"} if token else {}
    response = await client.send(
        method, f"/_matrix/client/v3/{path}", json.dumps(body), headers=headers
    )
    answer = await response.json()
    return response.status, answer if isinstance(answer, dict) else {}
