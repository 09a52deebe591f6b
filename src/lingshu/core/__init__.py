"""Contracts shared by every package: errors, registries, YAML loading, workspace, Context."""
