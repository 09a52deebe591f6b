"""Per-user accounts, passwords (argon2id), API keys and console sessions.

Passwords are stored as argon2id hashes (memory-hard, the current best practice for passwords);
hashes made earlier with PBKDF2-HMAC-SM3 still verify and are upgraded at the next sign-in. Keys
and session tokens are high-entropy random strings, shown once and stored only as SM3 digests.
Nothing secret is ever logged or put in an exception message.
"""

from __future__ import annotations

import base64
import hmac
import ipaddress
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from lingshu.core.errors import LingshuError
from lingshu.security.roles import ROLES, permissions_of
from lingshu.security.sm import sm3_hex
from lingshu.security.ttlcache import DEFAULT_TTL, TtlCache
from lingshu.state.schema import api_keys, sessions, users
from lingshu.state.store import StateStore

PBKDF2_ITERATIONS = 120_000
KEY_PREFIX = "lsk"


class AuthError(LingshuError):
    """Sign-in failed or a credential is missing, expired or revoked (HTTP 401)."""

    http_status = 401


class AccessDenied(LingshuError):
    """The principal is known but not allowed to do this (HTTP 403)."""

    http_status = 403


@dataclass(frozen=True)
class Principal:
    """Who is acting: a signed-in user, an API key's owner, or the local CLI operator."""

    username: str
    roles: tuple[str, ...]
    department: str | None = None
    via: str = "session"  # session | key | cli
    key: str | None = None  # the API key's prefix, when via == "key"
    rate_per_minute: int | None = None  # the key's own limit (None: the workspace default)
    allowed_ips: tuple[str, ...] = ()  # addresses or CIDR networks the key may be used from

    def ip_allowed(self, address: str | None) -> bool:
        if not self.allowed_ips:
            return True
        if address is None:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in ipaddress.ip_network(net, strict=False) for net in self.allowed_ips)

    @property
    def permissions(self) -> frozenset[str]:
        return permissions_of(list(self.roles))

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise AccessDenied(f"{self.username} lacks the permission {permission}",
                               hint="ask a 系统管理员 (admin) to give the account a role that has it")


_ARGON2 = PasswordHasher()  # argon2id with the library's current recommended cost


def hash_password(password: str) -> str:
    return _ARGON2.hash(password)


def needs_rehash(stored: str) -> bool:
    return not stored.startswith("$argon2") or _ARGON2.check_needs_rehash(stored)


def _pbkdf2_sm3(password: str, *, salt: bytes | None = None, iterations: int = PBKDF2_ITERATIONS) -> str:
    """The earlier scheme (national-cryptography KDF); kept so existing hashes still verify."""
    salt = salt or secrets.token_bytes(16)
    kdf = PBKDF2HMAC(algorithm=hashes.SM3(), length=32, salt=salt, iterations=iterations)
    digest = kdf.derive(password.encode("utf-8"))
    b64 = base64.urlsafe_b64encode
    return f"pbkdf2-sm3${iterations}${b64(salt).decode()}${b64(digest).decode()}"


def check_password(password: str, stored: str | None) -> bool:
    if not stored:
        return False
    if stored.startswith("$argon2"):
        try:
            return _ARGON2.verify(stored, password)
        except (VerifyMismatchError, InvalidHashError, VerificationError):
            return False
    try:
        scheme, iterations, salt, _ = stored.split("$")
    except ValueError:
        return False
    if scheme != "pbkdf2-sm3":
        return False
    again = _pbkdf2_sm3(password, salt=base64.urlsafe_b64decode(salt), iterations=int(iterations))
    return hmac.compare_digest(again, stored)


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; everything here is stored in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


LAST_USED_EVERY = 60.0  # seconds: last_used_at is a hint for operators, not a per-request write
KEY_CACHE_SIZE = 1024


class Accounts:
    def __init__(self, store: StateStore, key_ttl: float = DEFAULT_TTL):
        self.engine = store.engine
        self._last_used: dict[str, float] = {}
        # SM3 digest of a valid key -> its row (the grants' TTL). Keyed by the digest, never the
        # key; only keys that matched a row are cached, so made-up keys cannot fill it.
        self._keys = TtlCache(key_ttl, KEY_CACHE_SIZE)

    # -- users ----------------------------------------------------------------------------------
    def add_user(self, username: str, roles: list[str], *, password: str | None = None,
                 display_name: str | None = None, department: str | None = None) -> None:
        for role in roles:
            ROLES.get(role)  # unknown role names fail with the list of roles
        if password is not None and len(password) < 10:
            raise LingshuError("password too short", hint="use at least 10 characters")
        with self.engine.begin() as c:
            if c.execute(sa.select(users.c.id).where(users.c.username == username)).first():
                raise LingshuError(f"user {username!r} exists", hint="pick another name or change the user's roles")
            c.execute(users.insert().values(
                username=username, display_name=display_name, department=department, roles=",".join(roles),
                password_hash=hash_password(password) if password else None, active=1, created_at=_now()))

    def set_password(self, username: str, password: str) -> None:
        if len(password) < 10:
            raise LingshuError("password too short", hint="use at least 10 characters")
        with self.engine.begin() as c:
            done = c.execute(users.update().where(users.c.username == username)
                             .values(password_hash=hash_password(password))).rowcount
        if not done:
            raise LingshuError(f"no user {username!r}", hint="`lingshu user list` shows the accounts")

    def list_users(self) -> list[dict[str, object]]:
        with self.engine.connect() as c:
            rows = c.execute(sa.select(users.c.username, users.c.display_name, users.c.department,
                                       users.c.roles, users.c.active).order_by(users.c.username))
            return [dict(r._mapping) for r in rows]

    def principal(self, username: str, via: str) -> Principal:
        with self.engine.connect() as c:
            row = c.execute(sa.select(users).where(users.c.username == username)).first()
        if row is None or not row.active:
            raise AuthError("unknown or disabled account", hint="check the user name")
        return Principal(row.username, tuple(row.roles.split(",")), row.department, via)

    def sign_in(self, username: str, password: str) -> Principal:
        with self.engine.connect() as c:
            row = c.execute(sa.select(users).where(users.c.username == username)).first()
        # Same message whether the user or the password is wrong: no account enumeration.
        if row is None or not row.active or not check_password(password, row.password_hash):
            raise AuthError("用户名或密码错误 wrong user name or password", hint="try again or ask an administrator")
        if needs_rehash(row.password_hash):
            with self.engine.begin() as c:
                c.execute(users.update().where(users.c.id == row.id).values(password_hash=hash_password(password)))
        return Principal(row.username, tuple(row.roles.split(",")), row.department, "session")

    # -- API keys -------------------------------------------------------------------------------
    def create_key(self, username: str, *, label: str | None = None, days: int | None = 365,
                   rate_per_minute: int | None = None, allowed_ips: list[str] | None = None) -> str:
        """Create an API key and return it; it is shown this once and stored only as SM3."""
        for net in allowed_ips or []:
            try:
                ipaddress.ip_network(net, strict=False)
            except ValueError:
                raise LingshuError(f"{net!r} is not an address or network", hint="e.g. 10.1.2.3 or 10.1.0.0/16") from None
        user_id = self._user_id(username)
        prefix = secrets.token_hex(4)
        key = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
        with self.engine.begin() as c:
            c.execute(api_keys.insert().values(
                user_id=user_id, prefix=prefix, key_hash=sm3_hex(key.encode()), label=label, created_at=_now(),
                expires_at=_now() + timedelta(days=days) if days else None, rate_per_minute=rate_per_minute,
                allowed_ips=",".join(allowed_ips) if allowed_ips else None))
        return key

    def revoke_key(self, prefix: str) -> None:
        with self.engine.begin() as c:
            done = c.execute(api_keys.update().where(api_keys.c.prefix == prefix).values(revoked_at=_now())).rowcount
        self._keys.clear()  # effective at once in this process (elsewhere within key_ttl)
        if not done:
            raise LingshuError(f"no API key with prefix {prefix!r}", hint="`lingshu key list` shows the prefixes")

    def list_keys(self) -> list[dict[str, object]]:
        query = (sa.select(api_keys.c.prefix, users.c.username, api_keys.c.label, api_keys.c.created_at,
                           api_keys.c.expires_at, api_keys.c.revoked_at, api_keys.c.last_used_at,
                           api_keys.c.rate_per_minute, api_keys.c.allowed_ips)
                 .join(users, users.c.id == api_keys.c.user_id).order_by(api_keys.c.id))
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(query)]

    def check_key(self, key: str) -> Principal:
        prefix, digest = self._parse_key(key)
        row = self._keys.get(digest)
        if row is None:
            # The key joined with its owner, read at most every key_ttl seconds per key: every API
            # call passes through here, and the read was a tenth of a request's cost. Revocation,
            # expiry and disabling are still checked on every call against this row; a
            # revocation made by another process is seen within key_ttl, as grant changes are.
            with self.engine.connect() as c:
                row = c.execute(sa.select(api_keys, users.c.username, users.c.roles, users.c.department,
                                          users.c.active)
                                .join(users, users.c.id == api_keys.c.user_id)
                                .where(api_keys.c.prefix == prefix)).first()
            if row is None or not hmac.compare_digest(row.key_hash, digest):
                raise AuthError("unknown API key", hint="check the key or create a new one")
            self._keys.put(digest, row)
        principal = self._principal(prefix, row)
        if self._last_used_due(prefix):
            with self.engine.begin() as c:
                c.execute(api_keys.update().where(api_keys.c.prefix == prefix).values(last_used_at=_now()))
            self._last_used[prefix] = time.monotonic()
        return principal

    def check_key_cached(self, key: str) -> Principal | None:
        """``check_key`` from memory alone, or None when the answer needs the store.

        None when the key's row is not cached or its last-used time is due to be written: the
        caller then runs ``check_key`` where it may wait for the store. A cached key that is
        revoked, expired or disabled raises here as there.
        """
        prefix, digest = self._parse_key(key)
        row = self._keys.get(digest)
        if row is None or self._last_used_due(prefix):
            return None
        return self._principal(prefix, row)

    @staticmethod
    def _parse_key(key: str) -> tuple[str, str]:
        parts = key.split("_", 2)
        if len(parts) != 3 or parts[0] != KEY_PREFIX:
            raise AuthError("malformed API key", hint=f"keys look like {KEY_PREFIX}_xxxxxxxx_...; create one with `lingshu key create`")
        return parts[1], sm3_hex(key.encode())

    def _last_used_due(self, prefix: str) -> bool:
        return time.monotonic() - self._last_used.get(prefix, -LAST_USED_EVERY) >= LAST_USED_EVERY

    @staticmethod
    def _principal(prefix: str, row: Any) -> Principal:
        if row.revoked_at is not None:
            raise AuthError("API key revoked", hint="ask for a new key")
        expires = _aware(row.expires_at)
        if expires is not None and expires < _now():
            raise AuthError("API key expired", hint="ask for a new key")
        if not row.active:
            raise AuthError("unknown or disabled account", hint="check the user name")
        return Principal(row.username, tuple(row.roles.split(",")), row.department, "key", key=prefix,
                         rate_per_minute=row.rate_per_minute,
                         allowed_ips=tuple(row.allowed_ips.split(",")) if row.allowed_ips else ())

    # -- sessions -------------------------------------------------------------------------------
    def open_session(self, principal: Principal, hours: int = 8) -> str:
        token = secrets.token_urlsafe(32)
        with self.engine.begin() as c:
            c.execute(sessions.insert().values(token_hash=sm3_hex(token.encode()), user_id=self._user_id(principal.username),
                                               created_at=_now(), expires_at=_now() + timedelta(hours=hours)))
        return token

    def check_session(self, token: str) -> Principal:
        with self.engine.connect() as c:
            row = c.execute(sa.select(sessions.c.expires_at, users.c.username)
                            .join(users, users.c.id == sessions.c.user_id)
                            .where(sessions.c.token_hash == sm3_hex(token.encode()))).first()
        if row is None or _aware(row.expires_at) < _now():  # type: ignore[operator]
            raise AuthError("not signed in or session expired", hint="sign in again")
        return self.principal(row.username, "session")

    def close_session(self, token: str) -> None:
        with self.engine.begin() as c:
            c.execute(sessions.delete().where(sessions.c.token_hash == sm3_hex(token.encode())))

    def _user_id(self, username: str) -> int:
        with self.engine.connect() as c:
            user_id = c.execute(sa.select(users.c.id).where(users.c.username == username)).scalar()
        if user_id is None:
            raise LingshuError(f"no user {username!r}", hint="create it with `lingshu user add`")
        return int(user_id)
