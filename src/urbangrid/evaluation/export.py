"""The period's report as an XLSX workbook: a sheet per table, headings frozen, rates as percentages."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from urbangrid.core import evaluation as core
from urbangrid.evaluation import report
from urbangrid.evaluation.columns import COUNT_COLUMNS, POST_COLUMNS, RATE_COLUMNS
from urbangrid.evaluation.labels import DIMENSION_LABELS, term
from urbangrid.evaluation.models import RuleSet

HEAD_FILL = PatternFill("solid", fgColor="0B6E4F")
HEAD_FONT = Font(bold=True, color="FFFFFF")
THIN = Side(style="thin", color="D9E0E6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TABLES = ("district", "street", "department", "class", "source")


def workbook(period: core.Period, ruleset: RuleSet) -> bytes:
    book = Workbook()
    book.remove(book.active)
    title = _("{first} to {last}, scoring rules v{version}").format(
        first=period.first.isoformat(), last=period.last.isoformat(), version=ruleset.version)
    for name in TABLES:
        rows = report.table(period, name, ruleset)
        head = [DIMENSION_LABELS[name], _("Rank"), _("Grade"), _("Composite score"),
                *(term(n) for n in COUNT_COLUMNS), *(term(n) for n in RATE_COLUMNS)]
        body = [[r.label, r.rank, r.grade, _number(r.score), *(r.counts[n] for n in COUNT_COLUMNS),
                 *(_share(r.rates[n]) for n in RATE_COLUMNS)]
                for r in sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.key))]
        _sheet(book, str(DIMENSION_LABELS[name]), title, head, body, percent_from=4 + len(COUNT_COLUMNS))
    posts = report.post_table(period, ruleset)
    for post, (counts, rates) in POST_COLUMNS.items():
        mine = [r for r in posts if r.extra["post"] == post]
        if not mine:
            continue
        head = [_("Name"), _("Rank"), _("Grade"), _("Composite score"), *(term(n, True) for n in counts),
                *(term(n, True) for n in rates)]
        body = [[r.label, r.rank, r.grade, _number(r.score), *(r.counts[n] for n in counts),
                 *(_share(r.rates[n]) for n in rates)]
                for r in sorted(mine, key=lambda r: (r.rank is None, r.rank or 0, r.label))]
        _sheet(book, mine[0].extra["post_label"], title, head, body, percent_from=4 + len(counts))
    definitions = [[d.term, _(d.label), _(d.text)] for d in
                   (*core.FACT_COUNTS, *core.QUERY_TIME, *core.POST_COUNTS, *core.POST_QUERY_TIME)]
    _sheet(book, _("Definitions"), title, [_("Term"), _("Name"), _("Definition")], definitions, widths=[14, 24, 100])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def maintenance_workbook(period: core.Period, rows) -> bytes:
    """The maintenance funding basis: a sheet of units (components by condition, problems found, handled),
    a sheet of each unit's components by class and condition."""
    from urbangrid.components.models import STATUS_LABELS
    from urbangrid.evaluation import maintenance

    book = Workbook()
    book.remove(book.active)
    title = _("{first} to {last}").format(first=period.first.isoformat(), last=period.last.isoformat())
    statuses = [str(STATUS_LABELS[s]) for s in maintenance.STATUSES]
    head = [_("Maintenance unit"), _("Components"), *statuses, _("Problems found"), _("Handled"),
            _("Handled on time"), _("On-time handling rate")]
    body = [[r.label, r.components, *(r.by_status[s] for s in maintenance.STATUSES),
             *(r.counts[n] for n in maintenance.COUNTED), _share(r.on_time_rate)] for r in rows]
    _sheet(book, _("Maintenance units"), title, head, body, percent_from=len(head) - 1, score_column=None)
    classes = maintenance.class_labels(rows)
    body = [[r.label, classes.get(k, str(k)), sum(v.values()), *(v[s] for s in maintenance.STATUSES)]
            for r in rows for k, v in sorted(r.by_class.items(), key=lambda kv: classes.get(kv[0], ""))]
    _sheet(book, _("Components by class"), title, [_("Maintenance unit"), _("Class"), _("Components"), *statuses],
           body, widths=[24, 26])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(book, name: str, title: str, head: list, body: list, percent_from: int | None = None, widths=None,
           score_column: int | None = 4):
    sheet = book.create_sheet(name[:31])
    sheet.append([f"{name} · {title}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([str(h) for h in head])
    for cell in sheet[2]:
        cell.fill, cell.font, cell.border = HEAD_FILL, HEAD_FONT, BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for row in body:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.border = BORDER
            if percent_from is not None and cell.column > percent_from:
                cell.number_format = "0.00%"
            elif cell.column == score_column and percent_from is not None:
                cell.number_format = "0.00"
    sheet.freeze_panes = "B3"
    sheet.row_dimensions[2].height = 36
    for index in range(1, len(head) + 1):
        width = (widths or [])[index - 1] if widths and index <= len(widths) else (22 if index == 1 else 10)
        sheet.column_dimensions[get_column_letter(index)].width = width


def _number(value):
    return None if value is None else float(value)


def _share(value):
    return None if value is None else float(value) / 100
