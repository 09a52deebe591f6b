"""Which tables are published, with Chinese names, types and classification per column."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lingshu.datasets.errors import DatasetNotFound, NotPublished
from lingshu.models.sql import SqlModel
from lingshu.pack.spec import ColumnSpec
from lingshu.security.classification import ColumnPolicy, Level, suggest_policy

if TYPE_CHECKING:
    from lingshu.core.context import Context

SPATIAL_TYPES = ("GEOMETRY",)


@dataclass(frozen=True)
class DatasetColumn:
    name: str
    type: str
    title: str | None
    policy: ColumnPolicy
    encrypted: bool = False  # stored as SM4 ciphertext: decrypted only for the caller, then masked or not

    @property
    def spatial(self) -> bool:
        return self.type.upper().startswith(SPATIAL_TYPES)

    @property
    def protected(self) -> bool:
        """Shown masked unless the caller may see it in clear."""
        return self.encrypted or self.policy.personal_info or self.policy.level.rank >= Level.SENSITIVE.rank


@dataclass
class Dataset:
    id: str  # the table, e.g. ads.road_archive
    pack: str
    title: str
    description: str
    columns: list[DatasetColumn]
    key: list[str] = field(default_factory=list)

    @property
    def schema(self) -> str:
        return self.id.split(".")[0]

    @property
    def table(self) -> str:
        return self.id.split(".")[1]

    def column(self, name: str) -> DatasetColumn | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def geometry(self) -> DatasetColumn | None:
        return next((c for c in self.columns if c.spatial), None)

    @property
    def level(self) -> Level:
        return max((c.policy.level for c in self.columns), key=lambda lv: lv.rank, default=Level.PUBLIC)


def column_policy(name: str, spec: ColumnSpec | None) -> ColumnPolicy:
    """The declared classification where the pack gives one, else the suggested default."""
    suggested = suggest_policy(name)
    if spec is None or (spec.classification is None and not spec.personal and spec.mask is None):
        return suggested
    level = Level.parse(spec.classification) if spec.classification else suggested.level
    personal = spec.personal or suggested.personal_info
    return ColumnPolicy(level=level, personal_info=personal, mask=spec.mask or suggested.mask or
                        ("full" if personal or level.rank >= Level.SENSITIVE.rank else None),
                        reason="declared in pack")


class DatasetCatalog:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self._cache: dict[str, tuple[int, Dataset]] = {}

    def ids(self) -> list[str]:
        return sorted({api for pack in self.ctx.catalog.packs.values() for api in pack.spec.apis})

    def get(self, dataset_id: str) -> Dataset:
        """Metadata through the reader (a running pipeline never blocks it), cached until the
        engine swaps any table (a pack run may change the columns)."""
        engine = self.ctx.engine.reader()
        producer = self.ctx.catalog.producers.get(dataset_id)
        if producer is None or dataset_id not in producer.spec.apis:
            raise DatasetNotFound(f"数据集不存在 no published dataset {dataset_id!r}",
                                  hint="GET /api/v1/datasets lists the published datasets")
        # Checked on every call (cheap: hashes a few small files): an edit unpublishes at once.
        if self.ctx.workspace.config.mode == "production":
            status = self.ctx.security.approvals.status(producer.id, producer.root)
            if status != "approved":
                raise NotPublished(f"数据集所属场景包 {producer.id} 未通过安全审核 ({status}) / "
                                   f"pack {producer.id} has not passed security review",
                                   hint=f"lingshu approve request {producer.id}, then a reviewer approves it")
        hit = self._cache.get(dataset_id)
        if hit and hit[0] == engine.generation:
            return hit[1]
        generation = engine.generation
        schema, table = dataset_id.split(".")
        if not engine.table_exists(schema, table):
            raise DatasetNotFound(f"数据集尚未生成 dataset {dataset_id} has not been built yet",
                                  hint=f"run the pack: lingshu run {producer.id}")
        node = producer.produces()[dataset_id]
        model_spec = node.spec if isinstance(node, SqlModel) else None
        declared = {c.name: c for c in (model_spec.columns if model_spec else getattr(node, "columns", []))}
        columns = [DatasetColumn(c.name, c.type, declared[c.name].title if c.name in declared else None,
                                 column_policy(c.name, declared.get(c.name)),
                                 encrypted=c.name in declared and declared[c.name].encrypt)
                   for c in engine.columns(schema, table)]
        dataset = Dataset(
            id=dataset_id, pack=producer.id,
            title=(model_spec.title if model_spec and model_spec.title else dataset_id),
            description=(model_spec.description or "") if model_spec else "",
            columns=columns, key=list(model_spec.unique_key) if model_spec else [],
        )
        self._cache[dataset_id] = (generation, dataset)
        return dataset
