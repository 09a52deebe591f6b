"""Pavement condition index, JTG 5210-2018 (公路技术状况评定标准) section 5.

PCI = 100 - a0 * DR^a1, with DR = 100 * sum(w_i * A_i) / A (%): A_i the area of distress i, w_i
its weight for the pavement type, distress type and severity, A the surveyed area.

What is settled and what is not (see STANDARDS.md section 7):

- The formula, the constants a0/a1 per pavement type and the weights below are the standard's.
- The length-to-area widths for cracks and ruts are UNSETTLED; the synthetic world (like most
  survey vehicles' exports) already reports every distress as an area, so none is applied here.
- Urban roads are formally assessed with CJJ 36-2016 (a deduct-value model with grades per road
  class). Until its tables are available every score is computed with the JTG 5210 formula and
  says so (``METHOD``), and the standard version is stored with every score.

Two choices of ours, written down because the standard does not make them:

- A severity the standard does not list for a type is mapped to the nearest listed one, upward
  (``中`` on a two-level 轻/重 type counts as ``重``): it errs towards maintenance, never hides a
  distress. Single-level types (泛油, 修补, 唧泥 ...) use their one weight whatever the severity.
  The pack's quality rules report such records so the survey team can fix the source.
- PCI is rounded to two decimals and the grade is taken from the rounded value, so a road shown
  as 90.00 is never graded 良. DR is capped at 100 % and PCI at [0, 100].
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lingshu.govern.sqldefs import SqlMacro, sql_str

STANDARD_VERSION = "JTG 5210-2018"
METHOD = "JTG 5210-2018 PCI = 100 - a0*DR^a1"
# Urban roads: the CJJ 36-2016 deduct-value tables are not available yet (UNSETTLED).
URBAN_METHOD = "JTG 5210-2018 公式计算（城市道路 CJJ 36-2016 方法待定）"

ASPHALT, CEMENT, GRAVEL = "沥青", "水泥混凝土", "砂石"
# (a0, a1) per pavement type, JTG 5210-2018 table 5.3.1.
CONSTANTS: dict[str, tuple[float, float]] = {ASPHALT: (15.00, 0.412), CEMENT: (10.66, 0.461), GRAVEL: (10.10, 0.487)}
PAVEMENT_ALIASES = {"沥青": ASPHALT, "沥青路面": ASPHALT, "沥青混凝土": ASPHALT, "asphalt": ASPHALT,
                    "水泥": CEMENT, "水泥混凝土": CEMENT, "水泥路面": CEMENT, "水泥混凝土路面": CEMENT, "cement": CEMENT,
                    "砂石": GRAVEL, "砂石路面": GRAVEL, "gravel": GRAVEL}

SEVERITIES = ("轻", "中", "重")
# Weights by listed severity. Three levels are 轻/中/重, two are 轻/重, one applies to any severity.
WEIGHTS: dict[str, dict[str, tuple[float, ...]]] = {
    ASPHALT: {
        "龟裂": (0.6, 0.8, 1.0), "块状裂缝": (0.6, 0.8), "纵向裂缝": (0.6, 1.0), "横向裂缝": (0.6, 1.0),
        "坑槽": (0.8, 1.0), "松散": (0.6, 1.0), "沉陷": (0.6, 1.0), "车辙": (0.6, 1.0), "波浪拥包": (0.6, 1.0),
        "泛油": (0.2,), "修补": (0.1,),
    },
    CEMENT: {
        "裂缝": (0.6, 0.8, 1.0), "板角断裂": (0.6, 0.8, 1.0), "边角剥落": (0.6, 0.8, 1.0), "破碎板": (0.8, 1.0),
        "错台": (0.6, 1.0), "接缝料损坏": (0.4, 0.6), "唧泥": (1.0,), "坑洞": (1.0,), "拱起": (1.0,),
        "露骨": (0.3,), "修补": (0.1,),
    },
}
LEVEL_NAMES = {3: ("轻", "中", "重"), 2: ("轻", "重"), 1: ("",)}
# Severity as recorded -> listed level, per number of listed levels (see the module docstring).
SEVERITY_MAP = {3: {"轻": "轻", "中": "中", "重": "重"}, 2: {"轻": "轻", "中": "重", "重": "重"},
                1: {"轻": "", "中": "", "重": ""}}

# Grades for every JTG 5210 index: (lower bound, grade), best first.
GRADES: tuple[tuple[float, str], ...] = ((90, "优"), (80, "良"), (70, "中"), (60, "次"), (float("-inf"), "差"))


class PavementError(ValueError):
    """A pavement type, distress type or severity the standard does not list."""


def normalize_pavement(name: str) -> str:
    try:
        return PAVEMENT_ALIASES[name.strip()]
    except KeyError:
        raise PavementError(f"unknown pavement type {name!r}; use one of 沥青, 水泥混凝土, 砂石") from None


def weight(pavement: str, distress_type: str, severity: str) -> float:
    """The JTG 5210 weight w_i of one distress record."""
    types = WEIGHTS.get(normalize_pavement(pavement), {})
    if distress_type not in types:
        raise PavementError(f"{distress_type!r} is not a JTG 5210 distress of {pavement} pavement; "
                            f"listed: {', '.join(types) or '(none: gravel weights are not in STANDARDS.md)'}")
    levels = types[distress_type]
    if severity not in SEVERITIES:
        raise PavementError(f"severity {severity!r} is not one of 轻/中/重")
    listed = SEVERITY_MAP[len(levels)][severity]
    return levels[LEVEL_NAMES[len(levels)].index(listed)]


def damage_ratio(weighted_area: np.ndarray | float, surveyed_area: np.ndarray | float) -> np.ndarray:
    """DR (%) = 100 * sum(w_i A_i) / A, capped at 100."""
    return np.minimum(100.0, 100.0 * np.asarray(weighted_area, dtype=float) / np.asarray(surveyed_area, dtype=float))


def pci(dr: np.ndarray | float | Sequence[float], pavement: str | Sequence[str]) -> np.ndarray:
    """PCI per JTG 5210-2018, rounded to 2 decimals, in [0, 100]; vectorized over ``dr``."""
    dr = np.asarray(dr, dtype=float)
    kinds = np.broadcast_to(np.asarray(pavement, dtype=object), dr.shape)
    uniq, inverse = np.unique(kinds.astype(str), return_inverse=True)
    consts = np.array([CONSTANTS[normalize_pavement(u)] for u in uniq]).reshape(-1, 2)
    a0, a1 = consts[inverse, 0].reshape(dr.shape), consts[inverse, 1].reshape(dr.shape)
    return np.round(np.clip(100.0 - a0 * np.power(np.clip(dr, 0.0, 100.0), a1), 0.0, 100.0), 2)


def grade(score: float) -> str:
    """优 >= 90, 良 [80, 90), 中 [70, 80), 次 [60, 70), 差 < 60."""
    return next(g for low, g in GRADES if score >= low)


# -- SQL ------------------------------------------------------------------------------------------
def _weight_map() -> str:
    """MAP literal 'pavement|type|severity' -> weight for every recorded severity."""
    pairs = []
    for pav, types in WEIGHTS.items():
        for typ, levels in types.items():
            for sev in SEVERITIES:
                pairs.append(f"{sql_str(f'{pav}|{typ}|{sev}')}: {weight(pav, typ, sev)}")
    return "MAP {" + ", ".join(pairs) + "}"


def _pci_case(dr: str, pav: str) -> str:
    arms = " ".join(f"WHEN {sql_str(p)} THEN {a0} * pow(least(greatest({dr}, 0), 100), {a1})"
                    for p, (a0, a1) in CONSTANTS.items())
    return f"round(least(greatest(100 - CASE {pav} {arms} END, 0), 100), 2)"


def _grade_case(x: str) -> str:
    arms = " ".join(f"WHEN {x} >= {low} THEN {sql_str(g)}" for low, g in GRADES[:-1])
    return f"CASE WHEN {x} IS NULL THEN NULL {arms} ELSE {sql_str(GRADES[-1][1])} END"


def _pavement_case(x: str) -> str:
    arms = " ".join(f"WHEN {sql_str(k)} THEN {sql_str(v)}" for k, v in PAVEMENT_ALIASES.items())
    return f"CASE trim({x}) {arms} END"


MACROS = [
    SqlMacro("jtg5210_pavement", ("x",), _pavement_case("x"),
             "pavement type spelling -> 沥青/水泥混凝土/砂石 (NULL if unknown)"),
    SqlMacro("jtg5210_weight", ("pavement", "distress_type", "severity"),
             f"CAST({_weight_map()}[jtg5210_pavement(pavement) || '|' || trim(distress_type) || '|' || trim(severity)]"
             " AS DOUBLE)",
             "JTG 5210-2018 distress weight (NULL if the type is not listed for the pavement)"),
    SqlMacro("jtg5210_levels", ("pavement", "distress_type"),
             "MAP {" + ", ".join(f"{sql_str(f'{p}|{t}')}: {len(lv)}" for p, ts in WEIGHTS.items() for t, lv in ts.items())
             + "}[jtg5210_pavement(pavement) || '|' || trim(distress_type)]",
             "number of severity levels the standard lists for a distress type (3, 2 or 1)"),
    SqlMacro("jtg5210_pci", ("dr", "pavement"), _pci_case("dr", "jtg5210_pavement(pavement)"),
             "PCI = 100 - a0*DR^a1, rounded to 2 decimals, in [0, 100]"),
    SqlMacro("jtg5210_grade", ("score",), _grade_case("score"), "优/良/中/次/差 of a JTG 5210 index"),
    SqlMacro("jtg5210_grade_rank", ("g",),
             "CASE g WHEN '优' THEN 1 WHEN '良' THEN 2 WHEN '中' THEN 3 WHEN '次' THEN 4 WHEN '差' THEN 5 END",
             "grade -> 1 (优) .. 5 (差), for sorting and colouring"),
]
