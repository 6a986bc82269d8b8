"""The mixes of generated case history (pure constants, importable before Django is set up: the benchmarks'
parent processes read them).

Ours [I], informed by STANDARDS.md §3.6 and §4.5: collectors find most problems (egova's 监督员 sources 1–10
against 热线 11 and the rest), a third of the cases concern components (部件), the matters (事件) follow a Zipf
law led by the classes a city sees most; 95 % of a three-year history is closed, rejected or voided.
"""

# Where a case of the history ends: most closed; the open ones over every other state of the workflow.
TERMINAL_STATES = (("closed", 0.89), ("rejected", 0.09), ("voided", 0.02))
OPEN_STATES = (
    ("dispatched", 0.16), ("handling", 0.24), ("return_requested", 0.02), ("extension_requested", 0.03),
    ("park_requested", 0.02), ("parked", 0.05), ("referred", 0.02),
    ("reported", 0.08), ("accepted", 0.04), ("verifying", 0.05), ("verified", 0.02), ("open", 0.06),
    ("at_district", 0.03), ("fed_back", 0.06), ("checking", 0.05), ("checked", 0.02), ("self_accepted", 0.01),
    ("district_coordination", 0.02), ("city_coordination", 0.02),
)
SOURCES = (("collector", 0.70), ("hotline", 0.17), ("public", 0.08), ("system", 0.04), ("other", 0.01))
COMPONENT_SHARE = 0.3  # 部件 cases; the rest are 事件 (matters)
# The matters a city sees most (乱堆物堆料, 店外经营, 机动车乱停放 …), then the catalogue in code order.
LEADING_MATTERS = ("05007", "05004", "05005", "01001", "01006", "05006", "01002", "02005", "04006", "03003")
URGENT_SHARE = 0.03
DESCRIPTIONS = ("路边堆放建筑垃圾", "人行道占道经营", "井盖破损", "绿化带缺株", "违规张贴小广告", "路灯不亮", "积水",
                "机动车乱停放", "垃圾未及时清运", "店外经营")
