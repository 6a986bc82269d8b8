"""Generate the catalogue's local defaults from keyword rules.

    python tools/make_filing_conditions.py [--check]

Writes src/urbangrid/catalog/data/filing-conditions.csv (立案条件: 1–3 per matter class) and class-defaults.csv
(first responsible party and search keywords per class). With --check it only reports whether the files are
up to date. The values are modelled on published city 立结案标准 tables (STANDARDS.md §4.3: 运城 园林井盖, the
unnamed city's event table, Taiyuan street lights); they are NOT part of GB/T 47678.5 and each city edits them.

A component matter (classes 01–05, "X异常") is matched on its component's name, an event matter (06–10) on its
own name. The first rule whose keyword occurs in the name wins, so specific rules come before general ones
(路灯井盖 is a 井盖, 路灯配电箱 a box, 牌匾标识 an advertisement, not a sign). Parties follow the dispatch
principle (STANDARDS.md §3.8): components go to the owner side first, events to the territory, except the
events that are plainly a professional department's (permits, advertising, traffic, fire, water).
"""

import argparse
import csv
import io
import sys
from dataclasses import dataclass, replace
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src" / "urbangrid" / "catalog" / "data"
CATALOG, LEGACY = DATA / "gbt47678-5-2026-catalog.csv", DATA / "legacy-codes.csv"
CONDITIONS, DEFAULTS = DATA / "filing-conditions.csv", DATA / "class-defaults.csv"
CONDITION_COLUMNS = [
    "matter_code", "seq", "description", "limit_value", "limit_unit", "closing_condition", "urgency",
    "responsible_party", "legal_basis",
]
DEFAULT_COLUMNS = ["kind", "code", "default_party", "keywords"]

UH, WH, WD, CD = "urgent_hours", "work_hours", "work_days", "calendar_days"
N, U = "normal", "urgent"
COMPETENT, OWNER, MAINTAINER, TERRITORY = "competent", "owner", "maintainer", "territory"

ROADS = "《城市道路管理条例》"
CITYSCAPE = "《城市市容和环境卫生管理条例》"
GREEN = "《城市绿化条例》"
AIR = "《中华人民共和国大气污染防治法》"
NOISE = "《中华人民共和国噪声污染防治法》"
TRAFFIC = "《中华人民共和国道路交通安全法》"
PLANNING = "《中华人民共和国城乡规划法》"
ACCESS = "《中华人民共和国无障碍环境建设法》"
UNLICENSED = "《无证无照经营查处办法》"


@dataclass(frozen=True)
class Rule:
    """Conditions are (description, limit value, unit, closing condition, urgency); {x} is the class's name."""

    keywords: tuple[str, ...]
    party: str
    conditions: tuple[tuple, ...]
    legal: str = ""
    tags: str = ""  # search keywords added to the class


def rule(keywords: str, party: str, *conditions: tuple, legal: str = "", tags: str = "") -> Rule:
    return Rule(tuple(keywords.split()), party, conditions, legal, tags)


HAZARD = ("{x}缺失、倾倒或存在其他安全隐患", 2, UH, "隐患消除，{x}恢复完好", U)
BROKEN = ("{x}破损或功能异常", 5, WD, "{x}修复或更换，功能正常", N)
SOILED = ("{x}污损、乱贴乱画或不洁", 2, WD, "{x}清洁完好", N)

COMPONENT_RULES = [
    rule("井盖 箅子 盖板", MAINTAINER,
         ("{x}缺失、移位或破裂，存在安全隐患", 2, UH, "{x}恢复完好、安装平稳", U),
         ("{x}破损（破损面积大于25平方厘米）", 4, WH, "{x}修复或更换完好", N),
         ("{x}松动，车辆碾压有响声", 2, WD, "{x}安装平稳、碾压无响声", N),
         legal=ROADS, tags="井盖 窨井 检查井"),
    rule("指示牌 标识牌 标示牌 标志 公示牌 名牌 号)牌", MAINTAINER,
         ("{x}倾斜、松动或脱落，存在安全隐患", 2, UH, "{x}加固或更换，隐患消除", U),
         ("{x}缺失、破损或字迹不清", 5, WD, "{x}补齐或修复、字迹清晰", N),
         ("{x}污损或被遮挡", 2, WD, "{x}清洁、无遮挡", N), tags="指示牌"),
    rule("信号灯 信号设施", MAINTAINER,
         ("{x}不亮、故障或倒伏", 2, UH, "{x}恢复正常工作", U),
         ("{x}灯具破损或被遮挡", 1, WD, "{x}修复、视线无遮挡", N),
         legal=TRAFFIC, tags="红绿灯"),
    rule("燃气", OWNER,
         ("{x}泄漏或破损，存在安全隐患", 1, UH, "泄漏排除，{x}恢复完好", U),
         ("{x}锈蚀、警示标识缺失或被圈占", 5, WD, "{x}防腐、标识齐全、无圈占", N),
         legal="《城镇燃气管理条例》", tags="煤气 天然气"),
    rule("管道", OWNER,
         ("{x}破裂、泄漏", 2, UH, "{x}修复、无泄漏", U),
         ("{x}保温层、支架破损或锈蚀", 5, WD, "{x}保温层、支架修复完好", N)),
    rule("配电箱 变压器 交接箱 电力设施 基站", OWNER,
         ("{x}箱门缺失或未关闭、线路裸露，存在触电隐患", 2, UH, "箱门关闭、线路规整，隐患消除", U),
         ("{x}破损、倾斜", 3, WD, "{x}修复或更换完好", N),
         SOILED),
    rule("路灯 地灯 景观灯", MAINTAINER,
         ("{x}倾斜、灯具脱落或线路裸露，存在安全隐患", 2, UH, "隐患消除，{x}恢复完好", U),
         ("{x}不亮（连续3盏及以上）或白天长亮", 1, WD, "{x}恢复正常亮灭", N),
         ("{x}灯具、灯杆破损或污损", 5, WD, "{x}修复或清洁完好", N),
         tags="灯不亮 亮化"),
    rule("电梯", OWNER,
         ("{x}困人或存在其他安全隐患", 1, UH, "人员解困，隐患消除", U),
         ("{x}停运、故障", 1, WD, "{x}恢复运行", N),
         legal="《中华人民共和国特种设备安全法》"),
    rule("消防", COMPETENT,
         ("{x}损坏、漏水或缺失", 4, UH, "{x}修复完好、无漏水", U),
         ("{x}被圈占、遮挡或埋压", 1, WD, "圈占、遮挡清除，{x}可正常使用", N),
         legal="《中华人民共和国消防法》", tags="消火栓 消防栓"),
    rule("立杆 旗杆 综合杆 铁塔", MAINTAINER,
         ("{x}倾斜、倒伏或断裂，存在安全隐患", 2, UH, "{x}扶正或更换，隐患消除", U),
         ("{x}破损、锈蚀或附属物松动", 5, WD, "{x}修复完好", N),
         ("{x}乱贴乱挂、污损", 2, WD, "{x}清理干净", N), tags="电线杆"),
    rule("户外广告 牌匾 宣传栏", OWNER,
         ("{x}松动、倾斜，存在坠落隐患", 2, UH, "{x}加固或拆除，隐患消除", U),
         ("{x}破损、残缺或亮化不全", 3, WD, "{x}修复完好、亮化正常", N),
         ("{x}污损、画面陈旧", 5, WD, "{x}清洗或更新", N), legal=CITYSCAPE, tags="招牌 广告牌 灯箱"),
    rule("回收箱 快递柜 充电桩 缴费机 售货机 售货亭 报刊亭 电话亭 信息亭 邮筒 租赁点 计费", OWNER,
         ("{x}倾斜、线路裸露，存在安全隐患", 2, UH, "隐患消除，{x}恢复完好", U),
         ("{x}破损、故障", 3, WD, "{x}修复完好、正常使用", N),
         ("{x}污损、乱贴乱画或周边不洁", 2, WD, "{x}及周边清洁", N)),
    rule("护栏 隔离 桩 防撞桶 安全岛 减速带 反视镜", MAINTAINER,
         ("{x}缺失、倒伏或断裂，存在安全隐患", 4, UH, "{x}补齐或扶正，隐患消除", U),
         ("{x}破损、变形或松动", 3, WD, "{x}修复完好", N),
         SOILED),
    rule("桥 地下通道 隧道", MAINTAINER,
         ("{x}结构破损、栏杆缺失或有坠物，存在安全隐患", 2, UH, "隐患消除、设施修复", U),
         ("{x}积水或照明设施损坏", 1, WD, "积水排除、照明正常", N),
         ("{x}附属设施破损、污损", 5, WD, "附属设施修复、清洁完好", N), legal=ROADS),
    rule("公共厕所", MAINTAINER,
         ("{x}无故关闭或设施损坏无法使用", 4, WH, "{x}正常开放使用", N),
         ("{x}不洁、有异味", 2, WH, "{x}清洁无异味", N),
         ("{x}外观、附属设施破损", 5, WD, "{x}修复完好", N), legal=CITYSCAPE, tags="公厕 厕所"),
    rule("化粪池", MAINTAINER,
         ("{x}满溢、外冒", 4, UH, "{x}清掏、周边清洁", U),
         ("{x}盖板破损或周边不洁", 1, WD, "盖板完好、周边清洁", N)),
    rule("监测 显示屏 电子眼", COMPETENT,
         ("{x}破损、显示异常或停止工作", 2, WD, "{x}恢复正常工作", N),
         ("{x}污损或被遮挡", 3, WD, "{x}清洁、无遮挡", N)),
    rule("报警点", COMPETENT,
         ("{x}故障无法使用", 1, WD, "{x}恢复正常使用", N),
         ("{x}破损、污损", 3, WD, "{x}修复、清洁完好", N)),
    rule("垃圾 拾便 烟头 环卫工具", MAINTAINER,
         ("{x}满溢或周边不洁", 2, WH, "垃圾清运、周边清洁", N),
         ("{x}破损、缺失", 2, WD, "{x}修复或补齐", N), legal=CITYSCAPE, tags="垃圾桶 果皮箱"),
    rule("古树名木", COMPETENT,
         ("{x}倒伏、断枝或存在其他安全隐患", 2, UH, "隐患消除，{x}得到保护", U),
         ("{x}受损伤、病虫害或保护设施损坏", 1, WD, "损伤处理、保护设施修复", N),
         legal=GREEN, tags="古树"),
    rule("行道树 独立树", MAINTAINER,
         ("{x}倒伏、断枝或倾斜，存在安全隐患", 2, UH, "{x}扶正或清除，隐患消除", U),
         ("{x}枝叶遮挡路灯、交通信号灯或标志牌", 5, WD, "修剪完成、无遮挡", N),
         ("{x}死亡或缺株", 30, CD, "补植完成（受季节限制的在适宜季节补植）", N),
         legal=GREEN, tags="树木 倒树"),
    rule("排放口 泵站 防汛 水域", COMPETENT,
         ("{x}破损、渗漏或排放异常，存在安全或污染隐患", 4, UH, "隐患消除、排放正常", U),
         ("{x}堵塞、破损或污损", 5, WD, "{x}疏通、修复完好", N)),
    rule("水井 供水器 水塔 水鹤", MAINTAINER,
         ("{x}漏水、破裂或井口敞开，存在安全隐患", 2, UH, "隐患消除，{x}恢复完好", U),
         ("{x}破损、锈蚀", 5, WD, "{x}修复完好", N)),
    rule("文物", COMPETENT,
         ("{x}遭受破坏或存在安全隐患", 2, UH, "破坏行为制止、隐患消除", U),
         ("{x}污损、乱贴乱画", 2, WD, "{x}清洁完好", N),
         ("{x}保护设施破损", 5, WD, "保护设施修复", N), legal="《中华人民共和国文物保护法》"),
    rule("加油", OWNER,
         ("{x}泄漏或存在其他安全隐患", 1, UH, "隐患消除", U),
         ("{x}设施破损、周边不洁", 3, WD, "设施修复、周边清洁", N)),
    rule("停车场 车库", OWNER,
         ("{x}设施损坏，存在安全隐患", 2, UH, "隐患消除", U),
         ("{x}设施破损、标线不清", 5, WD, "设施修复、标线清晰", N)),
    rule("铁道口 轨道交通 港监", COMPETENT, HAZARD, BROKEN, SOILED),  # railway and port authorities
    rule("附属设施", MAINTAINER, HAZARD, BROKEN, SOILED),  # before 绿地: 绿地附属设施 is a facility
    rule("绿地 林地", MAINTAINER,
         ("{x}内垃圾杂物、脏乱", 4, WH, "{x}清洁", N),
         ("{x}植物缺株、斑秃或枯死", 5, WD, "补植完成、养护到位", N),
         ("{x}被踩踏、占用或设施损坏", 5, WD, "{x}恢复、设施修复", N), legal=GREEN, tags="草坪 绿化带"),
    rule("岗亭", COMPETENT, HAZARD, BROKEN, SOILED),
    rule("无障碍", MAINTAINER, HAZARD, ("{x}破损、被占用", 3, WD, "{x}修复、占用清除", N), legal=ACCESS),
]
# Any component no rule names: a neutral facility template, owner side first.
FALLBACK_COMPONENT = rule("", MAINTAINER, HAZARD, BROKEN, SOILED)

ILLEGAL_BUILDING = (
    ("正在搭建的违法建设", 4, WH, "责令停止建设，现场停工", U),
    ("已建成的违法建设，立案查处", 7, WD, "依法立案查处", N),
    ("已建成的违法建设，依法拆除", 20, WD, "违法建设拆除、场地清理", N),
)
CONSTRUCTION_RULES = [  # first: 施工工地出入口道路破损 is the site's, not the road authority's
    rule("施工扰民", TERRITORY, ("夜间违规施工扰民", 2, UH, "施工停止", N),
         ("日间施工噪声超标", 1, WD, "整改到位", N), legal=NOISE),
    rule("施工占道 掘路", COMPETENT,
         ("正在进行的{x}", 4, WH, "责令停止、设置安全防护", N),
         ("{x}完工后未恢复", 5, WD, "路面恢复原状", N), legal=ROADS),
    rule("扬尘 车轮夹带 未硬化 密闭", COMPETENT, ("{x}", 1, WD, "整改到位", N), legal=AIR),
    rule("围挡", TERRITORY,
         ("施工围挡倒伏，存在安全隐患", 2, UH, "围挡扶正加固", U),
         ("施工围挡破损、不连续", 2, WD, "围挡修复完好", N)),
    rule("高空悬吊", COMPETENT, ("{x}", 2, UH, "作业停止、隐患消除", U)),
    rule("预埋件", TERRITORY,
         ("{x}，存在绊倒、划伤隐患", 4, UH, "裸露部分切除或防护", U),
         ("{x}", 2, WD, "清除完毕", N)),
    rule("施工", TERRITORY, ("{x}", 2, WD, "整改到位", N)),
]
EVENT_RULES = [
    *CONSTRUCTION_RULES,
    rule("私搭乱建", TERRITORY, *ILLEGAL_BUILDING, legal=PLANNING, tags="违法建设 违建 违章建筑"),
    rule("无证建设", COMPETENT, *ILLEGAL_BUILDING, legal=PLANNING, tags="违法建设 未批先建"),
    rule("无证装修", TERRITORY,
         ("正在进行的无证装修", 4, WH, "责令停止施工", N),
         ("已完成的无证装修", 10, WD, "补办手续或恢复原状", N)),
    rule("接坡 道口 地锁", TERRITORY,
         ("{x}影响通行", 5, WD, "拆除、恢复原状", N), legal=ROADS),
    rule("外立面", TERRITORY,
         ("建筑物外立面破损、污损", 5, WD, "外立面清洗或修复完好", N), legal=CITYSCAPE),
    rule("屋顶 晾挂 彩旗 吊挂", TERRITORY,
         ("{x}影响市容", 4, WH, "清理完毕", N), legal=CITYSCAPE),
    rule("管线 空调室外机", TERRITORY,
         ("{x}影响通行或市容", 5, WD, "整改到位", N), legal=CITYSCAPE),
    rule("满溢", TERRITORY,
         ("垃圾站（箱）满溢", 2, WH, "垃圾清运、周边清洁", N), legal=CITYSCAPE),
    rule("未分类", TERRITORY,
         ("生活垃圾混投、混收", 1, WD, "分类到位", N), legal="《中华人民共和国固体废物污染环境防治法》"),
    rule("暴露垃圾 绿地脏乱 绿化弃料", TERRITORY,
         ("{x}", 4, WH, "清理干净", N), legal=CITYSCAPE),
    rule("积存垃圾渣土", TERRITORY,
         ("少量积存垃圾", 4, WH, "清理干净", N),
         ("成堆的垃圾、渣土", 2, WD, "清运干净", N), legal=CITYSCAPE, tags="建筑垃圾"),
    rule("道路不洁", TERRITORY,
         ("道路不洁（保洁时段内）", 2, WH, "路面清洁", N),
         ("道路积水、积泥", 4, WH, "积水、积泥清除", N), legal=CITYSCAPE),
    rule("遗撒", TERRITORY,
         ("遗撒物影响通行安全", 2, UH, "遗撒物清除", U),
         ("一般道路遗撒", 2, WH, "路面清洁", N), legal=CITYSCAPE),
    rule("不洁", TERRITORY, ("{x}", 4, WH, "清理干净", N), legal=CITYSCAPE),
    rule("标线", COMPETENT, ("交通标线模糊、缺损", 10, WD, "标线重新施划、清晰完整", N), legal=TRAFFIC),
    rule("病虫害", COMPETENT, ("树木、绿地病虫害", 5, WD, "病虫害得到防治", N), legal=GREEN),
    rule("伐树 占绿毁绿", COMPETENT,
         ("正在发生的{x}", 2, UH, "违法行为制止", U),
         ("已发生的{x}，立案查处", 10, WD, "依法查处、责令补植", N), legal=GREEN),
    rule("道路破损", COMPETENT,
         ("路面塌陷、坑洞，存在安全隐患", 4, UH, "设置警示、坑洞填补", U),
         ("路面破损（面积1平方米以上）", 3, WD, "路面修复平整", N),
         ("路面裂缝、轻微破损", 5, WD, "路面修复平整", N), legal=ROADS, tags="路面塌陷 坑洞"),
    rule("堤岸 边坡", COMPETENT,
         ("{x}，存在坍塌隐患", 4, UH, "设置警示、隐患消除", U),
         ("{x}，无安全隐患", 10, WD, "修复完好", N)),
    rule("台阶 路缘石", COMPETENT, ("{x}", 5, WD, "修复完好", N), legal=ROADS),
    rule("盲道 无障碍坡道", COMPETENT, ("{x}", 5, WD, "修复完好", N), legal=ACCESS),
    rule("河道污染", COMPETENT,
         ("河道污染、有异味或死鱼", 4, UH, "污染源查明、控制", U),
         ("河道漂浮物", 4, WH, "水面清洁", N), legal="《中华人民共和国水污染防治法》"),
    rule("占用河道", COMPETENT, ("{x}", 10, WD, "占用清除、河道恢复", N), legal="《中华人民共和国河道管理条例》"),
    rule("水域秩序", TERRITORY, ("{x}", 1, WD, "秩序恢复", N)),
    rule("油烟", TERRITORY, ("餐饮油烟直排扰民", 5, WD, "安装净化设施或停止排放", N), legal=AIR),
    rule("噪声", TERRITORY, ("正在发生的噪声扰民", 2, WH, "噪声停止或降至标准内", N), legal=NOISE),
    rule("烧烤", TERRITORY, ("占道露天烧烤", 2, UH, "烧烤停止、现场清理", N), legal=AIR),
    rule("焚烧", TERRITORY,
         ("正在焚烧", 1, UH, "焚烧停止、明火熄灭", U),
         ("焚烧残留物", 4, WH, "残留物清理", N), legal=AIR),
    rule("污水", TERRITORY, ("{x}", 4, WH, "排放停止、现场清理", N), legal="《城镇排水与污水处理条例》"),
    rule("填埋场", COMPETENT, ("{x}", 10, WD, "垃圾清运、场地整治", N),
         legal="《中华人民共和国固体废物污染环境防治法》"),
    rule("医疗废物", COMPETENT, ("{x}", 2, UH, "医疗废物安全收运", U), legal="《医疗废物管理条例》"),
    rule("废弃车辆", TERRITORY, ("废弃车辆长期占用公共空间", 10, WD, "车辆移走", N), tags="僵尸车"),
    rule("废弃家具 乱堆杂物", TERRITORY,
         ("{x}（少量）", 4, WH, "清理干净", N),
         ("{x}（大件或成堆）", 1, WD, "清运干净", N), legal=CITYSCAPE, tags="乱堆物堆料"),
    rule("动物尸体", TERRITORY, ("{x}", 2, WH, "尸体清理、消毒", N)),
    rule("家禽家畜", TERRITORY, ("{x}", 5, WD, "停止饲养、清理", N)),
    rule("遮阳篷 节庆装饰", TERRITORY,
         ("{x}，存在坠落隐患", 2, UH, "加固或拆除", U),
         ("{x}", 2, WD, "修复或拆除", N)),
    rule("公园秩序", TERRITORY, ("{x}", 4, WH, "秩序恢复", N)),
    rule("小广告 散发广告", TERRITORY, ("{x}", 4, WH, "清除干净", N), legal=CITYSCAPE, tags="牛皮癣"),
    rule("户外广告 牌匾", COMPETENT,
         ("{x}（设施松动，存在坠落隐患）", 2, UH, "加固或拆除，隐患消除", U),
         ("{x}（未经许可或不按许可设置）", 10, WD, "依法查处、整改或拆除", N), legal="《中华人民共和国广告法》"),
    rule("语言文字", COMPETENT, ("{x}", 10, WD, "更正", N), legal="《中华人民共和国国家通用语言文字法》"),
    rule("标语 宣传品", TERRITORY, ("{x}", 1, WD, "清除或修复", N)),
    rule("游商", TERRITORY, ("{x}", 2, WH, "经营停止、现场清理", N), legal=UNLICENSED),
    rule("店外经营 占道经营 促销 洗车", TERRITORY,
         ("{x}", 2, WH, "经营停止、现场清理", N), legal=CITYSCAPE),
    rule("早(夜)市 农贸市场", TERRITORY, ("{x}", 1, WD, "秩序恢复", N)),
    rule("流浪乞讨", TERRITORY, ("{x}", 2, WH, "劝导或送救助站", N),
         legal="《城市生活无着的流浪乞讨人员救助管理办法》"),
    rule("废品收购", TERRITORY, ("{x}", 1, WD, "整改到位、现场清理", N)),
    rule("出版物", COMPETENT, ("{x}", 1, WD, "依法查处", N), legal="《出版管理条例》"),
    rule("非机动车 共享单车", TERRITORY, ("{x}", 2, WH, "车辆规整摆放", N), legal=TRAFFIC),
    rule("机动车乱停放 履带车 畜力车", COMPETENT, ("{x}", 2, WH, "车辆驶离或依法处理", N), legal=TRAFFIC),
    rule("消防通道", COMPETENT, ("{x}", 1, UH, "占用清除、通道畅通", U), legal="《中华人民共和国消防法》"),
    rule("屠宰", TERRITORY, ("{x}", 2, WH, "屠宰停止、现场清理", N)),
    rule("无证餐饮", COMPETENT, ("{x}", 5, WD, "依法查处", N), legal=UNLICENSED),
    rule("停车场 桥下空间", COMPETENT, ("{x}", 10, WD, "依法查处、恢复原状", N)),
    rule("无障碍通道", TERRITORY, ("{x}", 4, WH, "占用清除", N), legal=ACCESS),
    rule("积雪", TERRITORY,
         ("主次干道、桥梁坡道积雪或结冰", 4, UH, "积雪清除、结冰处理", U),
         ("人行道、背街小巷积雪或结冰", 1, WD, "积雪清除、结冰处理", N), legal=CITYSCAPE),
    rule("线缆", OWNER,  # the cable belongs to a utility, even though the problem is an event
         ("线缆脱落、低垂，影响通行安全", 2, UH, "线缆固定或拆除", U),
         ("线缆凌乱或废弃", 5, WD, "线缆规整或拆除", N), tags="飞线 蜘蛛网"),
]
FALLBACK_EVENT = rule("", TERRITORY, ("{x}", 2, WD, "问题处置完毕", N))


def find_rule(name: str, rules: list[Rule], fallback: Rule) -> Rule:
    return next((r for r in rules if any(k in name for k in r.keywords)), fallback)


def read_catalog() -> tuple[dict, list[dict]]:
    with CATALOG.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    components = {r["code"]: r["name"] for r in rows if r["kind"] == "component"}
    return components, rows


def old_names() -> dict[tuple[str, str], list[str]]:
    """Legacy names that differ from the new name: operators still search with them."""
    found: dict[tuple[str, str], list[str]] = {}
    with LEGACY.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["maps_to_code"]:
                found.setdefault((r["maps_to_kind"], r["maps_to_code"]), []).append(r["name"])
    return found


def class_rule(row: dict, components: dict) -> tuple[Rule, str]:
    if row["code"] in components:  # 01–05: "X异常" is about component X
        name = components[row["code"]]
        found = find_rule(name, COMPONENT_RULES, FALLBACK_COMPONENT)
        if "不明" in name:  # nobody is known to own it: the street or district handles it (STANDARDS.md §3.8)
            found = replace(found, party=TERRITORY)
        return found, name
    return find_rule(row["name"], EVENT_RULES, FALLBACK_EVENT), row["name"]


def condition_rows(row: dict, components: dict) -> list[list]:
    found, subject = class_rule(row, components)
    return [
        [row["code"], seq, text.format(x=subject), value, unit, closing.format(x=subject), urgency, found.party,
         found.legal]
        for seq, (text, value, unit, closing, urgency) in enumerate(found.conditions, start=1)
    ]


def keywords(row: dict, found: Rule, legacy: dict) -> str:
    words = [*found.tags.split(), *legacy.get((row["kind"], row["code"]), [])]
    unique = [w for i, w in enumerate(words) if w not in words[:i] and w not in row["name"]]
    return " ".join(unique)[:200]


def build() -> tuple[list[list], list[list], list[str]]:
    components, rows = read_catalog()
    legacy = old_names()
    conditions, defaults, unmatched = [], [], []
    for row in rows:
        found, subject = class_rule(row, components)
        if row["kind"] == "matter" and found in (FALLBACK_COMPONENT, FALLBACK_EVENT):
            unmatched.append(f"{row['kind']} {row['code']} {subject}")
        if row["kind"] == "matter":
            conditions.extend(condition_rows(row, components))
        defaults.append([row["kind"], row["code"], found.party, keywords(row, found, legacy)])
    return conditions, defaults, unmatched


def render(columns: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the files differ from what would be written")
    args = parser.parse_args()
    conditions, defaults, unmatched = build()
    outputs = {CONDITIONS: render(CONDITION_COLUMNS, conditions), DEFAULTS: render(DEFAULT_COLUMNS, defaults)}
    stale = [p.name for p, text in outputs.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    for line in unmatched:
        print(f"no rule, generic template: {line}", file=sys.stderr)
    if args.check:
        print("stale: " + ", ".join(stale) if stale else "up to date")
        return 1 if stale else 0
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
    print(f"{len(conditions)} conditions, {len(defaults)} class defaults written to {DATA}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
