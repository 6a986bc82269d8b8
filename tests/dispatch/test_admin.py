"""Dispatch rules and class settings in the admin: the pages load, bad rules are refused on their fields."""

import pytest
from django.urls import reverse

from urbangrid.dispatch.models import ClassDispatchSetting, DispatchRule

pytestmark = pytest.mark.django_db
ADD = "admin:dispatch_dispatchrule_add"


def post_rule(client, language="en", **fields):
    data = {"name": "测试规则", "priority": "100", "active": "on", "kind": "any", "class_codes": "", "area_prefix": "",
            "window_start": "", "window_end": "", "urgency": "", "department": "", "district_centre": "",
            "party": "", "note": "", **fields}
    return client.post(reverse(ADD), data, HTTP_ACCEPT_LANGUAGE=language)


def errors(response) -> dict:
    assert response.status_code == 200
    return {field: list(messages) for field, messages in response.context["adminform"].form.errors.items()}


@pytest.mark.parametrize("model", ["dispatchrule", "classdispatchsetting"])
@pytest.mark.parametrize("page", ["changelist", "add"])
def test_the_pages_load(admin_client, town, model, page):
    DispatchRule.objects.create(name="夜间", district_centre=town.centre)
    DispatchRule.objects.create(name="属地", party="territory")
    ClassDispatchSetting.objects.create(klass=town.illegal, auto_dispatch=True)
    assert admin_client.get(reverse(f"admin:dispatch_{model}_{page}")).status_code == 200


def test_the_rule_list_filters_and_searches(admin_client, town):
    DispatchRule.objects.create(name="井盖", class_codes="01001", department=town.water)
    DispatchRule.objects.create(name="属地", party="territory", active=False)
    url = reverse("admin:dispatch_dispatchrule_changelist")
    assert [r.name for r in admin_client.get(url, {"q": "自来水"}).context["cl"].result_list] == ["井盖"]
    assert [r.name for r in admin_client.get(url, {"active__exact": "0"}).context["cl"].result_list] == ["属地"]


def test_a_good_rule_is_saved(admin_client, town):
    response = post_rule(admin_client, class_codes=" 01001，01006 ", area_prefix="41010500100101",
                         department=town.water.pk)
    assert response.status_code == 302
    row = DispatchRule.objects.get()
    assert (row.class_codes, row.area_prefix) == ("01001,01006", "410105001001001")  # legacy grid code widened


def test_a_rule_needs_exactly_one_target(admin_client, town):
    message = "Choose exactly one target: department / district command centre / the case's party."
    assert errors(post_rule(admin_client)) == {field: [message] for field in ("department", "district_centre", "party")}
    both = errors(post_rule(admin_client, department=town.water.pk, party="owner"))
    assert both == {"department": [message], "party": [message]}


def test_codes_are_checked_and_named(admin_client, town):
    found = errors(post_rule(admin_client, class_codes="01001,0100", area_prefix="41010", party="owner"))
    assert found == {
        "class_codes": ["0100: must be 5 characters long, got 4"],
        "area_prefix": ["41010: must have one of these lengths: 6, 9, 12, 14, 15; got 5 characters"],
    }


def test_a_time_window_needs_both_ends_that_differ(admin_client, town):
    assert errors(post_rule(admin_client, window_start="18:00", party="owner")) == {
        "window_end": ["Give both ends of the time window, or neither."]
    }
    assert errors(post_rule(admin_client, window_start="18:00", window_end="18:00", party="owner")) == {
        "window_end": ["The time window must not start and end at the same time."]
    }


def test_only_a_district_command_centre_may_be_one(admin_client, town):
    found = errors(post_rule(admin_client, district_centre=town.water.pk))
    assert found["district_centre"][0].startswith("Select a valid choice.")


def test_auto_dispatch_is_set_per_class(admin_client, town):
    url = reverse("admin:dispatch_classdispatchsetting_add")
    assert admin_client.post(url, {"klass": town.illegal.pk, "auto_dispatch": "on"}).status_code == 302
    assert ClassDispatchSetting.objects.get(klass=town.illegal).auto_dispatch


def test_chinese_users_read_chinese_messages_naming_the_field(admin_client, town):
    found = errors(post_rule(admin_client, language="zh-hans", class_codes="0100", department=town.water.pk,
                             party="owner"))
    message = "请只选择一个派遣对象：专业部门 / 区级指挥中心 / 案件的责任方。"
    assert found == {"class_codes": ["0100：长度必须为 5 位，实际为 4 位"], "department": [message], "party": [message]}
    page = admin_client.get(reverse(ADD), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "增加 派遣规则" in page and "类别代码" in page
