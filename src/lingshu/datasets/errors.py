from lingshu.core.errors import LingshuError


class DatasetError(LingshuError):
    """A dataset request is wrong: unknown dataset or column, bad operator or value (HTTP 400)."""

    http_status = 400


class DatasetNotFound(DatasetError):
    http_status = 404


class NotPublished(DatasetError):
    """The dataset's pack has not passed security review (production workspaces only)."""

    http_status = 403
