"""Drive the workbench's pages as the cast would: open a case file, submit an action form."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.cases.helpers import PNG
from urbangrid.cases.models import Case

PHOTO_INPUT = {"before": "photo_before", "after": "photo_after", "evidence": "photo_evidence"}


def photo(name: str = "p.png", content: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "image/png")


def submit(client, case, action: str, version: int | None = None, photos=(), **fields):
    """POST the action form of the case file, as the browser sends it (strings, files, the version)."""
    case_id = case if isinstance(case, int) else case.pk
    if version is None:
        version = Case.objects.get(pk=case_id).version
    data = {"version": str(version), **{name: str(value) for name, value in fields.items()}}
    for kind in photos:
        data.setdefault(PHOTO_INPUT[kind], []).append(photo())
    return client.post(f"/work/cases/{case_id}/act/{action}/", data)


def state_of(case) -> str:
    return Case.objects.get(pk=case if isinstance(case, int) else case.pk).state
