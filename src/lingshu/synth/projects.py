"""Construction projects in three libraries that disagree, and green building ratings.

* 项目库 (发改, Excel): every project with its investment project code and red line.
* 监管库 (住建, upstream DB): projects under construction supervision; some codes mistyped
  (code_mismatch), some stages not updated after completion (stale).
* 办件库 (一网通办, HTTP): permit cases per project step; some reference a project the 项目库 does
  not have (orphan_reference).
* 绿色建筑 (住建, Excel): GB/T 50378-2019 ratings of building projects.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lingshu.synth import defects as d
from lingshu.synth.codes import project_codes
from lingshu.synth.config import SynthConfig
from lingshu.synth.geo import Geography
from lingshu.synth.polygons import metres_to_deg, points_in_polygon, ring_wkt
from lingshu.synth.rng import domain_rng

CATEGORIES = ["房屋建筑", "市政道路", "交通设施", "水务工程", "产业园区", "公共服务设施"]
CATEGORY_P = [0.35, 0.15, 0.1, 0.1, 0.2, 0.1]
STAGES = ["立项", "规划许可", "施工许可", "在建", "竣工验收"]
CASE_ITEMS = {1: "建设工程规划许可证核发", 2: "建筑工程施工许可证核发", 4: "建设工程竣工验收备案"}
KIND_WORD = {"房屋建筑": ["住宅", "人才公寓", "办公楼"], "市政道路": ["道路新建工程", "道路改建工程"],
             "交通设施": ["公交枢纽", "停车场"], "水务工程": ["泵站", "河道整治"], "产业园区": ["研发厂房", "智能制造基地"],
             "公共服务设施": ["学校", "社区卫生服务中心", "文体中心"]}
PROJECT_HEADERS = {"project_code": "项目代码", "project_name": "项目名称", "builder_uscc": "建设单位统一社会信用代码",
                   "builder_name": "建设单位", "category": "项目类别", "total_investment_wan": "总投资(万元)",
                   "approval_date": "审批日期", "town_name": "所在街镇", "lon": "中心经度", "lat": "中心纬度",
                   "redline_wkt": "红线范围(WKT)"}


def _redline(rng: np.random.Generator, geo: Geography, town: int) -> tuple[float, float, list]:
    """A rotated rectangle of 80-500 m sides lying wholly inside the town."""
    ring = geo.rings[town]
    xs, ys = zip(*ring, strict=True)
    dlon, dlat = metres_to_deg(30.9)
    while True:
        cx, cy = rng.uniform(min(xs), max(xs)), rng.uniform(min(ys), max(ys))
        w, h, a = rng.uniform(80, 500), rng.uniform(80, 400), rng.uniform(0, np.pi)
        corners = np.array([[-w, -h], [w, -h], [w, h], [-w, h]]) / 2
        rot = corners @ np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]])
        lon, lat = cx + rot[:, 0] * dlon, cy + rot[:, 1] * dlat
        if points_in_polygon(lon, lat, ring).all() and not geo.in_lake(lon, lat).any():
            return cx, cy, [(round(x, 6), round(y, 6)) for x, y in zip(lon, lat, strict=True)]


def build_projects(cfg: SynthConfig, geo: Geography, ents: pd.DataFrame) -> pd.DataFrame:
    rng = domain_rng(cfg.seed, "projects")
    n = cfg.n(600, 20)
    towns = geo.towns
    weights = np.where(towns["town_name"] == "南汇新城镇", 4.0, 1.0)
    town = rng.choice(len(towns), n, p=weights / weights.sum())
    cat = np.array(CATEGORIES)[rng.choice(len(CATEGORIES), n, p=CATEGORY_P)]
    stage_idx = rng.choice(len(STAGES), n, p=[0.12, 0.13, 0.15, 0.35, 0.25])
    year = rng.integers(max(2019, cfg.start_date.year - 3), cfg.end_date.year + 1, n)
    region = towns["district_code"].to_numpy()[town]
    codes = project_codes(rng, year, region)
    builders = ents[ents["industry_letter"].isin(["E", "K", "L", "M"])]
    b = rng.integers(0, len(builders), n)
    rows = []
    for i in range(n):
        cx, cy, ring = _redline(rng, geo, int(town[i]))
        words = KIND_WORD[cat[i]]
        plot = f"{chr(65 + int(rng.integers(0, 8)))}{int(rng.integers(1, 30)):02d}-{int(rng.integers(1, 9)):02d}地块"
        rows.append((cx, cy, ring_wkt(ring), f"临港新片区{towns['town_name'].iat[town[i]]}{plot}{words[int(rng.integers(len(words)))]}项目"))
    cx, cy, wkt, names = map(list, zip(*rows, strict=True))
    approval = np.array([np.datetime64(f"{y}-01-01") for y in year]) + rng.integers(0, 360, n)
    step_days = np.cumsum(rng.integers(30, 200, (n, len(STAGES))), axis=1)
    df = pd.DataFrame({
        "project_id": [f"PJ{i + 1:06d}" for i in range(n)], "project_code": codes, "project_name": names,
        "builder_uscc": builders["uscc"].to_numpy()[b], "builder_name": builders["name"].to_numpy()[b],
        "category": cat, "stage": np.array(STAGES)[stage_idx], "stage_index": stage_idx,
        "total_investment_wan": np.round(rng.lognormal(9.5, 1.1, n), 2), "approval_date": np.datetime_as_string(approval, unit="D"),
        "town_id": towns["town_id"].to_numpy()[town], "town_name": towns["town_name"].to_numpy()[town], "town_index": town,
        "lon": np.round(cx, 6), "lat": np.round(cy, 6), "redline_wkt": wkt,
    })
    for j, s in enumerate(STAGES[1:], start=1):
        dates = np.datetime_as_string(approval + step_days[:, j - 1], unit="D")
        df[f"date_{j}"] = np.where(stage_idx >= j, dates, "")
    return df


def xmk_source(cfg: SynthConfig, prj: pd.DataFrame, gt: d.GroundTruth) -> pd.DataFrame:
    """项目库: every project once."""
    rng = domain_rng(cfg.seed, "projects.xmk")
    src = "xmk_project"
    df = prj[list(PROJECT_HEADERS) + ["project_id"]].copy()
    r = cfg.defects
    p = d.plan(rng, len(df), {"missing_required": r.missing_required, "mixed_date": r.mixed_date}, src)
    d.inject_missing(df, p["missing_required"], ["builder_uscc", "total_investment_wan"], gt, src, "project_code", rng)
    d.inject_values(df, p["mixed_date"], "approval_date", "mixed_date", d.mixed_dates, gt, src, "project_code", rng)
    gt.link(src, df["project_code"], "project", df["project_id"])
    gt.rename_fields(src, PROJECT_HEADERS)
    return df.drop(columns=["project_id"]).rename(columns=PROJECT_HEADERS)


def _typo_code(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A code as retyped by hand: two adjacent serial characters swapped, or a hyphen lost."""
    out = []
    for i, v in enumerate(values):
        if i % 2 == 0:
            j = 18 + int(rng.integers(0, 4))
            s = list(v)
            s[j], s[j + 1] = s[j + 1], s[j]
            w = "".join(s)
            out.append(w if w != v else v[:-1] + ("0" if v[-1] != "0" else "1"))
        else:
            out.append(v.replace("-", "", 1))
    return np.array(out, dtype=object)


def jgk_source(cfg: SynthConfig, prj: pd.DataFrame, gt: d.GroundTruth) -> pd.DataFrame:
    """监管库: projects at or past the construction permit."""
    rng = domain_rng(cfg.seed, "projects.jgk")
    src = "jgk_supervision"
    sub = prj[prj["stage_index"] >= 2].reset_index(drop=True)
    df = pd.DataFrame({
        "jg_id": [f"JG{i + 1:07d}" for i in range(len(sub))], "xmdm": sub["project_code"],
        "xmmc": sub["project_name"].str.replace("临港新片区", "", regex=False), "jsdw": sub["builder_name"],
        "jd": sub["stage"], "sgxkrq": sub["date_2"], "jgrq": sub["date_4"],
        "zjzr_yuan": (sub["total_investment_wan"] * 10000).round(0), "project_id": sub["project_id"],
    })
    r = cfg.defects
    p = d.plan(rng, len(df), {"code_mismatch": r.code_mismatch, "stale": r.stale, "mixed_date": r.mixed_date}, src)
    d.inject_values(df, p["code_mismatch"], "xmdm", "code_mismatch", _typo_code, gt, src, "jg_id", rng)
    # Stale: completed projects still marked 在建 here.
    stale = p["stale"][df["jd"].to_numpy()[p["stale"]] == "竣工验收"]
    d.inject_values(df, stale, "jd", "stale", lambda v, g: np.full(len(v), "在建", dtype=object), gt, src, "jg_id", rng)
    d.inject_values(df, p["mixed_date"], "sgxkrq", "mixed_date", d.mixed_dates, gt, src, "jg_id", rng)
    gt.link(src, df["jg_id"], "project", df["project_id"])
    return df.drop(columns=["project_id"])


def bjk_source(cfg: SynthConfig, prj: pd.DataFrame, gt: d.GroundTruth) -> pd.DataFrame:
    """办件库: one permit case per completed step, plus orphan cases of unknown projects."""
    rng = domain_rng(cfg.seed, "projects.bjk")
    src = "bjk_cases"
    parts = []
    for j, item in CASE_ITEMS.items():
        sub = prj[prj["stage_index"] >= j]
        parts.append(pd.DataFrame({"projectCode": sub["project_code"], "projectName": sub["project_name"],
                                   "itemName": item, "applicant": sub["builder_name"], "acceptDate": sub[f"date_{j}"],
                                   "project_id": sub["project_id"]}))
    df = pd.concat(parts, ignore_index=True).sort_values(["acceptDate", "projectCode"], kind="stable").reset_index(drop=True)
    r = cfg.defects
    n_orphan = int(round(r.code_mismatch * len(df)))
    if n_orphan:
        fake = project_codes(rng, rng.integers(2020, cfg.end_date.year + 1, n_orphan), np.full(n_orphan, "310115"))
        orphans = df.sample(n_orphan, random_state=int(rng.integers(1 << 31))).copy()
        orphans["projectCode"] = fake
        orphans["project_id"] = ""
        df = pd.concat([df, orphans], ignore_index=True)
    df.insert(0, "caseNo", [f"BJ{cfg.end_date.year}{i + 1:07d}" for i in range(len(df))])
    orphan_rows = df.index[df["project_id"] == ""].to_numpy()
    gt.add(src, df["caseNo"].to_numpy()[orphan_rows], "projectCode", "orphan_reference",
           np.full(orphan_rows.size, ""), df["projectCode"].to_numpy()[orphan_rows])
    p = d.plan(rng, len(df), {"mixed_date": r.mixed_date}, src)
    d.inject_values(df, p["mixed_date"], "acceptDate", "mixed_date", d.mixed_dates, gt, src, "caseNo", rng)
    keep = df["project_id"] != ""
    gt.link(src, df["caseNo"][keep], "project", df["project_id"][keep])
    return df.drop(columns=["project_id"])


LEVELS = ["基本级", "一星级", "二星级", "三星级"]
GREEN_HEADERS = {"project_code": "项目代码", "project_name": "项目名称", "building_type": "建筑类型",
                 "floor_area_m2": "建筑面积(平方米)", "star_level": "星级", "total_score": "总得分",
                 "rating_stage": "评价阶段", "cert_date": "标识日期", "standard_version": "评价标准", "town_name": "所在街镇"}


def green_source(cfg: SynthConfig, prj: pd.DataFrame) -> pd.DataFrame:
    """绿色建筑标识: building projects with a rating; score consistent with the level (60/70/85)."""
    rng = domain_rng(cfg.seed, "green")
    sub = prj[prj["category"].isin(["房屋建筑", "产业园区", "公共服务设施"]) & (prj["stage_index"] >= 2)].reset_index(drop=True)
    n = len(sub)
    lvl = rng.choice(4, n, p=[0.25, 0.35, 0.3, 0.1])
    lo, hi = np.array([40, 60, 70, 85])[lvl], np.array([60, 70, 85, 98])[lvl]
    score = np.round(rng.uniform(lo, hi - 0.1), 1)
    cert = pd.to_datetime(sub["date_2"]).to_numpy().astype("datetime64[D]") + rng.integers(30, 400, n)
    btype = np.where(sub["category"] == "房屋建筑", np.where(rng.random(n) < 0.7, "居住建筑", "公共建筑"),
                     np.where(sub["category"] == "产业园区", "工业建筑", "公共建筑"))
    df = pd.DataFrame({
        "project_code": sub["project_code"], "project_name": sub["project_name"], "building_type": btype,
        "floor_area_m2": np.round(rng.lognormal(10.3, 0.8, n), 0), "star_level": np.array(LEVELS)[lvl],
        "total_score": score, "rating_stage": np.where(sub["stage_index"] >= 4, "评价", "预评价"),
        "cert_date": np.datetime_as_string(cert, unit="D"), "standard_version": "GB/T 50378-2019",
        "town_name": sub["town_name"],
    })
    return df.rename(columns=GREEN_HEADERS)
