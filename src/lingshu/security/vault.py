"""The workspace's vault: its master key, its keyring, and the SQL functions that seal columns.

The master key lives outside the warehouse: ``$LINGSHU_MASTER_KEY`` if set, else the key file
``secrets/master.key`` (0600, created with the workspace). It wraps one data key per dataset,
kept in ``secrets/keyring.json``. Pipelines call ``lingshu_encrypt(value, dataset, column)`` and
``lingshu_token(value, kind)`` in SQL, so a plaintext value of an encrypted column is never
written to a warehouse table. There is no decryption function in SQL: plaintext is read only by
the dataset service for callers with a ``decrypt`` grant, or by ``lingshu decrypt`` (audited).
A model that publishes a sealed value under its own table (``sealed_from:`` on a column) calls
``lingshu_reseal``, which opens and seals again inside the function and returns ciphertext only.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from lingshu.security.errors import SecurityError
from lingshu.security.fieldcrypt import FieldCipher
from lingshu.security.hashing import Tokenizer
from lingshu.security.keyring import JsonKeyringStore, Keyring
from lingshu.security.keys import ENV_VAR, MasterKeyConfig, open_key_provider, write_key_file

if TYPE_CHECKING:
    from lingshu.core.workspace import Workspace
    from lingshu.engines.base import Engine

KEY_FILE = "master.key"
KEYRING_FILE = "keyring.json"
TOKEN_SUFFIX = "_token"


def ensure_master_key(secrets_dir: Path) -> None:
    """Create the workspace key file (0600) unless the key comes from the environment."""
    path = secrets_dir / KEY_FILE
    if not os.environ.get(ENV_VAR) and not path.exists():
        secrets_dir.mkdir(parents=True, exist_ok=True)
        write_key_file(path)


class Vault:
    def __init__(self, secrets_dir: Path):
        self.secrets_dir = secrets_dir
        self._ciphers: dict[tuple[str, str], FieldCipher] = {}

    @classmethod
    def of(cls, workspace: Workspace) -> Vault:
        return cls(workspace.folder("secrets"))

    @cached_property
    def keyring(self) -> Keyring:
        if os.environ.get(ENV_VAR):
            config = MasterKeyConfig(provider="env")
        else:
            ensure_master_key(self.secrets_dir)
            config = MasterKeyConfig(provider="file", path=self.secrets_dir / KEY_FILE)
        return Keyring(JsonKeyringStore(self.secrets_dir / KEYRING_FILE), open_key_provider(config))

    def cipher(self, dataset: str, column: str) -> FieldCipher:
        key = (dataset, column)
        if key not in self._ciphers:
            key_id = dataset.replace('"', "")
            self.keyring.ensure(key_id)
            self._ciphers[key] = FieldCipher(self.keyring, dataset, column, key_id=key_id)
        return self._ciphers[key]

    @cached_property
    def tokenizer(self) -> Tokenizer:
        return Tokenizer(self.keyring)

    def register_sql(self, engine: Engine) -> None:
        engine.register_function("lingshu_encrypt", self._encrypt_udf, ["VARCHAR", "VARCHAR", "VARCHAR"], "VARCHAR")
        engine.register_function("lingshu_token", self._token_udf, ["VARCHAR", "VARCHAR"], "VARCHAR")
        engine.register_function("lingshu_reseal", self._reseal_udf, ["VARCHAR"] * 5, "VARCHAR")

    # Arrow UDFs: the dataset/column/kind arguments are constant per call site in practice, but
    # each distinct triple is handled so the function is correct for any input.
    def _encrypt_udf(self, values: pa.Array, datasets: pa.Array, columns: pa.Array) -> pa.Array:
        return _by_group(values, [datasets, columns], lambda v, d, c: self.cipher(d, c).encrypt(v))

    def _token_udf(self, values: pa.Array, kinds: pa.Array) -> pa.Array:
        return _by_group(values, [kinds], lambda v, k: self.tokenizer.token(v, k or "text"))

    def _reseal_udf(self, values: pa.Array, from_datasets: pa.Array, from_columns: pa.Array,
                    datasets: pa.Array, columns: pa.Array) -> pa.Array:
        # The plaintext lives only between these two calls: the ciphertext of one binding
        # (table, column) in, the ciphertext of another out.
        return _by_group(values, [from_datasets, from_columns, datasets, columns],
                         lambda v, fd, fc, d, c: self.cipher(d, c).encrypt(self._opener(fd, fc).decrypt(v)))

    def _opener(self, dataset: str, column: str) -> FieldCipher:
        """The cipher of an existing sealed column; ``cipher`` would make a data key for any name."""
        if not self.keyring.records(dataset.replace('"', "")):
            raise SecurityError(f"sealed_from names {dataset}.{column}, but {dataset} holds no sealed data (no data key)",
                                hint="point sealed_from at a column marked encrypt: true, in a table that has been built")
        return self.cipher(dataset, column)


def _by_group(values: pa.Array, keys: list[pa.Array], fn: Callable[..., pa.Array]) -> pa.Array:
    values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    if len(values) == 0:
        return pa.array([], pa.string())
    firsts = [k[0].as_py() if len(k) else None for k in keys]
    if all(pc.all(pc.equal(k, f)).as_py() in (True, None) for k, f in zip(keys, firsts, strict=True)):
        return fn(values, *firsts)
    out: list[str | None] = [None] * len(values)
    combos = {tuple(k[i].as_py() for k in keys) for i in range(len(values))}
    for combo in combos:
        index = [i for i in range(len(values)) if tuple(k[i].as_py() for k in keys) == combo]
        sealed = fn(values.take(pa.array(index)), *combo).to_pylist()
        for i, v in zip(index, sealed, strict=True):
            out[i] = v
    return pa.array(out, pa.string())


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def seal_sql(select_sql: str, dataset: str, columns: list[Any]) -> str:
    """Wrap a SELECT so each column marked ``encrypt`` leaves as ciphertext plus a join token.

    A column with ``sealed_from`` already holds ciphertext of that column: it is re-sealed under
    ``dataset`` and gets no token (a token of ciphertext would join nothing; the source's own
    token or a derived one is the join key).
    """
    sealed = [c for c in columns if getattr(c, "encrypt", False)]
    if not sealed:
        return select_sql
    # EXCLUDE and re-add rather than REPLACE: Spark SQL has the first (as EXCEPT), not the second.
    # The sealed columns come last; tables are written and appended by name, never by position.
    names = ", ".join(_quote(c.name) for c in sealed)
    sealed_values = ", ".join(f"{_seal(c, dataset)} AS {_quote(c.name)}" for c in sealed)
    tokens = "".join(
        f", lingshu_token(CAST({_quote(c.name)} AS VARCHAR), {_literal(c.token or 'text')}) "
        f"AS {_quote(c.name + TOKEN_SUFFIX)}"
        for c in sealed if not getattr(c, "sealed_from", None))
    return f"SELECT * EXCLUDE ({names}), {sealed_values}{tokens} FROM ({select_sql})"


def _seal(column: Any, dataset: str) -> str:
    value, to = f"CAST({_quote(column.name)} AS VARCHAR)", f"{_literal(dataset)}, {_literal(column.name)}"
    origin = getattr(column, "sealed_from", None)
    if origin:
        table, name = origin.rsplit(".", 1)
        return f"lingshu_reseal({value}, {_literal(table)}, {_literal(name)}, {to})"
    return f"lingshu_encrypt({value}, {to})"


def encrypted_columns(columns: list[Any]) -> set[str]:
    return {c.name for c in columns if getattr(c, "encrypt", False)}
