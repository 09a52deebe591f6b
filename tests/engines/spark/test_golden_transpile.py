"""Golden SQL: DuckDB input and the expected Spark SQL, one file per rewrite rule or function group.

``golden/rules/<rule>[__case].sql`` pins every rewrite rule (a rule without a file fails), and
``golden/functions/*.sql`` pins the plain translations listed in ``verified.py`` that the packs
and the platform use. Pure SQLGlot: no Spark needed, so this runs in every test pass.
To refill expected sections after a deliberate change: LINGSHU_UPDATE_GOLDEN=1, then read the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lingshu.core.errors import EngineError
from lingshu.engines.spark.rewrites import RULES
from lingshu.engines.spark.transpile import to_spark

GOLDEN = Path(__file__).parent / "golden"
INPUT, EXPECTED = "-- input (DuckDB)", "-- expected (Spark)"
UDFS = ("uscc_normalize", "lingang_town")  # platform functions pass by name


def _read(path: Path) -> tuple[str, str]:
    text = path.read_text(encoding="utf-8")
    head, _, expected = text.partition(EXPECTED)
    return head.replace(INPUT, "").strip(), expected.strip()


FILES = sorted(GOLDEN.rglob("*.sql"))


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.stem}" for p in FILES])
def test_golden(path: Path) -> None:
    source, expected = _read(path)
    got = to_spark(source, UDFS)
    if os.environ.get("LINGSHU_UPDATE_GOLDEN") == "1":
        path.write_text(f"{INPUT}\n{source}\n{EXPECTED}\n{got}\n", encoding="utf-8")
        return
    assert got == expected


def test_every_rule_has_a_golden_file() -> None:
    covered = {p.stem.split("__")[0] for p in (GOLDEN / "rules").glob("*.sql")}
    missing = sorted(set(RULES) - covered)
    assert not missing, f"rewrite rules without golden fixtures: {missing}"


@pytest.mark.parametrize(("sql", "names"), [
    ("SELECT epoch_ms(ts) FROM t", "epoch_ms"),  # direction depends on the type: rejected, not guessed
    ("SELECT time_bucket(INTERVAL 1 HOUR, ts, TIMESTAMP '2000-01-01 00:30:00') FROM t", "time_bucket"),
    ("SELECT * FROM t QUALIFY row_number() OVER () = 1", "QUALIFY"),
    ("SELECT list(DISTINCT x) FROM t", "list(DISTINCT"),
    ("SELECT levenshtein(a, b) FROM t", "levenshtein"),  # not verified for Spark
    ("SELECT my_unknown_fn(a) FROM t", "my_unknown_fn"),
    ("SELECT xs[1:2] FROM t", "slice"),
    ("SELECT date_diff('month', a, b) FROM t", "datediff"),  # boundaries vs whole units
    ("SELECT unnest(range(1, 5, 1)) FROM t", "range"),  # end excluded: not sequence()
    ("SELECT unnest(generate_series(a, b)) FROM t", "step"),  # Spark counts down when a > b
    ("SELECT ST_Buffer(ST_Point(x, y), 1.0) FROM t", "st_buffer"),  # not in spatial.FUNCTIONS
    ("SELECT CAST(ts AS TIME) AS slot FROM t WHERE slot < TIME '12:00'", "TIME"),  # not TIMESTAMP
])
def test_rejections_name_the_function_and_engine(sql: str, names: str) -> None:
    with pytest.raises(EngineError) as err:
        to_spark(sql, UDFS)
    message = str(err.value).lower()
    assert names.lower() in message and "spark" in message


def test_platform_functions_pass_by_name() -> None:
    assert to_spark("SELECT uscc_normalize(x) FROM t", UDFS) == "SELECT USCC_NORMALIZE(x) FROM t"
