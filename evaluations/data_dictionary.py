"""What each public download holds, field by field: the data dictionary of the download page.

The fields are read from what the downloads are written from: the table downloads from
their tables' export_columns (header in CSV/XLSX, key in JSON), summary.json from the keys
of the summary it serves (selectors.year_summary). This module only describes them, by key;
a column exported without a description, or described without being exported, fails
tests/views/test_downloads.py.
"""

from dataclasses import dataclass

from .exports import Column, to_json
from .grading import DEFAULT_BANDS, Grade
from .tables import ProjectResultTable, UnitResultTable

TEXT = "文本"
# Decimals are numbers in CSV and XLSX, exact strings in JSON (evaluations.exports).
IN_JSON = "；JSON 中为字符串"
SCORE_NUMBER = "数值，0–100，最多两位小数"
AMOUNT_NUMBER = "数值，最多六位小数"
SIGNED_AMOUNT = "数值，可为负数，最多六位小数"
SCORE = SCORE_NUMBER + IN_JSON
AMOUNT = AMOUNT_NUMBER + IN_JSON
COUNT = "整数"
GRADE = "文本：" + " / ".join(Grade.labels)
# The bands of evaluations.grading, in words: "90 分及以上为优，80 分及以上为良，…，其余为差".
BANDS = "，".join(
    [
        *(f"{lower} 分及以上为{grade.label}" for lower, grade in DEFAULT_BANDS),
        f"其余为{Grade.POOR.label}",
    ]
)


@dataclass(frozen=True)
class FileFormat:
    name: str
    label: str
    description: str


# Every format of evaluations.exports.FORMATS, as the download page names and explains it.
FILE_FORMATS = (
    FileFormat(
        "csv",
        "CSV",
        "UTF-8 编码并带字节顺序标记（BOM），Excel 可直接打开中文；得分和金额为精确值。",
    ),
    FileFormat(
        "xlsx",
        "Excel（XLSX）",
        "一个工作表，首行为表头；得分和金额为数值单元格，可直接计算。",
    ),
    FileFormat(
        "json",
        "JSON",
        "对象数组，每行一个对象，以下表的“JSON 键”为键；得分和金额为精确值字符串"
        '（如 "80.2"），避免按二进制浮点数读取时失真。',
    ),
)


@dataclass(frozen=True)
class Field:
    meaning: str
    type: str
    unit: str = ""
    example: str = ""


@dataclass(frozen=True)
class Entry:
    """One row of a data dictionary: a field as named in the file, and what it holds."""

    header: str
    key: str
    meaning: str
    type: str
    unit: str
    example: str


@dataclass(frozen=True)
class Download:
    """One downloadable table: what a row is, the page it is downloaded from (with params
    before ?_export=…), the formats it comes in and its columns."""

    slug: str
    title: str
    url_name: str
    holds: str
    columns: tuple[Column, ...]
    fields: dict[str, Field]
    params: tuple[tuple[str, str], ...] = ()
    formats: tuple[str, ...] = ("csv", "xlsx", "json")

    def dictionary(self) -> list[Entry]:
        """Return an entry for every column the download writes, in the file's order."""
        return [
            Entry(column.header, column.key, **vars(self.fields[column.key]))
            for column in self.columns
        ]


UNIT_FIELDS = {
    "firm": Field(
        "受托开展该单位部门整体绩效评价的第三方机构", TEXT, "", "北京信府科技有限责任公司"
    ),
    "unit": Field("被评价的预算单位全称", TEXT, "", "贵阳市花溪区石板镇人民政府"),
    "kind": Field("被评单位的类型：部门、乡镇或街道", TEXT, "", "乡镇"),
    "score": Field("第三方机构评价得分", SCORE, "分", "83.5"),
    "grade": Field(f"按得分划定的等级：{BANDS}", GRADE, "", "良"),
}

PROJECT_FIELDS = {
    "number": Field("项目在评价结果表中的序号，同一项目的各资金明细序号相同", COUNT, "", "5"),
    "name": Field("重点项目名称", TEXT, "", "幼儿园公办率及普惠率达标经费"),
    "funding_line": Field(
        "资金明细名称：项目由多笔资金组成时每笔一行",
        TEXT,
        "",
        "幼儿园公办率及普惠率达标经费（经开区）",
    ),
    "amount": Field("该笔资金的年度项目资金", AMOUNT, "万元", "556.892"),
    "self_score": Field("使用该笔资金的单位的绩效自评得分", SCORE, "分", "99.25"),
    "score": Field("第三方机构对项目的评分，各资金明细行相同", SCORE, "分", "91.13"),
    "grade": Field(f"按第三方机构评分划定的等级（{BANDS}），各资金明细行相同", GRADE, "", "优"),
    "total_amount": Field("项目各资金明细金额之和（精确值）", AMOUNT, "万元", "1033.496"),
}

UNITS = Download(
    slug="units",
    title="部门整体绩效评价结果",
    url_name="evaluations:units",
    holds="每个被评单位一行，按得分从高到低排列。",
    columns=UnitResultTable.export_columns,
    fields=UNIT_FIELDS,
)

PROJECTS = Download(
    slug="projects",
    title="重点项目绩效评价结果",
    url_name="evaluations:projects",
    holds=(
        "每笔资金明细一行，按序号排列；项目的第三方机构评分、等级和项目资金合计在其每一行重复。"
        "列与区财政局印发的评价结果表相同，XLSX 文件可原样导入本系统。"
    ),
    columns=ProjectResultTable.export_columns,
    fields=PROJECT_FIELDS,
)

TABLE_DOWNLOADS = (UNITS, PROJECTS)

# The year's chart downloads (evaluations.views.charts.YEAR_CHARTS), by chart name and
# column key.
CHART_FIELDS = {
    "unit_grades": {
        "grade": Field(f"等级：{BANDS}", GRADE, "", "优"),
        "count": Field("部门整体绩效评价为该等级的单位数", COUNT, "个", "28"),
    },
    "project_grades": {
        "grade": Field(f"等级，按第三方机构评分划定：{BANDS}", GRADE, "", "优"),
        "count": Field("第三方机构评价为该等级的重点项目数", COUNT, "个", "21"),
    },
    "score_bands": {
        "band": Field("分数段，含下限、不含上限，90–100 含 100 分", TEXT, "分", "80–90"),
        "units": Field("部门整体绩效评价得分在该分数段的单位数", COUNT, "个", "39"),
        "projects": Field("第三方机构评分在该分数段的重点项目数", COUNT, "个", "8"),
    },
    "funds_by_grade": {
        "grade": Field("重点项目的等级", GRADE, "", "良"),
        "projects": Field("该等级的重点项目数", COUNT, "个", "8"),
        "lines": Field("该等级重点项目的资金明细笔数", COUNT, "项", "10"),
        "funds": Field("该等级重点项目全部资金明细金额之和（精确值）", AMOUNT, "万元", "2305.4"),
    },
    "firm_scores": {
        "firm": Field("第三方机构名称", TEXT, "", "北京信府科技有限责任公司"),
        "count": Field("该机构评价的单位数", COUNT, "个", "3"),
        "mean": Field("该机构所评单位得分的平均分，四舍五入保留两位小数", SCORE, "分", "86.33"),
        "lowest": Field("该机构所评单位的最低分", SCORE, "分", "80.2"),
        "highest": Field("该机构所评单位的最高分", SCORE, "分", "92"),
    },
    "self_vs_third_party": {
        "number": Field("项目在评价结果表中的序号", COUNT, "", "5"),
        "name": Field("重点项目名称", TEXT, "", "幼儿园公办率及普惠率达标经费"),
        "lines": Field("项目的资金明细笔数", COUNT, "项", "2"),
        "self_score": Field(
            "自评得分；有多项资金明细的，按各明细金额加权平均，四舍五入保留两位小数",
            SCORE,
            "分",
            "99.55",
        ),
        "score": Field("第三方机构评分", SCORE, "分", "91.13"),
        "gap": Field(
            "第三方机构评分减自评得分，负数表示第三方评分低于自评",
            "数值，可为负数，最多两位小数" + IN_JSON,
            "分",
            "-8.42",
        ),
    },
}


def chart_downloads(charts) -> list[Download]:
    """Return the download of each chart's numbers (a Chart of evaluations.views.charts:
    its name, title, caption and columns), taken from the charts page with ?chart=name."""
    return [
        Download(
            slug=f"chart-{chart.name}",
            title=f"图表数据：{chart.title}",
            url_name="evaluations:charts",
            holds=chart.caption,
            columns=chart.columns,
            fields=CHART_FIELDS[chart.name],
            params=(("chart", chart.name),),
        )
        for chart in charts
    ]


# The result application table's download (evaluations.views.application), CSV and XLSX.
APPLICATION_FIELDS = {
    "kind": Field("评价类型：部门整体或重点项目", TEXT, "", "重点项目"),
    "name": Field("被评部门或重点项目的名称", TEXT, "", "三感社区专项工作经费"),
    "grade": Field("评价等级", GRADE, "", "良"),
    "score": Field(
        "评价得分：部门整体为第三方机构评价得分，重点项目为第三方机构评分",
        SCORE_NUMBER,
        "分",
        "87.75",
    ),
    "proposal": Field("按结果应用规则由评价等级等得出的建议", TEXT, "", "压减预算 10%"),
    "decided": Field("财政局确认的结果应用决定", TEXT, "", "压减预算 10%"),
    "base_amount": Field("本年度资金", AMOUNT_NUMBER, "万元", "510"),
    "next_year_amount": Field("下年度预算安排", AMOUNT_NUMBER, "万元", "459"),
    "change": Field("下年度安排减本年度资金，负数为压减", SIGNED_AMOUNT, "万元", "-51"),
}


def application_download(columns) -> Download:
    """Return the download of the result application table, given its export columns."""
    return Download(
        slug="application",
        title="评价结果应用",
        url_name="evaluations:application",
        holds="每个已确认结果应用决定的部门整体或重点项目一行：评价结果、系统建议、"
        "财政局的决定，以及本年度资金和下年度安排。",
        columns=tuple(columns),
        fields=APPLICATION_FIELDS,
        formats=("csv", "xlsx"),
    )


# summary.json, by the path of each key ("units.count"); in the counts by kind and by grade,
# "*" stands for each key of the object and {key} in the meaning for that key.
SUMMARY_FIELDS = {
    "region.code": Field("财政区划代码", TEXT),
    "region.name": Field("财政区划名称", TEXT),
    "year": Field("评价年度（预算年度）", COUNT),
    "units.count": Field("已公开部门整体绩效评价结果的单位数", COUNT, "个"),
    "units.by_kind.*": Field("单位类型为“{key}”的被评单位数", COUNT, "个"),
    "units.by_grade.*": Field("部门整体绩效评价等级为“{key}”的单位数", COUNT, "个"),
    "units.highest_score": Field("部门整体绩效评价最高分", SCORE, "分"),
    "units.lowest_score": Field("部门整体绩效评价最低分", SCORE, "分"),
    "projects.count": Field("已公开评价结果的重点项目数", COUNT, "个"),
    "projects.funding_lines": Field("重点项目的资金明细笔数", COUNT, "笔"),
    "projects.total_funds": Field("全部资金明细金额之和（精确值）", AMOUNT, "万元"),
    "projects.by_grade.*": Field("第三方机构评价等级为“{key}”的重点项目数", COUNT, "个"),
    "projects.highest_score": Field("重点项目第三方机构评分最高分", SCORE, "分"),
    "projects.lowest_score": Field("重点项目第三方机构评分最低分", SCORE, "分"),
    "projects.lowest_self_score": Field("各资金明细绩效自评得分中的最低分", SCORE, "分"),
}


def summary_paths(summary: dict, prefix: str = "") -> list[tuple[str, str, str, object]]:
    """Return (path, pattern, key, value) for every leaf of the summary, in its order.

    pattern is the path, with the key of an item of a by_* object replaced by "*".
    """
    leaves = []
    for key, value in summary.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            leaves.extend(summary_paths(value, f"{path}."))
            continue
        parent = prefix.rstrip(".")
        counted = parent.rsplit(".", 1)[-1].startswith("by_")
        leaves.append((path, f"{parent}.*" if counted else path, key, value))
    return leaves


def summary_dictionary(summary: dict) -> list[Entry]:
    """Return an entry for every key of this summary; its value, as in the file, the example."""
    entries = []
    for path, pattern, key, value in summary_paths(summary):
        field = SUMMARY_FIELDS[pattern]
        meaning = field.meaning.format(key=key)
        entries.append(Entry(path, path, meaning, field.type, field.unit, to_json(value)))
    return entries
