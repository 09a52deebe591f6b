from lingshu.core.errors import LingshuError


class IndicatorError(LingshuError):
    """An indicator definition or query is invalid (unknown dimension, grain, non-additive rollup)."""
