"""rules.yaml errors name the file and the line, and say how to fix them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from lingshu.core.errors import ConfigError, PackError
from lingshu.govern.quality.spec import Dimension, Severity, load_rules
from lingshu.pack.loader import load_pack
from support import ORDERS_PACK, write_files


def load(tmp_path: Path, text: str):
    path = tmp_path / "rules.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path, load_rules(path)


def error(tmp_path: Path, text: str) -> ConfigError:
    with pytest.raises(ConfigError) as err:
        load(tmp_path, text)
    return err.value


def test_defaults_and_chinese_labels(tmp_path: Path) -> None:
    _, rules = load(tmp_path, """
        tables:
          dwd.orders:
            - {kind: not_null, column: town}
            - {kind: unique, column: order_id, severity: 阻断, dimension: 一致性}
    """)
    a, b = rules.tables["dwd.orders"]
    assert (a.id, a.severity, a.dimension) == ("not_null_town", Severity.warning, Dimension.completeness)
    assert (b.id, b.severity, b.dimension, b.columns) == ("unique_order_id", Severity.blocking,
                                                          Dimension.consistency, ["order_id"])


def test_unknown_kind_names_line_and_kinds(tmp_path: Path) -> None:
    err = error(tmp_path, """
        tables:
          dwd.orders:
            - {kind: not_null, column: a}
            - kind: not_nul
              column: b
    """)
    assert err.where.endswith("rules.yaml:4")
    assert "not_null" in err.hint and "validator" in err.hint


def test_misspelt_key_gets_did_you_mean_on_its_line(tmp_path: Path) -> None:
    err = error(tmp_path, """
        tables:
          dwd.orders:
            - kind: range
              column: amount
              maxx: 5
    """)
    assert "rules.yaml:5" in err.message and "did you mean 'max'" in err.message


@pytest.mark.parametrize(("body", "line", "words"), [
    ("- {kind: pattern, column: a, regex: '(unclosed'}", 3, "bad regular expression"),
    ("- {kind: validator, column: a, validator: passport}", 3, "unknown validator"),
    ("- {kind: range, column: a}", 3, "give 'min', 'max'"),
    ("- {kind: not_null, column: a, severity: fatal}", 3, "blocking"),
    ("- {kind: not_null, column: a, dimension: 美观性}", 3, "规范性"),
    ("- {kind: expression, expr: 'a > 1; DROP TABLE x'}", 3, "exactly one SQL expression"),
    ("- {kind: custom_sql, sql: 'DELETE FROM {table}'}", 3, "SELECT"),
    ("- {kind: freshness, column: ts, max_age: soon}", 3, "number and a unit"),
    ("- {kind: allowed_values, column: a}", 3, "either 'values'"),
])
def test_bad_rule_values(tmp_path: Path, body: str, line: int, words: str) -> None:
    err = error(tmp_path, f"tables:\n  dwd.orders:\n    {body}\n")
    assert f"rules.yaml:{line}" in err.message and words in err.message


def test_bad_table_name_and_duplicate_id(tmp_path: Path) -> None:
    err = error(tmp_path, "tables:\n  orders:\n    - {kind: not_null, column: a}\n")
    assert "rules.yaml:2" in str(err) and "dwd.orders" in str(err)
    err = error(tmp_path, "tables:\n  dwd.orders:\n    - {kind: not_null, column: a}\n    - {kind: not_null, column: a}\n")
    assert err.where.endswith("rules.yaml:4") and "'id:'" in err.hint


def test_pack_rules_must_be_for_its_own_tables(tmp_path: Path) -> None:
    files = {**ORDERS_PACK, "pack.yaml": ORDERS_PACK["pack.yaml"] + "rules: rules.yaml\n",
             "rules.yaml": "tables:\n  dwd.orders:\n    - {kind: not_null, column: town}\n"
                           "  dwd.elsewhere:\n    - {kind: not_null, column: town}\n"}
    root = write_files(tmp_path / "orders", files)
    with pytest.raises(PackError) as err:
        load_pack(root)
    assert err.value.where.endswith("rules.yaml:4") and "does not produce" in err.value.message
