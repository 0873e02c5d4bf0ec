"""The UNESCO Creative Cities Network's fields and member cities, as a uccn plugin."""

__version__ = "0.1.0"
