"""Small charts drawn on the server as SVG geometry (no scripts: the templates draw rects and polylines)."""

from decimal import Decimal

WIDTH, BAR_HEIGHT, GAP, LABEL_WIDTH = 560, 18, 6, 150
TREND_WIDTH, TREND_HEIGHT, PAD = 560, 180, 30


def bars(items: list[tuple[str, Decimal | None]], top: Decimal = Decimal(100)) -> dict:
    """Horizontal bars, largest first: [(label, value)] → geometry for evaluation/_bars.html."""
    shown = sorted(((label, v) for label, v in items if v is not None), key=lambda item: -item[1])[:15]
    span = WIDTH - LABEL_WIDTH - 50
    rows = []
    for i, (label, value) in enumerate(shown):
        y = i * (BAR_HEIGHT + GAP)
        width = 0 if not top else float(value) / float(top) * span
        rows.append({"label": label, "value": value, "y": y, "text_y": y + BAR_HEIGHT - 4,
                     "width": round(max(width, 1), 1), "value_x": round(LABEL_WIDTH + max(width, 1) + 6, 1)})
    return {"rows": rows, "width": WIDTH, "height": max(len(rows) * (BAR_HEIGHT + GAP), BAR_HEIGHT),
            "label_width": LABEL_WIDTH, "bar_height": BAR_HEIGHT}


def trend(labels: list[str], series: dict[str, list[Decimal | None]]) -> dict:
    """Lines of percentages over periods: {name: [value per period]} → polylines for evaluation/_trend.html."""
    n = max(len(labels), 2)
    step = (TREND_WIDTH - 2 * PAD) / (n - 1)
    height = TREND_HEIGHT - 2 * PAD

    def point(i: int, value: Decimal) -> tuple[float, float]:
        return round(PAD + i * step, 1), round(PAD + height - float(value) / 100 * height, 1)

    lines = []
    for index, (name, values) in enumerate(series.items()):
        points = [point(i, v) for i, v in enumerate(values) if v is not None]
        lines.append({"name": name, "points": " ".join(f"{x},{y}" for x, y in points),
                      "dots": [{"x": x, "y": y} for x, y in points], "css": f"series{index}"})
    ticks = [{"x": round(PAD + i * step, 1), "label": label} for i, label in enumerate(labels)]
    grid = [{"y": round(PAD + height - p / 100 * height, 1), "label": p} for p in (0, 50, 100)]
    return {"lines": lines, "ticks": ticks, "grid": grid, "width": TREND_WIDTH, "height": TREND_HEIGHT,
            "left": PAD, "right": TREND_WIDTH - PAD, "base": TREND_HEIGHT - PAD + 16}
