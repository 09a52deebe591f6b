"""Each rule kind finds exactly the rows it should, and passes clean data (real DuckDB)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from lingshu.govern.checksums import id_check_char, uscc_check_char

GOOD_ID = "11010519491231002" + id_check_char("11010519491231002")
BAD_ID = GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1")
USCC_BODY = "91310115MA1K3A6N7"
GOOD_USCC = USCC_BODY + uscc_check_char(USCC_BODY)


def counts(results) -> list[tuple[int, int, str]]:
    return [(r.checked, r.failed, r.status) for r in results]


def test_not_null_counts_null_and_blank(make_table, check) -> None:
    t = make_table({"a": ["x", None, "", "  ", "y"]})
    strict, lenient = check(t, """
        - {kind: not_null, column: a}
        - {kind: not_null, column: a, allow_blank: true, id: lenient}
    """)
    assert (strict.checked, strict.failed, strict.status) == (5, 3, "failed")
    assert (lenient.checked, lenient.failed) == (5, 1)
    clean = check(make_table({"a": ["x", "y"]}), "- {kind: not_null, column: a}")
    assert counts(clean) == [(2, 0, "passed")]


def test_unique_single_and_composite(make_table, check) -> None:
    t = make_table({"a": [1, 1, 1, 2, None, None], "b": ["x", "x", "y", "x", "x", "x"]})
    one, two = check(t, """
        - {kind: unique, column: a}
        - {kind: unique, columns: [a, b]}
    """)
    # Rows with a NULL key are not duplicates of each other (SQL semantics); surplus rows count.
    assert (one.checked, one.failed) == (4, 2)
    assert (two.checked, two.failed) == (4, 1)
    assert {r["a"] for r in one.sample} == {1} and len(one.sample) == 3
    assert counts(check(make_table({"a": [1, 2, 3]}), "- {kind: unique, column: a}")) == [(3, 0, "passed")]


def test_pattern_checks_whole_value_and_skips_missing(make_table, check) -> None:
    t = make_table({"d": ["2024-01-02", "2024/1/2", "x2024-01-02", None, "", "2023-12-31"]})
    (r,) = check(t, r"- {kind: pattern, column: d, regex: '\d{4}-\d{2}-\d{2}'}")
    assert (r.checked, r.failed) == (4, 2)
    assert sorted(s["d"] for s in r.sample) == ["2024/1/2", "x2024-01-02"]


def test_allowed_values_list_and_code_table(make_table, check) -> None:
    codes = make_table({"town": ["泥城镇", "书院镇"]})
    t = make_table({"town": ["泥城镇", "书院镇", "火星镇", None]})
    listed, coded = check(t, f"""
        - {{kind: allowed_values, column: town, values: [泥城镇, 书院镇]}}
        - {{kind: allowed_values, column: town, code_table: {codes}, id: by_table}}
    """)
    assert (listed.checked, listed.failed) == (3, 1)
    assert (coded.checked, coded.failed) == (3, 1)
    assert listed.sample == [{"town": "火星镇"}] and coded.sample == [{"town": "火星镇"}]


def test_range_numbers_dates_and_today(make_table, check) -> None:
    future = dt.date.today() + dt.timedelta(days=30)
    t = make_table({"n": [-1, 0, 50, 100, 101, None],
                    "d": [dt.date(1970, 1, 1), dt.date(2000, 1, 1), future, None, dt.date(2020, 5, 5), None]})
    num, date = check(t, """
        - {kind: range, column: n, min: 0, max: 100}
        - {kind: range, column: d, min: 1978-01-01, max: today}
    """)
    assert (num.checked, num.failed) == (5, 2)
    assert (date.checked, date.failed) == (4, 2)


def test_length_counts_characters(make_table, check) -> None:
    t = make_table({"name": ["临港", "上海临港公司", "上海临港智能装备有限公司", None]})
    (r,) = check(t, "- {kind: length, column: name, min: 4, max: 8}")
    assert (r.checked, r.failed) == (3, 2)


def test_validator_kinds(make_table, check) -> None:
    t = make_table({"id_no": [GOOD_ID, BAD_ID, "garbage", None], "uscc": [GOOD_USCC, GOOD_USCC[:-1] + "0", None, ""]})
    ids, usccs = check(t, """
        - {kind: validator, column: id_no, validator: id}
        - {kind: validator, column: uscc, validator: uscc}
    """)
    assert (ids.checked, ids.failed) == (3, 2)
    assert (usccs.checked, usccs.failed) == (2, 1)


def test_expression_cross_field(make_table, check) -> None:
    t = make_table({"start": [1, 5, 3, None], "end": [2, 4, 3, 1]})
    (r,) = check(t, '- {kind: expression, expr: "\\"end\\" >= start"}')
    assert (r.checked, r.failed) == (3, 1)
    assert r.sample == [{"start": 5, "end": 4}]


def test_reference_finds_orphans(make_table, check) -> None:
    parent = make_table({"id": [1, 2, 3]})
    child = make_table({"pid": [1, 2, 9, None, 9]})
    (r,) = check(child, f"- {{kind: reference, column: pid, table: {parent}, to: [id]}}")
    assert (r.checked, r.failed) == (4, 2)
    assert [s["pid"] for s in r.sample] == [9, 9]


def test_freshness(make_table, check) -> None:
    now = dt.datetime.now()
    fresh = make_table({"ts": [now - dt.timedelta(days=5), now - dt.timedelta(hours=1)]})
    stale = make_table({"ts": [now - dt.timedelta(days=5)]})
    empty = make_table(pa.table({"ts": pa.array([], pa.timestamp("us"))}))
    rule = "- {kind: freshness, column: ts, max_age: 1 day}"
    assert counts(check(fresh, rule)) == [(1, 0, "passed")]
    (r,) = check(stale, rule)
    assert (r.failed, r.status) == (1, "failed") and r.detail["latest"]
    assert counts(check(empty, rule)) == [(1, 1, "failed")]


def test_row_count_change_against_previous(make_table, check) -> None:
    t = make_table({"a": list(range(130))})
    rule = "- {kind: row_count_change, max_change: 0.2}"
    assert counts(check(t, rule, previous_rows=None)) == [(1, 0, "passed")]
    assert counts(check(t, rule, previous_rows=120)) == [(1, 0, "passed")]
    (r,) = check(t, rule, previous_rows=100)
    assert (r.failed, r.detail["change"]) == (1, 0.3)


def test_custom_sql_returns_offending_rows(make_table, check) -> None:
    t = make_table({"a": [1, 2, 3, 4]})
    (r,) = check(t, '- {kind: custom_sql, sql: "SELECT a, a * 10 AS ten FROM {table} WHERE a % 2 = 0"}')
    assert (r.checked, r.failed) == (4, 2)
    assert r.sample == [{"a": 2, "ten": 20}, {"a": 4, "ten": 40}]


def test_where_and_tolerance(make_table, check) -> None:
    t = make_table({"kind": ["a", "a", "b", "b"], "v": [None, 1, None, None]})
    scoped, tolerant = check(t, """
        - {kind: not_null, column: v, where: "kind = 'a'"}
        - {kind: not_null, column: v, id: tolerant, tolerance: 0.8}
    """)
    assert (scoped.checked, scoped.failed, scoped.status) == (2, 1, "failed")
    assert (tolerant.checked, tolerant.failed, tolerant.status) == (4, 3, "passed")


def test_broken_rule_is_an_error_and_others_still_run(make_table, check) -> None:
    t = make_table({"a": [1, None]})
    bad_col, bad_sql, good = check(t, """
        - {kind: not_null, column: nope}
        - {kind: expression, expr: "no_such_function(a) > 0"}
        - {kind: not_null, column: a}
    """)
    assert bad_col.status == "error" and "no column nope" in bad_col.error
    assert bad_sql.status == "error" and "no_such_function" in bad_sql.error
    assert (good.checked, good.failed, good.status) == (2, 1, "failed")


def test_missing_table_is_an_error_for_every_rule(check) -> None:
    results = check("dwd.never_built", "- {kind: not_null, column: a}\n- {kind: unique, column: a}")
    assert [r.status for r in results] == ["error", "error"]
    assert "has not been built" in results[0].error
