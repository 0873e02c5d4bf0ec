"""The Slack connector, on slack-bolt: Socket Mode or the HTTP Events API."""
