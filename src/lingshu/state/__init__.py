"""Control-plane state: runs, update logs and (later) users, grants, approvals, incidents, audit.

Held in a relational store through SQLAlchemy 2: SQLite by default, PostgreSQL in production.
The schema evolves only through Alembic migrations (``migrations/versions``).
"""

from lingshu.state.store import StateStore

__all__ = ["StateStore"]
