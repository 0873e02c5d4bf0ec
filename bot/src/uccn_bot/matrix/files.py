"""A message with a file: the file uploaded to the homeserver's media repository (encrypted
for an encrypted room), then posted as an ``m.file`` event whose body is the message's text,
shown as the file's caption (the filename differs from the body: Matrix 1.10 media captions)."""

from __future__ import annotations

import io
from typing import Any

from nio import AsyncClient, UploadResponse

from uccn_sdk.chat.connector import Refused
from uccn_sdk.chat.events import Attachment
from uccn_sdk.errors import UccnError


async def file_content(
    client: AsyncClient, attachment: Attachment, content: dict[str, Any], *, encrypt: bool
) -> dict[str, Any]:
    """`content` (a text message's) made an ``m.file`` carrying `attachment`, uploaded now."""
    data = attachment.text.encode()
    response, keys = await client.upload(
        lambda *_: io.BytesIO(data),
        content_type=attachment.mimetype,
        filename=attachment.name,
        encrypt=encrypt,
        filesize=len(data),
    )
    if not isinstance(response, UploadResponse):
        error = f"the homeserver refused the file {attachment.name}: {response.message}"
        status = response.transport_response.status if response.transport_response else 0
        if status == 413 or response.status_code == "M_TOO_LARGE":
            raise Refused(error)  # said as its fallback instead
        raise UccnError(error)  # tried again
    info = {"mimetype": attachment.mimetype, "size": len(data)}
    file: dict[str, Any] = (
        {"file": {**(keys or {}), "url": response.content_uri}}
        if encrypt
        else {"url": response.content_uri}
    )
    return {**content, "msgtype": "m.file", "filename": attachment.name, "info": info, **file}
