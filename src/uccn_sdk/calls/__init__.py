"""Calls for contributions, a feature of the core loaded as a plugin (``plugin.py``).

It owns: the lifecycle (``service``: write, open, remind, close, summarise), gathering replies
(``replies``, with its types in ``answering``), reading answers (``parsing``), the exports of
a call's replies (``export``, ``exporters``), its records (``repository``), its chat commands
(``commands``), the ``uccn calls`` group (``cli``) and the texts it posts (``texts``).
"""
