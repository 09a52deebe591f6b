"""The single-value answer every validator gives: valid or not, the normalised form, the parts.

Invalid data is an answer, not an exception, so a verdict carries the reasons (``errors``) and,
for standardizers, the names of the rules that changed the value (``rules``), which the quality
report shows next to each row.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Verdict:
    kind: str
    input: str | None
    valid: bool
    normalized: str | None = None
    parts: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        # Dates and other rich values become strings so the dict is JSON-ready.
        out["parts"] = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in self.parts.items()}
        return out

    def fail(self, message: str) -> Verdict:
        self.valid = False
        self.errors.append(message)
        return self
