"""Columns marked ``encrypt`` never reach the warehouse in plaintext, and come back only by grant."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from lingshu.core.context import Context
from lingshu.core.workspace import init_workspace
from lingshu.govern.checksums import id_check_char
from lingshu.serve.app import create_app
from support import write_files

NAMES = ["欧阳娜娜", "司马光明", "诸葛青云", "上官婉儿", "东方既白", "令狐冲霄"]


def people() -> list[dict[str, str]]:
    rows = []
    for i, name in enumerate(NAMES):
        body = f"3101151990{i + 1:02d}{10 + i:02d}{100 + 3 * i:03d}"
        rows.append({"person_id": str(i + 1), "name": name, "id_number": body + id_check_char(body),
                     "phone": f"1391234{5600 + i}", "town": ["泥城镇", "书院镇"][i % 2]})
    return rows


PACK = """
id: persons
name: 自然人样例
domain: talent
department: 测试
sources:
  - name: persons
    kind: csv
    path: data/persons.csv
    target: ods.persons
    columns:
      - {name: person_id, type: BIGINT, required: true}
      - {name: name, encrypt: true, token: name, personal: true, mask: name}
      - {name: id_number, encrypt: true, token: id_number, personal: true, mask: id, classification: 敏感,
         derive: {id_valid: "is_valid_id(id_number)", birth_date: "id_birth_date(id_number)"}}
      - {name: phone, encrypt: true, token: phone, personal: true, mask: phone}
      - {name: town}
models:
  - name: dwd.person_facts
    unique_key: [person_id]
  - name: ads.person_card
    unique_key: [person_id]
    columns:
      - {name: id_number, encrypt: true, sealed_from: ods.persons.id_number, personal: true, mask: id, classification: 敏感}
apis: [ods.persons, ads.person_card]
"""


def csv_text(rows: list[dict[str, str]]) -> str:
    header = "person_id,name,id_number,phone,town"
    lines = [",".join(r[k] for k in header.split(",")) for r in rows]
    # A row that fails its declared type lands in quarantine: its personal data must be sealed too.
    lines.append(f"x7,慕容复生,{rows[0]['id_number']},13900000000,泥城镇")
    return "\n".join([header, *lines]) + "\n"


@pytest.fixture
def ctx(tmp_path: Path):
    rows = people()
    packs = write_files(tmp_path / "packs" / "persons", {
        "pack.yaml": PACK,
        "data/persons.csv": csv_text(rows),
        "models/dwd/person_facts.sql": "SELECT person_id, id_number_token, id_valid, birth_date, town FROM ods.persons",
        "models/ads/person_card.sql": "SELECT person_id, id_number, id_number_token, town FROM ods.persons",
    }).parent
    ws = init_workspace(tmp_path / "ws", pack_paths=[str(packs)])
    ws.config.builtin_packs = False
    with Context(ws) as context:
        # Store strings uncompressed, so a byte scan would see any plaintext that was written.
        context.engine.execute("PRAGMA force_compression='uncompressed'")
        yield context, rows


def _scan(root: Path, needles: list[bytes]) -> list[str]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file() and "secrets" not in path.parts:
            data = path.read_bytes()
            hits += [f"{path.name}: {n.decode()}" for n in needles if n in data]
    return hits


def test_no_plaintext_in_warehouse_or_state_store(ctx, tmp_path: Path) -> None:
    context, rows = ctx
    report = context.run("persons")
    assert report.status == "success"
    assert context.engine.scalar("SELECT count(*) FROM quarantine.persons") == 1
    context.engine.execute("CHECKPOINT")
    root = context.workspace.root
    context.close()
    needles = [v.encode() for r in rows for v in (r["name"], r["id_number"], r["phone"])]
    needles += ["慕容复生".encode()]
    assert _scan(root, needles) == []
    # Control: the same scan finds the same values in an uncompressed table that holds them.
    (tmp_path / "control").mkdir()
    control = tmp_path / "control" / "control.duckdb"
    con = duckdb.connect(str(control))
    con.execute("PRAGMA force_compression='uncompressed'")
    con.execute("CREATE TABLE t AS SELECT * FROM (VALUES " +
                ", ".join(f"('{r['name']}', '{r['id_number']}')" for r in rows) + ") v(name, id)")
    con.execute("CHECKPOINT")
    con.close()
    assert _scan(tmp_path / "control", [rows[0]["id_number"].encode()]) == [f"control.duckdb: {rows[0]['id_number']}"]


def test_tokens_and_derived_facts_work_without_plaintext(ctx) -> None:
    context, rows = ctx
    context.run("persons")
    facts = context.engine.query("SELECT * FROM dwd.person_facts ORDER BY person_id").to_pylist()
    assert all(f["id_valid"] for f in facts)
    assert str(facts[0]["birth_date"]) == "1990-01-10"
    tokens = [f["id_number_token"] for f in facts]
    assert len(set(tokens)) == len(tokens) and all(len(t) == 64 for t in tokens)
    # The same value always gives the same token (joins and dedup without decrypting).
    again = context.vault.tokenizer.token([rows[0]["id_number"]], "id_number").to_pylist()[0]
    assert again == tokens[0]
    stored = context.engine.query("SELECT id_number FROM ods.persons ORDER BY person_id").column(0).to_pylist()
    assert all(s != r["id_number"] for s, r in zip(stored, rows, strict=False))


def _readers(context: Context, dataset: str):
    """Rows of ``dataset`` through the API as a clerk (read) or an investigator (read + decrypt)."""
    acc, grants = context.security.accounts, context.security.grants
    acc.add_user("clerk", ["analyst"])
    acc.add_user("investigator", ["analyst"])
    grants.add("user:clerk", f"dataset:{dataset}", ["read"])
    grants.add("user:investigator", f"dataset:{dataset}", ["read", "decrypt"])
    client = TestClient(create_app(context))

    def fetch(user: str) -> list[dict]:
        key = acc.create_key(user)
        body = client.get(f"/api/v1/datasets/{dataset}/rows", params={"order": "person_id"},
                          headers={"Authorization": f"Bearer {key}"}).json()
        return body["rows"]

    return fetch


def test_api_decrypts_for_grant_holders_and_masks_for_others(ctx) -> None:
    context, rows = ctx
    context.run("persons")
    fetch = _readers(context, "ods.persons")
    clear = fetch("investigator")
    assert [r["id_number"] for r in clear] == [r["id_number"] for r in rows]
    assert [r["name"] for r in clear] == NAMES
    masked = fetch("clerk")
    assert masked[0]["id_number"] == rows[0]["id_number"][:3] + "*" * 11 + rows[0]["id_number"][-4:]
    assert masked[0]["phone"] == rows[0]["phone"][:3] + "****" + rows[0]["phone"][-4:]
    assert masked[0]["name"].startswith("欧") and "娜" not in masked[0]["name"]


def test_wrong_master_key_fails_clearly_and_keeps_the_previous_table(ctx, monkeypatch: pytest.MonkeyPatch) -> None:
    context, rows = ctx
    context.run("persons")
    before = context.engine.query("SELECT person_id, id_number_token FROM ods.persons ORDER BY 1")
    context.close()
    monkeypatch.setenv("LINGSHU_MASTER_KEY", "00" * 16)  # not the key that wrapped the data keys
    with Context(context.workspace) as other:
        report = other.run("persons")
        assert report.status == "failed"
        error = report.failed[0].error or ""
        assert "key" in error.lower() and rows[0]["id_number"] not in error
        assert other.engine.query("SELECT person_id, id_number_token FROM ods.persons ORDER BY 1") == before


def test_cli_rotation_of_data_key_and_master_key_keeps_values_readable(ctx, capsys) -> None:
    from lingshu.cli.main import main

    context, rows = ctx
    context.run("persons")
    root = context.workspace.root
    context.close()

    def cli(*args: str) -> tuple[int, str]:
        with pytest.raises(SystemExit) as done:
            main(["-w", str(root), *args])
        out = capsys.readouterr()
        return int(done.value.code or 0), out.out + out.err

    code, text = cli("key", "rotate", "ods.persons")
    assert code == 0 and "key version 2" in text
    code, text = cli("key", "rewrap")
    assert code == 0 and "re-wrapped" in text
    assert list((root / "secrets").glob("master.key.retired-*"))
    with Context(context.workspace) as again:
        versions = again.vault.cipher("ods.persons", "id_number").key_versions(
            again.engine.query("SELECT id_number FROM ods.persons").column(0)).to_pylist()
        assert set(versions) == {2}
        plain = again.vault.cipher("ods.persons", "id_number").decrypt(
            again.engine.query("SELECT id_number FROM ods.persons ORDER BY person_id").column(0)).to_pylist()
        assert plain == [r["id_number"] for r in rows]
        actions = [r["action"] for r in again.security.audit.list(10)]
        assert "key.rotate" in actions and "key.rewrap" in actions


def test_a_model_reseals_a_sealed_column_under_its_own_table(ctx) -> None:
    from lingshu.security.errors import SecurityError

    context, rows = ctx
    assert context.run("persons").status == "success"
    card = context.engine.query("SELECT * FROM ads.person_card ORDER BY person_id")
    source = context.engine.query("SELECT id_number FROM ods.persons ORDER BY person_id").column(0)
    # Ciphertext of its own binding: not the source's, opened only with the card's key and binding.
    assert all(a != b for a, b in zip(card["id_number"].to_pylist(), source.to_pylist(), strict=True))
    clear = context.vault.cipher("ads.person_card", "id_number").decrypt(card["id_number"]).to_pylist()
    assert clear == [r["id_number"] for r in rows]
    with pytest.raises(SecurityError):
        context.vault.cipher("ods.persons", "id_number").decrypt(card["id_number"])
    # No token of ciphertext is added; the source's token is the join key.
    assert card.column_names == ["person_id", "id_number_token", "town", "id_number"]
    assert card["id_number_token"].to_pylist() == context.engine.query(
        "SELECT id_number_token FROM ods.persons ORDER BY person_id").column(0).to_pylist()
    # Published, it reads like any sealed column: clear by grant, masked otherwise.
    fetch = _readers(context, "ads.person_card")
    assert [r["id_number"] for r in fetch("investigator")] == [r["id_number"] for r in rows]
    assert fetch("clerk")[0]["id_number"] == rows[0]["id_number"][:3] + "*" * 11 + rows[0]["id_number"][-4:]


def test_sealed_from_needs_encrypt_and_a_column_name() -> None:
    from pydantic import ValidationError

    from lingshu.pack.spec import ColumnSpec

    with pytest.raises(ValidationError, match="add encrypt: true"):
        ColumnSpec(name="id_number", sealed_from="ods.persons.id_number")
    with pytest.raises(ValidationError, match="layer.table.column"):
        ColumnSpec(name="id_number", encrypt=True, sealed_from="ods.persons")


def test_sealed_from_a_table_with_nothing_sealed_fails_clearly(ctx) -> None:
    context, _ = ctx
    pack = context.catalog.get("persons")
    sql = pack.root / "models" / "ads" / "person_card.sql"
    spec = pack.root / "pack.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("sealed_from: ods.persons.id_number",
                                                             "sealed_from: ods.people.id_number"), encoding="utf-8")
    sql.write_text("SELECT person_id, id_number, town FROM ods.persons", encoding="utf-8")
    context.close()
    with Context(context.workspace) as again:
        report = again.run("persons")
        card = next(s for s in report.steps if s.table == "ads.person_card")
        assert card.status == "failed" and "ods.people holds no sealed data" in (card.error or "")
        assert again.vault.keyring.records("ods.people") == []  # no data key made up for the name
