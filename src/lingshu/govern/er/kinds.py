"""Entity kinds: the input columns a kind expects, its standardizing SQL, comparisons and blocking.

An input relation for a kind has ``record_id`` and ``source`` (together unique) and the kind's
``inputs`` (absent ones may be NULL); any other columns ride along for survivorship. ``std_sql``
turns it into the standardized relation Splink matches on, in one SELECT over the govern
functions, so the same columns come out in a pack run, a test and a benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass

from lingshu.core.registry import Registry

UNIQUE_ID = "record_key"  # source || ':' || record_id: unique across sources

# A person's name and phone keys, shared by the clear and the sealed person kinds.
_PERSON_NAME_PHONE = """
    nullif(person_name_clean(CAST(name AS VARCHAR)), '') AS name_clean,
    nullif(name_pinyin(CAST(name AS VARCHAR)), '') AS name_py,
    nullif(name_pinyin_plain(CAST(name AS VARCHAR)), '') AS name_py_plain,
    nullif(surname_pinyin(CAST(name AS VARCHAR)), '') AS surname_py,
    nullif(name_key(CAST(name AS VARCHAR)), '') AS name_key,
    phone_normalize(CAST(phone AS VARCHAR)) AS phone_norm"""

# Address components shared by both kinds: one parse, three keys of decreasing precision.
_ADDRESS = """
    a.standard AS addr_std,
    CASE WHEN a.road IS NOT NULL AND (a.lane IS NOT NULL OR a.number IS NOT NULL)
         THEN a.road || coalesce(a.lane || '弄', '') || coalesce(a.number || '号', '') END AS addr_door,
    a.road AS addr_road,
    a.town AS addr_town"""


@dataclass(frozen=True)
class EntityKind:
    name: str
    title: str
    inputs: tuple[str, ...]  # columns the input relation provides (NULL when a source lacks one)
    std_select: str  # SELECT list over the input row ``i`` and its parsed address ``a``
    comparisons: tuple[str, ...]  # names in comparisons.COMPARISONS
    blocking: str  # name in blocking.BLOCKING / blocking.TRAINING
    deterministic: tuple[str, ...]  # columns whose equality is a near-certain match (to estimate the prior)

    def std_sql(self, relation: str) -> str:
        """The standardized relation for ``relation`` (a table name or a parenthesised query)."""
        return (f"SELECT i.*, i.source || ':' || i.record_id AS {UNIQUE_ID}, {self.std_select}, {_ADDRESS}\n"
                f"FROM (SELECT *, address_parse(CAST(address AS VARCHAR)) AS a FROM {relation}) i")


KINDS: Registry[EntityKind] = Registry("ER entity kind")

KINDS.add("person", EntityKind(
    name="person", title="自然人 natural person",
    inputs=("name", "id_no", "birth_date", "sex", "phone", "address"),
    std_select="""
    id_normalize(CAST(id_no AS VARCHAR)) AS id_norm,
    substr(id_normalize(CAST(id_no AS VARCHAR)), 1, 17) AS id17,
    substr(id_normalize(CAST(id_no AS VARCHAR)), 1, 6) AS region,
    -- birth date from the ID first (it is check-summed), the declared date otherwise
    coalesce(id_birth_date_raw(id_normalize(CAST(id_no AS VARCHAR))),
             parse_cn_date(CAST(birth_date AS VARCHAR))) AS dob,""" + _PERSON_NAME_PHONE,
    comparisons=("id_number", "birth_region", "person_name", "phone", "address"),
    blocking="person",
    deterministic=("id_norm",),
))

# The same person with the ID number sealed (SM4 in the warehouse): what the source's `derive:`
# took from the plaintext before sealing stands in for it. ``id_token`` and ``id17_token`` are
# join tokens (HMAC-SM3) of the normalized ID and of its first 17 characters; ``id14`` is the
# region code and birth date (positions 1-14) in clear, the facts the clear kind reads from the ID
# anyway (the region and the birth date come from it). So blocking and the prior are the clear kind's,
# under the same column names; only the ID comparison differs (comparisons.id_token: a typo can no
# longer be told from another number).
KINDS.add("person_sealed", EntityKind(
    name="person_sealed", title="自然人（身份证号加密）natural person, sealed ID",
    inputs=("name", "id_token", "id17_token", "id14", "birth_date", "sex", "phone", "address"),
    std_select="""
    CAST(id_token AS VARCHAR) AS id_norm,
    CAST(id17_token AS VARCHAR) AS id17,
    substr(CAST(id14 AS VARCHAR), 1, 6) AS region,
    coalesce(id_birth_date_raw(CAST(id14 AS VARCHAR)), parse_cn_date(CAST(birth_date AS VARCHAR))) AS dob,"""
    + _PERSON_NAME_PHONE,
    comparisons=("id_token", "birth_region", "person_name", "phone", "address"),
    blocking="person",
    deterministic=("id_norm",),
))

KINDS.add("enterprise", EntityKind(
    name="enterprise", title="法人 legal person",
    inputs=("uscc", "name", "legal_rep", "address", "established"),
    std_select="""
    uscc_normalize(CAST(uscc AS VARCHAR)) AS uscc_norm,
    CASE WHEN length(uscc_normalize(CAST(uscc AS VARCHAR))) = 18
         THEN substr(uscc_normalize(CAST(uscc AS VARCHAR)), 9, 9) END AS org_code,
    nullif(ent_name_clean(CAST(name AS VARCHAR)), '') AS name_clean,
    nullif(ent_name_core(CAST(name AS VARCHAR)), '') AS name_core,
    nullif(ent_name_core_pinyin(CAST(name AS VARCHAR)), '') AS name_core_py,
    nullif(person_name_clean(CAST(legal_rep AS VARCHAR)), '') AS rep_clean,
    nullif(name_pinyin(CAST(legal_rep AS VARCHAR)), '') AS rep_py,
    parse_cn_date(CAST(established AS VARCHAR)) AS est_date""",
    comparisons=("uscc", "ent_name", "legal_rep", "address", "established"),
    blocking="enterprise",
    deterministic=("uscc_norm",),
))
