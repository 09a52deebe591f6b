"""Entity resolution quality on the synthetic world: Lingshu (Splink + Chinese features) vs baselines.

Prints pairwise precision, recall and F1 against ``ground_truth/entity_map.parquet`` for

1. ``lingshu``: Splink with the Chinese-aware standardized columns, comparisons and blocking of
   ``lingshu.govern.er`` (trained unsupervised, threshold 0.95, the packs' setting); for persons
   also ``lingshu-sealed``, the kind the packs run since they seal ID numbers (join tokens and the
   region and birth digits in place of the ID);
2. ``splink-default``: Splink on the raw columns with only its library comparisons (exact ID,
   NameComparison, Levenshtein on dates and addresses ...), no Chinese features, trained the same way;
3. ``recordlinkage``: the recordlinkage toolkit (blocking index, string comparisons, the
   unsupervised ECM classifier), on the same raw columns.

    .venv/bin/python benchmarks/er_quality.py [--scale 0.2] [--world DIR]

A second round removes the ID / USCC from the sources after the first (models trained on the data
as delivered are applied), so matching rests on names, dates, phones and addresses.

recordlinkage is benchmark-only (``pip install recordlinkage==0.16``); without it that row is skipped.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from functools import partial
from pathlib import Path

import pyarrow as pa

from lingshu.engines.duckdb import DuckDBEngine
from lingshu.govern.er import evaluate
from lingshu.govern.er.golden import FieldRule
from lingshu.govern.er.resolve import Config, resolve
from lingshu.govern.er.steps import standardized
from lingshu.govern.er.train import new_db_api, train
from lingshu.govern.sql import register_sql

THRESHOLD = 0.95
# Raw columns per kind for the baselines (what a matcher without Chinese features would use).
RAW = {
    "person": {"id": "id_no", "cols": ["name", "id_no", "birth_date", "phone", "address"]},
    "enterprise": {"id": "uscc", "cols": ["uscc", "name", "legal_rep", "address", "established"]},
}


def lingshu_run(inputs: pa.Table, kind: str, train_on: pa.Table, er_kind: str | None = None) -> tuple[pa.Table, float]:
    """``er_kind`` person_sealed: the same records with the ID replaced by what the packs keep of it
    once sealed (tokens and the region and birth digits, ``evaluate.kind_inputs``)."""
    t0 = time.perf_counter()
    er_kind = er_kind or kind
    engine = DuckDBEngine(":memory:", extensions=())
    register_sql(engine)
    engine.con.register("er_train", train_on)
    model = train(standardized(engine, evaluate.kind_inputs("er_train", er_kind), er_kind).drop_columns(["row_hash"]),
                  er_kind)
    engine.con.register("er_in", inputs)
    records = standardized(engine, evaluate.kind_inputs("er_in", er_kind), er_kind)
    result = resolve(records, model, None, Config(threshold=THRESHOLD, fields=[FieldRule(name="name")]))
    return result.xref.select(["record_key", "master_id"]).rename_columns(["record_key", "cluster_id"]), \
        time.perf_counter() - t0


def _raw(inputs: pa.Table, kind: str) -> pa.Table:
    cols = RAW[kind]["cols"]
    keys = pa.array([f"{s}:{r}" for s, r in zip(inputs.column("source").to_pylist(),
                                                  inputs.column("record_id").to_pylist(), strict=True)])
    data = {"record_key": keys}
    for c in cols:
        data[c] = inputs.column(c).cast(pa.string())
    return pa.table(data)


def splink_default_run(inputs: pa.Table, kind: str, train_on: pa.Table) -> tuple[pa.Table, float]:
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on

    t0 = time.perf_counter()
    raw = _raw(train_on, kind)
    if kind == "person":
        comparisons = [cl.ExactMatch("id_no"), cl.NameComparison("name"), cl.LevenshteinAtThresholds("birth_date"),
                       cl.ExactMatch("phone"), cl.LevenshteinAtThresholds("address")]
        blocking = [block_on("id_no"), block_on("name"), block_on("phone")]
        train_rules = [block_on("id_no"), block_on("name")]
    else:
        comparisons = [cl.LevenshteinAtThresholds("uscc"), cl.JaroWinklerAtThresholds("name"),
                       cl.NameComparison("legal_rep"), cl.LevenshteinAtThresholds("address"),
                       cl.ExactMatch("established")]
        blocking = [block_on("uscc"), block_on("name"), block_on("address")]
        train_rules = [block_on("uscc"), block_on("name")]
    settings = SettingsCreator(link_type="dedupe_only", unique_id_column_name="record_key", comparisons=comparisons,
                               blocking_rules_to_generate_predictions=blocking)
    api = new_db_api()
    lk = Linker(api.register(raw, table_name="raw"), settings, log_level=logging.WARNING)
    lk.training.estimate_probability_two_random_records_match([block_on(RAW[kind]["id"])], recall=0.9)
    lk.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=20240101)
    for rule in train_rules:
        lk.training.estimate_parameters_using_expectation_maximisation(rule)
    if inputs is not train_on:  # apply the trained model to the data to resolve
        lk = Linker(api.register(_raw(inputs, kind), table_name="raw_apply"), lk.misc.save_model_to_json(),
                    log_level=logging.WARNING)
    pred = lk.inference.predict(threshold_match_probability=0.5)
    clusters = lk.clustering.cluster_pairwise_predictions_at_threshold(pred, threshold_match_probability=THRESHOLD)
    df = clusters.as_pandas_dataframe()[["record_key", "cluster_id"]].astype(str)
    return pa.Table.from_pandas(df, preserve_index=False), time.perf_counter() - t0


def recordlinkage_run(inputs: pa.Table, kind: str, train_on: pa.Table) -> tuple[pa.Table, float] | None:
    try:
        import recordlinkage as rl
    except ImportError:
        return None
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    t0 = time.perf_counter()
    df = _raw(inputs, kind).to_pandas().set_index("record_key")
    idx = rl.Index()
    if kind == "person":
        for col in ("id_no", "name", "phone"):
            idx.block(col)
    else:
        for col in ("uscc", "name", "address"):
            idx.block(col)
    pairs = idx.index(df)
    cmp = rl.Compare()
    if kind == "person":
        cmp.exact("id_no", "id_no", label="id")
        cmp.string("name", "name", method="jarowinkler", threshold=0.9, label="name")
        cmp.exact("birth_date", "birth_date", label="dob")
        cmp.exact("phone", "phone", label="phone")
        cmp.string("address", "address", method="levenshtein", threshold=0.85, label="address")
    else:
        cmp.exact("uscc", "uscc", label="uscc")
        cmp.string("name", "name", method="jarowinkler", threshold=0.9, label="name")
        cmp.exact("legal_rep", "legal_rep", label="rep")
        cmp.string("address", "address", method="levenshtein", threshold=0.85, label="address")
        cmp.exact("established", "established", label="est")
    features = cmp.compute(pairs, df)
    links = rl.ECMClassifier(binarize=0.5).fit_predict(features)
    keys = df.index.to_numpy()
    pos = {k: i for i, k in enumerate(keys)}
    a = np.array([pos[x] for x in links.get_level_values(0)], dtype=np.int64)
    b = np.array([pos[x] for x in links.get_level_values(1)], dtype=np.int64)
    graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(len(keys), len(keys)))
    _, labels = connected_components(graph, directed=False)
    return pa.table({"record_key": pa.array(keys.astype(str)), "cluster_id": pa.array(labels.astype(str))}), \
        time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", type=float, default=0.2)
    ap.add_argument("--seed", type=int, default=20240101)
    ap.add_argument("--world", type=Path, default=None, help="use an already generated world")
    args = ap.parse_args()
    logging.getLogger("splink").setLevel(logging.ERROR)
    world = args.world
    if world is None:
        from lingshu.synth import SynthConfig, generate

        world = Path(tempfile.mkdtemp(prefix="er_quality_"))
        generate(SynthConfig(scale=args.scale, seed=args.seed), world)
    print(f"world: {world}")
    for variant in ("as delivered", "no ID in the second source"):
        print(f"\n== {variant} ==")
        rows = []
        for kind in ("person", "enterprise"):
            delivered = evaluate.synth_inputs(world, kind)
            # Models are trained on the data as delivered (as the packs' models are), then applied.
            inputs = delivered if variant == "as delivered" else without_ids(delivered, kind)
            truth = evaluate.truth(world, kind)
            methods = [("lingshu", lingshu_run)]
            if kind == "person":  # packs 12 and 14 seal ID numbers: the same matching on tokens
                methods.append(("lingshu-sealed", partial(lingshu_run, er_kind="person_sealed")))
            methods += [("splink-default", splink_default_run), ("recordlinkage", recordlinkage_run)]
            for name, fn in methods:
                out = fn(inputs, kind, delivered)
                if out is None:
                    print(f"{kind:10s} {name:15s} skipped (pip install recordlinkage==0.16)")
                    continue
                clusters, seconds = out
                s = evaluate.pairwise_scores(clusters, truth)
                rows.append((kind, name, s, seconds))
                print(f"{kind:10s} {name:15s} {s}  {seconds:6.1f}s  ({inputs.num_rows} records)", flush=True)
        print("ratios (lingshu / baseline):")
        for kind in ("person", "enterprise"):
            ours = next(r for r in rows if r[0] == kind and r[1] == "lingshu")[2]
            for _, name, s, _ in (r for r in rows if r[0] == kind and not r[1].startswith("lingshu")):
                print(f"  {kind:10s} vs {name:15s} F1 {ours.f1 / s.f1 if s.f1 else float('inf'):.3f}x  "
                      f"recall {ours.recall / s.recall if s.recall else float('inf'):.3f}x  "
                      f"missed pairs {s.true_pairs - s.correct_pairs} -> {ours.true_pairs - ours.correct_pairs}")


# The second variant removes the strongest key from the sources after the first (community
# registrations and tax records without ID/USCC, as departments that may not share them deliver):
# matching must then rest on names, dates, phones and addresses, where the Chinese features count.
SECOND_SOURCES = {"person": ("sq_resident",), "enterprise": ("sw_taxpayer",)}


def without_ids(inputs: pa.Table, kind: str) -> pa.Table:
    import pyarrow.compute as pc

    col = RAW[kind]["id"]
    drop = pc.is_in(inputs.column("source"), value_set=pa.array(SECOND_SOURCES[kind]))
    ids = inputs.column(col).cast(pa.string())
    i = inputs.column_names.index(col)
    return inputs.set_column(i, col, pc.if_else(drop, pa.scalar(None, pa.string()), ids))


if __name__ == "__main__":
    main()
