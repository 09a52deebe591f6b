"""Employment spells, monthly social-insurance records and talent attributes.

Each worker has up to five employment spells inside Lingang: people join (hired before the window
or during it), move between enterprises, and leave. Monthly social-insurance rows are expanded from
the spells one chunk of workers at a time and appended to one file per month, so memory stays flat.
Employers are drawn from enterprises that exist and are active, weighted by their size.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa

from lingshu.synth import defects as d
from lingshu.synth.config import SynthConfig
from lingshu.synth.rng import domain_rng

MAX_SPELLS = 5
LEAVE_P = 0.3  # after a spell ends: leave Lingang with this probability, else move to another employer
SI_BASE_MIN, SI_BASE_MAX = 7310, 36549  # Shanghai contribution base bounds (2023-2024 order of size)
EDU_PAY = {"初中及以下": 0.55, "高中/中专": 0.7, "大专": 0.85, "本科": 1.0, "硕士研究生": 1.35, "博士研究生": 1.8}
POSITIONS = ["研发工程师", "软件工程师", "生产操作员", "销售经理", "财务专员", "行政专员", "项目经理", "技术员", "物流专员", "设计师"]

EMP_HEADERS = {"record_id": "备案编号", "id_number": "身份证号", "name": "姓名", "uscc": "用人单位统一社会信用代码",
               "ent_name": "用人单位名称", "position": "岗位", "contract_type": "合同类型", "start_date": "入职日期",
               "end_date": "离职日期"}


def build_spells(cfg: SynthConfig, persons: pd.DataFrame, ents: pd.DataFrame) -> pd.DataFrame:
    """Employment spells (one row each): worker, employer, start and end month index."""
    rng = domain_rng(cfg.seed, "employment")
    M = cfg.months
    age = persons["age"].to_numpy()
    eligible = (age >= 19) & (age <= 63) & (persons["education"].to_numpy() != "在读")
    workers = np.flatnonzero(eligible & (rng.random(len(persons)) < 0.75))
    W = workers.size
    active = np.flatnonzero(ents["status"].isin(["存续", "在业"]).to_numpy())
    w = np.sqrt(ents["employees"].to_numpy()[active].astype(float))
    emp_p = w / w.sum()
    # Nobody starts work before 18: months since the 18th birthday bound the first hire.
    adult_m = (age[workers] - 18) * 12 - M  # months between turning 18 and the window start (may be < 0)
    before = -np.minimum(rng.integers(1, 120, W), np.maximum(adult_m, 1))
    during = np.maximum(rng.integers(0, M, W), np.clip(-adult_m, 0, M - 1))
    start = np.where((rng.random(W) < 0.65) & (adult_m > 0), before, during)
    alive = np.ones(W, dtype=bool)
    rows = []
    for k in range(MAX_SPELLS):
        dur = rng.geometric(1 / 24, W)
        employer = active[rng.choice(active.size, W, p=emp_p)]
        end = start + dur
        keep = alive & (start < M)
        rows.append(pd.DataFrame({"worker": np.flatnonzero(keep), "k": k, "start_m": start[keep], "end_m": end[keep],
                                  "ent": employer[keep]}))
        alive &= (end < M) & (rng.random(W) >= LEAVE_P)
        start = end + rng.integers(0, 4, W)
    sp = pd.concat(rows, ignore_index=True).sort_values(["worker", "k"], kind="stable").reset_index(drop=True)
    sp["person"] = workers[sp["worker"].to_numpy()]
    # A spell that runs past the window is ongoing: no end.
    sp["ongoing"] = sp["end_m"] >= M
    edu = persons["education"].map(EDU_PAY).fillna(0.8).to_numpy()[sp["person"].to_numpy()]
    sp["salary"] = np.round(9000 * edu * rng.lognormal(0, 0.35, len(sp)) * (1 + 0.02 * np.clip(age[sp["person"].to_numpy()] - 22, 0, 20)), -1)
    sp["position"] = np.array(POSITIONS)[rng.integers(0, len(POSITIONS), len(sp))]
    return sp


def _month_date(cfg: SynthConfig, m: np.ndarray, day: np.ndarray) -> np.ndarray:
    base = np.datetime64(cfg.start_date, "M") + m.astype("timedelta64[M]")
    return np.datetime_as_string(base.astype("datetime64[D]") + day, unit="D")


def employment_source(cfg: SynthConfig, sp: pd.DataFrame, persons: pd.DataFrame, ents: pd.DataFrame,
                      gt: d.GroundTruth) -> pd.DataFrame:
    """人社 劳动用工备案: one row per spell, dates as day-level strings."""
    rng = domain_rng(cfg.seed, "employment.source")
    src = "rs_employment"
    p, e = sp["person"].to_numpy(), sp["ent"].to_numpy()
    end = np.where(sp["ongoing"], "", _month_date(cfg, sp["end_m"].to_numpy(), rng.integers(0, 28, len(sp))))
    df = pd.DataFrame({
        "record_id": [f"RS{i + 1:09d}" for i in range(len(sp))], "id_number": persons["id_number"].to_numpy()[p],
        "name": persons["name"].to_numpy()[p], "uscc": ents["uscc"].to_numpy()[e], "ent_name": ents["name"].to_numpy()[e],
        "position": sp["position"].to_numpy(), "contract_type": np.where(rng.random(len(sp)) < 0.85, "固定期限", "无固定期限"),
        "start_date": _month_date(cfg, sp["start_m"].to_numpy(), rng.integers(0, 28, len(sp))), "end_date": end,
    })
    r = cfg.defects
    pl = d.plan(rng, len(df), {"missing_required": r.missing_required, "mixed_date": r.mixed_date}, src)
    d.inject_missing(df, pl["missing_required"], ["position", "start_date"], gt, src, "record_id", rng)
    d.inject_values(df, pl["mixed_date"], "start_date", "mixed_date", d.mixed_dates, gt, src, "record_id", rng)
    gt.link(src, df["record_id"], "person", persons["person_id"].to_numpy()[p])
    gt.rename_fields(src, EMP_HEADERS)
    return df.rename(columns=EMP_HEADERS)


SI_SCHEMA = pa.schema([("缴费年月", pa.string()), ("社会保障号码", pa.string()), ("姓名", pa.string()),
                       ("单位统一社会信用代码", pa.string()), ("单位名称", pa.string()), ("缴费基数", pa.int64()),
                       ("养老保险个人缴费", pa.float64()), ("参保状态", pa.string())])


def social_insurance_batches(cfg: SynthConfig, sp: pd.DataFrame, persons: pd.DataFrame, ents: pd.DataFrame,
                             workers_per_chunk: int = 10_000) -> Iterator[tuple[int, pa.Table]]:
    """(month index, rows) batches of monthly contribution records, chunked by worker."""
    M = cfg.months
    months = np.datetime_as_string(np.datetime64(cfg.start_date, "M") + np.arange(M), unit="M")
    months = np.char.replace(months, "-", "")
    s0 = np.clip(sp["start_m"].to_numpy(), 0, M)
    s1 = np.clip(sp["end_m"].to_numpy(), 0, M)
    n = s1 - s0
    worker = sp["worker"].to_numpy()
    ids, names = persons["id_number"].to_numpy(), persons["name"].to_numpy()
    usccs, enames = ents["uscc"].to_numpy(), ents["name"].to_numpy()
    base = np.clip(sp["salary"].to_numpy(), SI_BASE_MIN, SI_BASE_MAX).astype(np.int64)
    bounds = np.searchsorted(worker, np.arange(0, worker.max() + workers_per_chunk + 1, workers_per_chunk))
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        if a == b:
            continue
        spell = np.repeat(np.arange(a, b), n[a:b])
        if spell.size == 0:
            continue
        first = np.repeat(np.cumsum(n[a:b]) - n[a:b], n[a:b])
        month = s0[spell] + (np.arange(spell.size) - first)
        order = np.argsort(month, kind="stable")
        spell, month = spell[order], month[order]
        p, e = sp["person"].to_numpy()[spell], sp["ent"].to_numpy()[spell]
        tbl = pa.table({
            "缴费年月": months[month], "社会保障号码": ids[p], "姓名": names[p], "单位统一社会信用代码": usccs[e],
            "单位名称": enames[e], "缴费基数": base[spell], "养老保险个人缴费": np.round(base[spell] * 0.08, 2),
            "参保状态": np.full(spell.size, "正常缴费"),
        }, schema=SI_SCHEMA)
        cuts = np.searchsorted(month, np.arange(M + 1))
        for m in range(M):
            if cuts[m] < cuts[m + 1]:
                yield m, tbl.slice(cuts[m], cuts[m + 1] - cuts[m])


TITLE_STD = ["无", "初级", "中级", "副高级", "正高级"]
TITLE_VARIANTS = {"初级": ["助理工程师", "初级职称"], "中级": ["工程师", "中级职称"], "副高级": ["高级工程师", "副高"],
                  "正高级": ["正高级工程师", "教授级高工"], "无": ["暂无"]}
EDU_VARIANTS = {"大专": ["专科", "大学专科"], "本科": ["大学本科", "大本", "学士"], "硕士研究生": ["硕士", "研究生"],
                "博士研究生": ["博士"]}
SALARY_BANDS = [(0, "10万元以下"), (100_000, "10-20万元"), (200_000, "20-30万元"), (300_000, "30-50万元"), (500_000, "50万元以上")]
TALENT_HEADERS = {"record_id": "序号", "name": "姓名", "id_number": "身份证号码", "sex": "性别", "education": "学历",
                  "degree": "学位", "major": "专业", "title": "职称", "salary_band": "年薪区间", "talent_type": "人才类别",
                  "uscc": "工作单位统一社会信用代码", "ent_name": "工作单位", "arrival_date": "来临港时间", "origin": "生源地"}
MAJORS = ["集成电路", "计算机科学与技术", "电子信息工程", "机械工程", "车辆工程", "航海技术", "物流管理", "金融学", "材料科学", "人工智能"]


def talent_source(cfg: SynthConfig, sp: pd.DataFrame, persons: pd.DataFrame, ents: pd.DataFrame,
                  gt: d.GroundTruth) -> pd.DataFrame:
    """人才库 台账: workers with 大专 or above, their latest employer, title and salary band."""
    rng = domain_rng(cfg.seed, "talent")
    src = "rc_talent"
    last = sp.groupby("worker", sort=True).tail(1)
    first = sp.groupby("worker", sort=True).head(1)
    p = last["person"].to_numpy()
    edu = persons["education"].to_numpy()[p]
    keep = np.isin(edu, ["大专", "本科", "硕士研究生", "博士研究生"])
    last, p, edu = last[keep], p[keep], edu[keep]
    arrival_m = first["start_m"].to_numpy()[keep]
    age = persons["age"].to_numpy()[p]
    n = len(p)
    title_idx = np.clip((age - 22) // 7 + rng.integers(-1, 2, n), 0, 4)
    salary = last["salary"].to_numpy() * 13
    band = np.array([b for _, b in SALARY_BANDS])[np.searchsorted([lo for lo, _ in SALARY_BANDS], salary, side="right") - 1]
    df = pd.DataFrame({
        "record_id": np.arange(1, n + 1).astype(str), "name": persons["name"].to_numpy()[p],
        "id_number": persons["id_number"].to_numpy()[p], "sex": persons["sex"].to_numpy()[p], "education": edu,
        "degree": pd.Series(edu).map({"大专": "", "本科": "学士", "硕士研究生": "硕士", "博士研究生": "博士"}).to_numpy(),
        "major": np.array(MAJORS)[rng.integers(0, len(MAJORS), n)], "title": np.array(TITLE_STD)[title_idx],
        "salary_band": band,
        "talent_type": np.where(edu == "博士研究生", "高层次人才", np.where(age <= 35, "青年人才", np.where(edu == "大专", "技能人才", "专业技术人才"))),
        "uscc": ents["uscc"].to_numpy()[last["ent"].to_numpy()], "ent_name": ents["name"].to_numpy()[last["ent"].to_numpy()],
        "arrival_date": _month_date(cfg, arrival_m, rng.integers(0, 28, n)),
        "origin": persons["origin_province"].to_numpy()[p],
    })
    r = cfg.defects
    pl = d.plan(rng, n, {"nonstandard": r.nonstandard, "missing_required": r.missing_required,
                         "mixed_date": r.mixed_date}, src)
    half = pl["nonstandard"].size // 2
    variant = lambda table: lambda v, g: np.array([table.get(x, [x])[int(g.integers(len(table.get(x, [x]))))] for x in v], dtype=object)  # noqa: E731
    edu_rows = pl["nonstandard"][:half]
    edu_rows = edu_rows[df["education"].to_numpy()[edu_rows] != ""]
    d.inject_values(df, edu_rows, "education", "nonstandard_value", variant(EDU_VARIANTS), gt, src, "record_id", rng)
    d.inject_values(df, pl["nonstandard"][half:], "title", "nonstandard_value", variant(TITLE_VARIANTS), gt, src, "record_id", rng)
    d.inject_missing(df, pl["missing_required"], ["id_number", "education"], gt, src, "record_id", rng)
    d.inject_values(df, pl["mixed_date"], "arrival_date", "mixed_date", d.mixed_dates, gt, src, "record_id", rng)
    gt.link(src, df["record_id"], "person", persons["person_id"].to_numpy()[p])
    gt.rename_fields(src, TALENT_HEADERS)
    return df.rename(columns=TALENT_HEADERS)
