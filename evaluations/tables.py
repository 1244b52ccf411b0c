"""What the public results tables show, on the page (django-tables2) and in their exports.

A column's ordering always ends with a unique key, so a page boundary never splits ties
differently from one request to the next. Names link to the public detail pages; the links
are built from the region the table is for and the row's own columns, so no row runs a query.
"""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from .decimals import grouped, stored_amount
from .exports import Column
from .grading import Grade

NUMBER = {"th": {"class": "num"}, "td": {"class": "num"}}


def grade_badge(value: str) -> str:
    return format_html(
        '<span class="grade grade-{}">{}</span>', Grade(value).name.lower(), Grade(value).label
    )


class ResultTable(tables.Table):
    # django-tables2 reads only a table's own Meta: subclasses extend this one.
    class Meta:
        attrs = {"class": "results"}
        empty_text = "没有符合筛选条件的记录。"

    export_columns: tuple[Column, ...] = ()

    def __init__(self, data, *, region, **kwargs):
        super().__init__(data, **kwargs)
        self.region = region

    def export_rows(self):
        """Return every row to export, filtered and ordered as the page shows them.

        Sorting a django-tables2 table re-orders its queryset in place (table.data.data);
        reading that queryset makes a download follow the page's order, on all pages.
        """
        return self.data.data


class UnitResultTable(ResultTable):
    class Meta(ResultTable.Meta):
        pass

    firm = tables.Column("评价机构", accessor="firm__name", order_by=("firm__name", "unit__name"))
    unit = tables.Column("被评单位", accessor="unit__name", order_by=("unit__name",))
    kind = tables.Column(
        "单位类型", accessor="unit__get_kind_display", order_by=("unit__kind", "unit__name")
    )
    score = tables.Column("得分", attrs=NUMBER, order_by=("score", "unit__name"))
    grade = tables.Column("等级", order_by=("score", "unit__name"))

    export_columns = (
        Column("firm", "评价机构", lambda e: e.firm.name, width=36),
        Column("unit", "被评单位", lambda e: e.unit.name, width=40),
        Column("kind", "单位类型", lambda e: e.unit.get_kind_display(), width=10),
        Column("score", "得分", lambda e: e.score, width=8),
        Column("grade", "等级", lambda e: e.grade, width=6),
    )

    def render_unit(self, value, record):
        url = reverse("evaluations:unit", args=[self.region.code, record.unit_id])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_grade(self, value):
        return grade_badge(value)


class ProjectResultTable(ResultTable):
    class Meta(ResultTable.Meta):
        pass

    number = tables.Column("序号", attrs=NUMBER, order_by=("number",))
    name = tables.Column(
        "项目名称（资金明细）",
        attrs={"th": {"class": "name"}, "td": {"class": "name"}},
        order_by=("name", "number"),
    )
    total_amount = tables.Column(
        "年度项目资金合计（万元）", attrs=NUMBER, order_by=("total_amount", "number")
    )
    self_scores = tables.Column(
        "自评得分", accessor="min_self_score", attrs=NUMBER, order_by=("min_self_score", "number")
    )
    score = tables.Column("第三方机构评分", attrs=NUMBER, order_by=("score", "number"))
    grade = tables.Column("等级", order_by=("score", "number"))

    # One row per funding line, carrying its project's columns: the columns of the table a
    # bureau circulates (and the importer reads), plus the project's total.
    export_columns = (
        Column("number", "序号", lambda r: r[0].number, width=6),
        Column("name", "项目名称", lambda r: r[0].name, width=40),
        Column("funding_line", "资金明细", lambda r: r[1].label, width=44),
        Column("amount", "年度项目资金（万元）", lambda r: r[1].amount, width=20),
        Column("self_score", "自评得分", lambda r: r[1].self_score, width=10),
        Column("score", "第三方机构评分", lambda r: r[0].score, width=14),
        Column("grade", "等级", lambda r: r[0].grade, width=6),
        Column(
            "total_amount",
            "项目资金合计（万元）",
            lambda r: stored_amount(r[0].total_amount),
            width=20,
        ),
    )

    def render_name(self, record):
        # funding_lines is prefetched by the selector: no query per row.
        lines = record.funding_lines.all()
        labelled = len(lines) > 1 or any(line.label != record.name for line in lines)
        items = format_html_join(
            "",
            '<li>{}<span class="line-amount">{} 万元</span>'
            '<span class="line-score">自评 {}</span></li>',
            (
                (
                    format_html('<span class="line-label">{}</span>', line.label)
                    if labelled
                    else "",
                    grouped(line.amount),
                    line.self_score,
                )
                for line in lines
            ),
        )
        url = reverse("evaluations:project", args=[self.region.code, record.year, record.number])
        return format_html(
            '<a class="project-name" href="{}">{}</a>'
            '<ul class="lines" aria-label="资金明细">{}</ul>',
            url,
            record.name,
            items,
        )

    def render_total_amount(self, value):
        return grouped(stored_amount(value))

    def render_self_scores(self, record):
        return " / ".join(str(line.self_score) for line in record.funding_lines.all())

    def render_grade(self, value):
        return grade_badge(value)

    def export_rows(self):
        """Yield (project, funding line) for every line of every project, in table order."""
        for project in super().export_rows():
            for line in project.funding_lines.all():
                yield project, line


class DetailTable(tables.Table):
    # A short table on a detail page: in its natural order, on one page.
    class Meta:
        attrs = {"class": "results"}
        orderable = False


class UnitHistoryTable(DetailTable):
    """A unit's public evaluations, one per year, each linking to its year's overview."""

    class Meta(DetailTable.Meta):
        pass

    year = tables.Column("年度")
    firm = tables.Column("评价机构", accessor="firm__name")
    score = tables.Column("得分", attrs=NUMBER)
    grade = tables.Column("等级")
    change = tables.Column("较上一公开年度", accessor="pk", attrs=NUMBER, orderable=False)

    def render_change(self, record):
        # views.unit_detail sets each year's previous released year on it.
        previous = getattr(record, "previous", None)
        if previous is None or record.score is None or previous.score is None:
            return "—"
        change = record.score - previous.score
        word = "上升" if change > 0 else "下降" if change < 0 else "持平"
        moved = f"{word} {abs(change)} 分" if change else word
        return f"{moved}（{previous.year} 年度 {previous.score} 分）"

    def render_year(self, value, record):
        # The selector fetched each evaluation's region with it.
        url = reverse("evaluations:overview", args=[record.region.code, value])
        return format_html('<a href="{}">{} 年度</a>', url, value)

    def render_grade(self, value):
        return grade_badge(value)


class FundingLineTable(DetailTable):
    """A project's funding lines with their amounts and the spending units' self-scores."""

    class Meta(DetailTable.Meta):
        pass

    label = tables.Column("资金明细", attrs={"th": {"class": "name"}, "td": {"class": "name"}})
    amount = tables.Column("年度项目资金（万元）", attrs=NUMBER)
    self_score = tables.Column("自评得分", attrs=NUMBER)

    def render_amount(self, value):
        return grouped(value)
