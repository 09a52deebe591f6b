"""Unsupervised training and versioned JSON models.

Training needs no labels: the prior (probability two random records match) is estimated from a
deterministic rule (same ID / same USCC, with an assumed recall), u probabilities by random
sampling of record pairs (almost all random pairs are non-matches), and m probabilities by
expectation maximisation, once per training blocking rule (each session learns every comparison
but the one it blocks on).

A model file wraps Splink's own JSON with our metadata, so it can be reviewed and versioned with
the pack (``er/person.model.json``)::

    {"lingshu": {"kind": "person", "version": 3, "trained_at": ..., "records": ..., "seed": ...},
     "splink": {...Splink settings with trained m and u...}}
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa

from lingshu.govern.er.blocking import BLOCKING, TRAINING, rules
from lingshu.govern.er.comparisons import COMPARISONS
from lingshu.govern.er.kinds import KINDS, UNIQUE_ID, EntityKind
from lingshu.govern.errors import GovernError

FORMAT = 1  # bump when the wrapper layout changes


@dataclass
class Model:
    kind: str
    version: int
    splink: dict[str, Any]
    meta: dict[str, Any]


def settings(kind: EntityKind, link_type: str = "dedupe_only") -> Any:
    from splink import SettingsCreator

    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name=UNIQUE_ID,
        comparisons=[COMPARISONS.get(c)() for c in kind.comparisons],
        blocking_rules_to_generate_predictions=rules(BLOCKING.get(kind.blocking)),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        additional_columns_to_retain=[],
    )


def new_db_api(threads: int = 2, memory_limit: str | None = None) -> Any:
    """A private in-memory DuckDB for Splink (its scratch tables never touch the warehouse)."""
    import duckdb
    from splink import DuckDBAPI

    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {int(threads)}")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute("SET preserve_insertion_order = false")  # lets DuckDB spill big joins
    return DuckDBAPI(connection=con)


def linker(db_api: Any, records: pa.Table | Any, model: Model | Any, name: str = "records") -> Any:
    """A Splink linker over ``records`` (Arrow or a registered SplinkDataFrame)."""
    from splink import Linker

    sdf = db_api.register(records, table_name=name) if isinstance(records, pa.Table) else records
    spec = spec_for(model, db_api.sql_dialect.sql_dialect_str) if isinstance(model, Model) else model
    return Linker(sdf, spec, log_level=logging.WARNING)


def spec_for(model: Model, dialect: str) -> dict[str, Any]:
    """The model's Splink settings for a backend of ``dialect``.

    Why not the file as is: Splink saves comparison levels as SQL text in the dialect it trained on
    (DuckDB: ``jaro_winkler_similarity("name_py_l", "name_py_r")``) without saying so, and reads
    them back as the target's SQL. On Spark the double-quoted names become string literals, so
    every pair would compare the constants 'name_py_l' and 'name_py_r' and score as a near match
    (seen in the conformance suite: 5 false pairs at 0.99 on 900 persons). SQLGlot alone cannot
    fix it either (DuckDB's ``jaro_winkler_similarity`` is the jar's ``jaro_winkler`` on Spark).
    So for another dialect the levels are rebuilt from code (``comparisons``, whose level classes
    write each dialect's SQL) and take the trained values (m, u, labels...) from the file, after
    checking that the code still builds exactly the levels the model was trained with.
    """
    source = model.splink.get("sql_dialect", "duckdb")
    if dialect == source:
        return model.splink
    kind = KINDS.get(model.kind)
    as_trained = settings(kind).get_settings(source).as_dict()["comparisons"]
    target = settings(kind).get_settings(dialect).as_dict()["comparisons"]
    saved = model.splink["comparisons"]
    comparisons = []
    for code, new, old in zip(as_trained, target, saved, strict=False):
        code_sql = [lv["sql_condition"] for lv in code["comparison_levels"]]
        file_sql = [lv["sql_condition"] for lv in old["comparison_levels"]]
        if code["output_column_name"] != old["output_column_name"] or code_sql != file_sql:
            raise GovernError(
                f"the {model.kind} model (version {model.version}) was trained with other comparison levels "
                f"than the code defines for {old['output_column_name']!r}: {file_sql} != {code_sql}",
                hint="retrain the model (.venv/bin/python -m lingshu.govern.er --help) and commit the new file")
        levels = [{**lv, "sql_condition": nl["sql_condition"]}
                  for lv, nl in zip(old["comparison_levels"], new["comparison_levels"], strict=True)]
        comparisons.append({**old, "comparison_levels": levels})
    if len(saved) != len(as_trained):
        raise GovernError(f"the {model.kind} model has {len(saved)} comparisons, the code defines {len(as_trained)}",
                          hint="retrain the model (.venv/bin/python -m lingshu.govern.er --help)")
    return {**model.splink, "comparisons": comparisons, "sql_dialect": dialect}


def train(records: pa.Table, kind_name: str, *, seed: int = 20240101, recall: float = 0.9,
          max_pairs: float = 2e6, db_api: Any = None) -> Model:
    """Train a model for ``kind_name`` on standardized records (see ``kinds.EntityKind.std_sql``)."""
    from splink import block_on

    kind = KINDS.get(kind_name)
    api = db_api or new_db_api()
    lk = linker(api, records, settings(kind), name=f"train_{kind.name}")
    lk.training.estimate_probability_two_random_records_match([block_on(*kind.deterministic)], recall=recall)
    lk.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    for cols in TRAINING.get(kind.blocking):
        lk.training.estimate_parameters_using_expectation_maximisation(block_on(*cols))
    spec = lk.misc.save_model_to_json()
    meta = {"kind": kind.name, "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "records": records.num_rows, "seed": seed, "recall_assumed": recall, "format": FORMAT,
            "method": "u: random sampling; m: EM per training blocking rule; prior: deterministic rule"}
    return Model(kind.name, 1, spec, meta)


def save_model(model: Model, path: Path) -> Path:
    """Write the model; an existing file's version is incremented (the file is the history's head)."""
    path = Path(path)
    if path.exists():
        model.version = load_model(path).version + 1
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"lingshu": {**model.meta, "kind": model.kind, "version": model.version}, "splink": model.splink}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def load_model(path: Path) -> Model:
    path = Path(path)
    if not path.exists():
        raise GovernError(f"entity-resolution model {path} does not exist",
                          hint="train one: .venv/bin/python -m lingshu.govern.er.train --help")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        meta, spec = doc["lingshu"], doc["splink"]
        return Model(meta["kind"], int(meta["version"]), spec, meta)
    except (ValueError, KeyError) as exc:
        raise GovernError(f"{path} is not a Lingshu ER model ({exc})",
                          hint="a model file has the keys 'lingshu' and 'splink'; retrain it") from None
