"""Errors of the documents package."""

from __future__ import annotations

from lingshu.core.errors import LingshuError


class DocsError(LingshuError):
    """A document cannot be built or written (unknown kind, bad format, unwritable folder)."""


class DocumentNotFound(DocsError):
    """A generated document was asked for that the pack's manifest does not list."""

    http_status = 404
