"""Governance: standardizers, validators, quality rules, quality reports, entity resolution."""
