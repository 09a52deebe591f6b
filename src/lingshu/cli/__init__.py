"""The ``lingshu`` command: thin commands over the Context."""
