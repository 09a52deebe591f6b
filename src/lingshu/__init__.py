"""Lingshu (临数): the data platform a city data bureau runs its scenarios on."""

__version__ = "0.1.0"
