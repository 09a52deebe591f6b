"""Scored pairs -> links: the match threshold, the review band, remembered decisions, components.

Pairs at or above ``threshold`` link; pairs in ``[review_low, threshold)`` go to the review queue.
A reviewer's decision on a pair is remembered (the review table keeps it) and wins on every later
run: ``match`` adds the link whatever the score, ``no_match`` removes that direct link (records can
still meet through other links: cannot-link is per pair, as in Splink's own clustering).
Connected components come from Splink's clustering (``cluster_pairwise_predictions_at_threshold``).
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from lingshu.govern.er.kinds import UNIQUE_ID

PAIR_COLS = (f"{UNIQUE_ID}_l", f"{UNIQUE_ID}_r", "match_probability")
DECISIONS = ("match", "no_match")


def scored_pairs(predictions: Any) -> pa.Table:
    """Splink predictions -> (record_key_l, record_key_r, match_probability), left key the smaller."""
    t = predictions.as_pandas_dataframe()[list(PAIR_COLS)]
    lo = t[[PAIR_COLS[0], PAIR_COLS[1]]].min(axis=1)
    hi = t[[PAIR_COLS[0], PAIR_COLS[1]]].max(axis=1)
    t = t.assign(**{PAIR_COLS[0]: lo, PAIR_COLS[1]: hi})
    schema = pa.schema([(PAIR_COLS[0], pa.string()), (PAIR_COLS[1], pa.string()), ("match_probability", pa.float64())])
    return pa.Table.from_pandas(t, preserve_index=False).cast(schema)


def links(con: Any, pairs: pa.Table, decisions: pa.Table | None, threshold: float) -> pa.Table:
    """Edges that link: scored pairs over the threshold, plus ``match`` decisions, minus ``no_match``."""
    con.register("__pairs", pairs)
    con.register("__decisions", decisions if decisions is not None else _empty_decisions())
    l, r = PAIR_COLS[0], PAIR_COLS[1]
    try:
        return con.execute(f"""
            SELECT p.{l}, p.{r}, p.match_probability FROM __pairs p
            LEFT JOIN __decisions d ON d.{l} = p.{l} AND d.{r} = p.{r}
            WHERE p.match_probability >= {float(threshold)} AND coalesce(d.decision, '') <> 'no_match'
            UNION ALL
            SELECT d.{l}, d.{r}, 1.0 FROM __decisions d WHERE d.decision = 'match'""").to_arrow_table()
    finally:
        con.unregister("__pairs")
        con.unregister("__decisions")


def review_band(pairs: pa.Table, low: float, threshold: float) -> pa.Table:
    import pyarrow.compute as pc

    p = pairs.column("match_probability")
    return pairs.filter(pc.and_(pc.greater_equal(p, low), pc.less(p, threshold)))


def components(db_api: Any, nodes: pa.Table, edges: pa.Table, node_col: str = UNIQUE_ID) -> pa.Table:
    """(node, cluster_id) for every node; singletons are their own cluster.

    The cluster id is the smallest node id in the cluster, whatever the backend named it, so the
    same links give the same table on every engine (master ids are issued in this order too).
    """
    from splink.clustering import cluster_pairwise_predictions_at_threshold

    edge_tbl = edges.rename_columns([f"{node_col}_l", f"{node_col}_r", "match_probability"])
    out = cluster_pairwise_predictions_at_threshold(
        nodes.select([node_col]), edge_tbl, db_api, node_id_column_name=node_col,
        threshold_match_probability=None)
    df = out.as_pandas_dataframe()[[node_col, "cluster_id"]].astype(str)
    out.drop_table_from_database_and_remove_from_cache()
    df["cluster_id"] = df.groupby("cluster_id")[node_col].transform("min")
    return pa.Table.from_pandas(df.sort_values(node_col), preserve_index=False)


def _empty_decisions() -> pa.Table:
    return pa.table({PAIR_COLS[0]: pa.array([], pa.string()), PAIR_COLS[1]: pa.array([], pa.string()),
                     "decision": pa.array([], pa.string())})
