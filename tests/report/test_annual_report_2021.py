"""The 2021 report regenerated from the bundled tables: every figure of the seed report,
on the web page and in the .docx, and both tables row by row as the seed lays them out.

The seed's own narrative said 9,299万元 where its table adds up to 9,298.22276万元; here
every figure is computed from the released records, and the narrative types none.
"""

from decimal import Decimal

import openpyxl
import pytest

from tests.conftest import PROJECTS_XLSX, UNITS_XLSX

from .reading import docx_document, docx_rows, docx_text, page_tables, page_text, vmerge_spans

PAGE, DOCX = "/520111/2021/report/", "/520111/2021/report.docx"

# (what the seed report says, the sentence the regenerated report says it in).
SEED_FIGURES = [
    ("title", "关于2021年度花溪区财政支出绩效情况的报告"),
    ("67 units by kind", "单位共67个（其中：54个部门、9个乡镇和4个街道）"),
    ("5 firms", "由5家第三方机构评价"),
    ("28 优 and 39 良", "评价等级为“优”的28个、“良”的39个"),
    ("all 良 or better", "结果均在“良”及以上"),
    ("highest 96, lowest 80.2", "评价最高分96分，最低分80.2分"),
    ("29 projects", "三、29个重点项目支出绩效评价情况"),
    (
        "the exact total and its rounding",
        "29个项目评价涉及资金总额9,298.22276万元（约9,298.22万元）",
    ),
    ("35 funding lines", "共35项资金明细"),
    ("every self-score at least 83", "绩效自评得分均在83分以上"),
    ("21 优 and 8 良", "第三方机构评价等级为“优”的项目21个，评价等级为“良”的项目8个"),
    ("the account of the 优 projects", "21个项目评价等级为“优”"),
    ("the account of the 良 projects", "8个项目评价等级为“良”"),
    ("project 5 is 1,033.496", "安排财政预算资金1,033.496万元（约1,033.50万元）"),
    ("project 5 in its grade's account", "幼儿园公办率及普惠率达标经费（1,033.496万元，91.13分）"),
    ("project 5's score and grade", "该项目资金绩效评价综合得91.13分，评价等级为“优”"),
    ("project 7 is 140.08", "残疾儿童康复救助补助项目，安排预算140.08万元"),
    ("project 25 scored 95.92", "评价得分95.92分，评价等级为“优”"),
    ("plans: 67 units and 29 projects", "涉及的67个部门、乡（镇）、街道办整体和29个项目"),
    ("problems: 29 projects", "从29个重点项目支出绩效评价工作开展情况看"),
    ("2021 has no target records", "系统中没有2021年度已批复的绩效目标记录"),
]
FIRMS = [
    ("北京信府科技有限责任公司", 3),
    ("贵州汇隆会计师事务所有限公司", 17),
    ("贵州恒正信德会计师事务所有限公司", 18),
    ("贵州普诚舜天会计师事务所有限责任公司", 14),
    ("贵州诚隆会计师事务所有限公司", 15),
]
# Projects of more than one funding line: 序号 → lines; the name cell spans the lines
# that continue the one above (a blank name in the circulated table).
MULTI_LINE = {5: 2, 7: 2, 13: 2, 24: 4}
NAME_SPANS = {13: 2, 24: 2}


def amount(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def seed_units() -> list[tuple[str, Decimal, str]]:
    """Return (unit, score, grade) of each row of the circulated unit table, in order."""
    sheet = openpyxl.load_workbook(UNITS_XLSX).active
    return [
        (unit, Decimal(str(score)), grade)
        for _, unit, score, grade in sheet.iter_rows(min_row=3, values_only=True)
        if unit
    ]


def seed_lines() -> list[tuple]:
    """Return (序号, name, amount, self-score, score, grade) of each funding line of the
    circulated project table, a merged (blank) cell taking the value above it."""
    sheet = openpyxl.load_workbook(PROJECTS_XLSX).active
    lines, above = [], None
    for row in sheet.iter_rows(min_row=3, values_only=True):
        if row[2] is None:
            continue
        row = [above[i] if value is None else value for i, value in enumerate(row)]
        number, name, line_amount, self_score, score, grade = row
        lines.append(
            (
                int(number),
                name,
                Decimal(str(line_amount)),
                Decimal(str(self_score)),
                Decimal(str(score)),
                grade,
            )
        )
        above = row
    return lines


@pytest.fixture
def page(client, report_2021):
    response = client.get(PAGE)
    assert response.status_code == 200
    return response


@pytest.fixture
def document(client, report_2021):
    response = client.get(DOCX)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return docx_document(response)


def missing(text: str) -> list[str]:
    """Return the seed figures the text does not state (their sentence is not in it)."""
    return [figure for figure, sentence in SEED_FIGURES if sentence not in text]


def test_the_web_page_states_every_seed_figure(page):
    assert missing(page_text(page)) == []


def test_the_docx_states_every_seed_figure(document):
    assert missing(docx_text(document)) == []


def test_neither_says_the_narratives_9299_nor_rounds_without_the_exact_figure(page, document):
    for text in (page_text(page), docx_text(document)):
        assert "9,299" not in text and "9299" not in text
        assert text.count("1,033.50") == text.count("1,033.496万元（约1,033.50万元）") == 1
        assert text.count("9,298.22万元") == text.count("9,298.22276万元（约9,298.22万元）")


def test_the_grade_accounts_add_up_to_the_total(page):
    text = page_text(page)
    assert "涉及资金6,520.40096万元（约6,520.40万元）" in text  # the 21 优
    assert "涉及资金2,777.8218万元（约2,777.82万元）" in text  # the 8 良
    assert Decimal("6520.40096") + Decimal("2777.8218") == Decimal("9298.22276")


def test_the_web_unit_table_is_the_seed_table_row_by_row(page):
    units = page_tables(page)[0]["body"]
    assert len(units) == 67
    firms = [(row[0]["text"], row[0]["rowspan"]) for row in units if len(row) == 4]
    assert firms == FIRMS
    rows = [[cell["text"] for cell in row[-3:]] for row in units]
    assert [(unit, Decimal(score), grade) for unit, score, grade in rows] == seed_units()


def test_the_web_project_table_is_the_seed_table_line_by_line(page):
    table = page_tables(page)[1]
    assert len(table["body"]) == 35
    lines = []
    for row in table["body"]:
        # A project's first line has all six cells; a further line its amount and
        # self-score, and its name too unless it continues the name above.
        cells = [cell["text"] for cell in row]
        if len(cells) == 6:
            number, name, line_amount, self_score, score, grade = cells
        elif len(cells) == 3:
            name, line_amount, self_score = cells
        else:
            line_amount, self_score = cells
        lines.append(
            (int(number), name, amount(line_amount), Decimal(self_score), Decimal(score), grade)
        )
    assert lines == seed_lines()
    spans = {int(row[0]["text"]): row[0]["rowspan"] for row in table["body"] if len(row) == 6}
    assert {number: n for number, n in spans.items() if n > 1} == MULTI_LINE
    names = {int(row[0]["text"]): row[1]["rowspan"] for row in table["body"] if len(row) == 6}
    assert {number: n for number, n in names.items() if n > 1} == NAME_SPANS
    assert [cell["text"] for cell in table["foot"][0]][:2] == ["合计", "9,298.22276"]


def test_the_docx_unit_table_has_67_rows_and_the_firm_merged_over_its_units(document):
    table = document.tables[0]
    rows = docx_rows(table)
    assert rows[0] == ["评价机构", "被评单位", "得分", "等级"]
    assert len(rows) == 1 + 67
    assert [(rows[first][0], n) for first, n in vmerge_spans(table, 0)] == FIRMS
    assert [(r[1], Decimal(r[2]), r[3]) for r in rows[1:]] == seed_units()


def test_the_docx_project_table_has_35_lines_merged_by_project_and_a_total(document):
    table = document.tables[1]
    rows = docx_rows(table)
    assert rows[0] == [
        "序号",
        "项目名称",
        "年度项目资金（万元）",
        "自评得分（分）",
        "第三方机构评分（分）",
        "等级",
    ]
    lines, total = rows[1:-1], rows[-1]
    assert len(lines) == 35
    assert [
        (int(r[0]), r[1], amount(r[2]), Decimal(r[3]), Decimal(r[4]), r[5]) for r in lines
    ] == seed_lines()
    for column in (0, 4, 5):  # 序号, 第三方机构评分, 等级: over all the project's lines
        spans = {int(rows[first][0]): n for first, n in vmerge_spans(table, column)}
        assert spans == MULTI_LINE
    names = {int(rows[first][0]): n for first, n in vmerge_spans(table, 1)}
    assert names == NAME_SPANS
    assert total[:3] == ["合计", "合计", "9,298.22276"]  # the 合计 cell spans two columns
    assert sum(amount(r[2]) for r in lines) == Decimal("9298.22276")
