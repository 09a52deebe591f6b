"""数据运维: 运维文件 (the pack's operations manual), 数据运维报告 (``ops.reports.collect`` as a
document, the same figures as the HTML report) and 数据更新日志 (the pack's update log)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from lingshu.docs.builders.common import never_ran, next_runs, num, run_summary, runs_table, schedule_text, status
from lingshu.docs.facts import SHANGHAI, Facts, local
from lingshu.docs.model import Bullets, Code, Document, Fields, Paragraph, Table
from lingshu.docs.registry import document, new_document


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


def _ops(facts: Facts) -> Any:
    from lingshu.ops import Ops

    return Ops(facts.ctx)


@document("ops_manual", "运维文件", "可视化展示", 130)
def ops_manual(facts: Facts) -> Document:
    doc = new_document(facts, "ops_manual")
    ops = _ops(facts)
    cfg = ops.config
    spec = facts.spec
    doc.section("一、调度", Fields([("更新频率", schedule_text(facts)), ("接下来的运行", "；".join(next_runs(facts)) or "—"),
                                 ("依赖场景（先于本场景运行）", "、".join(spec.depends_on) or "无"),
                                 ("上线审批", facts.ctx.security.approvals.status(spec.id, facts.pack.root))]))
    retry = cfg.scheduler.retry
    doc.section("二、失败处理", Paragraph(
        "某一步失败时，其下游步骤跳过、其余步骤照常运行，已生成的表保留上一版本；定时任务按以下策略重试，"
        "仍失败则告警并按分级规则开立故障事件。"),
        Fields([("每次调度最多尝试", f"{retry.max_attempts} 次"), ("首次重试等待", f"{retry.backoff_seconds:g} 秒"),
                ("等待倍增", f"× {retry.backoff_factor:g}"), ("单次等待上限", f"{retry.max_backoff_seconds:g} 秒"),
                ("错过调度的补跑宽限", f"{cfg.scheduler.misfire_grace_minutes:g} 分钟")]))
    grades = cfg.incidents.grades
    doc.section("三、故障分级与时限", Table(["等级", "含义", "响应时限（分钟）", "恢复时限（小时）"],
                                      [[s.label, s.meaning, s.response_minutes, f"{s.recovery_minutes / 60:g}"]
                                       for s in grades.values()]),
                Table(["规则", "等级", "适用", "说明"],
                      [[r.name, grades[r.grade].label, "、".join(r.when.kind) or "全部", r.description]
                       for r in cfg.incidents.rules], caption="分级规则"))
    channels = ["控制台通知"] if cfg.alerts.console else []
    channels += [f"Webhook {w.url}" for w in cfg.alerts.webhooks]
    channels += [f"邮件 {', '.join(cfg.alerts.email.to)}"] if cfg.alerts.email else []
    doc.section("四、告警与备份", Fields([("告警渠道", "；".join(channels) or "未配置"),
                                     ("备份计划", f"cron {cfg.backup.cron}" if cfg.backup.cron else "未设定"),
                                     ("备份保留", f"{cfg.backup.keep} 份"), ("数据源超期告警", f"{cfg.stale_sources.default_hours:g} 小时未更新")]))
    s = run_summary(facts)
    doc.section("五、运行记录", *never_ran(facts),
                Fields([("运行次数", s["runs"]), ("成功", s["success"]), ("失败", s["failed"]), ("成功率", s["rate"])]),
                runs_table(facts))
    doc.section("六、常用操作", Code("\n".join([
        f"lingshu run {spec.id}                # 立即运行",
        f"lingshu quality {spec.id}            # 质量核验并生成核验文档",
        f"lingshu runs --pack {spec.id}        # 运行记录",
        "lingshu incident list                 # 故障事件",
        f"lingshu docs {spec.id}               # 重新生成交付文档"]), "shell"))
    return doc


def report_period(facts: Facts) -> Any:
    """The calendar month of the pack's latest run (this month when it never ran)."""
    from lingshu.ops.reports import period_of

    run = facts.latest_run
    at = run["started_at"] if run else dt.datetime.now(dt.UTC)
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return period_of("month", at.astimezone(SHANGHAI).date())


@document("ops_report", "数据运维报告", "数据运维", 140)
def ops_report(facts: Facts) -> Document:
    from lingshu.ops.reports import collect

    doc = new_document(facts, "ops_report")
    data = collect(_ops(facts), report_period(facts))
    s = data["summary"]
    doc.cover.insert(0, ("报告期", data["period"].label))
    doc.section("一、运行概况", Paragraph(f"本报告覆盖工作区“{data['workspace']}”全部场景包在报告期内的运行，"
                                     f"本场景包（{facts.pack.id}）的数据在各表中列出。"),
                Fields([("任务运行", s["runs"]), ("成功", s["success"]), ("成功率", _pct(s["rate"])),
                        ("定时调度", s["scheduled"]), ("重试", s["retried"]), ("未审核跳过", s["skipped"]),
                        ("更新表数", s["tables"]), ("变更行数", num(s["rows_changed"])), ("故障事件", s["incidents"])]),
                Table(["日期", "运行次数", "成功", "成功率"], [[d["day"], d["runs"], d["success"], _pct(d["rate"])]
                                                       for d in data["days"]], caption="每日运行", empty="本期无运行"))
    doc.section("二、各场景包运行情况", Table(
        ["场景包", "运行次数", "成功", "失败", "成功率", "平均耗时（秒）"],
        [[name, p["runs"], p["success"], p["failed"], _pct(p["rate"]), p["avg_seconds"]] for name, p in data["packs"]],
        empty="本期无运行记录"))
    doc.section("三、数据更新量", Table(
        ["表", "更新次数", "读取", "新增", "更新", "删除", "隔离", "期末行数"],
        [[name, v["updates"], num(v["read"]), num(v["inserted"]), num(v["updated"]), num(v["deleted"]),
          num(v["quarantined"]), num(v["rows"])] for name, v in data["volumes"]], empty="本期无数据更新"))
    doc.section("四、故障事件与服务时限达成", Table(
        ["等级", "含义", "响应/恢复时限", "事件数", "未关闭", "响应达标率", "恢复达标率"],
        [[g["label"], g["meaning"], g["deadlines"], g["count"], g["open"], _pct(g["response_met"]),
          _pct(g["recovery_met"])] for g in data["by_grade"]]),
        Table(["编号", "等级", "事件", "发生时间", "状态", "原因", "处理措施"],
              [[i["id"], i.get("grade_label", i["grade"]), i["title"], local(i["opened_at"]), i["status"],
                i.get("cause") or "", i.get("fix") or ""] for i in data["incidents"]], empty="本期无故障事件"))
    doc.section("五、数据质量趋势", Table(
        ["日期", "接入隔离率", "质量检查次数", "未通过", "平均质量得分"],
        [[q["day"], _pct(q["quarantine_rate"]), q["checks"], q["failed"], q["score"]] for q in data["quality"]],
        empty="本期无质量记录"))
    return doc


@document("update_log", "数据更新日志", "数据运维", 145)
def update_log(facts: Facts) -> Document:
    doc = new_document(facts, "update_log")
    rows = facts.updates
    per: dict[str, dict[str, Any]] = defaultdict(lambda: {"n": 0, "ok": 0, "ins": 0, "upd": 0, "del": 0, "q": 0,
                                                          "rows": None, "last": None})
    for u in rows:
        p = per[u["table_name"]]
        p["n"] += 1
        if u["status"] == "success":
            p["ok"] += 1
            p["ins"] += u["rows_inserted"] or 0
            p["upd"] += u["rows_updated"] or 0
            p["del"] += u["rows_deleted"] or 0
            p["q"] += u["rows_quarantined"] or 0
            p["rows"], p["last"] = u["rows_after"], u["started_at"]
    doc.section("一、汇总", *never_ran(facts),
                Fields([("更新记录数", len(rows)), ("涉及运行", len({u["run_id"] for u in rows})),
                        ("涉及表", len(per))]),
                Table(["表", "更新次数", "成功", "累计新增", "累计更新", "累计删除", "累计隔离", "当前行数", "最近成功更新"],
                      [[t, p["n"], p["ok"], num(p["ins"]), num(p["upd"]), num(p["del"]), num(p["q"]), num(p["rows"]),
                        local(p["last"])] for t, p in per.items()], empty="尚无更新记录"))
    doc.section("二、更新明细", Table(
        ["运行", "触发", "表", "步骤", "状态", "开始时间", "更新前", "更新后", "新增", "更新", "删除", "读取", "隔离", "错误信息"],
        [[u["run_id"], u["trigger"], u["table_name"], u["step"], status(u["status"]), local(u["started_at"]),
          num(u["rows_before"]), num(u["rows_after"]), num(u["rows_inserted"]), num(u["rows_updated"]),
          num(u["rows_deleted"]), num(u["rows_read"]), num(u["rows_quarantined"]), (u["error"] or "")[:200]]
         for u in rows], empty="尚无更新记录"))
    doc.section("三、导出", Bullets([f"lingshu report updates --pack {facts.pack.id} --out 更新日志.xlsx（或 .csv）导出全部明细"]))
    return doc
