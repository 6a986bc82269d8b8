"""Area files for tests: the small city of tests/factories.py as GeoJSON, Shapefile and CSV, and ways to break them."""

import json
from pathlib import Path

import shapefile
import shapely
from shapely.geometry import box, mapping

from tests.factories import CELL, ORIGIN, square

WEST, NORTH = ORIGIN
WHOLE = box(WEST, NORTH - 2 * CELL, WEST + 2 * CELL, NORTH)
COMMUNITY = "410105001001"


def city_rows() -> list[dict]:
    """District ▸ street ▸ community ▸ 4 grids (001 002 north, 003 004 south), in file order."""
    rows = [
        {"code": "410105", "name": "金水区", "geometry": WHOLE},
        {"code": "410105001", "name": "经八路街道", "geometry": WHOLE},
        {"code": COMMUNITY, "name": "省委社区", "geometry": WHOLE},
    ]
    for n, (col, row) in enumerate([(0, 0), (1, 0), (0, 1), (1, 1)], start=1):
        rows.append({"code": f"{COMMUNITY}{n:03d}", "name": f"第{n}网格", "geometry": square(col, row)})
    return rows


def feature(row: dict) -> dict:
    geometry = row["geometry"]
    if isinstance(geometry, shapely.Geometry):
        geometry = mapping(geometry)
    properties = {k: v for k, v in row.items() if k != "geometry"}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def write_geojson(path: Path, rows: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature(r) for r in rows]}), "utf-8")
    return path


def write_csv(path: Path, rows: list[dict], encoding: str = "utf-8") -> Path:
    lines = ["code,name,wkt"] + [f'{r["code"]},{r["name"]},"{r["geometry"].wkt}"' for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding)
    return path


def write_shapefile(path: Path, rows: list[dict], encoding: str = "utf-8", cpg: str | None = None) -> Path:
    with shapefile.Writer(str(path), shapeType=shapefile.POLYGON, encoding=encoding) as w:
        w.field("code", "C", 15)
        w.field("name", "C", 50)
        for r in rows:
            # Shapefile outer rings run clockwise.
            w.poly([list(shapely.orient_polygons(r["geometry"], exterior_cw=True).exterior.coords)])
            w.record(r["code"], r["name"])
    if cpg:
        path.with_suffix(".cpg").write_text(cpg)
    return path.with_suffix(".shp")


def ring(*points) -> list[list[float]]:
    return [list(p) for p in points]
