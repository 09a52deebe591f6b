"""``DOCUMENTS``: every deliverable document kind (输出物), by name, with its builder.

A builder takes the pack's ``Facts`` and returns a ``Document``; the renderers do the rest. A kind
that only some packs need (法人库指标设计文档, the address rules report) says so in ``applies``.
A kind whose figures need fresh records (测试文件 runs the quality rules) does that in
``prepare``, which runs before any document is built so all documents show the same records.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from lingshu.core.registry import Registry
from lingshu.docs.facts import STATUS_TEXT, Facts, local
from lingshu.docs.model import Document

Builder = Callable[[Facts], Document]


def _always(_: Facts) -> bool:
    return True


@dataclass(frozen=True)
class DocumentKind:
    name: str
    title: str
    work: str  # 工作内容: 方案设计, 数据对接, 数据建模, 数据治理, 数据分析, 可视化展示, 数据运维
    order: int
    build: Builder
    applies: Callable[[Facts], bool] = _always
    prepare: Callable[[Facts], None] | None = None


DOCUMENTS: Registry[DocumentKind] = Registry("document kind")
BUILDER_MODULES = ("solution", "integration", "modeling", "quality", "logic", "apis", "dashboards", "ops",
                   "address")


def document(name: str, title: str, work: str, order: int, *, applies: Callable[[Facts], bool] = _always,
             prepare: Callable[[Facts], None] | None = None) -> Callable[[Builder], Builder]:
    def decorator(fn: Builder) -> Builder:
        DOCUMENTS.add(name, DocumentKind(name, title, work, order, fn, applies, prepare))
        return fn

    return decorator


def ensure_loaded() -> None:
    """Import the builder modules (each registers its kinds on import)."""
    for module in BUILDER_MODULES:
        importlib.import_module(f"lingshu.docs.builders.{module}")


def ordered() -> list[DocumentKind]:
    ensure_loaded()
    return sorted((k for _, k in DOCUMENTS.items()), key=lambda k: k.order)


def new_document(facts: Facts, name: str) -> Document:
    """A document of kind ``name`` with the cover every document carries."""
    kind = DOCUMENTS.get(name)
    spec = facts.spec
    run = facts.latest_run
    basis = (f"运行 #{run['id']}（{local(run['started_at'])}，{STATUS_TEXT.get(run['status'], run['status'])}）" if run
             else "未运行（尚无运行记录）")
    cover = [("场景包", f"{spec.name}（{spec.id}）"), ("所属领域", DOMAIN_TEXT.get(spec.domain.value, spec.domain.value)),
             ("责任部门", spec.department), ("场景包版本", spec.version), ("工作内容", kind.work),
             ("数据依据", basis), ("生成时间", facts.generated_at), ("生成方式", "由临数平台根据场景包定义与运行记录自动生成")]
    return Document(kind=name, title=kind.title, pack_id=spec.id, pack_name=spec.name, cover=cover)


DOMAIN_TEXT = {"transport": "智慧交通", "governance": "城市治理", "talent": "人才与自然人", "industry": "产业发展",
               "example": "示例"}
