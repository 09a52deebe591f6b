"""City operations: 12345 hotline tickets, grid-management events and IoT sensor alarms.

Hotline callers describe places in their own words, so ticket addresses carry the variants of the
address base (full-width digits, reordered parts, legacy names, phone numbers glued on); the entity
map links every ticket to its true standard address for scoring geocoding.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lingshu.synth import defects as d
from lingshu.synth.config import SynthConfig
from lingshu.synth.geo import Geography
from lingshu.synth.rng import domain_rng

HOTLINE_CATEGORIES = [
    ("市容环境", "垃圾清运不及时", "小区门口垃圾堆放多日无人清运"), ("市容环境", "占道经营", "人行道上有流动摊贩占道经营"),
    ("噪声扰民", "施工噪声", "夜间工地施工噪声很大影响休息"), ("噪声扰民", "商业噪声", "店铺音响声音过大"),
    ("交通出行", "公交线路", "公交车班次太少等车时间长"), ("交通出行", "违章停车", "机动车长期占用消防通道停放"),
    ("市政设施", "路灯不亮", "路段多盏路灯不亮夜间出行不便"), ("市政设施", "道路破损", "路面出现坑洞存在安全隐患"),
    ("物业管理", "电梯故障", "小区电梯经常故障停运"), ("物业管理", "物业服务", "物业不作为公共区域无人清扫"),
    ("环境保护", "异味污染", "附近有刺鼻异味疑似企业排放"), ("劳动保障", "拖欠工资", "单位拖欠工资至今未发放"),
]
GRID_CATEGORIES = [("事件", "暴露垃圾"), ("事件", "乱堆物堆料"), ("事件", "占道经营"), ("事件", "违法张贴小广告"),
                   ("部件", "井盖破损"), ("部件", "道路破损"), ("部件", "路灯损坏"), ("事件", "绿化带破坏"),
                   ("事件", "非机动车乱停放")]
SENSOR_KINDS = [("井盖位移", "窨井盖监测"), ("积水超限", "道路积水监测"), ("烟感报警", "独居老人烟感"), ("水位超限", "河道水位监测")]
HOTLINE_HEADERS = {"ticket_no": "工单编号", "received_at": "受理时间", "channel": "来电渠道", "category": "诉求大类",
                   "subcategory": "诉求小类", "content": "诉求内容", "address": "事发地址", "town_name": "所属街镇",
                   "department": "承办单位", "status": "办理状态", "closed_at": "办结时间", "satisfaction": "满意度"}
DEPARTMENTS = {"市容环境": "城运中心", "噪声扰民": "生态环境局", "交通出行": "交通运输处", "市政设施": "市政养护中心",
               "物业管理": "房管办", "环境保护": "生态环境局", "劳动保障": "人社局"}


def _times(rng: np.random.Generator, cfg: SynthConfig, n: int) -> np.ndarray:
    span = (np.datetime64(cfg.end_date) - np.datetime64(cfg.start_date)).astype(int) + 1
    day = np.datetime64(cfg.start_date, "s") + (rng.integers(0, span, n) * 86400).astype("timedelta64[s]")
    sec = (np.clip(rng.normal(14, 4, n), 0, 23.9) * 3600).astype(np.int64).astype("timedelta64[s]")
    return np.sort(day + sec)


def _fmt(ts: np.ndarray) -> np.ndarray:
    return np.char.replace(np.datetime_as_string(ts, unit="s"), "T", " ")


def build_hotline(cfg: SynthConfig, addresses: pd.DataFrame, gt: d.GroundTruth) -> pd.DataFrame:
    rng = domain_rng(cfg.seed, "hotline")
    src = "rx_12345"
    n = cfg.n(20_000, 100)
    a = rng.integers(0, len(addresses), n)
    k = rng.integers(0, len(HOTLINE_CATEGORIES), n)
    cat = np.array([c[0] for c in HOTLINE_CATEGORIES])[k]
    recv = _times(rng, cfg, n)
    hours = rng.lognormal(3.3, 1.0, n)
    status = np.where(rng.random(n) < 0.9, "已办结", np.where(rng.random(n) < 0.5, "办理中", "退回重派"))
    closed = np.where(status == "已办结", _fmt(recv + (hours * 3600).astype("timedelta64[s]")), "")
    addr = addresses["full_address"].to_numpy()[a].astype(object)
    content = np.char.add(np.char.add(np.char.add("市民反映", addresses["road_name"].to_numpy()[a].astype(str)), "附近"),
                          np.array([c[2] for c in HOTLINE_CATEGORIES])[k])
    df = pd.DataFrame({
        "ticket_no": [f"12345{recv[i].astype('datetime64[D]').astype(str).replace('-', '')}{i:06d}" for i in range(n)],
        "received_at": _fmt(recv), "channel": np.array(["电话", "网站", "随申办APP", "微信"])[rng.choice(4, n, p=[0.6, 0.1, 0.2, 0.1])],
        "category": cat, "subcategory": np.array([c[1] for c in HOTLINE_CATEGORIES])[k],
        "content": np.char.add(content.astype(str), "，要求尽快处理。"), "address": addr,
        "town_name": np.where(rng.random(n) < 0.85, addresses["town_name"].to_numpy()[a], ""),
        "department": pd.Series(cat).map(DEPARTMENTS).to_numpy(), "status": status, "closed_at": closed,
        "satisfaction": np.where(status == "已办结", np.array(["满意", "基本满意", "不满意"])[rng.choice(3, n, p=[0.7, 0.2, 0.1])], ""),
    })
    # Callers say addresses their own way: a third of tickets carry a variant of the standard form.
    var = np.flatnonzero(rng.random(n) < 0.33)
    d.inject_values(df, var, "address", "address_variant",
                    lambda v, g: np.array([d.address_variant(x, g) for x in v], dtype=object), gt, src, "ticket_no", rng)
    gt.link(src, df["ticket_no"], "address", addresses["address_id"].to_numpy()[a])
    gt.rename_fields(src, HOTLINE_HEADERS)
    return df.rename(columns=HOTLINE_HEADERS)


def build_grid_events(cfg: SynthConfig, geo: Geography, addresses: pd.DataFrame, gt: d.GroundTruth) -> pd.DataFrame:
    rng = domain_rng(cfg.seed, "grid_events")
    src = "wg_events"
    n = cfg.n(15_000, 100)
    a = rng.integers(0, len(addresses), n)
    k = rng.integers(0, len(GRID_CATEGORIES), n)
    rep = _times(rng, cfg, n)
    limit_h = np.where(np.array([c[0] for c in GRID_CATEGORIES])[k] == "部件", 72, 24)
    took = rng.lognormal(2.5, 0.9, n)
    closed = rng.random(n) < 0.95
    df = pd.DataFrame({
        "eventId": [f"WG{i + 1:09d}" for i in range(n)], "eventType": np.array([c[0] for c in GRID_CATEGORIES])[k],
        "eventName": np.array([c[1] for c in GRID_CATEGORIES])[k], "reportTime": _fmt(rep),
        "gridCode": addresses["grid_id"].to_numpy()[a], "communityCode": addresses["community_id"].to_numpy()[a],
        "townName": addresses["town_name"].to_numpy()[a], "address": addresses["full_address"].to_numpy()[a],
        "lng": addresses["lon"].to_numpy()[a], "lat": addresses["lat"].to_numpy()[a], "coordSys": "WGS84",
        "limitHours": limit_h, "status": np.where(closed, "已结案", "处置中"),
        "closeTime": np.where(closed, _fmt(rep + (took * 3600).astype("timedelta64[s]")), ""),
    })
    r = cfg.defects
    p = d.plan(rng, n, {"crs_mislabel": r.crs_mislabel, "out_of_area": r.out_of_area}, src)
    d.inject_points(df, p["crs_mislabel"], p["out_of_area"], gt, src, "eventId", rng, "lng", "lat")
    gt.link(src, df["eventId"], "address", addresses["address_id"].to_numpy()[a])
    return df


def build_sensor_alarms(cfg: SynthConfig, addresses: pd.DataFrame) -> pd.DataFrame:
    rng = domain_rng(cfg.seed, "sensors")
    n = cfg.n(3_000, 30)
    a = rng.integers(0, len(addresses), n)
    k = rng.integers(0, len(SENSOR_KINDS), n)
    t = _times(rng, cfg, n)
    return pd.DataFrame({
        "alarm_id": [f"IOT{i + 1:08d}" for i in range(n)], "device_id": [f"S{int(x):07d}" for x in rng.integers(1, 10**6, n)],
        "sensor_type": np.array([s[1] for s in SENSOR_KINDS])[k], "alarm_type": np.array([s[0] for s in SENSOR_KINDS])[k],
        "alarm_time": _fmt(t), "lon": addresses["lon"].to_numpy()[a], "lat": addresses["lat"].to_numpy()[a],
        "town_id": addresses["town_id"].to_numpy()[a], "grid_id": addresses["grid_id"].to_numpy()[a],
        "level": np.array(["一般", "较重", "严重"])[rng.choice(3, n, p=[0.7, 0.25, 0.05])],
    })
