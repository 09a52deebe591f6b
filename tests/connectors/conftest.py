"""Throwaway databases on the real servers: PostgreSQL and MariaDB at 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support import mysql_database, pg_database



@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from pg_database("lingshu_src")


@pytest.fixture
def mysql_url() -> Iterator[str]:
    yield from mysql_database("lingshu_src")


@pytest.fixture(params=[pytest.param("postgresql", marks=pytest.mark.postgres),
                        pytest.param("mariadb", marks=pytest.mark.mariadb)])
def db_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue("pg_url" if request.param == "postgresql" else "mysql_url")
