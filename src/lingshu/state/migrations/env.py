"""Alembic environment: the store hands us an open connection through ``config.attributes``."""

from alembic import context

from lingshu.state.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
