"""Deliverable documents (输出物) generated from packs and run records, in Chinese, as HTML and .docx.

``DOCUMENTS`` names every kind; builders (``docs.builders``) turn a pack's ``Facts`` into a small
document model (``docs.model``) that the HTML and DOCX renderers draw. See ``docs/documents.md``.
"""

from lingshu.docs.facts import Facts, Options
from lingshu.docs.registry import DOCUMENTS, ensure_loaded, ordered
from lingshu.docs.writer import build_documents, write_bundle, write_documents

__all__ = ["DOCUMENTS", "Facts", "Options", "build_documents", "ensure_loaded", "ordered", "write_bundle",
           "write_documents"]
