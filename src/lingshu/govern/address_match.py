"""Match addresses against a standard address base (标准地址库) to geocode them or flag them.

Both sides are parsed with the same vectorized standardizer, then scored in DuckDB: candidates
share the road (exact, or fuzzy by Jaro-Winkler within the same first character, for typos), and
the score is the weighted share of components that agree (see ``_match`` for how components
present on one side only count), so a base row less specific than the input (road only) cannot
score 1.0. Each input gets its
best candidate, its score and a status from thresholds in ``MatchConfig``.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from pydantic import BaseModel

from lingshu.govern.errors import GovernError
from lingshu.govern.sqldefs import as_array


class MatchConfig(BaseModel):
    weights: dict[str, float] = {"district": 0.05, "town": 0.05, "road": 0.35, "lane": 0.15,
                                 "sub_lane": 0.05, "number": 0.2, "building": 0.05, "unit": 0.03,
                                 "room": 0.07}
    fuzzy_road_min: float = 0.85  # Jaro-Winkler similarity for a road with a typo
    matched_min: float = 0.8  # at or above: geocode with the base coordinates
    review_min: float = 0.5  # at or above (and below matched_min): a person should look


def match_addresses(addresses: Any, base: pa.Table, *, address_col: str = "address", lng_col: str = "lng",
                    lat_col: str = "lat", id_col: str | None = None, config: MatchConfig | None = None,
                    engine: Any = None) -> pa.Table:
    """Best base match per input address: input, standard, match_id, matched_address, lng, lat, score,
    status ('matched' / 'review' / 'unmatched'), rules. Input order is kept (column ``row``)."""
    cfg = config or MatchConfig()
    missing = [c for c in (address_col, lng_col, lat_col, id_col) if c and c not in base.column_names]
    if missing:
        raise GovernError(f"the address base lacks the column(s) {missing}",
                          hint=f"pass address_col/lng_col/lat_col/id_col naming columns of: {base.column_names}")
    if engine is None:
        from lingshu.govern.vector import PRIVATE

        with PRIVATE.lock:
            return _match(PRIVATE.engine, addresses, base, address_col, lng_col, lat_col, id_col, cfg)
    from lingshu.govern.sql import register_sql

    register_sql(engine)
    return _match(engine, addresses, base, address_col, lng_col, lat_col, id_col, cfg)


def _match(eng: Any, addresses: Any, base: pa.Table, address_col: str, lng_col: str, lat_col: str,
           id_col: str | None, cfg: MatchConfig) -> pa.Table:
    inputs = pa.table({"row": pa.array(range(len(as_array(addresses))), pa.int64()),
                       "input": as_array(addresses).cast(pa.string())})
    b = pa.table({"bid": base.column(id_col) if id_col else pa.array(range(base.num_rows), pa.int64()),
                  "baddr": base.column(address_col).cast(pa.string()),
                  "blng": base.column(lng_col).cast(pa.float64()), "blat": base.column(lat_col).cast(pa.float64())})
    eng.con.register("__lingshu_addr_in", inputs)
    eng.con.register("__lingshu_addr_base", b)
    w = cfg.weights
    # Both present: counts, and scores when equal. Only in the input (the base is less specific):
    # counts half, so the more specific base row wins. Only in the base: ignored (the input just
    # omits it, e.g. no district). A lane on one side only counts fully: it changes what 号 means.
    agree = " + ".join(f"CASE WHEN i.p.{c} = s.p.{c} THEN {w[c]} ELSE 0 END" for c in w if c != "road")
    present = " + ".join(
        f"CASE WHEN i.p.{c} IS NOT NULL AND s.p.{c} IS NOT NULL THEN {w[c]}"
        f" WHEN i.p.{c} IS NOT NULL OR ('{c}' = 'lane' AND s.p.{c} IS NOT NULL)"
        f" THEN {w[c] if c == 'lane' else w[c] / 2} ELSE 0 END" for c in w if c != "road")
    road_sim = "CASE WHEN i.p.road = s.p.road THEN 1.0 ELSE jaro_winkler_similarity(i.p.road, s.p.road) END"
    sql = f"""
    WITH i AS (SELECT row, input, address_parse(input) AS p FROM __lingshu_addr_in),
         s AS (SELECT bid, baddr, blng, blat, address_parse(baddr) AS p FROM __lingshu_addr_base),
         cand AS (
           SELECT i.row, s.bid, s.baddr, s.blng, s.blat,
                  ({w['road']} * {road_sim} + {agree}) / ({w['road']} + {present}) AS score
           FROM i JOIN s ON i.p.road = s.p.road
              OR (left(i.p.road, 1) = left(s.p.road, 1)
                  AND jaro_winkler_similarity(i.p.road, s.p.road) >= {cfg.fuzzy_road_min})
           WHERE i.p.district IS NULL OR s.p.district IS NULL OR i.p.district = s.p.district),
         best AS (SELECT row, arg_max(struct_pack(bid, baddr, blng, blat, score), score) AS m
                  FROM cand GROUP BY row)
    SELECT i.row, i.input, i.p.standard AS standard, best.m.bid AS match_id,
           best.m.baddr AS matched_address, best.m.blng AS lng, best.m.blat AS lat,
           round(coalesce(best.m.score, 0), 4) AS score,
           CASE WHEN coalesce(best.m.score, 0) >= {cfg.matched_min} THEN 'matched'
                WHEN coalesce(best.m.score, 0) >= {cfg.review_min} THEN 'review' ELSE 'unmatched' END AS status,
           i.p.rules AS rules
    FROM i LEFT JOIN best USING (row) ORDER BY i.row"""
    try:
        return eng.con.execute(sql).to_arrow_table()
    finally:
        eng.con.unregister("__lingshu_addr_in")
        eng.con.unregister("__lingshu_addr_base")
