"""The short list of problems a citizen picks from, in plain words, each filed under one catalogue class.

The catalogue's 400 classes are for the centre; a citizen chooses among a dozen and the 受理员 corrects the
class when accepting. "Something else" files no class.
"""

from django.utils.translation import gettext_lazy as _

PROBLEMS = {  # key → (label, kind, GB/T 47678.5 class code or None)
    "manhole": (_("Manhole cover broken or missing"), "matter", "01023"),  # 不明井盖异常
    "streetlight": (_("Street light out or damaged"), "matter", "01037"),  # 路灯异常
    "rubbish": (_("Rubbish left lying"), "matter", "06010"),  # 暴露垃圾
    "road": (_("Road or pavement damaged"), "matter", "06013"),  # 道路破损
    "adverts": (_("Illegal small adverts"), "matter", "07001"),  # 非法小广告
    "stalls": (_("Street stalls blocking the way"), "matter", "09006"),  # 占道经营
    "building": (_("Illegal building"), "matter", "06001"),  # 私搭乱建
    "noise": (_("Noise nuisance"), "matter", "06028"),  # 噪声扰民
    "greenery": (_("Trees or green space damaged"), "matter", "04013"),  # 绿地异常
    "other": (_("Something else"), "matter", None),
}
CHOICES = [(key, label) for key, (label, _kind, _code) in PROBLEMS.items()]


def report_fields(key: str) -> dict:
    _label, kind, code = PROBLEMS[key]
    return {"kind": kind, "class_code": code}
