"""Sheets laid out the way bureaus circulate them, built cell by cell for the layout tests.

Each builder returns an openpyxl Workbook, so a test can break one cell before saving it
with `xlsx(workbook)`.
"""

import io

from openpyxl import Workbook


def sheet(workbook, title, rows, *, merges=(), formats=None):
    """Add a worksheet of rows (lists, None for an empty cell), merges and number formats."""
    worksheet = workbook.create_sheet(title)
    for row in rows:
        worksheet.append(list(row))
    for cell_range in merges:
        worksheet.merge_cells(cell_range)
    for coordinate, number_format in (formats or {}).items():
        worksheet[coordinate].number_format = number_format
    return worksheet


def empty_workbook():
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def xlsx(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def self_evaluation(workbook=None, title="自评表"):
    """The 财预〔2020〕10号 attachment-1 layout with the quirks of filled-in copies."""
    workbook = workbook or empty_workbook()
    rows = [
        ["项目支出绩效自评表"],
        ["（2020年度）"],
        ["项目名称", None, "农村公路养护工程"],
        ["主管部门及代码", None, "（105）区交通运输局", None, None, "实施单位", "区公路管理站"],
        [
            "项目资金\n（万元）",
            None,
            None,
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
        ],
        [None, "年度资金总额", None, 120, 135.5, 125.2, 10, 0.924, 9.24],
        [None, "其中：当年财政拨款", None, 100, 115.5, 105.2, "—", "—", "—"],
        [None, "      上年结转资金", None, 20, 20, 20, "—", "—", "—"],
        [None, "其他资金", None, "/", "/", "/", "—", "—", "—"],
        ["年度总体目标", "预期目标", None, None, None, "实际完成情况"],
        [None, "完成县乡道养护100公里", None, None, None, "完成养护98公里"],
        [
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
        [
            None,
            "产出指标(50分)",
            "数量指标",
            "养护里程",
            "≥100公里",
            "98公里",
            20,
            19.6,
            "雨季停工",
        ],
        [None, None, None, "指标2", None, None, None, None, None],
        [None, None, "质量指标", "验收合格率", "100%", 1, 20, 20],
        [None, None, "时效指标", "按期完工率", "≥95%", "100.00%", 10, 10],
        [None, None, "成本指标", "……"],
        [
            None,
            "效益指标（30分）",
            "社会效益指标",
            "通行条件改善",
            "明显改善",
            "明显改善",
            15,
            14,
            "个别路段仍有坑洼",
        ],
        [None, None, "生态效益指标", "/", "/", "/", "/", "/", "/"],
        [None, None, "可持续影响指标", "养护机制", "长期", "/", 15, None],
        [None, "满意度指标（10分）", "服务对象满意度指标", "群众满意度", "≥90%", 0.955, 10, 10],
        [None, None, None, "...", None, None, None, None],
        [None, None, None, None, None, None, 5, 5],
        ["总分", None, None, None, None, None, 100, 92.84],
        [],
        [
            "填报人：张某",
            None,
            None,
            "联系电话：0851-1234567",
            None,
            None,
            "填报日期：2021年3月1日",
        ],
        ["单位负责人（签字）："],
    ]
    merges = ["A1:I1", "A2:I2", "A3:B3", "C3:I3", "A4:B4", "C4:E4", "G4:I4", "A5:A9", "B5:C5"]
    merges += [f"B{r}:C{r}" for r in range(6, 10)]
    merges += ["A10:A11", "B10:E10", "F10:I10", "B11:E11", "F11:I11", "A12:A23"]
    merges += ["B13:B17", "C13:C14", "A24:F24"]
    formats = {"H6": "0.00%", "F15": "0.00%", "F21": "0.0%"}
    sheet(workbook, title, rows, merges=merges, formats=formats)
    return workbook


def monitoring(workbook=None, title="监控表"):
    """A Hubei-style 监控表: the period only in the title, a two-row indicator header."""
    workbook = workbook or empty_workbook()
    rows = [
        ["项目支出绩效监控表"],
        ["（2021年1—7月）"],
        ["项目名称", "职业技能培训补贴"],
        ["主管部门", "区人社局", None, "执行单位", "区就业服务中心"],
        ["项目属性", "新增", None, "项目类型", "一次性"],
        ["项目资金（万元）", None, "年初预算数", "预算执行数", "全年预计执行数"],
        [None, "年度资金总额", 50, 20.5, 48],
        [None, "其中：当年一般公共预算拨款", 50, 20.5, 48],
        ["年度总体目标", "培训500人次，培训合格率90%以上"],
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "执行情况",
            None,
            "完成目标可能性",
            "偏差原因",
            "改进措施",
        ],
        [None, None, None, None, "当前完成值", "全年预计完成值"],
        ["产出指标", "数量指标", "培训人次", "≥500人次", "230人次", "520人次", "确定能"],
        [None, None, "培训覆盖率", "≥90%", 0.45, 0.92, "有 可能", "报名集中在下半年", "加强宣传"],
        [
            "满意度指标",
            "服务对象满意度指标",
            "学员满意度",
            "≥85%",
            "/",
            "/",
            "完全不可能",
            "课程安排不合理",
            "调整课程",
        ],
        ["偏差原因分析", "部分培训推迟到下半年"],
        ["相关建议或举措", "按季度通报培训进度"],
        [],
        ["填报人：李某"],
    ]
    merges = ["A1:I1", "A2:I2", "B3:I3", "B4:C4", "E4:I4", "A6:A8", "B9:I9"]
    merges += ["A10:A11", "B10:B11", "C10:C11", "D10:D11", "E10:F10", "G10:G11", "H10:H11"]
    merges += ["I10:I11", "B15:I15", "B16:I16"]
    formats = {"E13": "0%", "F13": "0%"}
    sheet(workbook, title, rows, merges=merges, formats=formats)
    return workbook


def target(workbook=None, title="申报表"):
    """A county 申报表: checkbox 项目属性, funds as label and amount pairs, 中长期/年度 goals."""
    workbook = workbook or empty_workbook()
    rows = [
        ["项目支出绩效目标申报表"],
        ["（2022年度）"],
        ["项目名称", "城区公厕改造"],
        ["主管部门", "区城管局", "实施单位", "区环卫站"],
        ["项目属性", "☑新增项目  □延续项目", "项目期", "1年"],
        ["项目资金\n（万元）", "年度资金总额：", 80],
        [None, "其中：财政拨款", 70],
        [None, "其他资金", 10],
        ["总体目标", "中长期目标", "改善城区如厕环境"],
        [None, "年度目标", "新建改造公厕10座"],
        ["一级指标", "二级指标", "三级指标", "指标值", "分值", "备注"],
        ["产出指标（60分）", "数量指标", "新建公厕", "≥10座", 30],
        [None, "质量指标", "验收合格率", "=100%", 30],
        ["效益指标（30分）", "社会效益指标", "群众如厕难问题", "有效缓解", 30],
        ["满意度指标（10分）", "服务对象满意度指标", "周边群众满意度", "/", 10, "下年度调查"],
        [],
        ["填报人：王某", None, "联系电话：0851-7654321"],
    ]
    merges = ["A1:F1", "A2:F2", "B3:F3", "A6:A8", "A9:A10", "C9:F9", "C10:F10", "A12:A13"]
    sheet(workbook, title, rows, merges=merges)
    return workbook
