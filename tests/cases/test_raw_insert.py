"""db.insert writes what Model.save() writes, value for value, on SQLite and PostgreSQL."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from tests.cases.builders import make_case
from urbangrid import db
from urbangrid.cases.models import Case, CaseEvent
from urbangrid.core.workflow import State


def row(model, pk) -> dict:
    values = model.objects.filter(pk=pk).values().get()
    values.pop("id")
    return values


@pytest.mark.django_db
def test_a_case_inserted_raw_reads_back_as_the_orm_wrote_it(cast):
    base = make_case(cast, State.HANDLING)
    at = dt.datetime(2026, 11, 30, 9, 15, 30, 123456, tzinfo=dt.UTC)
    fields = {
        "state": "handling", "state_since": at, "source": "hotline", "kind": "matter", "urgency": "urgent",
        "description": "井盖破损，有人摔倒", "address": "经八路1号", "lon": 113.6801234, "lat": 34.7723456,
        "grid_code": base.grid_code, "klass": base.klass, "reporter": cast.li, "reporter_name": "张三",
        "reporter_phone": "13800000000", "self_handled": False, "non_routine": True, "limit_value": Decimal("2.5"),
        "limit_unit": "work_days", "due_at": at + dt.timedelta(days=2), "step_due_at": None, "reported_at": at,
        "pauses": [["2026-11-30T10:00:00+08:00", "2026-11-30T11:00:00+08:00"]], "extensions": [["1", "work_days"]],
        "department": base.department, "version": 7, "returns": 2,
    }
    by_orm, by_insert = Case(number="X1", **fields), Case(number="X2", **fields)
    by_orm.save()
    db.insert(by_insert)
    assert by_insert.pk and by_insert.pk != by_orm.pk and not by_insert._state.adding
    orm_row, insert_row = row(Case, by_orm.pk), row(Case, by_insert.pk)
    assert (orm_row.pop("number"), insert_row.pop("number")) == ("X1", "X2")
    assert orm_row.pop("created_at") <= insert_row.pop("created_at")  # auto_now_add set on both
    assert insert_row == orm_row


@pytest.mark.django_db
def test_an_event_inserted_raw_reads_back_as_the_orm_wrote_it(cast):
    case = make_case(cast, State.ACCEPTED)
    at = dt.datetime(2026, 11, 30, 1, 2, 3, tzinfo=dt.UTC)
    common = {
        "case": case, "at": at, "action": "open", "source": "accepted", "target": "open", "actor": cast.li,
        "post": "shift_leader", "organisation": cast.supervision, "reason": "理由", "due_before": None,
        "due_after": at, "data": {"rule": "3", "list": [1, 2], "名字": "值"},
    }
    by_orm, by_insert = CaseEvent(seq=100, **common), CaseEvent(seq=101, **common)
    by_orm.save()
    db.insert(by_insert)
    orm_row, insert_row = row(CaseEvent, by_orm.pk), row(CaseEvent, by_insert.pk)
    assert (orm_row.pop("seq"), insert_row.pop("seq")) == (100, 101)
    assert insert_row == orm_row


# Transactional tests flush the database after; serialized_rollback restores the migrated data.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_duplicate_key_raises_djangos_integrity_error(cast):
    case = make_case(cast, State.ACCEPTED)
    twin = Case(number=case.number, state="reported", description="x", lon=1.0, lat=1.0, grid_code=case.grid_code)
    with pytest.raises(IntegrityError), transaction.atomic():
        db.insert(twin)
    assert Case.objects.filter(number=case.number).count() == 1
