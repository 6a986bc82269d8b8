import time
import uuid

from django.core import signing

from tests.cases.helpers import GRID1
from urbangrid.citizens.forms import SALT

PHONE = "13712345678"


def started(seconds_ago: int = 10) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(int(time.time()) - seconds_ago))


def report_form(**changes) -> dict:
    form = {
        "problem": "manhole", "description": "小区门口井盖丢了，晚上很危险", "lon": GRID1[0], "lat": GRID1[1],
        "address": "经八路12号", "phone": PHONE, "website": "", "started": started(), "key": uuid.uuid4().hex,
    }
    form.update(changes)
    return {name: value for name, value in form.items() if value is not None}
