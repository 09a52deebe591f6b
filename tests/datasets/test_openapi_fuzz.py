"""Schemathesis against the OpenAPI schema: generated requests never get a 5xx.

Driven through Schemathesis's strategies with Hypothesis directly (its pytest plugin does not
run on this pytest version), one test per API operation.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lingshu.core.context import Context
from lingshu.serve.app import create_app


@pytest.fixture(scope="module")
def fuzz(api_ctx: Context):
    api_ctx.security.accounts.add_user("fuzzer", ["analyst"])
    api_ctx.security.grants.add("user:fuzzer", "*", ["read", "export"])
    key = api_ctx.security.accounts.create_key("fuzzer")
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(api_ctx))
    operations = {f"{op.method.upper()} {op.path}": op for op in (r.ok() for r in schema.get_all_operations())}
    return key, operations


OPERATIONS = ["GET /api/v1/datasets/{dataset_id}/rows", "GET /api/v1/datasets/{dataset_id}/export",
              "GET /api/v1/datasets/{dataset_id}", "GET /api/v1/datasets", "GET /api/v1/indicators/{indicator}",
              "GET /api/v1/features/collections/{dataset_id}/items", "POST /api/v1/auth/login", "GET /healthz"]


@pytest.mark.slow
@pytest.mark.parametrize("name", OPERATIONS)
def test_no_server_errors(fuzz, name: str) -> None:
    key, operations = fuzz
    assert name in operations, sorted(operations)
    operation = operations[name]

    @given(case=operation.as_strategy(), real_id=st.sampled_from(["ads.people", "people_count", None]))
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case, real_id) -> None:
        # Half the time aim at a real dataset/indicator so the filters reach the query builder.
        if real_id and case.path_parameters:
            for param in case.path_parameters:
                case.path_parameters[param] = real_id
        response = case.call(headers={"Authorization": f"Bearer {key}"})
        assert response.status_code < 500, (case.path_parameters, case.query, response.text[:300])

    check()
