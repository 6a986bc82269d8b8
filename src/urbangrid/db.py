"""The only module that knows which database vendor is in use (ARCHITECTURE.md §9.3 rule 5)."""

from contextlib import closing, contextmanager
from pathlib import Path
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


# Bulk loading (the benchmark generator, urbangrid.demo.history): the fastest path each vendor offers — COPY on
# PostgreSQL, one prepared executemany on SQLite — with the table's plain indexes dropped during the load and
# rebuilt after it, as bulk loaders do (maintaining a B-tree row by row costs more than building it once).


@contextmanager
def bulk_loading():
    """Around a bulk load, outside any transaction. SQLite checks every foreign key and CHECK constraint row by
    row (measured: half the cost of a case row) and syncs each commit; the generator's rows are valid by
    construction (ids it made, values from the enums the CHECKs list), so all three are off while it writes.
    A crash during the load means generating again."""
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
    try:
        yield
    finally:
        with _cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA ignore_check_constraints=OFF")
            cursor.execute("PRAGMA synchronous=NORMAL")


def _postgres_bulk_loading():
    """PostgreSQL checks each row's foreign keys by trigger (measured: most of a COPY's time); a superuser
    session can skip them, as pg_restore does. Any other user loads with the checks on."""
    from django.db import DatabaseError

    with _cursor() as cursor:
        try:
            cursor.execute("SET session_replication_role = replica")
            skipped = True
        except DatabaseError:  # not a superuser: the checks stay
            skipped = False
    try:
        yield
    finally:
        if skipped:
            with _cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")


def bulk_write(table: str, columns: tuple[str, ...], rows) -> None:
    """Append rows (tuples in the order of columns, values as the driver takes them) to table, in the current
    transaction."""
    from django.db import connection

    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with _cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["?"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)


def drop_indexes(table: str) -> list[str]:
    """Drop the table's plain indexes (not those behind a primary key or unique constraint); their DDL, for
    restore_indexes()."""
    from django.db import connection

    if connection.vendor == "postgresql":
        found = select(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)", [table])
    else:
        found = select("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                       "AND sql IS NOT NULL", [table])
    with _cursor() as cursor:
        for name, _sql in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in found]


def restore_indexes(ddl: list[str]) -> None:
    from django.db import connection

    # Inside a transaction (a test's), PostgreSQL will not build an index on a table with foreign-key checks
    # still deferred: run them now, and defer again after (Django's constraints are INITIALLY DEFERRED).
    pending = connection.vendor == "postgresql" and connection.in_atomic_block
    with _cursor() as cursor:
        if pending:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in ddl:
            cursor.execute(sql)
        if pending:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


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
