"""Labels of the case app's codes, translated in the Django layer (the core keeps English msgids only)."""

from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from urbangrid.core import workflow

SOURCE_LABELS = {
    "collector": _("Collector"),  # 监督员上报
    "hotline": _("12319 hotline"),  # 热线
    "public": _("Public report"),  # 公众举报
    "system": _("System (video, sensors)"),  # 视频/智能发现
    "other": _("Other"),
}
KIND_LABELS = {"component": _("Component"), "matter": _("Matter")}
ATTACHMENT_KIND_LABELS = {
    "before": _("Before handling"),  # 处置前
    "after": _("After handling"),  # 处置后
    "evidence": _("On-site photo"),  # 现场照片
}
NEED_LABELS = {  # what a move needs (core.workflow.Need), as the person asked for it reads it
    "reason": _("a reason"),
    "note": _("a note of what was done"),
    "photos": _("photos"),
    "classification": _("the class and filing condition"),
    "department": _("the department"),
    "district": _("the district"),
    "decision": _("the decision"),
    "duration": _("the duration"),
    "case": _("the case it duplicates"),
    "cost": _("the payer and the amount"),
}
REPORT = "report"  # the action of an intake event; not a move of the workflow table
STATE_MSGIDS = workflow.STATE_LABELS
ACTION_MSGIDS = {REPORT: gettext_noop("Report"), **workflow.ACTION_LABELS}


def state_label(state: str) -> str:
    return gettext(STATE_MSGIDS[workflow.State(state)])


def action_label(action: str) -> str:
    return gettext(ACTION_MSGIDS[action if action == REPORT else workflow.Action(action)])
