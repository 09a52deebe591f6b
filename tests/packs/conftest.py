"""Scenario pack tests: one tiny synthetic Lingang world per session, a workspace per module.

The world is small (scale 0.1, no Excel) so each pack runs end to end in seconds; the workspace
holds only the transport packs (built-in packs off), so other teams' packs cannot break these tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lingshu.synth import SynthConfig, generate

WORLD = SynthConfig(scale=0.1, seed=7, excel=False, traffic_days=4, passenger_days=10)


@pytest.fixture(scope="session")
def synth_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    generate(WORLD, out)
    return out


