"""The synth package's one exception type."""

from __future__ import annotations

from lingshu.core.errors import LingshuError


class SynthError(LingshuError):
    """The synthetic world cannot be generated as configured (bad rates, unwritable output, ...)."""
