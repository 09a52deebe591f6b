from lingshu.core.errors import LingshuError


class DashboardError(LingshuError):
    """A dashboard file is wrong, or a chart cannot be drawn from what was asked (HTTP 400)."""
