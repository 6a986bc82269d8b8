from django.utils.translation import gettext_lazy as _

ANY = "any"
RULE_KIND_LABELS = {ANY: _("Components and matters"), "component": _("Component"), "matter": _("Matter")}


def choices(labels: dict) -> list[tuple[str, str]]:
    return [(str(key), label) for key, label in labels.items()]
