"""The vectorized code generators agree with the scalar reference check characters."""

from __future__ import annotations

import numpy as np

from lingshu.govern.checksums import id_check_char, org_code_check_char, uscc_check_char
from lingshu.synth.codes import camera_codes, id_numbers, project_codes, usccs
from lingshu.synth.defects import wrong_check_char


def test_id_numbers_are_valid_unique_and_follow_sex():
    rng = np.random.default_rng(1)
    birth = np.datetime64("1950-01-01") + rng.integers(0, 25000, 3000)
    male = rng.random(3000) < 0.5
    ids = id_numbers(rng, np.array(["310115"] * 3000), birth, male)
    assert len(set(ids)) == 3000
    for code, m, b in zip(ids, male, birth, strict=True):
        assert id_check_char(code[:17]) == code[17]
        assert (int(code[16]) % 2 == 1) == m
        assert code[6:14] == str(b).replace("-", "")


def test_usccs_have_valid_org_and_uscc_check():
    rng = np.random.default_rng(2)
    codes = usccs(rng, np.array(["310115", "310120", "310000"] * 700))
    assert len(set(codes)) == 2100
    for c in codes:
        assert c.startswith("91")
        assert org_code_check_char(c[8:16]) == c[16]
        assert uscc_check_char(c[:17]) == c[17]


def test_wrong_check_char_always_invalidates():
    rng = np.random.default_rng(3)
    ids = id_numbers(rng, np.array(["310120"] * 200), np.array(["1990-05-01"] * 200, dtype="datetime64[D]") + np.arange(200),
                     np.ones(200, bool))
    bad = wrong_check_char(ids, rng, "0123456789X")
    assert all(id_check_char(b[:17]) != b[17] for b in bad)


def test_project_and_camera_code_shapes():
    import re

    rng = np.random.default_rng(4)
    pc = project_codes(rng, np.array([2023, 2024]), np.array(["310115", "310120"]))
    assert all(re.fullmatch(r"\d{4}-\d{6}-[0-9A-Z]{2}-[0-9A-Z]{2}-[0-9A-Z]{6}", c) for c in pc)
    cc = camera_codes(rng, np.array(["31011501"] * 3), np.array(["00", "04", "08"]), np.array(["132"] * 3), np.array(["5"] * 3))
    assert all(len(c) == 20 and c.isdigit() and c[10:13] == "132" for c in cc)
