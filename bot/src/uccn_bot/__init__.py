"""The uccn chat bot: connectors and the runner that ties them to the core."""

__version__ = "0.1.0"
