"""Scoring against the synthetic world's ground truth, and the world's sources as ER inputs.

``synth_inputs`` reads the delivered files of a generated world (``lingshu synth``) into the input
relation of a kind, the way the packs' DWD models do in SQL; ``pairwise_scores`` compares predicted
clusters with ``ground_truth/entity_map.parquet`` pair by pair (precision, recall, F1 over all
pairs of records placed together), the usual measure for deduplication.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

# Per kind: one SELECT per source over the world's files, into the kind's input columns.
# {root} is the world's folder. Column names are the delivered ones (Chinese headers included).
PERSON_SOURCES = {
    "ga_population": """SELECT 'ga_population' AS source, record_id, name, id_number AS id_no,
        birth_date, sex, phone, address, NULL::DATE AS updated_at
        FROM up_ga_population""",
    "sq_resident": """SELECT 'sq_resident' AS source, record_id, name, cert_no AS id_no, birthday AS birth_date,
        gender AS sex, mobile AS phone, address, TRY_CAST(reg_date AS DATE) AS updated_at
        FROM read_json_auto('{root}/sources/http/sq_resident.jsonl', format = 'newline_delimited')""",
    "rc_talent": """SELECT 'rc_talent' AS source, CAST("序号" AS VARCHAR) AS record_id, "姓名" AS name,
        "身份证号码" AS id_no, NULL AS birth_date, "性别" AS sex, NULL AS phone, NULL AS address,
        NULL::DATE AS updated_at
        FROM f_rc_talent""",
}
ENTERPRISE_SOURCES = {
    "scjg_enterprise": """SELECT 'scjg_enterprise' AS source, record_id, uscc, name, legal_rep, address,
        established_date AS established, NULL::DATE AS updated_at
        FROM up_scjg_enterprise""",
    "sw_taxpayer": """SELECT 'sw_taxpayer' AS source, "记录编号" AS record_id, "纳税人识别号" AS uscc,
        "纳税人名称" AS name, "法定代表人" AS legal_rep, "生产经营地址" AS address,
        "登记日期" AS established, NULL::DATE AS updated_at
        FROM f_sw_taxpayer""",
}
SOURCES = {"person": PERSON_SOURCES, "person_sealed": PERSON_SOURCES, "enterprise": ENTERPRISE_SOURCES}
# The sealed person kind's inputs from the delivered ID, as a source's `derive:` makes them before
# sealing (packs/talent/*/pack.yaml). Training and scoring need only which IDs are equal, so a
# SHA-256 stands in for the HMAC-SM3 join token, whose key is a workspace's own.
SEALED_INPUTS = {"person_sealed": """SELECT * EXCLUDE (id_no),
    sha256(id_normalize(CAST(id_no AS VARCHAR))) AS id_token,
    sha256(substr(id_normalize(CAST(id_no AS VARCHAR)), 1, 17)) AS id17_token,
    substr(id_normalize(CAST(id_no AS VARCHAR)), 1, 14) AS id14
    FROM {relation}"""}


def kind_inputs(relation: str, kind: str) -> str:
    """The relation to standardize for ``kind``: ``relation`` itself, or its sealed stand-in
    (needs the govern SQL functions on the engine that runs it)."""
    sql = SEALED_INPUTS.get(kind)
    return f"({sql.format(relation=relation)})" if sql else relation


def _connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute("SET autoinstall_known_extensions = false")
    return con


def synth_inputs(root: Path, kind: str, sources: list[str] | None = None) -> pa.Table:
    """The kind's input relation from a generated world (all its sources, or those named)."""
    root = Path(root)
    chosen = SOURCES[kind] if sources is None else {s: SOURCES[kind][s] for s in sources}
    con = _connect()
    import pandas as pd

    if "rc_talent" in chosen:  # DuckDB reads neither .xlsx nor GBK without extension downloads
        con.register("f_rc_talent", pd.read_excel(root / "sources/excel/人才库_人才信息台账.xlsx", dtype=str, header=2))
    if "sw_taxpayer" in chosen:
        con.register("f_sw_taxpayer", pd.read_csv(root / "sources/csv/税务_纳税人登记信息.csv",
                                                  encoding="gb18030", dtype=str))
    for name in ("ga_population", "scjg_enterprise"):
        if name in chosen:  # the upstream database, read with the standard library (no DuckDB extension)
            con.register(f"up_{name}", _sqlite_table(root / "sources/upstream.sqlite", name))
    sql = "\nUNION ALL BY NAME\n".join(q.replace("{root}", root.as_posix()) for q in chosen.values())
    return con.execute(sql).to_arrow_table()


def _sqlite_table(path: Path, table: str) -> pa.Table:
    import sqlite3

    with sqlite3.connect(path) as db:
        cur = db.execute(f'SELECT * FROM "{table}"')
        cols = [d[0] for d in cur.description]
        rows = cur.fetchall()
    return pa.table({c: pa.array([None if r[i] is None else str(r[i]) for r in rows], pa.string())
                     for i, c in enumerate(cols)})


def truth(root: Path, kind: str) -> pa.Table:
    """record_key -> true entity id for the kind's records."""
    entity = {"person": "person", "person_sealed": "person", "enterprise": "enterprise"}[kind]
    con = _connect()
    return con.execute(f"""SELECT source || ':' || record_id AS record_key, entity_id
        FROM read_parquet('{(Path(root) / 'ground_truth/entity_map.parquet').as_posix()}')
        WHERE entity_type = '{entity}'""").to_arrow_table()


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    def __str__(self) -> str:
        return (f"precision {self.precision:.4f}  recall {self.recall:.4f}  F1 {self.f1:.4f}  "
                f"(pairs: true {self.true_pairs}, predicted {self.predicted_pairs}, correct {self.correct_pairs})")


def pairwise_scores(clusters: pa.Table, truth_table: pa.Table, cluster_col: str = "cluster_id") -> Scores:
    """Pairwise precision/recall of ``clusters`` (record_key, cluster_col) over the records in both."""
    con = _connect()
    con.register("c", clusters)
    con.register("t", truth_table)
    row = con.execute(f"""
        WITH j AS (SELECT c.record_key, CAST(c.{cluster_col} AS VARCHAR) AS k, t.entity_id AS e
                   FROM c JOIN t USING (record_key)),
        pred AS (SELECT sum(n * (n - 1) / 2) AS p FROM (SELECT count(*) AS n FROM j GROUP BY k)),
        tru AS (SELECT sum(n * (n - 1) / 2) AS p FROM (SELECT count(*) AS n FROM j GROUP BY e)),
        both_ AS (SELECT sum(n * (n - 1) / 2) AS p FROM (SELECT count(*) AS n FROM j GROUP BY k, e))
        SELECT pred.p, tru.p, both_.p FROM pred, tru, both_""").fetchone()
    predicted, true_pairs, correct = (int(x or 0) for x in row)
    precision = correct / predicted if predicted else 1.0
    recall = correct / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, true_pairs, predicted, correct)
