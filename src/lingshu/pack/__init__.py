"""Scenario packs: a folder of YAML + SQL that the platform runs end to end."""

from lingshu.pack.loader import Pack, PackCatalog, load_pack
from lingshu.pack.spec import PackSpec

__all__ = ["Pack", "PackCatalog", "PackSpec", "load_pack"]
