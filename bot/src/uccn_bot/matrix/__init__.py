"""The Matrix connector, on matrix-nio."""

PLATFORM = "matrix"
"""The platform's name in configuration, handles and stored message references."""
