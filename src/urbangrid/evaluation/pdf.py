"""The printed bulletin (PDF, A4) of a published bulletin, rendered on the server with WeasyPrint.

Chinese needs a CJK font installed on the server (fonts-wqy-microhei, as .ci/run installs); WeasyPrint needs
Pango (libpango-1.0-0, libpangoft2-1.0-0). The charts are the same server-side SVG as the report pages.
"""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from urbangrid.evaluation import breakdown, charts
from urbangrid.evaluation.columns import BULLETIN_COLUMNS, RATE_COLUMNS
from urbangrid.evaluation.labels import DIMENSION_LABELS, term
from urbangrid.evaluation.models import Bulletin


def tables(bulletin: Bulletin) -> list[dict]:
    from urbangrid.evaluation.bulletins import PUBLISHED_TABLES

    found = []
    for name in PUBLISHED_TABLES:
        rows = sorted(bulletin.content["tables"].get(name, []),
                      key=lambda r: (r["rank"] is None, r["rank"] or 0, r["key"]))
        found.append({
            "label": DIMENSION_LABELS[name],
            "rows": [{"label": r["label"], "score": r["score"], "grade": r["grade"], "rank": r["rank"],
                      "counts": [r["counts"].get(n) for n in BULLETIN_COLUMNS],
                      "rates": [r["rates"].get(n) for n in RATE_COLUMNS]} for r in rows],
            "chart": charts.bars([(r["label"], None if r["score"] is None else _decimal(r["score"])) for r in rows]),
        })
    return found


def render(bulletin: Bulletin, period_label: str, compressed: bool = True) -> bytes:
    from weasyprint import CSS, HTML

    classes = bulletin.content.get("classes")  # bulletins made before the breakdown have none
    html = render_to_string("evaluation/bulletin_print.html", {
        "bulletin": bulletin, "tables": tables(bulletin), "period_label": period_label,
        "classes": classes, "classes_chart": breakdown.chart(classes) if classes else None,
        "headings": [term(n) for n in BULLETIN_COLUMNS], "rate_headings": [term(n) for n in RATE_COLUMNS],
        "title": _("Evaluation bulletin"),
    })
    stylesheet = CSS(filename=finders.find("evaluation/print.css"))
    return HTML(string=html).write_pdf(stylesheets=[stylesheet], uncompressed_pdf=not compressed)


def _decimal(value: str):
    from decimal import Decimal

    return Decimal(value)
