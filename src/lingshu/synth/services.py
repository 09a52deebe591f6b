"""Government service cases (政务服务办件) with a timestamp per step and statutory limits.

Each item has a statutory limit and a shorter promised limit in working days; steps take lognormal
durations during office hours, a few cases stall in one bottleneck step and run overdue.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lingshu.synth.config import SynthConfig
from lingshu.synth.rng import domain_rng

# item, department, statutory working days, promised working days, applicant kind
ITEMS = [
    ("企业设立登记", "市场监管局", 3, 1, "enterprise"), ("食品经营许可", "市场监管局", 20, 5, "enterprise"),
    ("建设工程规划许可证核发", "规划资源局", 20, 10, "enterprise"), ("建筑工程施工许可证核发", "建设和交通处", 7, 3, "enterprise"),
    ("人才引进落户", "人社局", 20, 15, "person"), ("居住证积分申请", "人社局", 15, 10, "person"),
    ("青年人才购房资格认定", "房管办", 10, 5, "person"), ("出口退税备案", "税务局", 5, 2, "enterprise"),
    ("排污许可", "生态环境局", 30, 20, "enterprise"), ("社会保险登记", "人社局", 5, 1, "person"),
]
STEPS = ["申请", "受理", "审查", "决定", "办结"]
STEP_MEAN_H = [0.0, 4.0, 16.0, 8.0, 2.0]


def build_services(cfg: SynthConfig, ents: pd.DataFrame, persons: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = domain_rng(cfg.seed, "services")
    n = cfg.n(10_000, 50)
    k = rng.integers(0, len(ITEMS), n)
    items = pd.DataFrame(ITEMS, columns=["item", "dept", "statutory", "promised", "who"])
    it = items.iloc[k].reset_index(drop=True)
    span = (np.datetime64(cfg.end_date) - np.datetime64(cfg.start_date)).astype(int) - 60
    day = np.datetime64(cfg.start_date, "s") + (rng.integers(0, span, n) * 86400).astype("timedelta64[s]")
    start = day + ((9 + rng.random(n) * 7.5) * 3600).astype(np.int64).astype("timedelta64[s]")
    # Working hours per step, scaled so that typical cases finish inside the promised limit.
    scale = it["promised"].to_numpy() / 3.0
    hours = rng.lognormal(0, 0.6, (n, len(STEPS))) * np.array(STEP_MEAN_H)[None, :] * scale[:, None]
    stall = rng.random(n) < 0.06
    hours[stall, 2] += it["statutory"].to_numpy()[stall] * 8 * rng.uniform(0.8, 1.6, stall.sum())
    # Convert working hours to calendar time: 8 working hours a day, 5 days a week (approximation).
    cal_hours = np.cumsum(hours, axis=1) * (24 / 8) * (7 / 5)
    stamps = start[:, None] + (cal_hours * 3600).astype(np.int64).astype("timedelta64[s]")
    who = it["who"].to_numpy()
    e = rng.integers(0, len(ents), n)
    adults = persons[persons["age"] >= 18]
    p = rng.integers(0, len(adults), n)
    case_no = [f"SP{cfg.end_date.year}{i + 1:08d}" for i in range(n)]
    cases = pd.DataFrame({
        "case_no": case_no, "item_name": it["item"], "department": it["dept"],
        "channel": np.array(["一网通办", "窗口", "自助终端"])[rng.choice(3, n, p=[0.6, 0.32, 0.08])],
        "applicant_type": np.where(who == "enterprise", "法人", "自然人"),
        "applicant_code": np.where(who == "enterprise", ents["uscc"].to_numpy()[e], adults["id_number"].to_numpy()[p]),
        "applicant_name": np.where(who == "enterprise", ents["name"].to_numpy()[e], adults["name"].to_numpy()[p]),
        "statutory_days": it["statutory"], "promised_days": it["promised"],
        "submitted_at": np.char.replace(np.datetime_as_string(stamps[:, 0], unit="s"), "T", " "),
        "finished_at": np.char.replace(np.datetime_as_string(stamps[:, -1], unit="s"), "T", " "),
        "result": np.where(rng.random(n) < 0.95, "准予许可", "不予许可"),
    })
    steps = pd.DataFrame({
        "case_no": np.repeat(case_no, len(STEPS)), "step_no": np.tile(np.arange(1, len(STEPS) + 1), n),
        "step_name": np.tile(STEPS, n), "handler_dept": np.repeat(it["dept"].to_numpy(), len(STEPS)),
        "finished_at": np.char.replace(np.datetime_as_string(stamps.ravel(), unit="s"), "T", " "),
    })
    return cases, steps
