"""Walking the audit chain of every case (or some), for `urbangrid audit verify`."""

from collections.abc import Iterator

from urbangrid.cases import chain
from urbangrid.cases.models import Case, CaseEvent

BATCH = 1000  # cases per read; their events come in one query


def breaks(numbers: list[str] | None = None, progress=None) -> Iterator[chain.Break]:
    """Every break in the chains of the cases named (all cases when None), in case order."""
    cases = Case.objects.order_by("pk").values_list("pk", "number", "version", "event_chain")
    if numbers:
        cases = cases.filter(number__in=numbers)
    last = 0
    while batch := list(cases.filter(pk__gt=last)[:BATCH]):
        events: dict[int, list[CaseEvent]] = {pk: [] for pk, *_rest in batch}
        for event in CaseEvent.objects.filter(case_id__in=events).order_by("case_id", "seq"):
            events[event.case_id].append(event)
        for pk, number, version, head in batch:
            yield from chain.verify(number, version, head, events[pk])
        if progress is not None:
            progress.update(len(batch))
        last = batch[-1][0]


def count(numbers: list[str] | None = None) -> int:
    cases = Case.objects.all()
    return cases.filter(number__in=numbers).count() if numbers else cases.count()
