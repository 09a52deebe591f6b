"""Blocking rules: which pairs Splink scores at all.

Every rule is an equality on standardized columns, so the database answers it with a hash join
and the number of candidate pairs grows with the number of true duplicates plus the size of the
largest blocks, not with n²: near-linear. Several rules are OR-ed (a pair found by an earlier rule
is not scored twice), so a record missing one key (no ID) is still found through another (birth
date and surname). ``BLOCKING`` maps a name to its list of column tuples; kinds refer to it by name.
"""

from __future__ import annotations

from typing import Any

from lingshu.core.registry import Registry

BLOCKING: Registry[tuple[tuple[str, ...], ...]] = Registry("ER blocking rule set")

BLOCKING.add("person", (
    ("id_norm",),  # the same ID (after 15->18 upgrade)
    ("id17",),  # the same body: a wrong check character
    ("dob", "surname_py"),  # an ID typo elsewhere, or no ID: same birth date and surname
    ("name_py", "region"),  # same name and ID region (a typo in the birth-date digits)
    ("phone_norm", "surname_py"),
))
BLOCKING.add("enterprise", (
    ("uscc_norm",),
    ("org_code",),  # a wrong USCC check character or region, same organisation code
    ("name_core",),
    ("name_core_py",),  # homophone trade names
    ("addr_door", "rep_py"),
))
# Rules to train m by EM: each session fixes the comparison it blocks on and learns the others.
TRAINING: Registry[tuple[tuple[str, ...], ...]] = Registry("ER training blocking")
TRAINING.add("person", (("id_norm",), ("name_py", "dob")))
TRAINING.add("enterprise", (("uscc_norm",), ("name_core",)))


def rules(columns: tuple[tuple[str, ...], ...]) -> list[Any]:
    """Splink blocking-rule creators for column tuples (Splink writes each dialect's SQL)."""
    from splink import block_on

    return [block_on(*cols) for cols in columns]
