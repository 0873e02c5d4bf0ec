"""The base of every error a user can act on. Kept free of heavy imports."""


class UccnError(Exception):
    """A problem the user can fix; the message says what and how, in one paragraph."""
