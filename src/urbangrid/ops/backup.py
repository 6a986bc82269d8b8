"""`urbangrid backup DIR` and `urbangrid restore DIR`: the database and the case photos, together.

A backup is a directory: the database snapshot (db.snapshot: one consistent read while the server keeps
running), `media/` (a copy of MEDIA_ROOT) and `manifest.json` (when, which database, the counts of cases and
events, every media file's size and SHA-256), written last, so a directory without it is an unfinished backup.
The snapshot is taken before the files are copied: a photo is on disk before its row commits, so every photo the
snapshot names is there when the copy starts (photos that arrive later are copied too, and are harmless).
The keys (SECRET_KEY, AUDIT_KEY) are not in it: keep them apart (docs/production.md §4). The restored case
history verifies (`urbangrid audit verify`) only with the same audit key.
"""

import hashlib
import json
import shutil
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from urbangrid import db
from urbangrid.cases.models import Case, CaseEvent

MANIFEST = "manifest.json"
MEDIA = "media"
FORMAT = 1


class BackupError(Exception):
    """A backup that cannot be made or restored; the message is translated."""


def make(target: Path, progress: bool | None = None) -> dict:
    """Write a backup into `target` (new or empty); its manifest."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(_("{path} exists and is not empty: give a new directory.").format(path=target))
    target.mkdir(parents=True, exist_ok=True)
    taken_at = timezone.now()
    snapshot, counted = db.snapshot(target, tuple(TABLES.values()))
    files = _copy_tree(Path(settings.MEDIA_ROOT), target / MEDIA, _("Copying photos"), progress)
    manifest = {
        "format": FORMAT, "taken_at": taken_at.isoformat(), "database": db.vendor(), "snapshot": snapshot.name,
        "counts": {name: counted[table] for name, table in TABLES.items()}, "media": files,
    }
    partial = target / (MANIFEST + ".part")
    partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
    partial.rename(target / MANIFEST)
    return manifest


def restore(source: Path, progress: bool | None = None) -> dict:
    """Replace the database and put back the photos of a backup; the manifest, with what was found after."""
    manifest = read(source)
    snapshot = db.snapshot_file(source)
    if snapshot is None:
        message = _("{path} holds a {vendor} backup; this installation uses {ours}.")
        raise BackupError(message.format(path=source, vendor=manifest["database"], ours=db.vendor()))
    with tqdm(total=1, desc=_("Restoring the database"), unit=_("pages"), disable=_off(progress)) as bar:
        def moved(done: int, total: int) -> None:
            bar.total, bar.n = total, done
            bar.refresh()

        db.restore(snapshot, moved)
    _copy_tree(source / MEDIA, Path(settings.MEDIA_ROOT), _("Restoring photos"), progress)
    restored = {"counts": counts(), "media": _hashes(Path(settings.MEDIA_ROOT), manifest["media"])}
    if restored["counts"] != manifest["counts"]:
        raise BackupError(_("The restored database holds {found}, the backup recorded {wanted}.").format(
            found=restored["counts"], wanted=manifest["counts"]))
    if restored["media"] != manifest["media"]:
        raise BackupError(_("Some restored photos differ from the backup's."))
    return manifest


def read(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError):
        raise BackupError(_("{path} is not a finished backup: it has no readable {manifest}.").format(
            path=source, manifest=MANIFEST)) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(_("{path} is a backup in a format this version does not read.").format(path=source))
    return manifest


def counts() -> dict:
    return {"cases": Case.objects.count(), "events": CaseEvent.objects.count()}


TABLES = {"cases": Case._meta.db_table, "events": CaseEvent._meta.db_table}


def _copy_tree(source: Path, target: Path, desc: str, progress: bool | None) -> dict:
    """Copy every file under source into target (same relative paths); relative path → [size, SHA-256]."""
    files = sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else []
    found = {}
    for path in tqdm(files, desc=desc, unit=_("files"), disable=_off(progress)):
        relative = path.relative_to(source).as_posix()
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
        found[relative] = [destination.stat().st_size, _sha256(destination)]
    return found


def _hashes(root: Path, wanted: dict) -> dict:
    return {name: [(root / name).stat().st_size, _sha256(root / name)] if (root / name).is_file() else None
            for name in wanted}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _off(progress: bool | None) -> bool | None:
    return None if progress is None else not progress  # None: a bar on a terminal only (tqdm's rule)
