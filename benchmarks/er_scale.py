"""Deduplicate about 1 million person records on this machine: time per phase and peak memory.

The records are the synthetic world's two person sources (公安 实有人口 + 社区 居住登记, with their
duplicates and variants), generated at the size that gives ``--records`` rows. Phases: standardize
(SQL + pinyin UDFs), train (u sampling + EM, on a sample), predict + cluster + stable ids +
survivorship (``resolve``), then a 1 % incremental batch against the existing masters.

    .venv/bin/python benchmarks/er_scale.py [--records 1000000] [--threads 2] [--memory-limit 6GB]

Peak memory is the process's maximum resident set (Python + DuckDB), from getrusage.
"""

from __future__ import annotations

import argparse
import logging
import resource
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from lingshu.engines.duckdb import DuckDBEngine
from lingshu.govern.er import evaluate
from lingshu.govern.er.golden import FieldRule
from lingshu.govern.er.resolve import Config, Previous, resolve
from lingshu.govern.er.steps import standardized
from lingshu.govern.er.train import new_db_api, train
from lingshu.govern.sql import register_sql

RECORDS_PER_PERSON = 1.52  # ga: every person once; sq: ~60 % of adults plus 5 % duplicates


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def person_sources(records: int, seed: int) -> tuple[pa.Table, pa.Table]:
    """(input relation, truth) of the person sources at the size giving ``records`` rows."""
    import pandas as pd

    from lingshu.synth import SynthConfig
    from lingshu.synth import defects as d
    from lingshu.synth import persons as per

    persons_wanted = int(records / RECORDS_PER_PERSON)
    cfg = SynthConfig(scale=persons_wanted / 30_000, seed=seed)
    base = Path(tempfile.gettempdir()) / "lingshu_er_scale_addresses.parquet"
    if not base.exists():  # addresses from a small world (the address base does not scale with persons)
        from lingshu.synth import generate

        tmp = Path(tempfile.mkdtemp(prefix="er_scale_"))
        generate(SynthConfig(scale=0.1, seed=seed, excel=False), tmp)
        pd.read_csv(tmp / "reference/address_base.csv", dtype=str).to_parquet(base)
    addresses = pd.read_parquet(base)
    addresses["lon"] = addresses["lon"].astype(float)
    addresses["lat"] = addresses["lat"].astype(float)
    addresses["town_index"] = addresses["town_id"].astype("category").cat.codes
    people = per.build_persons(cfg, addresses)
    gt = d.GroundTruth()
    ga = per.ga_source(cfg, people, gt)
    sq = per.sq_source(cfg, people, addresses, gt)
    ga_in = pd.DataFrame({"source": "ga_population", "record_id": ga["record_id"], "name": ga["name"],
                          "id_no": ga["id_number"], "birth_date": ga["birth_date"].astype(str), "sex": ga["sex"],
                          "phone": ga["phone"], "address": ga["address"]})
    sq_in = pd.DataFrame({"source": "sq_resident", "record_id": sq["record_id"], "name": sq["name"],
                          "id_no": sq["cert_no"], "birth_date": sq["birthday"].astype(str), "sex": sq["gender"],
                          "phone": sq["mobile"], "address": sq["address"]})
    inputs = pd.concat([ga_in, sq_in], ignore_index=True)
    inputs["updated_at"] = pd.NaT
    em = gt.entity_map()
    truth = pd.DataFrame({"record_key": em["source"] + ":" + em["record_id"], "entity_id": em["entity_id"]})
    return pa.Table.from_pandas(inputs, preserve_index=False), pa.Table.from_pandas(truth, preserve_index=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--memory-limit", default="6GB", help="DuckDB memory limit (it spills beyond)")
    ap.add_argument("--train-sample", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=20240101)
    args = ap.parse_args()
    logging.getLogger("splink").setLevel(logging.ERROR)
    t = {}
    t0 = time.perf_counter()
    inputs, truth = person_sources(args.records, args.seed)
    t["generate"] = time.perf_counter() - t0
    print(f"records {inputs.num_rows:,}  (generated in {t['generate']:.0f}s, peak {peak_mb():,.0f} MB)", flush=True)

    t0 = time.perf_counter()
    engine = DuckDBEngine(":memory:", extensions=(), threads=args.threads)
    register_sql(engine)
    engine.con.register("er_in", inputs)
    records = standardized(engine, "er_in", "person")
    engine.con.unregister("er_in")
    t["standardize"] = time.perf_counter() - t0
    print(f"standardize {t['standardize']:.0f}s  peak {peak_mb():,.0f} MB", flush=True)

    t0 = time.perf_counter()
    sample = records.take(pa.array(range(0, records.num_rows, max(1, records.num_rows // args.train_sample))))
    model = train(sample.drop_columns(["row_hash"]), "person", db_api=new_db_api(args.threads, args.memory_limit))
    t["train"] = time.perf_counter() - t0
    print(f"train on {sample.num_rows:,} {t['train']:.0f}s  peak {peak_mb():,.0f} MB", flush=True)

    # Hold back 1 % as the next batch, resolve the rest in full, then the batch incrementally.
    keys = records.column("record_key")
    hold = pc.equal(pc.utf8_slice_codeunits(keys, -2), "00")
    cfg = Config(prefix="NP", fields=[FieldRule(name="name"), FieldRule(name="phone", rule="recent"),
                                      FieldRule(name="address", rule="complete")])
    t0 = time.perf_counter()
    first = resolve(records.filter(pc.invert(hold)), model, None, cfg,
                    db_api=new_db_api(args.threads, args.memory_limit))
    t["resolve_full"] = time.perf_counter() - t0
    print(f"resolve (predict, cluster, ids, golden) {t['resolve_full']:.0f}s  pairs {first.stats['pairs_scored']:,}  "
          f"masters {first.golden.num_rows:,}  peak {peak_mb():,.0f} MB", flush=True)

    t0 = time.perf_counter()
    second = resolve(records, model, Previous(first.xref, first.golden, first.review), cfg,
                     db_api=new_db_api(args.threads, args.memory_limit))
    t["incremental_1pct"] = time.perf_counter() - t0
    print(f"incremental batch of {second.stats['batch_records']:,} {t['incremental_1pct']:.0f}s  "
          f"new {second.stats['new']:,} merge {second.stats['merge']}  peak {peak_mb():,.0f} MB", flush=True)

    s = evaluate.pairwise_scores(second.xref.select(["record_key", "master_id"]), truth, "master_id")
    total = t["standardize"] + t["train"] + t["resolve_full"]
    print(f"\nquality: {s}")
    print(f"dedupe of {records.num_rows:,} records: {total:.0f}s (standardize + train + resolve) on "
          f"{args.threads} threads; incremental 1 % batch {t['incremental_1pct']:.0f}s "
          f"({t['resolve_full'] / max(t['incremental_1pct'], 1e-9):.1f}x faster than the full resolve); "
          f"peak memory {peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
