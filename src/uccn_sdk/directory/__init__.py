"""The city directory: reading import files (`reading`), writing cities and loading plugin
sources into the store (`service`), and the flat CSV form of a city (`columns`).

Import from the submodules; this package imports nothing, so that exporters stay light.
"""
