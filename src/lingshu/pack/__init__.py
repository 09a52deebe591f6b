"""Scenario packs: a folder of YAML + SQL that the platform runs end to end.

``pack.spec`` holds the pack.yaml schema and ``pack.loader`` the loader and catalog. Nothing is
imported here: models import the spec, and the loader imports models, so an eager import in this
file would make the two packages import each other.
"""
