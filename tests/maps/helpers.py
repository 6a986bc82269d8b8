"""A few components in the small city of tests.factories, for the map's tests (also the end-to-end one).

Grids: 001 north-west, 002 north-east, 003 south-west, 004 south-east of 113.660–113.662 E, 34.768–34.770 N.
Components: three 供水井盖 (01001) in 001, two 污水井盖 (01002) in 002, one 供水井盖 in 004 and a removed one
there, which the map must leave out.
"""

import datetime as dt

from tests.factories import OrganisationFactory, component_class
from urbangrid.components.models import Component

GRID_CENTRES = {
    "001": (113.6605, 34.7695),
    "002": (113.6615, 34.7695),
    "003": (113.6605, 34.7685),
    "004": (113.6615, 34.7685),
}
PLACED = [  # (sequence, class, grid, status)
    (1, "01001", "001", "intact"),
    (2, "01001", "001", "damaged"),
    (3, "01001", "001", "intact"),
    (4, "01002", "002", "intact"),
    (5, "01002", "002", "intact"),
    (6, "01001", "004", "intact"),
    (7, "01001", "004", "removed"),
]


def make_components() -> list[Component]:
    classes = {"01001": component_class("01001", "供水井盖"), "01002": component_class("01002", "污水井盖")}
    water = OrganisationFactory(name="郑州市供水公司")
    made = []
    for seq, class_code, grid, status in PLACED:
        lon, lat = GRID_CENTRES[grid]
        made.append(Component.objects.create(
            identifier=f"410105{class_code}{seq:06d}", name=f"井盖{seq}", klass=classes[class_code],
            competent_department=water, grid_code=f"410105001001{grid}", status=status,
            initial_date=dt.date(2024, 1, 1), lon=lon + seq * 1e-5, lat=lat,
        ))
    return made
