"""Ingest: run connectors into ODS tables, typing every row or quarantining it with a reason."""

from lingshu.ingest.load import IngestResult, ingest_source

__all__ = ["IngestResult", "ingest_source"]
