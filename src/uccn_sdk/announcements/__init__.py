"""Announcements: when each room gets one, preview, and the service the CLI and chat use."""
