"""The forms of the actions a user may take on a case, built from what cases.queries says they need.

A form carries the case version it was drawn for (optimistic concurrency). After a failed submission it is
drawn again with everything typed, the photos already uploaded and the error next to its field.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from urbangrid.core.workflow import Action
from urbangrid.workbench import choices

A = Action
TEXT_INPUTS = (
    "reason", "note", "class_code", "condition", "department_id", "district", "decision", "duration",
    "duration_unit", "duplicate_of", "payer", "amount", "return_reason",
)
PHOTO_INPUTS = {"photo_before": "before", "photo_after": "after", "photo_evidence": "evidence"}
DANGER = frozenset({A.REJECT, A.VOID, A.REFUTE, A.REWORK, A.DENY_RETURN, A.DENY_EXTENSION, A.DENY_PARK})
OPTIONAL_REASON = frozenset({A.DISPATCH, A.FORWARD})  # needed only to override the suggestion
# The step of the loop a post is there to take comes first and open; requests and side flows fold away.
MAIN = frozenset({
    A.ACCEPT, A.SEND_VERIFICATION, A.VERIFY, A.OPEN, A.DISPATCH, A.TAKE, A.FEEDBACK, A.SEND_CHECK, A.PASS_CHECK,
    A.CLOSE, A.APPROVE_RETURN, A.APPROVE_EXTENSION, A.APPROVE_PARK, A.RESTORE, A.DECIDE,
})
LABELS = {
    "reason": _("Reason"),
    "note": _("What was done"),
    "class_code": _("Class"),
    "condition": _("Filing condition (sets the handling limit)"),
    "non_routine": _("Non-routine problem: handle first, settle the cost later"),
    "department_id": _("Department"),
    "district": _("District command centre"),
    "decision": _("Binding decision"),
    "duration": _("Extension"),
    "duration_unit": _("Unit"),
    "duplicate_of": _("Duplicate of case (number)"),
    "payer": _("Paid by"),
    "amount": _("Amount (yuan)"),
    "return_reason": _("Why return it"),
    "photo_before": _("Photos before handling"),
    "photo_after": _("Photos after handling"),
    "photo_evidence": _("On-site photos"),
}
OVERRIDE_HELP = _("Needed only when you choose another target than the suggested one.")


@dataclass
class Input:
    name: str
    widget: str  # text, textarea, select, number, checkbox, file
    required: bool = True
    value: str = ""
    choices: list = field(default_factory=list)
    groups: list = field(default_factory=list)  # (group label, choices) for a select with optgroups
    error: str = ""
    help: str = ""

    @property
    def label(self):
        return LABELS[self.name]


@dataclass
class ActionForm:
    action: str
    label: str
    inputs: list[Input]
    danger: bool = False
    main: bool = False
    error: str = ""
    stale: bool = False
    kept: list[int] = field(default_factory=list)  # photos uploaded by an earlier, failed submission

    @property
    def multipart(self) -> bool:
        return any(i.widget == "file" for i in self.inputs)

    @property
    def open(self) -> bool:
        return bool(self.error or self.stale or any(i.error for i in self.inputs))


@dataclass
class Failure:
    """A submission that did not go through: what was typed, and what was wrong with it."""

    action: str
    typed: dict
    errors: dict = field(default_factory=dict)  # input name → message
    message: str = ""
    stale: bool = False
    kept: list[int] = field(default_factory=list)


def typed(post) -> dict:
    found = {name: post.get(name, "").strip() for name in TEXT_INPUTS if post.get(name, "").strip()}
    if post.get("non_routine"):
        found["non_routine"] = "on"
    return found


def build(case: dict, failure: Failure | None = None) -> list[ActionForm]:
    forms = [_form(case, offered, failure if failure and failure.action == offered["action"] else None)
             for offered in case["actions"]]
    return sorted(forms, key=lambda form: (not form.main, form.danger))  # stable: table order within each


def _form(case: dict, offered: dict, failure: Failure | None) -> ActionForm:
    action = Action(offered["action"])
    inputs = [i for need in offered["needs"] for i in NEEDS[need](case, action)]
    if action in OPTIONAL_REASON:
        inputs.append(Input("reason", "textarea", required=False, help=str(OVERRIDE_HELP)))
    if action == A.REQUEST_RETURN:
        inputs.insert(0, Input("return_reason", "select", value="not_ours", choices=choices.RETURN_REASONS))
    inputs.sort(key=lambda item: item.widget == "file")  # what was done first, then its photos
    form = ActionForm(str(action), offered["label"], inputs, danger=action in DANGER, main=action in MAIN)
    if failure is not None:
        _refill(form, failure)
    return form


def _refill(form: ActionForm, failure: Failure) -> None:
    form.error, form.stale, form.kept = failure.message, failure.stale, failure.kept
    errors, files = dict(failure.errors), [i for i in form.inputs if i.widget == "file"]
    for alias in ("attachments", "file"):  # cases.inputs names the photos as a whole
        if alias in errors and files:
            errors.setdefault(files[0].name, errors.pop(alias))
    for item in form.inputs:
        if item.widget != "file":
            item.value = failure.typed.get(item.name, "")
        if item.name == "condition":
            code = failure.typed.get("class_code", "")
            item.choices = choices.conditions(code) if code else []
        item.error = errors.pop(item.name, "")
    form.error = " ".join(filter(None, [form.error, *errors.values()]))


def _reason(case, action):
    return [Input("reason", "textarea")]


def _note(case, action):
    return [Input("note", "textarea")]


def _photos(case, action):
    if action == A.FEEDBACK:
        return [Input("photo_before", "file"), Input("photo_after", "file")]
    return [Input("photo_evidence", "file")]


def _classification(case, action):
    code = case["class_code"] or ""
    seq = str(case["condition"]["seq"]) if case["condition"] else ""
    return [
        Input("class_code", "select", value=code, groups=choices.classes(case["kind"])),
        Input("condition", "select", value=seq, choices=choices.conditions(code) if code else []),
        Input("non_routine", "checkbox", required=False, value="on" if case["non_routine"] else ""),
    ]


def _department(case, action):
    suggestion = case.get("suggestion") or {}
    suggested = (suggestion.get("organisation") or {}).get("id") if suggestion.get("action") == "dispatch" else None
    if action == A.DECIDE and case["department"]:
        suggested = case["department"]["id"]
    offered = choices.departments(case["grid_code"], law_enforcement=action == A.REFER)
    value = str(suggested) if suggested and action != A.REFER else ""
    help_text = _suggested(suggestion) if action == A.DISPATCH else ""
    return [Input("department_id", "select", value=value, choices=offered, help=help_text)]


def _suggested(suggestion: dict) -> str:
    if not suggestion.get("organisation"):
        return suggestion.get("explanation", "")
    text = _("Suggested: {name} ({why})")
    return str(text).format(name=suggestion["organisation"]["name"], why=suggestion["explanation"])


def _district(case, action):
    suggestion = case.get("suggestion") or {}
    help_text = _suggested(suggestion) if suggestion.get("action") == "forward" else ""
    return [Input("district", "select", value=case["grid_code"][:6], choices=choices.districts(), help=help_text)]


def _decision(case, action):
    return [Input("decision", "textarea")]


def _duration(case, action):
    asked = _asked_extension(case) if action == A.APPROVE_EXTENSION else {}
    unit = asked.get("unit") or (case["limit"] or {}).get("unit") or "work_days"
    return [
        Input("duration", "number", value=str(asked.get("value", ""))),
        Input("duration_unit", "select", value=unit, choices=choices.UNITS),
    ]


def _asked_extension(case) -> dict:
    requests = [e for e in case["timeline"] if e["action"] == A.REQUEST_EXTENSION]
    return requests[-1]["data"].get("duration", {}) if requests else {}


def _duplicate(case, action):
    original = case.get("probable_duplicate")
    return [Input("duplicate_of", "text", value=original["number"] if original else "")]


def _cost(case, action):
    return [Input("payer", "text"), Input("amount", "number")]


NEEDS = {
    "reason": _reason, "note": _note, "attachments": _photos, "class_code": _classification,
    "department_id": _department, "district": _district, "decision": _decision, "duration": _duration,
    "duplicate_of": _duplicate, "amount": _cost,
}
