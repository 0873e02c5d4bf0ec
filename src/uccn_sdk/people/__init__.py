"""The people behind each city, a feature of the core loaded as a plugin (``plugin.py``).

It owns: focal points and their handles on each platform, the people asking to be linked to a
city (``repository``), and the chat commands that link them (``commands``: ``iam``, ``link``).
"""
