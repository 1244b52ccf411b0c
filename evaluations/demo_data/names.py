"""Plausible Chinese names for a generated province: regions, units, firms and projects.

Unit names follow the pattern evaluations.classification reads the kind from: township
governments end in 镇人民政府 / 乡人民政府, subdistrict offices in 街道办事处, and every
other unit is a department.
"""

from ..classification import UnitKind

PROVINCE_CODE = "52"

_FIRST = (
    "云南花乌白观清修开息红钟六水盘汇桐绥正道务凤湄余习赤仁平普关紫兴贞"
    "望织纳威碧玉石思印德松凯黄施岑天锦剑台黎榕从雷麻丹都福荔瓮独长罗惠龙"
)
_SECOND = "岩明溪当云山镇文阳江平安宁源河峰坝城州溪川桥坪场寨阁"
_PLACE_FIRST = "青石大小新老黄白红金银龙凤马牛羊桃李杉松竹梅兰高平安乐长永顺和兴清水"
_PLACE_SECOND = "坡坝寨田湾沟坪桥口场村堡关岭塘庄溪冲洞铺店"

# (name, parent name or ""): a department's own units sit under it.
DEPARTMENTS = (
    ("人民政府办公室", ""),
    ("发展和改革局", ""),
    ("教育局", ""),
    ("科学技术局", ""),
    ("工业和信息化局", ""),
    ("公安局", ""),
    ("民政局", ""),
    ("司法局", ""),
    ("财政局", ""),
    ("人力资源和社会保障局", ""),
    ("自然资源局", ""),
    ("生态环境局", ""),
    ("住房和城乡建设局", ""),
    ("交通运输局", ""),
    ("水务局", ""),
    ("农业农村局", ""),
    ("商务局", ""),
    ("文化旅游局", ""),
    ("卫生健康局", ""),
    ("退役军人事务局", ""),
    ("应急管理局", ""),
    ("审计局", ""),
    ("市场监督管理局", ""),
    ("统计局", ""),
    ("医疗保障局", ""),
    ("林业局", ""),
    ("城市管理局", ""),
    ("投资促进局", ""),
    ("大数据发展管理局", ""),
    ("机关事务管理局", ""),
    ("人民医院", "卫生健康局"),
    ("中医医院", "卫生健康局"),
    ("妇幼保健院", "卫生健康局"),
    ("疾病预防控制中心", "卫生健康局"),
    ("第一中学", "教育局"),
    ("第二中学", "教育局"),
    ("实验小学", "教育局"),
    ("职业技术学校", "教育局"),
    ("图书馆", "文化旅游局"),
    ("文化馆", "文化旅游局"),
    ("融媒体中心", ""),
    ("政务服务中心", ""),
    ("公共资源交易中心", ""),
    ("总工会", ""),
    ("妇女联合会", ""),
    ("残疾人联合会", ""),
    ("红十字会", ""),
)
_NUMERALS = "三四五六七八九"

FIRMS = tuple(
    f"{city}{word}{kind}"
    for city in ("贵州", "贵阳", "黔南", "遵义", "四川", "重庆")
    for word, kind in (
        ("正和", "会计师事务所有限公司"),
        ("天衡", "资产评估有限公司"),
        ("信诚", "工程造价咨询有限公司"),
        ("中达", "项目管理咨询有限公司"),
        ("恒信", "税务师事务所有限公司"),
        ("明鉴", "绩效评价咨询有限公司"),
    )
)

PROJECT_TOPICS = (
    "义务教育薄弱环节改善",
    "学前教育普惠",
    "乡村振兴衔接",
    "农村公路养护",
    "城市道路提升",
    "污水处理设施运行",
    "公立医院综合改革",
    "基层医疗卫生服务",
    "居家养老服务",
    "就业创业扶持",
    "文化惠民演出",
    "全民健身设施",
    "森林防火",
    "石漠化综合治理",
    "高标准农田",
    "小型水利工程",
    "老旧小区改造",
    "智慧城市运行",
    "应急物资储备",
    "食品安全抽检",
    "困难群众救助",
    "城乡环卫一体化",
    "特色产业发展",
    "营商环境优化",
    "数字政务平台",
    "公共法律服务",
    "退役军人服务保障",
    "畜禽粪污资源化利用",
)
PROJECT_ACTIVITIES = ("建设", "运行维护", "补助", "专项", "能力提升", "购买服务", "奖补")
LINE_SOURCES = ("", "（中央资金）", "（省级资金）", "（区级配套）")


def region_code(index: int) -> str:
    """Return the 6-digit code of the index-th generated region: 52CCDD, DD from 21 (counties)."""
    city, district = divmod(index, 10)
    return f"{PROVINCE_CODE}{city + 1:02d}{district + 21:02d}"


def region_name(index: int) -> str:
    first = _FIRST[index % len(_FIRST)]
    second = _SECOND[(index // len(_FIRST) + index) % len(_SECOND)]
    return f"{first}{second}{'区' if index % 3 == 0 else '县'}"


def _place(index: int) -> str:
    first = _PLACE_FIRST[index % len(_PLACE_FIRST)]
    second = _PLACE_SECOND[(index // len(_PLACE_FIRST) + 3 * index) % len(_PLACE_SECOND)]
    return f"{first}{second}"


def unit_names(region: str, count: int) -> list[tuple[str, UnitKind, str]]:
    """Return count (name, kind, parent name) for a region: about a seventh subdistrict
    offices, a quarter township governments, the rest departments and their units."""
    subdistricts = max(1, count // 7) if count >= 3 else 0
    townships = max(1, count // 4) if count >= 2 else 0
    departments = count - subdistricts - townships
    rows = []
    parents = {p for p, _ in DEPARTMENTS[:departments]}
    for i in range(departments):
        if i < len(DEPARTMENTS):
            name, parent = DEPARTMENTS[i]
        else:
            k = i - len(DEPARTMENTS)
            name = f"第{_NUMERALS[k % len(_NUMERALS)]}中学" if k < len(_NUMERALS) else f"第{k}小学"
            parent = "教育局"
        parent_name = f"{region}{parent}" if parent in parents else ""
        rows.append((f"{region}{name}", UnitKind.DEPARTMENT, parent_name))
    for i in range(townships):
        suffix = "苗族乡人民政府" if i % 9 == 4 else ("乡人民政府" if i % 3 == 2 else "镇人民政府")
        rows.append((f"{_place(i)}{suffix}", UnitKind.TOWNSHIP, ""))
    for i in range(subdistricts):
        rows.append((f"{_place(i + 97)}街道办事处", UnitKind.SUBDISTRICT, ""))
    return rows
