"""Every action form of the case file, submitted through the real view, moves the case; errors keep the input."""

import pytest

from tests.cases.builders import HOTLINE_STATES, make_case, path
from tests.cases.helpers import Api, ok
from tests.workbench.helpers import state_of, submit
from urbangrid.cases.models import Case
from urbangrid.core.workflow import State
from urbangrid.dispatch.models import DispatchRule

pytestmark = pytest.mark.django_db
S = State
REACHED = [state for state in S if state not in (S.REPORTED, S.SELF_REPORTED)]


@pytest.mark.parametrize("target", REACHED)
def test_each_step_of_the_loop_goes_through_the_case_file_forms(browse, cast, target):
    previous, steps = path(cast)[target]
    source = "hotline" if target in HOTLINE_STATES or previous in HOTLINE_STATES else "collector"
    case = make_case(cast, previous, source=source)
    for who, action, inputs in steps:
        client = browse(getattr(cast, who))
        page = client.get(f"/work/cases/{case.pk}/").content.decode()
        assert f'action="/work/cases/{case.pk}/act/{action}/"' in page, (who, action)
        inputs = dict(inputs)
        response = submit(client, case, action, photos=inputs.pop("photos", []), **inputs)
        assert response.status_code == 302, response.content.decode()[-3000:]
    assert state_of(case) == target


def test_the_case_file_offers_only_the_actions_of_this_user(browse, cast):
    case = make_case(cast, S.REPORTED)
    wang = browse(cast.wang).get(f"/work/cases/{case.pk}/").content.decode()
    assert all(f"/act/{a}/" in wang for a in ("accept", "reject", "mark_duplicate"))
    zhao = browse(cast.zhao).get(f"/work/cases/{case.pk}/").content.decode()
    assert "/act/" not in zhao and "此案卷当前没有您可办理的操作" in zhao


def test_a_missing_filing_condition_is_shown_next_to_its_field_and_the_class_is_kept(browse, cast):
    case = make_case(cast, S.ACCEPTED)
    response = submit(browse(cast.zhao), case, "open", class_code="06001")
    page = response.content.decode()
    assert response.status_code == 422
    assert 'id="open-condition-error"' in page and 'aria-describedby="open-condition-error"' in page
    assert '<option value="06001" selected>' in page
    assert "正在搭建的违法建设" in page  # the conditions of the class typed, with their limits
    assert state_of(case) == S.ACCEPTED


def test_a_reason_left_out_is_asked_for_next_to_the_field(browse, cast):
    case = make_case(cast, S.REPORTED)
    response = submit(browse(cast.wang), case, "reject")
    assert response.status_code == 422 and 'id="reject-reason-error"' in response.content.decode()
    assert state_of(case) == S.REPORTED


def test_an_unknown_department_is_refused_next_to_the_department(browse, cast):
    case = make_case(cast, S.OPEN)
    response = submit(browse(cast.sun), case, "dispatch", department_id=cast.command.pk, reason="试一试")
    page = response.content.decode()
    assert response.status_code == 422 and 'id="dispatch-department_id-error"' in page
    assert "试一试</textarea>" in page


def test_a_stale_form_says_the_case_changed_and_keeps_what_was_typed(browse, cast):
    case = make_case(cast, S.HANDLING)
    seen = case.version
    zhou, sun = Api(cast.zhou), Api(cast.sun)
    ok(zhou.act(case, "request_extension", reason="等材料", duration=1, duration_unit="work_days"))
    ok(sun.act(case, "deny_extension", reason="时限充足"))  # back in handling, two versions on
    response = submit(browse(cast.zhou), case, "feedback", version=seen, note="已拆除违章棚子")
    page = response.content.decode()
    assert response.status_code == 409
    assert "案卷已被他人修改，请刷新" in page and "已拆除违章棚子</textarea>" in page
    assert f'name="version" value="{case.version + 2}"' in page  # the form is now drawn for the new version
    assert state_of(case) == S.HANDLING


def test_a_stale_form_for_an_action_gone_shows_the_text_typed(browse, cast):
    case = make_case(cast, S.REPORTED)
    ok(Api(cast.wang).act(case, "accept"))
    response = submit(browse(cast.wang), case, "reject", version=1, reason="不属于城管范围的投诉")
    page = response.content.decode()
    assert response.status_code == 409
    assert "案卷已被他人修改，请刷新" in page and "不属于城管范围的投诉" in page
    assert state_of(case) == S.ACCEPTED


def test_photos_uploaded_with_a_failed_feedback_are_kept_for_the_retry(browse, cast):
    case = make_case(cast, S.HANDLING)
    client = browse(cast.zhou)
    response = submit(client, case, "feedback", photos=["before"], note="已拆除")
    page = response.content.decode()
    assert response.status_code == 422 and 'id="feedback-photo_before-error"' in page
    kept = Case.objects.get(pk=case.pk).attachments.get()
    assert f'name="attachments" value="{kept.pk}"' in page and "已拆除</textarea>" in page
    retry = submit(client, case, "feedback", photos=["after"], note="已拆除", attachments=kept.pk)
    assert retry.status_code == 302 and state_of(case) == S.FED_BACK
    assert sorted(Case.objects.get(pk=case.pk).attachments.values_list("kind", flat=True)) == ["after", "before"]


def test_a_file_that_is_no_image_is_refused_next_to_its_input(browse, cast):
    from tests.workbench.helpers import photo

    case = make_case(cast, S.CHECKING)
    data = {"version": str(case.version), "photo_evidence": photo("x.png", b"not an image at all")}
    response = browse(cast.li).post(f"/work/cases/{case.pk}/act/pass_check/", data)
    assert response.status_code == 422 and 'id="pass_check-photo_evidence-error"' in response.content.decode()


def test_dispatch_preselects_the_suggested_department_and_shows_the_rule(browse, cast):
    rule = DispatchRule.objects.create(name="违法建设归市政局", class_codes="06001", department=cast.shizheng)
    case = make_case(cast, S.OPEN)
    page = browse(cast.sun).get(f"/work/cases/{case.pk}/").content.decode()
    assert f'<option value="{cast.shizheng.pk}" selected>金水区市政局</option>' in page
    assert f"建议：金水区市政局（符合派遣规则 违法建设归市政局 (#{rule.pk})）" in page
    assert submit(browse(cast.sun), case, "dispatch", department_id=cast.shizheng.pk).status_code == 302
    assert state_of(case) == S.DISPATCHED


def test_opening_shows_the_handling_limit_of_each_condition(browse, cast):
    case = make_case(cast, S.ACCEPTED)
    page = browse(cast.zhao).get("/work/conditions/?class_code=06001").content.decode()
    assert "1. 正在搭建的违法建设 · 4 工作时" in page
    assert f'/work/cases/{case.pk}/act/open/' in browse(cast.zhao).get(f"/work/cases/{case.pk}/").content.decode()
