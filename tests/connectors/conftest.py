"""Throwaway databases on the real servers: PostgreSQL and MariaDB at 127.0.0.1."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from support import pg_database

MYSQL_ADMIN = os.environ.get("LINGSHU_TEST_MYSQL", "mysql+pymysql://root@127.0.0.1:3306/")


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from pg_database("lingshu_src")


@pytest.fixture
def mysql_url() -> Iterator[str]:
    name = f"lingshu_src_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(MYSQL_ADMIN)
    with admin.begin() as c:
        c.execute(sa.text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
    try:
        yield f"{MYSQL_ADMIN}{name}?charset=utf8mb4"
    finally:
        with admin.begin() as c:
            c.execute(sa.text(f"DROP DATABASE IF EXISTS `{name}`"))
        admin.dispose()


@pytest.fixture(params=[pytest.param("postgresql", marks=pytest.mark.postgres),
                        pytest.param("mariadb", marks=pytest.mark.mariadb)])
def db_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue("pg_url" if request.param == "postgresql" else "mysql_url")
