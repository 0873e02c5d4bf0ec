"""The uccn web console: the same services as the command line and the bot, on pages.

- ``signing``: the ``web`` chat command, which gives a one-time sign-in link;
- ``app``: the aiohttp application: sessions, CSRF tokens, security headers;
- ``pages``: the pages (sign-in, calls, a call with its map, export, close);
- ``rendering``: Jinja2 templates in the reader's language;
- ``worldmap``: the server-drawn SVG map of a call's audience;
- ``cli``: ``uccn web``.
"""
