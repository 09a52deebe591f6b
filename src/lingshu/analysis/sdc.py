"""Statistical disclosure control (安全统计) for published aggregates.

The Statistics Law forbids publishing a figure from which one respondent can be identified or
inferred; no Chinese standard fixes the thresholds, so they are configuration with the defaults
of STANDARDS.md section 11:

- minimum cell size: persons n >= 5, enterprises n >= 3;
- dominance (n, k) = (1, 85): a cell whose largest contributor holds more than 85 % of it;
- p % rule, p = 10: a cell where the others' total (minus the second largest) is within p % of the
  largest contributor, so the second largest could estimate it;
- secondary suppression: in every group that has a published margin (the total of a row or a
  column), a single suppressed cell could be recomputed from the margin, so a second cell (the
  smallest unsuppressed one) is suppressed as well, repeated until no group has exactly one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, Field


class Unit(StrEnum):
    persons = "persons"
    enterprises = "enterprises"


class SdcConfig(BaseModel):
    min_persons: int = Field(5, ge=1)
    min_enterprises: int = Field(3, ge=1)
    dominance_k: float = Field(85.0, gt=0, le=100, description="(1, k) rule: largest share in percent")
    p_percent: float = Field(10.0, ge=0, description="p % rule")

    def min_n(self, unit: Unit) -> int:
        return self.min_persons if unit is Unit.persons else self.min_enterprises


@dataclass(frozen=True)
class Cell:
    key: tuple[Hashable, ...]  # the cell's coordinates (dimension values)
    n: int  # contributors
    value: float | None  # the published figure
    total: float | None = None  # magnitude total (sum of contributions), if a magnitude
    x1: float | None = None  # largest contribution
    x2: float | None = None  # second largest contribution


@dataclass(frozen=True)
class Verdict:
    suppressed: bool
    reason: str | None  # "min_n", "dominance", "p_percent", "secondary"


def primary(cell: Cell, unit: Unit, config: SdcConfig) -> Verdict:
    if 0 < cell.n < config.min_n(unit):
        return Verdict(True, "min_n")
    if cell.total and cell.x1 is not None and cell.total > 0:
        if cell.x1 * 100 > config.dominance_k * cell.total:
            return Verdict(True, "dominance")
        rest = cell.total - cell.x1 - (cell.x2 or 0.0)
        if rest * 100 < config.p_percent * cell.x1:
            return Verdict(True, "p_percent")
    return Verdict(False, None)


def protect(cells: Sequence[Cell], unit: Unit, config: SdcConfig | None = None) -> list[Verdict]:
    """Primary then secondary suppression over a table of cells with 0, 1 or more dimensions.

    Margins are assumed published for every dimension (the table's totals by each coordinate and
    the grand total), which is the safe assumption for an API that can be queried at any level.
    """
    config = config or SdcConfig()
    verdicts = [primary(c, unit, config) for c in cells]
    if not cells:
        return verdicts
    dims = len(cells[0].key)
    # A margin group: all cells that agree on every coordinate but one (or all cells, for 1-D).
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, cell in enumerate(cells):
        if dims <= 1:
            groups[("all",)].append(i)
        for d in range(dims if dims > 1 else 0):
            groups[(d, *cell.key[:d], *cell.key[d + 1:])].append(i)
    changed = True
    while changed:
        changed = False
        for members in groups.values():
            hidden = [i for i in members if verdicts[i].suppressed]
            if len(hidden) != 1:
                continue
            visible = [i for i in members if not verdicts[i].suppressed and (cells[i].value or 0) != 0]
            if not visible:
                continue  # the lone hidden cell equals the margin minus zeros: the margin is the cell
            partner = min(visible, key=lambda i: (abs(cells[i].value or 0), i))
            verdicts[partner] = Verdict(True, "secondary")
            changed = True
    return verdicts
