"""Urban road traffic operation evaluation, GB/T 33171-2016 (城市交通运行状况评价规范).

- Free-flow speed v_f per segment: over at least 30 days, split 06:00-24:00 into 15-minute
  intervals, average each interval's speed across days, sort descending, average the top 1/9
  (8 of 72 intervals), cap at the speed limit. The method string is stored with every value
  (``FFS_METHOD``): vendor indices use other free-flow definitions and are not comparable.
- Segment grade relative to v_f, independent of road class, compared with exact arithmetic
  (10 v > 7 v_f, not v > 0.7 v_f in floating point: 42 vs 60 is exactly 70 %, which is not 畅通).
- TTI = t / t_f (1 when faster than free flow); DTP = (t - t_f) / t = 1 - 1/TTI (0 when faster).
- Network TPI 0-10 from network DTP by the Annex C bands. Linear interpolation inside a band is a
  display convention of ours, not part of the standard, and is labelled so (``TPI_METHOD``).
- Network DTP weights segments by length (every segment travelled once: sum t / sum t_f). The
  standard's VKT weighting (GB/T 29107 Annex A) is UNSETTLED here (no volumes in the feed).
- UNSETTLED and not implemented: Annex A (severe-congestion mileage share -> TPI), Annex B
  (TTI -> TPI), the colour table, and Shanghai's DB31/T 997-2016. Beijing's DB11/T 785 fixed
  speeds per road class would be a separately named method.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import numpy as np

from lingshu.govern.sqldefs import SqlMacro, sql_str

STANDARD_VERSION = "GB/T 33171-2016"
FFS_METHOD = "GB/T 33171-2016: 06:00-24:00 15分钟时段跨日均值降序取前1/9平均，不超过限速"
FFS_MIN_DAYS = 30
TPI_METHOD = "GB/T 33171-2016 附录C 延误时间比分段；段内线性插值为展示约定，非标准内容"
NETWORK_WEIGHTING = "按路段长度加权（每段通行一次）；GB/T 29107 附录A 车公里加权待定"

# (grade, numerator k of the lower bound k/10 * v_f; the grade holds for v > k/10 v_f), best first.
GRADES: tuple[tuple[str, int], ...] = (("畅通", 7), ("基本畅通", 5), ("轻度拥堵", 4), ("中度拥堵", 3))
WORST = "严重拥堵"
GRADE_NAMES = tuple(g for g, _ in GRADES) + (WORST,)
# Annex C: DTP band [low, high) -> TPI band [low, high), with its level.
TPI_BANDS: tuple[tuple[Fraction, Fraction, int, int, str], ...] = (
    (Fraction(0), Fraction(3, 10), 0, 2, "畅通"),
    (Fraction(3, 10), Fraction(5, 10), 2, 4, "基本畅通"),
    (Fraction(5, 10), Fraction(6, 10), 4, 6, "轻度拥堵"),
    (Fraction(6, 10), Fraction(7, 10), 6, 8, "中度拥堵"),
    (Fraction(7, 10), Fraction(1), 8, 10, "严重拥堵"),
)


def exact(x: float | int | str | Decimal | Fraction) -> Fraction:
    """A number as an exact fraction of its *decimal* spelling (42.1 is 421/10, not the float)."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, float):
        return Fraction(Decimal(repr(x)))
    return Fraction(Decimal(str(x)))


def segment_grade(v: float | str | Decimal, v_f: float | str | Decimal) -> str:
    """Congestion grade of a segment speed ``v`` against its free-flow speed ``v_f`` (exact)."""
    ev, ef = exact(v), exact(v_f)
    for name, k in GRADES:
        if 10 * ev > k * ef:
            return name
    return WORST


def free_flow_speed(interval_means: Sequence[float], speed_limit: float | None = None) -> float:
    """v_f from the 15-minute interval means (06:00-24:00, each averaged across days).

    The top ceil(n/9) means are averaged (8 of the 72 intervals of a complete day); the result is
    capped at the speed limit when one is given.
    """
    means = sorted((m for m in interval_means if m is not None and not math.isnan(m)), reverse=True)
    if not means:
        raise ValueError("no interval means: free-flow speed needs speeds between 06:00 and 24:00")
    top = means[: math.ceil(len(means) / 9)]
    v_f = float(sum(exact(m) for m in top) / len(top))
    return min(v_f, float(speed_limit)) if speed_limit is not None else v_f


def tti(t: np.ndarray | float, t_f: np.ndarray | float) -> np.ndarray:
    """Travel time index t / t_f, at least 1."""
    return np.maximum(1.0, np.asarray(t, dtype=float) / np.asarray(t_f, dtype=float))


def dtp(t: np.ndarray | float, t_f: np.ndarray | float) -> np.ndarray:
    """Delay time proportion (t - t_f) / t, at least 0 (= 1 - 1/TTI)."""
    t = np.asarray(t, dtype=float)
    return np.maximum(0.0, (t - np.asarray(t_f, dtype=float)) / t)


def _band(d: Fraction) -> tuple[Fraction, Fraction, int, int, str]:
    if d < 0 or d > 1:
        raise ValueError(f"DTP {float(d)} is outside [0, 1]")
    return next(b for b in TPI_BANDS if d < b[1] or b[1] == 1)


def tpi(network_dtp: float | str | Decimal) -> float:
    """Network TPI 0-10 from network DTP (Annex C bands, linear inside a band: display convention)."""
    d = exact(network_dtp)
    lo, hi, t0, t1, _ = _band(d)
    return float(t0 + (t1 - t0) * (d - lo) / (hi - lo))


def tpi_level(network_dtp: float | str | Decimal) -> str:
    """畅通/基本畅通/轻度拥堵/中度拥堵/严重拥堵 of a network DTP (Annex C)."""
    return _band(exact(network_dtp))[4]


# -- SQL ------------------------------------------------------------------------------------------
def _grade_case(v: str, vf: str) -> str:
    # Integers of thousandths: speeds and free-flow speeds are stored with at most 3 decimals, so
    # 10 * v > 7 * v_f compares exact integers (and BIGINT arithmetic is cheaper than DECIMAL on
    # the 17 million rows of a month of 5-minute speeds).
    return _grade_case_milli(_milli(v), _milli(vf), nulls=(v, vf))


def _milli(x: str) -> str:
    return f"CAST(round({x} * 1000) AS BIGINT)"


def _grade_case_milli(ev: str, ef: str, nulls: tuple[str, str] | None = None) -> str:
    a, b = nulls or (ev, ef)
    arms = " ".join(f"WHEN 10 * {ev} > {k} * {ef} THEN {sql_str(g)}" for g, k in GRADES)
    return f"CASE WHEN {a} IS NULL OR {b} IS NULL THEN NULL {arms} ELSE {sql_str(WORST)} END"


def _tpi_case(d: str) -> str:
    arms = " ".join(
        f"WHEN {d} < {float(hi)} THEN {t0} + {t1 - t0} * ({d} - {float(lo)}) / {float(hi - lo)}"
        for lo, hi, t0, t1, _ in TPI_BANDS[:-1])
    lo, hi, t0, t1, _ = TPI_BANDS[-1]
    return (f"CASE WHEN {d} IS NULL THEN NULL {arms} "
            f"ELSE {t0} + {t1 - t0} * (least({d}, 1) - {float(lo)}) / {float(hi - lo)} END")


def _level_case(d: str) -> str:
    arms = " ".join(f"WHEN {d} < {float(hi)} THEN {sql_str(lv)}" for _, hi, _, _, lv in TPI_BANDS[:-1])
    return f"CASE WHEN {d} IS NULL THEN NULL {arms} ELSE {sql_str(TPI_BANDS[-1][4])} END"


MACROS = [
    SqlMacro("gbt33171_grade", ("v", "vf"), _grade_case("v", "vf"),
             "segment grade of speed v against free-flow speed vf (exact decimal comparison)"),
    # The same comparisons on speeds already converted to integer thousandths (round(x * 1000)):
    # a model over millions of rows converts the DECIMAL v_f once per segment, not in every arm
    # of every row as gbt33171_grade does (dws.cg_segment_15min).
    SqlMacro("gbt33171_grade_milli", ("v_milli", "vf_milli"), _grade_case_milli("v_milli", "vf_milli"),
             "segment grade from speed and free-flow speed in integer thousandths (round(x * 1000))"),
    SqlMacro("gbt33171_grade_rank", ("g",),
             "CASE g " + " ".join(f"WHEN {sql_str(n)} THEN {i + 1}" for i, n in enumerate(GRADE_NAMES)) + " END",
             "grade -> 1 (畅通) .. 5 (严重拥堵)"),
    SqlMacro("gbt33171_tpi", ("dtp",), f"round({_tpi_case('dtp')}, 2)",
             "network TPI 0-10 from DTP (Annex C; interpolation is a display convention)"),
    SqlMacro("gbt33171_tpi_level", ("dtp",), _level_case("dtp"), "congestion level of a network DTP (Annex C)"),
]
