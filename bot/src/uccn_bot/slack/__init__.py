"""The Slack connector, on slack-bolt: Socket Mode or the HTTP Events API."""

PLATFORM = "slack"
"""The platform's name in configuration, handles and stored message references."""
