"""The narrative's rules: sub-headings, {名称} figures and {块名} placements, and the
bundled 2021 narrative, which types no figure the records give."""

import json
import re

from evaluations.models import ReportSection
from evaluations.report import narrative

from .conftest import NARRATIVE

S = ReportSection


def test_it_reads_headings_blocks_and_paragraphs():
    text = "（三）聚焦绩效运行监控\n\n对绩效目标实现程度实行“双监控”。\n{重点项目评价结果表}\n"
    assert narrative.parse(text, S.PROJECTS) == [
        ("heading", "聚焦绩效运行监控"),
        ("paragraph", "对绩效目标实现程度实行“双监控”。"),
        ("block", "重点项目评价结果表"),
    ]


def test_a_numbered_sentence_is_a_paragraph_not_a_heading():
    line = "（一）部分项目绩效目标设置质量有待提高。"
    assert narrative.parse(line, S.PROBLEMS) == [("paragraph", line)]


def test_it_accepts_every_named_figure_and_a_projects_figures():
    text = "".join(f"{{{name}}}" for name in narrative.FIGURES) + "{项目12.资金}{项目3.等级}"
    assert narrative.problems(text, S.PLANS) == []


def test_it_refuses_a_figure_it_does_not_know():
    assert narrative.problems("涉及资金{资金总数}万元", S.PLANS) == [
        "不认识的引用“{资金总数}”（“下一步工作计划”部分）"
    ]


def test_it_refuses_a_typed_project_figure_it_does_not_know():
    assert narrative.problems("{项目5.金额}", S.PROJECTS) != []


def test_a_block_belongs_to_its_section_on_a_line_of_its_own():
    assert narrative.problems("{重点项目评价结果表}", S.UNITS) == [
        "“{重点项目评价结果表}”只能用在“重点项目绩效评价结果”部分"
    ]
    assert narrative.problems("见{重点项目评价结果表}。", S.PROJECTS) == [
        "“{重点项目评价结果表}”须单独成行"
    ]
    assert narrative.problems("{重点项目评价结果表}\n{重点项目评价结果表}", S.PROJECTS) == [
        "“{重点项目评价结果表}”出现了两次"
    ]


def test_it_refuses_an_unpaired_brace():
    assert narrative.problems("{年度年的工作", S.OPENING) == ["花括号不成对：“{年度年的工作”"]


def test_the_bundled_narrative_has_every_section_and_no_wrong_reference():
    sections = json.loads(NARRATIVE.read_text(encoding="utf-8"))["sections"]
    assert set(sections) == set(ReportSection.values)
    for section, paragraphs in sections.items():
        assert narrative.problems("\n".join(paragraphs), section) == [], section


def test_the_bundled_narrative_types_no_figure_the_records_give():
    """The digits left are a document's number, the key-evaluation threshold and a month;
    the seed's 58, 301, 94,572, 69, 44, 10, 12,777, 67, 29, 9,299, 1,033.50, 140.08, 91.13,
    95.74 and 95.92 all come from the records now, or not at all."""
    sections = json.loads(NARRATIVE.read_text(encoding="utf-8"))["sections"]
    text = narrative.TOKEN.sub("", "\n".join(p for ps in sections.values() for p in ps))
    assert sorted(re.findall(r"[0-9][0-9,.]*", text)) == ["10", "2021", "50", "89"]
    assert "〔2021〕89号" in text and "50万元及以上" in text and "年10月" in text
