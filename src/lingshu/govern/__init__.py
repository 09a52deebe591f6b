"""Governance: standardizers, validators, quality rules, quality reports, entity resolution.

Validators and standardizers (each with a Python single-value reference, SQL for model SQL and
quality rules, and a vectorized path for arrays):

- ``idcard`` GB 11643, ``uscc`` GB 32100 (+ GB 11714 org code), ``gb28181`` device codes,
  ``projectcode`` investment project codes (check algorithm UNSETTLED), ``phone``, ``dates``,
  ``text`` (full-width folding), ``numerals`` + ``address`` + ``address_match`` (Shanghai),
  ``regions`` (GB/T 2260 Shanghai + 临港新片区 zone), ``industry`` (GB/T 4754-2017), ``coords``.
- ``sql.register_sql(engine)`` installs every SQL function; ``kinds.KINDS`` names the validator
  kinds quality rules use; ``vector.apply_sql`` runs the SQL over Arrow arrays from Python.
- Reference tables live in ``data/`` and state their own coverage and certainty.
"""
