"""Train an ER model on a generated world and save it with a pack (the file's version increments).

    .venv/bin/python -m lingshu.govern.er --world /tmp/synth-er --kind person \
        --out packs/talent/natural_person/er/person.model.json [--sources ga_population,sq_resident]

Training is unsupervised: the world's ground truth is not read (only ``evaluate`` reads it).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from lingshu.engines.duckdb import DuckDBEngine
from lingshu.govern.er import evaluate, train
from lingshu.govern.er.steps import standardized
from lingshu.govern.sql import register_sql


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m lingshu.govern.er", description=__doc__.split("\n")[0])
    ap.add_argument("--world", type=Path, required=True, help="folder written by `lingshu synth`")
    ap.add_argument("--kind", choices=sorted(evaluate.SOURCES), required=True)
    ap.add_argument("--out", type=Path, required=True, help="model JSON to write (version increments)")
    ap.add_argument("--sources", default=None, help="comma-separated source names (default: all of the kind)")
    ap.add_argument("--seed", type=int, default=20240101)
    args = ap.parse_args(argv)
    inputs = evaluate.synth_inputs(args.world, args.kind, args.sources.split(",") if args.sources else None)
    engine = DuckDBEngine(":memory:", extensions=())
    register_sql(engine)
    engine.con.register("er_input", inputs)
    records = standardized(engine, evaluate.kind_inputs("er_input", args.kind), args.kind).drop_columns(["row_hash"])
    model = train.train(records, args.kind, seed=args.seed)
    path = train.save_model(model, args.out)
    print(f"{path}: {args.kind} model version {model.version}, trained on {records.num_rows} records")


if __name__ == "__main__":
    main()
