"""The quality package's one exception type."""

from __future__ import annotations

from lingshu.core.errors import ConfigError


class QualityError(ConfigError):
    """A rules file or a rule is wrong (unknown kind, bad SQL, a table the pack does not produce).

    Failing *data* is never an exception: a rule that finds offending rows is a result, stored
    and reported. This is raised for a rule that cannot be compiled or run as written.
    """
