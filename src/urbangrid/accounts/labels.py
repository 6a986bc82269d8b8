from django.utils.translation import gettext_lazy as _

from urbangrid.core.posts import Post

ORG_KIND_LABELS = {
    "supervision_centre": _("City supervision centre"),
    "command_centre": _("City command centre"),
    "district_command_centre": _("District command centre"),
    "street_office": _("Street office"),
    "community_office": _("Community committee"),
    "department": _("Professional department"),
    "law_enforcement": _("Law-enforcement body"),
    "collection_company": _("Information collection company"),
}
POST_LABELS = {
    Post.COLLECTOR: _("Collector"),
    Post.INTAKE_OPERATOR: _("Intake operator"),
    Post.SHIFT_LEADER: _("Shift leader"),
    Post.DISPATCHER: _("Dispatcher"),
    Post.DEPARTMENT_HANDLER: _("Department handler"),
    Post.DISTRICT_OPERATOR: _("District command operator"),
    Post.LEADER: _("Leader / evaluator"),
    Post.SYSTEM_ADMIN: _("System administrator"),
    Post.REPORTING_SYSTEM: _("Reporting system"),
}
