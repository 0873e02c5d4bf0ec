"""Peer matching: who should work with whom, and why; and rounds that pair a whole set.

The engine (:mod:`uccn_sdk.matching.engine`) combines the scorers plugins register; the
service (:mod:`uccn_sdk.matching.service`) is what the CLI and the bot call.
"""
