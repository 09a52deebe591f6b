"""``lingshu pack new``: copy the template pack, filling in its id and name."""

from __future__ import annotations

import shutil
from pathlib import Path
from string import Template

from lingshu.core.errors import PackError
from lingshu.pack.spec import IDENT

TEMPLATE = Path(__file__).parent / "template"


def scaffold(root: Path, pack_id: str, name: str) -> Path:
    if not IDENT.match(pack_id):
        raise PackError(f"{pack_id!r} is not a valid pack id", hint="use lower_snake_case ASCII, e.g. green_building")
    if root.exists():
        raise PackError(f"{root} already exists", hint="pick another id or folder")
    for src in sorted(TEMPLATE.rglob("*")):
        rel = Path(Template(str(src.relative_to(TEMPLATE))).substitute(id=pack_id))
        dst = root / rel
        if src.is_dir():
            dst.mkdir(parents=True, exist_ok=True)
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.suffix in (".yaml", ".sql", ".md"):
            dst.write_text(Template(src.read_text(encoding="utf-8")).safe_substitute(id=pack_id, name=name),
                           encoding="utf-8")
        else:
            shutil.copyfile(src, dst)
    return root.resolve()
