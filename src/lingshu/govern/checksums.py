"""Check characters of the national codes (GB 11643, GB 32100, GB 11714), scalar reference versions.

These are the definitions the vectorized validators and the synthetic generator agree on. Hot
paths use the vectorized forms; these are for generation, tests and single values.
"""

from __future__ import annotations

# GB 11643-1999: W_i = 2^(18-i) mod 11, remainder 0..10 -> check character.
ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
ID_CHECK = "10X98765432"

# GB 32100-2015: 31-character alphabet without I, O, Z, S, V; W_i = 3^(i-1) mod 31.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

# GB 11714 organisation code (positions 9-17 of a USCC): 8 characters + check.
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def id_check_char(body17: str) -> str:
    total = sum(int(c) * w for c, w in zip(body17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def uscc_check_char(body17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body17, USCC_WEIGHTS, strict=True))
    # The final mod 31 turns a result of 31 into 0; some public validators miss it.
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    def value(c: str) -> int:
        return int(c) if c.isdigit() else ord(c) - ord("A") + 10

    c = 11 - sum(value(ch) * w for ch, w in zip(body8, ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))
