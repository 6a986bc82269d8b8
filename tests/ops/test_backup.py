"""`urbangrid backup` while cases keep arriving, then `urbangrid restore` after the data changed: the cases and
events of the snapshot come back (counts as recorded, the audit chain intact) and so do the photos, byte for
byte. On whichever database the suite runs (.ci/run runs it on SQLite and on PostgreSQL)."""

import hashlib
import io
import threading

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from tests.cases.builders import make_case, photo, reported
from urbangrid.cases import auditing
from urbangrid.cases.models import Case, CaseEvent
from urbangrid.core.workflow import State
from urbangrid.ops import backup

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def media_files() -> dict[str, str]:
    root = settings.MEDIA_ROOT
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file()}


def counts() -> dict:
    return {"cases": Case.objects.count(), "events": CaseEvent.objects.count()}


class Reporter(threading.Thread):
    """Keeps reporting cases (each in one transaction with its event) until stopped: the running server."""

    def __init__(self, cast):
        super().__init__(daemon=True)
        self.cast, self.stop, self.made, self.error = cast, threading.Event(), 0, None

    def run(self):
        try:
            while not self.stop.is_set():
                reported(self.cast, description=f"备份期间的上报 {self.made}")
                self.made += 1
        except Exception as error:  # handed to the test, which fails on it
            self.error = error
        finally:
            connection.close()


def test_a_backup_taken_while_reports_arrive_restores_cases_events_and_photos(cast, tmp_path):
    for state in (State.OPEN, State.DISPATCHED, State.HANDLING):
        photo(make_case(cast, state), cast.li)
    make_case(cast, State.CLOSED)  # with the photos of its 核实, 反馈 and 核查
    target = tmp_path / "backup"
    writer = Reporter(cast)
    writer.start()
    try:
        out = io.StringIO()
        call_command("backup", str(target), stdout=out)
    finally:
        writer.stop.set()
        writer.join(60)
    assert writer.error is None and writer.made > 0, writer.error
    manifest = backup.read(target)
    photos = media_files()
    assert manifest["media"] and {name: sha for name, (_, sha) in manifest["media"].items()} == photos
    recorded = manifest["counts"]
    assert f"{recorded['cases']} " in out.getvalue()

    # Life goes on after the backup: more cases, a photo lost, another overwritten.
    make_case(cast, State.OPEN)
    lost, spoiled = sorted(photos)[:2]
    (settings.MEDIA_ROOT / lost).unlink()
    (settings.MEDIA_ROOT / spoiled).write_bytes(b"not the photo")
    assert counts() != recorded

    call_command("restore", str(target), "--yes", stdout=io.StringIO())
    assert counts() == recorded
    assert list(auditing.breaks()) == []  # every event of every case in the snapshot, chained as before
    assert all(case.events.exists() for case in Case.objects.all())  # no case without its report event
    assert {name: sha for name, sha in media_files().items() if name in photos} == photos


@translation.override("en")
def test_backup_wants_a_new_directory_and_restore_a_finished_backup(cast, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "something").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "full"), stdout=io.StringIO())
    (tmp_path / "unfinished").mkdir()
    with pytest.raises(CommandError, match=r"manifest\.json"):
        call_command("restore", str(tmp_path / "unfinished"), "--yes", stdout=io.StringIO())
    call_command("backup", str(tmp_path / "fine"), stdout=io.StringIO())
    make_case(cast, State.OPEN)
    before = counts()
    with pytest.raises(CommandError, match="--yes"):  # not on a terminal and not told: nothing replaced
        call_command("restore", str(tmp_path / "fine"), stdout=io.StringIO())
    assert counts() == before
