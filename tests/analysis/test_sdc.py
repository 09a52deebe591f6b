"""Disclosure control: the STANDARDS.md section 11 vectors, and secondary suppression."""

from __future__ import annotations

import itertools
import random

import pytest

from lingshu.analysis.sdc import Cell, SdcConfig, Unit, primary, protect


def magnitude(values: list[float]) -> Cell:
    ordered = sorted(values, reverse=True)
    return Cell(key=("x",), n=len(values), value=sum(values), total=sum(values), x1=ordered[0],
                x2=ordered[1] if len(ordered) > 1 else None)


@pytest.mark.parametrize("values, expected", [
    ([500, 300], "min_n"),  # enterprises n = 2 < 3
    ([900, 50, 30, 20], "dominance"),  # 90 % > 85 %
    ([300, 250, 200, 150, 100], None),  # publish
    ([800, 150, 10, 10, 10, 10, 10], "p_percent"),  # 800 < 85 % of 1000, but the rest (40) < 10 % of 800
])
def test_standards_vectors(values: list[float], expected: str | None) -> None:
    verdict = primary(magnitude(values), Unit.enterprises, SdcConfig())
    assert verdict.reason == expected and verdict.suppressed == (expected is not None)


def test_person_counts_below_five_are_suppressed_and_thresholds_configurable() -> None:
    assert primary(Cell(("a",), 4, 4), Unit.persons, SdcConfig()).reason == "min_n"
    assert not primary(Cell(("a",), 5, 5), Unit.persons, SdcConfig()).suppressed
    assert not primary(Cell(("a",), 4, 4), Unit.persons, SdcConfig(min_persons=3)).suppressed
    assert not primary(Cell(("a",), 0, 0), Unit.persons, SdcConfig()).suppressed  # an empty cell reveals no one


def test_one_dimension_lone_suppressed_cell_gets_a_partner() -> None:
    cells = [Cell((t,), n, n) for t, n in [("甲", 40), ("乙", 3), ("丙", 25), ("丁", 60)]]
    verdicts = protect(cells, Unit.persons)
    assert [v.reason for v in verdicts] == [None, "min_n", "secondary", None]  # 丙 is the smallest other


@pytest.mark.parametrize("seed", range(20))
def test_two_dimension_tables_leave_no_cell_recoverable_from_margins(seed: int) -> None:
    rng = random.Random(seed)
    towns, ages = ["南汇新城镇", "泥城镇", "书院镇", "万祥镇"], ["0-17", "18-35", "36-60", "60+"]
    cells = []
    for town, age in itertools.product(towns, ages):
        n = rng.choice([0, 1, 2, 3, 4, 6, 9, 15, 40])
        cells.append(Cell((town, age), n, n))
    verdicts = protect(cells, Unit.persons)
    hidden = {i for i, v in enumerate(verdicts) if v.suppressed}
    assert all(v.suppressed for c, v in zip(cells, verdicts, strict=True) if 0 < c.n < 5)
    for d in range(2):
        groups: dict[tuple, list[int]] = {}
        for i, c in enumerate(cells):
            groups.setdefault(c.key[:d] + c.key[d + 1:], []).append(i)
        for members in groups.values():
            lone = [i for i in members if i in hidden]
            if len(lone) == 1:
                # Only allowed when every other cell is zero: then the margin reveals nothing new
                # (the hidden cell equals the margin, which is itself checked as a cell upstream).
                assert all(cells[i].n == 0 for i in members if i not in hidden)
