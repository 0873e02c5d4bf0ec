"""A message's file on Slack: uploaded in the thread of the message it comes with, through
slack_sdk's files_upload_v2 (files.getUploadURLExternal, the upload, then
files.completeUploadExternal). Where Slack refuses it, the attachment's fallback is said there."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from uccn_sdk.chat.events import Attachment

log = logging.getLogger("uccn.slack")


async def attach(client: AsyncWebClient, channel: str, ts: str, attachment: Attachment) -> None:
    """Post `attachment` in the thread of message `ts` of `channel`."""
    try:
        await client.files_upload_v2(
            channel=channel,
            thread_ts=ts,
            content=attachment.text,
            filename=attachment.name,
            title=attachment.name,
        )
    except SlackApiError as error:
        code = error.response.get("error")
        log.warning("Slack refused the file %s in %s: %s", attachment.name, channel, code)
        await client.chat_postMessage(channel=channel, thread_ts=ts, text=attachment.fallback)
