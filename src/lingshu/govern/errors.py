"""The governance package's one exception type."""

from __future__ import annotations

from lingshu.core.errors import LingshuError


class GovernError(LingshuError):
    """A validator, standardizer or reference table was asked for something it cannot do.

    Invalid *data* is never an exception: validators return a verdict saying what is wrong.
    This is raised for wrong *use*: an unknown CRS, a reference table that fails to load, a base
    address table without the columns the matcher needs.
    """
