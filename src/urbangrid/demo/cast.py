"""Who and what lives in the demo city: street names, departments, posts. Data only."""

# The six central districts get streets, communities and grids; the outer counties stay district outlines.
CENTRAL_DISTRICTS = ["410102", "410103", "410104", "410105", "410106", "410108"]

# Real street (街道/乡镇) names per district; when a district gets more pieces than names, the rest are numbered.
STREET_NAMES = {
    "410102": "林山寨 建设路 棉纺路 秦岭路 桐柏路 三官庙 绿东村 汝河路 航海西路 中原西路 须水 西流湖 莲湖 石佛 沟赵 柳湖",
    "410103": "淮河路 解放路 铭功路 一马路 蜜蜂张 五里堡 大学路 建中街 福华街 德化街 嵩山路 京广路 长江路 人和路 齐礼阎 侯寨 马寨",
    "410104": "北下街 西大街 南关 城东路 东大街 二里岗 陇海马路 紫荆山南路 航海东路 十八里河 南曹 圃田 商都路 金岱",
    "410105": "经八路 花园路 人民路 杜岭 大石桥 南阳路 南阳新村 文化路 丰产路 东风路 北林路 未来路 凤凰台 国基路 兴达路 "
    "杨金路 丰庆路 如意湖 龙子湖 博学路 祭城路 金光路",
    "410106": "济源路 中心路 新安路 工业路 矿山 峡窝",
    "410108": "新城 刘寨 老鸦陈 长兴路 迎宾路 古荥 花园口 大河路",
}
TOWNSHIPS = {"须水", "石佛", "沟赵", "侯寨", "马寨", "十八里河", "南曹", "圃田", "金岱", "峡窝", "古荥", "花园口"}

COMMUNITY_STEMS = (
    "幸福 和平 友谊 建设 光明 团结 繁荣 振兴 锦绣 阳光 翠竹 桂花 文化 学府 育才 新华 朝阳 东风 红旗 胜利 民主 康宁 "
    "安居 乐业 华夏 金桥 银河 颐和 丽水 枫林 紫荆 青年 工人 铁路 航海 嵩山 黄河 伏牛 桐柏 淮河 汝河 颍河 陇海 商城 "
    "亚星 绿城 中原 博雅 凤凰 如意"
).split()

# (name, kind, party type, level, class-code prefixes it answers for). Level "city" covers all central districts;
# "district" makes one per central district (its 城市管理局, the territorial fallback 属地).
DEPARTMENTS = [
    ("郑州市城市管理局", "competent", "city", ["03", "06", "07", "09"]),
    ("郑州市市政工程管理处", "maintainer", "city", ["01002", "01003", "01004", "01026", "01018", "02006", "02007",
                                                "02008", "02009", "06013", "06048", "06049", "06050"]),
    ("郑州市路灯管理处", "maintainer", "city", ["01006", "01037", "01038", "01039", "01060"]),
    ("郑州市园林局", "competent", "city", ["04", "01014", "06017", "06021", "06022", "06045", "06047"]),
    ("郑州市公安局交通警察支队", "competent", "city", ["02010", "02011", "02014", "02015", "02016", "02017",
                                                  "02018", "02020", "02033", "09009", "01015"]),
    ("郑州市公安局", "competent", "city", ["01012", "01050", "01051", "01066", "02039", "09003"]),
    ("郑州自来水投资控股有限公司", "owner", "city", ["01001", "01019", "01024", "01025", "01063", "01068"]),
    ("郑州华润燃气股份有限公司", "owner", "city", ["01011", "01021", "01036", "01049", "01057"]),
    ("国网河南省电力公司郑州供电公司", "owner", "city", ["01005", "01017", "01028", "01029", "01030", "01047",
                                                      "01048"]),
    ("郑州热力集团有限公司", "owner", "city", ["01010", "01061"]),
    ("中国电信股份有限公司郑州分公司", "owner", "city", ["01007", "01009", "01027", "01031", "01041"]),
    ("中国移动通信集团河南有限公司郑州分公司", "owner", "city", ["01062", "01008"]),
    ("中国邮政集团有限公司郑州市分公司", "owner", "city", ["01042", "01075"]),
    ("郑州市城乡建设局", "competent", "city", ["08", "01074"]),
    ("郑州市生态环境局", "competent", "city", ["03009", "03010", "03011", "03012", "03013", "06020", "06027"]),
    ("郑州市水利局", "competent", "city", ["01056", "01067", "01069", "01070", "01071", "01072", "01073", "06023",
                                        "06024", "06025", "06026", "06046"]),
    ("郑州市交通运输局", "competent", "city", ["02001", "02002", "02003", "02005", "02025", "02026", "02041",
                                            "02044"]),
    ("郑州公交集团有限公司", "owner", "city", ["02004", "01020", "01032"]),
    ("郑州地铁集团有限公司", "owner", "city", ["02032"]),
    ("郑州市市场监督管理局", "competent", "city", ["09015", "09020", "01045"]),
    ("郑州市文化广电和旅游局", "competent", "city", ["05009", "02037", "02040"]),
    ("郑州市消防救援支队", "competent", "city", ["01013", "09012"]),
    ("郑州市民政局", "competent", "city", ["02012", "02013", "02038"]),
    ("郑州市住房保障和房地产管理局", "competent", "city", ["05002"]),
    ("区城市管理局", "competent", "district", ["03", "06", "07", "09", "10"]),
]

LAW_ENFORCEMENT = "郑州市城市管理综合行政执法支队"
COLLECTION_COMPANY = "郑州城信信息采集服务有限公司"

# Demo logins: (username, display name, post, organisation key). Organisation keys are resolved in seeding.
DEMO_PASSWORD = "UrbanGrid-demo-2026"
PEOPLE = [
    ("admin", "系统管理员", "system_admin", "supervision_centre"),
    ("li.jiandu", "李监督员", "collector", "collection_company"),
    ("wang.shouli", "王受理员", "intake_operator", "supervision_centre"),
    ("zhao.zhiban", "赵值班长", "shift_leader", "supervision_centre"),
    ("sun.paiqian", "孙派遣员", "dispatcher", "command_centre"),
    ("zhou.chuzhi", "周处置员", "department_handler", "郑州市市政工程管理处"),
    ("wu.quzhihui", "吴区指挥", "district_operator", "district_command_centre:410105"),
    ("zheng.lingdao", "郑领导", "leader", "supervision_centre"),
]

# Component classes seeded in the demo inventory with relative weights (manholes, lamps and trees dominate a city).
COMPONENT_MIX = {
    "01001": 8, "01002": 10, "01003": 10, "01004": 12, "01005": 5, "01006": 4, "01007": 6, "01010": 3, "01011": 4,
    "01030": 6, "01037": 14, "01048": 2, "01042": 1, "02004": 2, "02010": 5, "02012": 2, "02014": 2, "02017": 4,
    "03001": 1, "03005": 10, "03008": 1, "04002": 16, "04007": 2, "04011": 6,
}
