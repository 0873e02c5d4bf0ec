"""The Secretariat's announcements, a feature of the core loaded as a plugin (``plugin.py``).

It owns: when each room gets one (``timing``, ``plan``, ``calendar``), preview, scheduling and
firing (``service``), reading a schedule as people write it (``parsing``), its records
(``repository``), its chat commands (``commands``), the ``uccn announce`` group (``cli``) and
its texts (``texts``, with the words they keep in English until read: ``phrases``).
"""
