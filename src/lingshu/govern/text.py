"""Character-level folding shared by every standardizer: full-width to half-width.

Full-width forms (U+FF01..U+FF5E) are the ASCII characters shifted by 0xFEE0, and U+3000 is the
ideographic space. Chinese input methods produce them in IDs, phone numbers and addresses
(１２３号, ＡＢＣ), so every validator folds them first. Only this block is folded (not NFKC),
so punctuation such as 、 and 。 is left alone.
"""

from __future__ import annotations

from lingshu.govern.sqldefs import macro, sql_str

FULLWIDTH = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000"
HALFWIDTH = "".join(chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)) + " "
_TABLE = str.maketrans(FULLWIDTH, HALFWIDTH)


def fullwidth_to_halfwidth(s: str | None) -> str | None:
    return None if s is None else s.translate(_TABLE)


# Pure-ASCII text (one byte per character) has nothing to fold: skipping translate() there makes
# the common case several times faster.
macro("fullwidth_to_halfwidth", "x",
      f"CASE WHEN strlen(x) = length(x) THEN x ELSE translate(x, {sql_str(FULLWIDTH)}, {sql_str(HALFWIDTH)}) END",
      "Fold full-width ASCII forms (Ａ１＋) and the ideographic space to half-width.")
