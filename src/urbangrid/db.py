"""The only module that knows which database vendor is in use (ARCHITECTURE.md §9.3 rule 5)."""

from collections.abc import Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

# WAL lets readers continue while one writer commits; IMMEDIATE takes the write lock at BEGIN so two
# writers queue on busy_timeout instead of failing later with "database is locked" on lock upgrade.
SQLITE_INIT = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536"


def sqlite_settings(path: Path) -> dict:
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": SQLITE_INIT},
        "TEST": {"NAME": str(path.with_name("test-" + path.name))},
    }


def settings_from_url(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    if parts.scheme == "sqlite":
        return sqlite_settings(Path(unquote(parts.path)))
    raise ImproperlyConfigured(f"DATABASE_URL={url!r}: use postgres://… or sqlite:///path")


def vendor() -> str:
    from django.db import connection

    return connection.vendor


# Raw SQL for the hot paths (intake). Measured on SQLite (bench/README.md): Django's cursor wrapper adds ~45 µs
# to an 8 µs indexed lookup, the ORM 100–300 µs of composing per statement, and preparing a case's 40 values
# through every field's get_db_prep_save ~210 µs. Here statements are written once with `%s` placeholders
# (converted once for SQLite), run on the DB-API cursor inside Django's error wrapper (so an IntegrityError is
# still django.db.IntegrityError), and values of the plain field types are passed as the driver takes them.


def select(sql: str, params: list | tuple = (), using: str | None = None) -> list[tuple]:
    """Rows of a read on the default connection, or on `using` (the alias dbrouter chose for the models read,
    e.g. a replica's: a QuerySet's .db)."""
    from django.db import connection, connections

    if using is not None:
        connection = connections[using]
    connection.ensure_connection()
    with connection.wrap_database_errors:  # spelled out, not _cursor(): this runs every minute and every report
        cursor = connection.connection.cursor()
        try:
            cursor.execute(_native(sql), params)
            return cursor.fetchall()
        finally:
            cursor.close()


_together: dict[tuple[str, ...], str] = {}


def write_together(statements: list[tuple[str, list]]) -> None:
    """Run several INSERT/UPDATE statements (no RETURNING) of one transaction in one round trip where the
    vendor allows: on PostgreSQL as one statement, each a data-modifying WITH query (all of them run, in one
    snapshot; they must touch different rows); on SQLite, which runs in-process, one after the other."""
    from django.db import connection

    if not statements:
        return
    if connection.vendor != "postgresql" or len(statements) == 1:
        with _cursor() as cursor:
            for sql, params in statements:
                cursor.execute(_native(sql), params)
        return
    sqls = tuple(sql for sql, _params in statements)
    found = _together.get(sqls)
    if found is None:
        *first, last = sqls
        found = "WITH " + ", ".join(f"w{i} AS ({sql})" for i, sql in enumerate(first)) + " " + last
        _together[sqls] = found
    with _cursor() as cursor:
        cursor.execute(found, [value for _sql, params in statements for value in params])


def stamp(value):
    """A datetime as the backend stores it (SQLite keeps UTC text, PostgreSQL a timestamptz)."""
    from django.db import connection

    return connection.ops.adapt_datetimefield_value(value)


def day(value):
    from django.db import connection

    return connection.ops.adapt_datefield_value(value)


def insert(instance) -> None:
    """INSERT one new model instance in one prepared statement and set its primary key (RETURNING, which both
    SQLite ≥ 3.35 and PostgreSQL have). The values save() would write (tests/cases/test_raw_insert.py compares
    them row for row), without model signals."""
    from django.db import connection

    sql, preparers = _insert_statement(type(instance))
    values = [prepare(instance, connection) for prepare in preparers]
    with _cursor() as cursor:
        cursor.execute(sql, values)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding, instance._state.db = False, connection.alias


@contextmanager
def _cursor():
    """The DB-API cursor of the default connection, with Django's translation of database errors."""
    from django.db import connection

    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = connection.connection.cursor()
        try:
            yield cursor
        finally:
            cursor.close()


_native_sql: dict[str, str] = {}


def _native(sql: str) -> str:
    found = _native_sql.get(sql)
    if found is None:
        from django.db import connection

        found = sql.replace("%s", "?") if connection.vendor == "sqlite" else sql
        _native_sql[sql] = found
    return found


_inserts: dict[type, tuple[str, list]] = {}
_PLAIN = {  # field type → the Python types its values reach the driver as, unchanged by get_db_prep_save
    "CharField": (str,), "TextField": (str,), "SlugField": (str,), "EmailField": (str,),
    "IntegerField": (int,), "PositiveIntegerField": (int,), "BigIntegerField": (int,), "SmallIntegerField": (int,),
    "PositiveSmallIntegerField": (int,), "PositiveBigIntegerField": (int,), "BigAutoField": (int,),
    "AutoField": (int,), "BooleanField": (bool,), "FloatField": (float, int),
}


def _insert_statement(model) -> tuple[str, list]:
    if model not in _inserts:
        from django.db import connection

        meta = model._meta
        fields = [f for f in meta.concrete_fields if f is not meta.auto_field]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks}) RETURNING {quote(meta.pk.column)}"
        _inserts[model] = (_native(sql), [_preparer(f) for f in fields])
    return _inserts[model]


def _preparer(field):
    """How one field's value goes from the instance to the driver; the general path for anything unusual."""
    attname, internal = field.attname, field.get_internal_type()
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda instance, connection: field.get_db_prep_save(field.pre_save(instance, True), connection)
    if field.is_relation:
        internal = field.target_field.get_internal_type()
    plain = _PLAIN.get(internal)

    def general(instance, connection):
        return field.get_db_prep_save(field.pre_save(instance, True), connection)

    if plain is not None:
        def prepare(instance, connection):
            value = getattr(instance, attname)
            return value if value is None or type(value) in plain else general(instance, connection)
        return prepare
    if internal == "DateTimeField":
        def prepare(instance, connection):
            value = getattr(instance, attname)
            if value is None:
                return None
            if getattr(value, "tzinfo", None) is None:  # naive: let the field warn and convert
                return general(instance, connection)
            return connection.ops.adapt_datetimefield_value(value)
        return prepare
    if internal == "JSONField":  # what JSONField.get_db_prep_save does with a plain dict or list
        def prepare(instance, connection):
            value = getattr(instance, attname)
            if value is None or not isinstance(value, dict | list):
                return general(instance, connection)
            return connection.ops.adapt_json_value(value, field.encoder)
        return prepare
    return general


# Bulk loading (the benchmark generator, urbangrid.demo.history): the fastest path each vendor offers — binary
# COPY on PostgreSQL, one prepared executemany on SQLite — with the tables' indexes dropped during the load and
# rebuilt after it, as bulk loaders do (maintaining a B-tree row by row costs more than building it once).


BULK_MMAP = 1 << 34  # bytes of the SQLite file mapped during a bulk load (address space, not memory)


@contextmanager
def bulk_loading():
    """Around a bulk load, outside any transaction. SQLite checks every foreign key and CHECK constraint row by
    row (measured: half the cost of a case row), syncs each commit and writes every page twice (WAL, then the
    checkpoint); the generator's rows are valid by construction (ids it made, values from the enums the CHECKs
    list), so the checks and syncs are off and the journal is kept in memory while it writes (measured on the
    index rebuild of a million cases: 11 % less CPU, a fifth less time), WAL again after. Each index build
    reads the whole table: mapped into memory rather than copied page by page through read() (measured on the
    same rebuild: 18.5 s → 13 s). A crash during the load means generating again."""
    from django.db import connection

    if connection.in_atomic_block:  # SQLite ignores or refuses its pragmas inside; a test's transaction
        yield
        return
    if connection.vendor == "postgresql":
        yield from _postgres_bulk_loading()
        return
    with _cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.execute("PRAGMA ignore_check_constraints=ON")
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA journal_mode=MEMORY")  # stays WAL while another connection is open: then slower
        cursor.execute(f"PRAGMA mmap_size={BULK_MMAP}")
    try:
        yield
    finally:
        with _cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA mmap_size=0")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA ignore_check_constraints=OFF")
            cursor.execute("PRAGMA synchronous=NORMAL")


def _postgres_bulk_loading():
    """PostgreSQL checks each row's foreign keys by trigger (measured: most of a COPY's time); a superuser
    session can skip them, as pg_restore does. Any other user loads with the checks on. The load's commits
    need not wait for the disk (a crash loses the last batches, and a crash means generating again)."""
    from django.db import DatabaseError

    with _cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        try:
            cursor.execute("SET session_replication_role = replica")
            skipped = True
        except DatabaseError:  # not a superuser: the checks stay
            skipped = False
    try:
        yield
    finally:
        with _cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
            if skipped:
                cursor.execute("SET session_replication_role = DEFAULT")


# Columns for write_columns() and rows(), one entry per column: a constant (None, bool, int, float or str, the
# same in every row), a numpy array of numbers or booleans (one per row), or one of these. Given as arrays, a
# million rows are encoded for PostgreSQL's binary COPY by numpy alone, never one Python object per value.


@dataclass(frozen=True)
class Masked:
    """values (a numpy array), NULL where not valid."""

    values: Any
    valid: Any


@dataclass(frozen=True)
class Moments:
    """Instants as seconds since the epoch (a numpy integer array), NULL where not valid (None: all valid)."""

    seconds: Any
    valid: Any = None


@dataclass(frozen=True)
class Days:
    """Calendar days as date.toordinal() numbers (a numpy integer array)."""

    ordinals: Any


@dataclass(frozen=True)
class Coded:
    """values[codes] in each row (values: a short sequence of constants, e.g. the states; NULL where code < 0)."""

    codes: Any
    values: Sequence


@dataclass(frozen=True)
class Texts:
    """One str per row (a list), e.g. the case numbers."""

    values: list


ROWS_PER_INSERT = 500  # SQLite


def write_columns(table: str, columns: dict) -> None:
    """Append the rows given column by column (see Masked …) to table, in the current transaction."""
    from django.db import connection

    quote = connection.ops.quote_name
    n = _row_count(columns)
    if n == 0:
        return
    names = list(columns)
    with _cursor() as cursor:
        if connection.vendor == "postgresql":
            data = _pg_binary(_query(cursor), table, columns, n)
            with cursor.copy(_pg_copy(table, names)) as copy:
                copy.write(data)
            return
        # SQLite: the constants are written into the statement, so only the varying values are bound, and each
        # statement inserts many rows (measured: 2.3 times faster than one row a statement through executemany,
        # whose every execution also updates the AUTOINCREMENT counter).
        import sqlite3
        from itertools import chain

        varying = [c for c in names if not _is_constant(columns[c])]
        row = "(" + ", ".join("?" if c in varying else _sqlite_literal(columns[c]) for c in names) + ")"
        rows = list(zip(*(_python_values(columns[c], n, "sqlite") for c in varying), strict=True)) if varying \
            else [()] * n
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        per = max(1, min(ROWS_PER_INSERT, limit // max(1, len(varying))))
        head = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in names)}) VALUES "
        full = n - n % per
        if full:
            cursor.executemany(head + ", ".join([row] * per),
                               (tuple(chain.from_iterable(rows[i:i + per])) for i in range(0, full, per)))
        if n > full:
            cursor.execute(head + ", ".join([row] * (n - full)), tuple(chain.from_iterable(rows[full:])))


@contextmanager
def bulk_writer():
    """A writer of batches: write({table: columns, …}) appends each table's rows (see write_columns) in one
    transaction per batch. On PostgreSQL outside a transaction, a batch's COPY goes to the server from a thread
    while the caller makes the next batch: the client's work and the server's overlap (two cores; measured on
    a million cases: 15 s → 9 s of writing). Meanwhile the caller must not use the database connection."""
    import threading

    from django.db import connection, transaction

    if connection.vendor != "postgresql" or connection.in_atomic_block:
        def write(tables: dict[str, dict]) -> None:
            with transaction.atomic():
                for table, columns in tables.items():
                    write_columns(table, columns)

        yield write
        return
    connection.ensure_connection()
    raw = connection.connection
    sending: list[threading.Thread] = []
    failures: list[BaseException] = []

    def wait() -> None:
        while sending:
            sending.pop().join()
        if failures:
            with connection.wrap_database_errors:
                raise failures.pop()

    def query(sql: str, params: list) -> list[tuple]:  # the encoder's look-ups: after the batch being sent
        wait()
        with raw.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def send(batch: list[tuple[str, list[str], bytes]]) -> None:
        try:
            with raw.transaction(), raw.cursor() as cursor:
                for table, names, data in batch:
                    with cursor.copy(_pg_copy(table, names)) as copy:
                        copy.write(data)
        except BaseException as error:  # raised in the caller's thread by wait()
            failures.append(error)

    def write(tables: dict[str, dict]) -> None:
        batch = [(table, list(columns), _pg_binary(query, table, columns, _row_count(columns)))
                 for table, columns in tables.items() if _row_count(columns)]
        wait()
        thread = threading.Thread(target=send, args=(batch,), name="bulk COPY")
        thread.start()
        sending.append(thread)

    try:
        yield write
    finally:
        wait()


def rows(columns: dict) -> list[tuple]:
    """The rows of columns (see Masked …) as the driver takes them in a statement's parameters."""
    from django.db import connection

    n = _row_count(columns)
    return list(zip(*(_python_values(v, n, connection.vendor) for v in columns.values()), strict=True))


def _is_constant(value) -> bool:
    return value is None or isinstance(value, bool | int | float | str)


def _row_count(columns: dict) -> int:
    for value in columns.values():
        if not _is_constant(value):
            array = value.values if isinstance(value, Masked | Texts) else (
                value.seconds if isinstance(value, Moments) else value.ordinals if isinstance(value, Days) else
                value.codes if isinstance(value, Coded) else value)
            return len(array)
    raise ValueError("at least one column must vary to say how many rows there are")


def _sqlite_literal(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(int(value)) if isinstance(value, bool) else repr(value)


def _python_values(value, n: int, vendor: str) -> list:
    """One column's values as Python objects the driver binds (instants and days as the text each backend
    parses: SQLite stores that text, as Django does)."""
    import numpy as np

    if _is_constant(value):
        return [value] * n
    if isinstance(value, Texts):
        return value.values
    if isinstance(value, Masked):
        found = np.asarray(value.values).astype(object)
        found[~np.asarray(value.valid)] = None
        return found.tolist()
    if isinstance(value, Coded):
        return np.array([*value.values, None], dtype=object)[np.where(value.codes < 0, len(value.values),
                                                                      value.codes)].tolist()
    if isinstance(value, Moments):
        return instant_texts(value.seconds, value.valid, "+00" if vendor == "postgresql" else "")
    if isinstance(value, Days):
        from datetime import date

        unique, inverse = np.unique(value.ordinals, return_inverse=True)
        return np.array([date.fromordinal(d).isoformat() for d in unique.tolist()], dtype=object)[inverse].tolist()
    return np.asarray(value).tolist()


_TIMES: dict[str, Any] = {}


def instant_texts(seconds, valid=None, suffix: str = "", sep: str = " ") -> list:
    """Seconds since the epoch (a numpy array) → "2026-11-29 12:00:00" (sep between day and time, suffix
    after), None where not valid: the day's part and the time's part looked up, joined by numpy (object arrays
    add their str elements in C; 0.1 µs a value)."""
    from datetime import date

    import numpy as np

    times = _TIMES.get(sep + suffix)
    if times is None:
        times = _TIMES[sep + suffix] = np.array(
            [f"{sep}{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}{suffix}" for s in range(86400)], dtype=object)
    days, moments = np.divmod(np.asarray(seconds, dtype=np.int64), 86400)
    unique, inverse = np.unique(days, return_inverse=True)
    epoch = date(1970, 1, 1).toordinal()
    texts = np.array([date.fromordinal(epoch + d).isoformat() for d in unique.tolist()], dtype=object)[inverse]
    texts = texts + times[moments]
    if valid is not None:
        texts[~np.asarray(valid)] = None
    return texts.tolist()


# PostgreSQL's binary COPY: a header, then each row as a 16-bit field count and each field as a 32-bit length
# (-1: NULL) and the value in the type's binary form (big-endian integers and floats, instants as microseconds
# since 2000-01-01 UTC, days since 2000-01-01, text as UTF-8), then -1. Every field becomes a row of a byte
# matrix (its length in front, padded to the column's widest value); the matrices side by side, a mask keeps
# each field's real bytes and drops the padding, row after row: the COPY data in one numpy operation.

_PG_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
_PG_EPOCH_S = 946_684_800  # 2000-01-01 in Unix seconds
_PG_EPOCH_DAY = 730_120  # date(2000, 1, 1).toordinal()
_pg_types: dict[tuple[str, str], tuple[str, str, str]] = {}


def _query(cursor):
    def query(sql: str, params: list) -> list[tuple]:
        cursor.execute(sql, params)
        return cursor.fetchall()

    return query


def _pg_copy(table: str, names: list[str]) -> str:
    from django.db import connection

    quote = connection.ops.quote_name
    return f"COPY {quote(table)} ({', '.join(quote(c) for c in names)}) FROM STDIN (FORMAT binary)"


def _pg_column_types(query, table: str, names: list[str]) -> list[tuple[str, str, str]]:
    """(type name, its full SQL type, its binary output function) of each column."""
    missing = [c for c in names if (table, c) not in _pg_types]
    if missing:
        found = query(
            "SELECT a.attname, t.typname, format_type(a.atttypid, a.atttypmod), t.typsend::text FROM pg_attribute a "
            "JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = %s::regclass AND a.attnum > 0 "
            "AND NOT a.attisdropped", [table])
        for name, typname, full, send in found:
            _pg_types[table, name] = (typname, full, send)
    return [_pg_types[table, c] for c in names]


def _pg_binary(query, table: str, columns: dict, n: int) -> bytes:
    import numpy as np

    fields = [_pg_field(query, value, n, typname, full, send) for value, (typname, full, send) in zip(
        columns.values(), _pg_column_types(query, table, list(columns)), strict=True)]
    width = 2 + sum(part.shape[1] for parts, _lengths in fields for part in parts)
    out = np.empty((n, width), dtype=np.uint8)
    out[:, :2] = np.frombuffer(len(columns).to_bytes(2, "big"), np.uint8)
    keep, offset = None, 2
    for parts, lengths in fields:
        start = offset
        for part in parts:
            out[:, offset:offset + part.shape[1]] = part
            offset += part.shape[1]
        if lengths is not None:  # some rows' fields are shorter than the column's widest: drop their padding
            if keep is None:
                keep = np.ones((n, width), dtype=bool)
            keep[:, start:offset] = np.arange(offset - start) < lengths[:, None]
    return _PG_HEADER + (out if keep is None else out[keep]).tobytes() + b"\xff\xff"


def _pg_field(query, value, n: int, typname: str, full: str, send: str):
    """One column as byte matrices of n rows (each row's field: its length, then its value, padded) and each
    row's field length (None: every row the full width)."""
    import numpy as np

    if _is_constant(value):
        if value is None:
            return [np.broadcast_to(np.frombuffer(b"\xff\xff\xff\xff", np.uint8), (n, 4))], None
        field = _pg_constant(query, value, full, send)
        return [np.broadcast_to(np.frombuffer(field, np.uint8), (n, len(field)))], None
    if isinstance(value, Coded):  # each distinct value encoded once, then picked per row
        codes = np.asarray(value.codes)
        vocabulary = [*value.values, None]
        if typname in ("text", "varchar", "bpchar"):
            parts, lengths = _pg_field(query, Texts(vocabulary), len(vocabulary), typname, full, send)
        else:
            parts, lengths = _pg_field(query, Masked(np.array([0 if v is None else v for v in vocabulary]),
                                                      np.array([v is not None for v in vocabulary])),
                                       len(vocabulary), typname, full, send)
        picked = np.where(codes < 0, len(value.values), codes)
        return [part[picked] for part in parts], (None if lengths is None else lengths[picked])
    if isinstance(value, Texts):
        values = value.values
        nulls = None
        if None in values:
            nulls = np.array([v is None for v in values])
            values = ["" if v is None else v for v in values]
        try:
            encoded = np.array(values, dtype=np.bytes_)  # ASCII (numbers, links): encoded by numpy itself
        except UnicodeEncodeError:
            encoded = np.array([v.encode() for v in values], dtype=np.bytes_)
        if encoded.itemsize == 0:
            encoded = encoded.astype("S1")
        sizes = np.strings.str_len(encoded).astype(np.int64)
        if nulls is not None:
            sizes[nulls] = -1
        return _pg_fields(encoded.view(np.uint8).reshape(len(values), encoded.itemsize), sizes)
    valid = None
    if isinstance(value, Masked):
        value, valid = value.values, np.asarray(value.valid)
    if isinstance(value, Moments):
        value, valid = (np.asarray(value.seconds, dtype=np.int64) - _PG_EPOCH_S) * 1_000_000, value.valid
        if typname not in ("timestamptz", "timestamp"):
            raise TypeError(f"instants for a column of type {full}")
    elif isinstance(value, Days):
        value = np.asarray(value.ordinals, dtype=np.int64) - _PG_EPOCH_DAY
        if typname != "date":
            raise TypeError(f"days for a column of type {full}")
    dtype = {"int8": ">i8", "int4": ">i4", "int2": ">i2", "float8": ">f8", "float4": ">f4", "bool": "u1",
             "timestamptz": ">i8", "timestamp": ">i8", "date": ">i4"}.get(typname)
    if dtype is None:
        raise TypeError(f"no binary encoding here for a numpy array into a column of type {full}")
    array = np.asarray(value)
    if dtype.startswith(">i") and array.dtype.kind not in "iub":
        raise TypeError(f"{array.dtype} values for a column of type {full}")
    payload = np.ascontiguousarray(array.astype(dtype)).view(np.uint8).reshape(n, -1)
    if valid is None:
        head = np.frombuffer(payload.shape[1].to_bytes(4, "big"), np.uint8)
        return [np.broadcast_to(head, (n, 4)), payload], None
    sizes = np.full(n, payload.shape[1], dtype=np.int64)
    sizes[~np.asarray(valid)] = -1
    return _pg_fields(payload, sizes)


def _pg_fields(payload, sizes):
    """Payload bytes (n, width) and each row's size (-1: NULL) → the field's matrices and lengths."""
    import numpy as np

    heads = sizes.astype(">i4").view(np.uint8).reshape(len(sizes), 4)
    lengths = 4 + np.maximum(sizes, 0)
    return [heads, payload], (None if (lengths == 4 + payload.shape[1]).all() else lengths)


_pg_constants: dict[tuple, bytes] = {}


def _pg_constant(query, value, full: str, send: str) -> bytes:
    """A constant's field (length and value): the server encodes it itself, any type, exactly as it would parse
    its text."""
    key = (type(value), value, full)
    if key not in _pg_constants:
        encoded = bytes(query(f"SELECT {send}(%s::text::{full})", [_pg_text(value)])[0][0])
        _pg_constants[key] = len(encoded).to_bytes(4, "big") + encoded
    return _pg_constants[key]


def _pg_text(value) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def drop_indexes(table: str) -> list[str]:
    """Drop the table's indexes but those behind a primary key or unique constraint a foreign key depends on;
    the statements that make them again, in order, for restore_indexes(). On PostgreSQL the unique constraints
    checked row by row were half the COPY's cost (measured on a million cases and their events: 3.1 s of the
    server's CPU during the COPY against 1.5 s to build them after): they are dropped too, made again as
    unique indexes that the constraints then take over. SQLite cannot drop a table's own UNIQUE or PRIMARY
    KEY."""
    from django.db import connection

    if connection.vendor == "postgresql":
        found = select(
            "SELECT i.indexname, i.indexdef, c.contype, c.condeferrable, c.condeferred FROM pg_indexes i "
            "LEFT JOIN pg_constraint c ON c.conname = i.indexname AND c.conrelid = %s::regclass "
            "WHERE i.tablename = %s AND i.schemaname = current_schema() AND (c.oid IS NULL OR c.contype IN ('u', 'p') "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid))",
            [table, table])
        restore = []
        with _cursor() as cursor:
            for name, sql, contype, deferrable, deferred in found:
                if contype is None:
                    cursor.execute(f'DROP INDEX "{name}"')
                    restore.append(sql)
                    continue
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
                timing = (" DEFERRABLE INITIALLY " + ("DEFERRED" if deferred else "IMMEDIATE")) if deferrable else ""
                restore.append(sql)
                kind = "PRIMARY KEY" if contype == "p" else "UNIQUE"
                restore.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {kind} USING INDEX "{name}"{timing}')
        return restore
    found = select("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                   "AND sql IS NOT NULL", [table])
    with _cursor() as cursor:
        for name, _sql in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in found]


def restore_indexes(ddl: list[str]) -> None:
    """Run drop_indexes()' statements. On PostgreSQL outside a transaction, the index builds share out over two
    connections (two cores: one sort each, measured faster than one build with a parallel worker), each with
    more memory to sort in than the server's default; the constraints take their indexes over after."""
    from django.db import connection

    if not ddl:
        return
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        _pg_build_indexes([s for s in ddl if not s.startswith("ALTER")])
        ddl = [s for s in ddl if s.startswith("ALTER")]
    # Inside a transaction (a test's), PostgreSQL will not build an index on a table with foreign-key checks
    # still deferred: run them now, and defer again after (Django's constraints are INITIALLY DEFERRED).
    pending = connection.vendor == "postgresql" and connection.in_atomic_block
    with _cursor() as cursor:
        if pending:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cache = None
        if connection.vendor == "sqlite":
            # SQLite's sorter fills memory up to the page cache's size before it sorts: runs of SQLite's default
            # 2 MB sort in the processor's caches and merge, one run of our 64 MB does not (measured: the index
            # rebuild of a million cases 16.5 s → 12 s).
            cache = cursor.execute("PRAGMA cache_size").fetchone()[0]
            cursor.execute(f"PRAGMA cache_size={INDEX_SORT_CACHE}")
        try:
            for sql in ddl:
                cursor.execute(sql)
        finally:
            if cache is not None:
                cursor.execute(f"PRAGMA cache_size={cache}")
        if pending:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


INDEX_SORT_CACHE = -2000  # SQLite: KiB
INDEX_BUILDERS = 2
INDEX_MEMORY = "256MB"  # maintenance_work_mem of each builder: a million rows' keys sort in memory


def _pg_build_indexes(statements: list[str]) -> None:
    import threading

    from django.db import connection

    queue = sorted(statements, key=lambda s: -s.count(","))  # the widest (slowest) first, the rest fill in
    lock, failures = threading.Lock(), []

    def build(raw) -> None:
        with raw.cursor() as cursor:
            cursor.execute(f"SET maintenance_work_mem = '{INDEX_MEMORY}'")
            cursor.execute("SET max_parallel_maintenance_workers = 0")
            try:
                while not failures:
                    with lock:
                        if not queue:
                            return
                        sql = queue.pop(0)
                    cursor.execute(sql)
            except Exception as error:  # handed to the caller's thread below
                failures.append(error)
            finally:
                cursor.execute("RESET maintenance_work_mem")
                cursor.execute("RESET max_parallel_maintenance_workers")

    connection.ensure_connection()
    extra = [connection.get_new_connection(connection.get_connection_params())
             for _ in range(INDEX_BUILDERS - 1)]
    try:
        for raw in extra:
            raw.autocommit = True
        threads = [threading.Thread(target=build, args=(raw,)) for raw in extra]
        for thread in threads:
            thread.start()
        with connection.wrap_database_errors:
            build(connection.connection)
            for thread in threads:
                thread.join()
            if failures:
                raise failures[0]
    finally:
        for raw in extra:
            raw.close()


def reset_sequences(models: list) -> None:
    """After rows were written with explicit ids: the next id each table gives is above them."""
    from django.core.management.color import no_style
    from django.db import connection

    with _cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def after_bulk_load() -> None:
    """What autovacuum does soon after a large load on PostgreSQL (statistics, and the visibility map that
    index-only scans need); SQLite's planner statistics (ANALYZE). Outside a transaction."""
    from django.db import connection

    with _cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


# Backup and restore (urbangrid.ops.backup): the vendor's own consistent copy of the whole database, one file.


def snapshot(directory: Path, tables: tuple[str, ...] = ()) -> tuple[Path, dict[str, int]]:
    """Copy the database into `directory` while others keep writing: the file, and the row count of each of
    `tables` as the copy holds them. SQLite: VACUUM INTO reads in one transaction (WAL lets writers go on) and
    writes a compact file, counted afterwards. PostgreSQL: pg_dump (custom format) reads in the snapshot of a
    repeatable-read transaction that counts the rows too."""
    import sqlite3

    from django.db import connection, transaction

    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        target = directory / "database.pgdump"
        with transaction.atomic(), _cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            exported = cursor.fetchone()[0]
            counted = {}
            for table in tables:
                cursor.execute(f"SELECT count(*) FROM {quote(table)}")
                counted[table] = cursor.fetchone()[0]
            _pg("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={exported}",
                f"--file={target}")
        return target, counted
    target = directory / "database.sqlite3"
    with _cursor() as cursor:
        cursor.execute("VACUUM INTO ?", [str(target)])
    with closing(sqlite3.connect(f"file:{target}?mode=ro", uri=True)) as copy:
        counted = {t: copy.execute(f"SELECT count(*) FROM {quote(t)}").fetchone()[0] for t in tables}
    return target, counted


def snapshot_file(directory: Path) -> Path | None:
    """The snapshot in `directory` this database can restore, or None (made by the other vendor, or none)."""
    from django.db import connection

    found = directory / ("database.pgdump" if connection.vendor == "postgresql" else "database.sqlite3")
    return found if found.is_file() else None


def restore(source: Path, progress=None) -> None:
    """Replace the whole database with a snapshot. Nothing else may use the database meanwhile."""
    import sqlite3

    from django.db import connection

    connection.close()
    if connection.vendor == "postgresql":
        _pg("pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
            "--exit-on-error", str(source))
        return
    live_path = connection.settings_dict["NAME"]
    with closing(sqlite3.connect(source)) as snapshot_db, closing(sqlite3.connect(live_path)) as live:
        # The online backup API writes through the live file's own journal: readers never see a half copy.
        step = (lambda status, remaining, total: progress(total - remaining, total)) if progress else None
        snapshot_db.backup(live, pages=1024, progress=step)


def _pg(program: str, *arguments: str) -> None:
    import os
    import subprocess

    from django.db import connection

    found = connection.settings_dict
    flags = [f"--host={found['HOST'] or '127.0.0.1'}", f"--port={found['PORT'] or 5432}"]
    if found["USER"]:
        flags.append(f"--username={found['USER']}")
    env = {**os.environ, **({"PGPASSWORD": found["PASSWORD"]} if found["PASSWORD"] else {})}
    done = subprocess.run([program, *flags, *arguments, f"--dbname={found['NAME']}"], env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise OSError(f"{program}: {done.stderr.strip()}")
