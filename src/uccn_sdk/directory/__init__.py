"""The city directory, a feature of the core loaded as a plugin (``plugin.py``).

It owns: reading import files (``reading``), writing cities and loading plugin sources into the
store (``service``), the flat CSV form of a city (``columns``), the city exports
(``exporters``), its records (``repository``), the order names are listed in (``collation``),
the goals' titles (``sdgs``) and the ``uccn cities`` and ``uccn fields`` commands (``cli``).

Import from the submodules; this package imports nothing, so that exporters stay light.
"""
