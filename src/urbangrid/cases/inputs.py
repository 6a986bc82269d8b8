"""The inputs of an action: which of the move's needs were given, and their values checked and resolved.

The API sends one body for every action; inputs a move does not use are ignored. Presence is checked first
(workflow.require: "open needs: classification"), then each value (an unknown class, a department that is
not one). Every error names the input field it is about.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_noop

from urbangrid.accounts.models import Organisation, User
from urbangrid.cases.errors import InvalidInput
from urbangrid.cases.models import Attachment, Case
from urbangrid.catalog.models import CatalogClass, FilingCondition
from urbangrid.core import codes, workflow
from urbangrid.core.deadlines import TimeLimit
from urbangrid.core.limits import LimitUnit
from urbangrid.core.posts import Post
from urbangrid.core.workflow import Action, Move, Need, ReturnReason
from urbangrid.dispatch import directory

HANDLING_KINDS = frozenset({"department", "street_office", "community_office"})
MAX_TEXT = 2000
MAX_EXTENSION = {"urgent_hours": 720, "work_hours": 720, "work_days": 90, "calendar_days": 180}
PRESENT = {
    Need.REASON: lambda i: bool(_text(i.get("reason"))),
    Need.NOTE: lambda i: bool(_text(i.get("note"))),
    Need.PHOTOS: lambda i: bool(i.get("attachments")),
    Need.CLASSIFICATION: lambda i: bool(i.get("class_code")) and i.get("condition") not in (None, ""),
    Need.DEPARTMENT: lambda i: i.get("department_id") is not None,
    Need.DISTRICT: lambda i: bool(_text(i.get("district"))),
    Need.DECISION: lambda i: bool(_text(i.get("decision"))),
    Need.DURATION: lambda i: i.get("duration") is not None,
    Need.CASE: lambda i: i.get("duplicate_of") is not None,
    Need.COST: lambda i: bool(_text(i.get("payer"))) and i.get("amount") is not None,
}
FIELDS = {
    Need.REASON: "reason", Need.NOTE: "note", Need.PHOTOS: "attachments", Need.CLASSIFICATION: "class_code",
    Need.DEPARTMENT: "department_id", Need.DISTRICT: "district", Need.DECISION: "decision",
    Need.DURATION: "duration", Need.CASE: "duplicate_of", Need.COST: "amount",
}


@dataclass
class Cleaned:
    reason: str = ""
    note: str = ""
    klass: CatalogClass | None = None
    condition: FilingCondition | None = None
    non_routine: bool | None = None
    department: Organisation | None = None
    district_centre: Organisation | None = None
    decision: str = ""
    duration: TimeLimit | None = None
    duplicate: Case | None = None
    payer: str = ""
    amount: Decimal | None = None
    return_reason: str = ReturnReason.OTHER.value
    attachments: list[Attachment] = field(default_factory=list)


def require(move: Move, inputs: dict) -> None:
    given = {need for need, present in PRESENT.items() if present(inputs)}
    try:
        workflow.require(move, given)
    except workflow.WorkflowError as error:
        missing = sorted(move.needs - given)[0]
        raise InvalidInput(error.message, _field(missing, inputs), **error.params) from error


def clean(case: Case, move: Move, actor: User, inputs: dict) -> Cleaned:
    cleaned = Cleaned(reason=_limited(inputs, "reason"), note=_limited(inputs, "note"))
    cleaned.attachments = _attachments(case, actor, inputs.get("attachments") or [])
    for need in move.needs:
        CLEANERS.get(need, _nothing)(cleaned, case, move, inputs)
    if move.action == Action.REQUEST_RETURN:
        reason = inputs.get("return_reason") or ReturnReason.OTHER
        cleaned.return_reason = _choice(reason, ReturnReason, "return_reason")
    if move.action == Action.OPEN and inputs.get("non_routine") is not None:
        cleaned.non_routine = bool(inputs["non_routine"])
    if move.action == Action.FEEDBACK:
        _before_and_after(cleaned.attachments)
    return cleaned


def _classification(cleaned: Cleaned, case: Case, move: Move, inputs: dict) -> None:
    code = codes.parse_class_code(inputs["class_code"], "class_code")
    cleaned.klass = CatalogClass.objects.filter(kind=case.kind, code=code, active=True).first()
    if cleaned.klass is None:
        message = gettext_noop("No active {kind} class {code} in the catalogue.")
        raise InvalidInput(message, "class_code", kind=case.kind, code=code)
    # Components are filed under the matter of the same code ("X异常"), which holds the 立案条件.
    conditions = FilingCondition.objects.filter(matter__kind="matter", matter__code=code)
    cleaned.condition = conditions.filter(seq=_integer(inputs["condition"], "condition")).first()
    if cleaned.condition is None:
        choices = ", ".join(str(seq) for seq in conditions.values_list("seq", flat=True)) or "—"
        message = gettext_noop("Class {code} has no filing condition {seq}; it has: {choices}.")
        raise InvalidInput(message, "condition", code=code, seq=inputs["condition"], choices=choices)


def _department(cleaned: Cleaned, case: Case, move: Move, inputs: dict) -> None:
    kinds = {"law_enforcement"} if move.action == Action.REFER else HANDLING_KINDS
    found = Organisation.objects.filter(pk=_integer(inputs["department_id"], "department_id"), active=True).first()
    if found is None or found.kind not in kinds:
        message = (
            gettext_noop("Organisation {id} is not an active law-enforcement body.")
            if move.action == Action.REFER
            else gettext_noop("Organisation {id} is not an active department that handles cases.")
        )
        raise InvalidInput(message, "department_id", id=inputs["department_id"])
    if move.posts == {Post.DISTRICT_OPERATOR} and move.action != Action.REFER and not _serves(found, case):
        # Art. 23: a district decides within its area; city departments and other areas are the city's to task.
        message = gettext_noop(
            "{name} does not serve the place of this case: a district command centre dispatches only to units "
            "whose area covers it. Return the case to the city command centre for any other."
        )
        raise InvalidInput(message, "department_id", name=found.name)
    cleaned.department = found


def _serves(organisation: Organisation, case: Case) -> bool:
    unit = directory.get().units.get(organisation.pk)
    return unit is not None and unit.closeness(case.grid_code) > 0  # 0: city-wide, -1: elsewhere


def _district(cleaned: Cleaned, case: Case, move: Move, inputs: dict) -> None:
    code = _text(inputs["district"])
    if not case.grid_code.startswith(code) or len(code) != 6:
        raise InvalidInput(gettext_noop("The case does not lie in district {code}."), "district", code=code)
    centres = Organisation.objects.filter(kind="district_command_centre", area__code=code, active=True)
    cleaned.district_centre = centres.first()
    if cleaned.district_centre is None:
        raise InvalidInput(gettext_noop("District {code} has no active command centre."), "district", code=code)


def _decision(cleaned: Cleaned, case: Case, move: Move, inputs: dict) -> None:
    cleaned.decision = _limited(inputs, "decision")


def _duration(cleaned: Cleaned, case: Case, move: Move, inputs: dict) -> None:
    unit = _choice(inputs.get("duration_unit") or case.limit_unit or LimitUnit.WORK_DAYS, LimitUnit, "duration_unit")
    value = _decimal(inputs["duration"], "duration")
    if not 0 < value <= MAX_EXTENSION[unit]:
        message = gettext_noop("An extension must be more than 0 and at most {max} {unit}.")
        raise InvalidInput(message, "duration", max=MAX_EXTENSION[unit], unit=unit)
    cleaned.duration = TimeLimit(value, unit)


def _duplicate(cleaned: Cleaned, case: Case, move: Move, inputs: dict) -> None:
    original = Case.objects.filter(pk=_integer(inputs["duplicate_of"], "duplicate_of")).first()
    while original is not None and original.duplicate_of_id:  # merge into the case the others were merged into
        original = original.duplicate_of
    if original is None or original.pk == case.pk or original.state in workflow.TERMINAL:
        message = gettext_noop("Case {id} is not an open case this report could be merged into.")
        raise InvalidInput(message, "duplicate_of", id=inputs["duplicate_of"])
    cleaned.duplicate = original


def _cost(cleaned: Cleaned, case: Case, move: Move, inputs: dict) -> None:
    cleaned.payer = _limited(inputs, "payer", 100)
    cleaned.amount = _decimal(inputs["amount"], "amount")
    if not 0 < cleaned.amount < Decimal("1e10") or cleaned.amount.as_tuple().exponent < -2:
        message = gettext_noop("The amount must be a positive number of yuan with at most two decimals.")
        raise InvalidInput(message, "amount")


def _nothing(*args) -> None:
    pass


CLEANERS = {
    Need.CLASSIFICATION: _classification, Need.DEPARTMENT: _department, Need.DISTRICT: _district,
    Need.DECISION: _decision, Need.DURATION: _duration, Need.CASE: _duplicate, Need.COST: _cost,
}


def _attachments(case: Case, actor: User, ids: list) -> list[Attachment]:
    wanted = {_integer(value, "attachments") for value in ids}
    found = list(Attachment.objects.filter(pk__in=wanted, case=case, event=None, uploaded_by=actor))
    if len(found) != len(wanted):
        unknown = ", ".join(str(i) for i in sorted(wanted - {a.pk for a in found}))
        message = gettext_noop("Attachments {ids} are not unused uploads of yours to this case.")
        raise InvalidInput(message, "attachments", ids=unknown)
    return found


def _before_and_after(attachments: list[Attachment]) -> None:
    kinds = {attachment.kind for attachment in attachments}
    if not {"before", "after"} <= kinds:
        raise InvalidInput(gettext_noop("Reporting back needs photos from before and after handling."), "attachments")


def _field(need: Need, inputs: dict) -> str:
    if need == Need.CLASSIFICATION and inputs.get("class_code"):
        return "condition"
    if need == Need.COST and not _text(inputs.get("payer")):
        return "payer"
    return FIELDS[need]


def _text(value) -> str:
    return str(value).strip() if value is not None else ""


def _limited(inputs: dict, name: str, limit: int = MAX_TEXT) -> str:
    value = _text(inputs.get(name))
    if len(value) > limit:
        raise InvalidInput(gettext_noop("At most {limit} characters."), name, limit=limit)
    return value


def _integer(value, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(gettext_noop("Not a whole number: {value}."), name, value=value) from None


def _decimal(value, name: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(gettext_noop("Not a number: {value}."), name, value=value) from None
    if not number.is_finite():
        raise InvalidInput(gettext_noop("Not a number: {value}."), name, value=value)
    return number


def _choice(value, enum, name: str) -> str:
    try:
        return enum(str(value)).value
    except ValueError:
        choices = ", ".join(member.value for member in enum)
        message = gettext_noop("{value} is not one of: {choices}.")
        raise InvalidInput(message, name, value=value, choices=choices) from None
