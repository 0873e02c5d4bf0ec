"""Peer matching, a feature of the core loaded as a plugin (``plugin.py``).

It owns: who should work with whom, and why (the ``engine`` combines the scorers plugins
register; the ``service`` is what the CLI and the bot call); rounds that pair a whole set
(``rounds``, ``pairing``); projects that look for partners (``projects``); its records
(``repository``), its chat commands (``commands``) and its ``uccn`` commands (``cli``).
"""
