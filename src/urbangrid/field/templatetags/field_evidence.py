"""{% photo_evidence case_id %}: what each photo of a case claims (EXIF time and place), for the case file."""

from django import template
from django.utils.translation import gettext as _

from urbangrid.cases import photos
from urbangrid.cases.models import Attachment, Case

register = template.Library()


@register.inclusion_tag("field/_evidence.html")
def photo_evidence(case_id: int) -> dict:
    # Rendered inside a case file whose view already passed cases.access; the case is read for its point only.
    case = Case.objects.only("lon", "lat").get(pk=case_id)
    rows = []
    for photo in Attachment.objects.filter(case_id=case_id).order_by("id"):
        found = photos.evidence(photo, case)
        found["warnings"] = [_(w).format(distance=found["distance_m"], hours=found["hours_apart"])
                             for w in found["warnings"]]
        rows.append({"photo": photo, **found})
    return {"case_id": case_id, "rows": rows, "any_claims": any(r["taken_at"] or r["lon"] is not None for r in rows)}
