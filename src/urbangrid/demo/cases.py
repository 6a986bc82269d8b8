"""The demo city's cases: a few thousand, in every state of the workflow, made by driving cases.actions.

Nothing here writes a case or an event: each case is reported by the demo collector (or taken on the
12319 hotline) and walked by the demo cast through the same actions an operator's click runs, so its
events, deadlines and counters are real. The case clock is wound back while seeding so that the cases
spread over the last DAYS days and the open ones show every light (green, yellow, overdue).

Idempotent: each report carries an idempotency key (demo-<n>); a case found again is left as it is.
"""

import random
from collections.abc import Callable
from datetime import datetime, timedelta

import shapely
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from urbangrid.accounts.models import Appointment, CollectorProfile, Organisation, User
from urbangrid.cases import actions, clock, routing
from urbangrid.cases.models import Case
from urbangrid.catalog.models import FilingCondition
from urbangrid.core.dispatch import TargetKind
from urbangrid.core.workflow import State
from urbangrid.demo import cast
from urbangrid.demo.areas import Scope, StageResult
from urbangrid.demo.images import tiny_png
from urbangrid.demo.people import territorial_department
from urbangrid.dispatch.suggesting import target_organisation

S = State
SEED = 2026
DAYS = 20
CASES, SMALL_CASES = 2000, 60  # 2,000 walked cases take ≈ 2.5 min on 2 cores (≈ 13 cases/s)
# Where the seeded cases end, by weight: most are closed, the rest spread over every open state.
ENDINGS = {
    S.CLOSED: 40, S.HANDLING: 10, S.DISPATCHED: 6, S.FED_BACK: 4, S.CHECKING: 4, S.CHECKED: 2, S.OPEN: 4,
    S.ACCEPTED: 3, S.REPORTED: 4, S.VERIFYING: 2, S.VERIFIED: 2, S.REJECTED: 4, S.VOIDED: 2, S.PARKED: 2,
    S.EXTENSION_REQUESTED: 2, S.PARK_REQUESTED: 1, S.RETURN_REQUESTED: 2, S.REFERRED: 2, S.AT_DISTRICT: 2,
    S.SELF_ACCEPTED: 1, S.SELF_REPORTED: 1,
}
COMMON_CLASSES = ("06001", "06002", "07004", "03001", "03002", "06013", "01001", "01006", "04001", "09001")
DESCRIPTIONS = ("路边有人正在搭建棚子", "井盖破损，存在安全隐患", "垃圾堆放未及时清运", "广告牌字体不规范",
                "路灯不亮", "绿地被占用堆放杂物", "道路破损积水", "违规张贴小广告")
HANDLER_PREFIX = "chuzhi."


class Seeder:
    def __init__(self, count: int):
        self.rng = random.Random(SEED)
        self.count = count
        self.people = {username: User.objects.get(username=username) for username, *_ in cast.PEOPLE}
        self.collector = self.people["li.jiandu"]
        grids = CollectorProfile.objects.get(user=self.collector).grids.order_by("code")
        self.grids = [shapely.from_wkb(bytes(g.geometry)) for g in grids]
        conditions = FilingCondition.objects.filter(matter__kind="matter", matter__active=True)
        self.conditions = list(conditions.select_related("matter").order_by("matter__code", "seq"))
        self.common = [c for c in self.conditions if c.matter.code in COMMON_CLASSES] or self.conditions
        self.password = make_password(cast.DEMO_PASSWORD)
        self.until = timezone.now() - timedelta(minutes=1)
        self.at: datetime = self.until
        self.recent = False

    def run(self, progress: Callable[[int], None]) -> StageResult:
        result = StageResult()
        start = timezone.now() - timedelta(days=DAYS)
        real_now = clock.now
        clock.now = lambda: self.at  # the demo winds the case clock; restored below whatever happens
        try:
            for n in range(self.count):
                self.at = start + timedelta(seconds=n * DAYS * 86400 / self.count + self.rng.randrange(600))
                created = self.one(n)
                result.created += created
                result.existing += not created
                progress(1)
        finally:
            clock.now = real_now
        return result

    def one(self, n: int) -> bool:
        # One generator per case: whether case n is walked (first run) or found (later runs), case n+1
        # makes the same choices, so a second run asks for the very same reports.
        self.rng = random.Random(SEED * 1_000_003 + n)
        ending = self.rng.choices(list(ENDINGS), weights=list(ENDINGS.values()))[0]
        self.recent = ending not in FINISHED
        if self.recent:  # open cases are from the last hours, so their lights show every colour
            self.at = self.until - timedelta(hours=self.rng.uniform(0.5, 30))
        hotline = ending in (S.VERIFYING, S.VERIFIED) or (ending not in SELF and self.rng.random() < 0.25)
        condition = self.rng.choice(self.common if self.rng.random() < 0.7 else self.conditions)
        lon, lat = self.point()
        case, created = actions.report(
            self.people["wang.shouli"] if hotline else self.collector, idempotency_key=f"demo-{n}",
            source="hotline" if hotline else "collector", kind="matter", class_code=condition.matter.code,
            description=self.rng.choice(DESCRIPTIONS), lon=lon, lat=lat,
            self_handled=ending in SELF, reporter_phone=f"138{self.rng.randrange(10**8):08d}" if hotline else "",
        )
        if created:
            Walk(self, case, condition).to(ending)
        return created

    def point(self) -> tuple[float, float]:
        grid = self.rng.choice(self.grids)
        west, south, east, north = grid.bounds
        while True:
            lon, lat = self.rng.uniform(west, east), self.rng.uniform(south, north)
            if grid.contains(shapely.Point(lon, lat)):
                return lon, lat

    def handler_of(self, organisation: Organisation) -> User:
        """The department's demo handler (made on first need; the same password as the cast)."""
        found = User.objects.filter(appointments__organisation=organisation, appointments__post="department_handler")
        if user := found.first():
            return user
        user = User.objects.create(
            username=f"{HANDLER_PREFIX}{organisation.pk}", password=self.password,
            display_name=f"{organisation.short_name or organisation.name}处置员"[:50],
        )
        Appointment.objects.create(user=user, post="department_handler", organisation=organisation)
        return user


SELF = (S.SELF_ACCEPTED, S.SELF_REPORTED)
FINISHED = (S.CLOSED, S.REJECTED, S.VOIDED)


class Walk:
    """Moves one case, step by step, towards its ending; the clock advances between steps."""

    def __init__(self, seeder: Seeder, case: Case, condition: FilingCondition):
        self.s, self.case, self.condition = seeder, case, condition
        self.people = seeder.people

    def to(self, ending: State) -> None:
        if ending in SELF:
            self.photos("before", "after")
            if ending == S.SELF_ACCEPTED:
                self.act("wang.shouli", "accept")
            return
        if ending == S.REPORTED:
            return
        if ending == S.REJECTED:
            return self.act("wang.shouli", "reject", reason="不属于城市管理范围")
        self.act("wang.shouli", "accept")
        if self.case.source != "collector":
            self.act("wang.shouli", "send_verification")
            if ending == S.VERIFYING:
                return
            self.act("li.jiandu", "verify", attachments=self.photos("evidence"))
        if ending in (S.ACCEPTED, S.VERIFIED):
            return
        self.act("zhao.zhiban", "open", class_code=self.condition.matter.code, condition=self.condition.seq)
        if ending == S.OPEN or self.case.state != S.OPEN:  # auto-dispatched classes have moved on already
            return
        if ending == S.VOIDED:
            return self.act("zhao.zhiban", "void", reason="重复立案")
        if ending == S.AT_DISTRICT:
            return self.act("sun.paiqian", "forward", district=self.case.grid_code[:6], reason="由区级指挥中心派遣")
        if ending == S.REFERRED:
            law = Organisation.objects.get(name=cast.LAW_ENFORCEMENT)
            return self.act("sun.paiqian", "refer", department_id=law.pk, reason="涉嫌违法，移交执法")
        self.dispatch()
        self.handle(ending)

    def dispatch(self) -> None:
        found = routing.suggestion(self.case, clock.now())
        if found is not None and found.target.kind == TargetKind.DEPARTMENT:
            self.department = target_organisation(found.target)
        else:  # no rule and no party: the district's 城市管理局, chosen by the dispatcher
            self.department = territorial_department(self.case.grid_code[:6])
        self.act("sun.paiqian", "dispatch", department_id=self.department.pk, reason="按职责派遣")

    def handle(self, ending: State) -> None:
        handler = self.s.handler_of(self.department).username
        if ending == S.RETURN_REQUESTED:
            return self.act(handler, "request_return", reason="非本单位职责", return_reason="not_ours")
        if ending == S.DISPATCHED:
            return
        self.act(handler, "take")
        if ending == S.EXTENSION_REQUESTED:
            return self.act(handler, "request_extension", reason="需要协调施工", duration=2, duration_unit="work_days")
        if ending in (S.PARK_REQUESTED, S.PARKED):
            self.act(handler, "request_park", reason="需要专项资金")
            return self.act("sun.paiqian", "approve_park") if ending == S.PARKED else None
        if ending == S.HANDLING:
            return
        self.act(handler, "feedback", note="已处理完毕", attachments=self.photos("before", "after", by=handler))
        if ending == S.FED_BACK:
            return
        self.act("wang.shouli", "send_check")
        if ending == S.CHECKING:
            return
        if self.s.rng.random() < 0.1:  # 核查 fails now and then: 返工, then it passes
            self.act("li.jiandu", "rework", reason="现场仍未处理", attachments=self.photos("evidence"))
            self.act(handler, "take")
            self.act(handler, "feedback", note="已返工处理", attachments=self.photos("before", "after", by=handler))
            self.act("wang.shouli", "send_check")
        self.act("li.jiandu", "pass_check", attachments=self.photos("evidence"))
        if ending == S.CLOSED:
            self.act("zhao.zhiban", "close")

    def act(self, username: str, action: str, **inputs) -> None:
        gap = timedelta(minutes=self.s.rng.randrange(2, 40) if self.s.recent else self.s.rng.randrange(5, 240))
        self.s.at = min(self.s.at + gap, self.s.until)
        user = self.people.get(username) or User.objects.get(username=username)
        self.case = actions.act(self.case.pk, user, action, self.case.version, **inputs)

    def photos(self, *kinds: str, by: str = "li.jiandu") -> list[int]:
        uploader = self.people.get(by) or User.objects.get(username=by)
        return [
            actions.add_attachment(
                self.case.pk, uploader, SimpleUploadedFile(f"{kind}.png", tiny_png(kind), "image/png"), kind
            ).pk
            for kind in kinds
        ]


def seed_cases(scope: Scope, progress: bool) -> StageResult:
    from tqdm import tqdm

    count = SMALL_CASES if scope.streets_per_district else CASES
    seeder = Seeder(count)
    with tqdm(total=count, disable=not progress, unit="case", leave=False) as bar:
        return seeder.run(bar.update)
