"""Synthetic Lingang (合成临港): one coherent, seeded, scalable world for every scenario.

Call :func:`generate` with a :class:`SynthConfig`; start the stand-in data-sharing platform over its
output with :func:`start_http_service`. Everything generated is synthetic, and the defects it
injects are listed in ``ground_truth/`` for scoring.
"""

from __future__ import annotations

from lingshu.synth.config import DefectRates, SynthConfig
from lingshu.synth.errors import SynthError
from lingshu.synth.generator import Result, generate

__all__ = ["DefectRates", "Result", "SynthConfig", "SynthError", "generate", "start_http_service"]


def start_http_service(out, **kwargs):
    """Serve ``out``'s HTTP datasets on 127.0.0.1 in a background thread (see ``httpservice``)."""
    from lingshu.synth.httpservice import start_http_service as start

    return start(out, **kwargs)
