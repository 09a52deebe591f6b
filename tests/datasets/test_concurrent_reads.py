"""The API keeps answering, with whole tables, while a pipeline rebuilds the dataset."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from lingshu.core.context import Context


def test_reads_during_a_rebuild_see_old_or_new_never_half(client: TestClient, keys: dict[str, str],
                                                          api_ctx: Context) -> None:
    url = "/api/v1/datasets/ads.people/rows"
    headers = {"Authorization": f"Bearer {keys['officer']}"}
    done = threading.Event()
    totals: list[int] = []
    errors: list[str] = []

    def rebuild() -> None:
        try:
            # A slow build of a bigger version, swapped in atomically at the end.
            big = ("SELECT * FROM ads.people UNION ALL SELECT p.* REPLACE (person_id + 1000 * (k + 1) AS person_id) "
                   "FROM ads.people p, range(3000) r(k) WHERE md5(name || k) >= ''")
            api_ctx.engine.replace_table("ads", "people", big)
        except Exception as exc:  # noqa: BLE001 - reported by the assertions below
            errors.append(repr(exc))
        finally:
            done.set()

    def read() -> None:
        response = client.get(url, params={"count": "true", "limit": "1"}, headers=headers)
        if response.status_code != 200:
            errors.append(response.text)
        else:
            totals.append(response.json()["total"])

    builder = threading.Thread(target=rebuild)
    builder.start()
    during = 0
    while not done.is_set():
        read()
        during += 1
    builder.join()
    read()
    assert not errors
    assert during >= 2  # the reads really overlapped the build
    assert set(totals) <= {1000, 3_001_000}, sorted(set(totals))
    assert totals[0] == 1000 and totals[-1] == 3_001_000
    api_ctx.engine.replace_table("ads", "people", "SELECT * FROM ads.people WHERE person_id < 1000")
