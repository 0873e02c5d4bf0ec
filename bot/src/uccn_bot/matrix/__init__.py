"""The Matrix connector, on matrix-nio."""
