"""What the public results tables show, on the page (django-tables2) and in their exports.

A column's ordering always ends with a unique key, so a page boundary never splits ties
differently from one request to the next. Names link to the public detail pages; the links
are built from the region the table is for and the row's own columns, so no row runs a query.

The rows are written by LeanTable.rows_html, not cell by cell in the template: django-tables2
works out each cell's attributes, its render method's signature and its template nodes again
for every cell, which costs five times the page's own queries at 50 rows (benchmarks/pages.py).
"""

import functools
import inspect

import django_tables2 as tables
from django.db import models
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django_tables2.rows import BoundRow
from django_tables2.templatetags.django_tables2 import table_page_range

from .decimals import grouped, stored_amount
from .exports import Column
from .grading import Grade

EXPORT_CHUNK = 2000
LINK_PLACEHOLDER = 987654321987654321
NUMBER = {"th": {"class": "num"}, "td": {"class": "num"}}


@functools.cache
def grade_badge(value: str) -> str:
    # Four grades: each badge is written once per process.
    return format_html(
        '<span class="grade grade-{}">{}</span>', Grade(value).name.lower(), Grade(value).label
    )


# The arguments django-tables2 offers a render_<column> method (rows.BoundRow), but bound_row.
CELL_ARGUMENTS = {"value", "record", "column", "bound_column", "table"}


class _Cells:
    """How one column's cells are written, worked out once per page instead of once per cell.

    The same cell as django-tables2's BoundRow.get_cell for a plain Column with fixed attrs:
    the value through the accessor (a model field with choices shown by its label), the
    default for an empty value, else the column's render method with the arguments it
    names; then localized and escaped as a template variable is.
    """

    def __init__(self, table, bound_column, first_record):
        column = bound_column.column
        self.name = bound_column.name
        self.bits = tuple(bound_column.accessor.bits)
        self.empty_values = column.empty_values
        self.default = bound_column.default
        self.render = bound_column.render
        # Column.render returns the value as it is: no call needed.
        self.renders = self.render.__func__ is not tables.Column.render
        parameters = inspect.signature(self.render).parameters.values()
        arguments = {p.name for p in parameters if p.kind != p.VAR_POSITIONAL}
        self.wants_value, self.wants_record = "value" in arguments, "record" in arguments
        offered = {"column": column, "bound_column": bound_column, "table": table}
        self.fixed = {name: offered[name] for name in arguments & offered.keys()}
        attrs = {**table.attrs, **column.attrs}
        td = attrs.get("td", attrs.get("cell", {}))
        # Anything django-tables2 would work out per cell is left to it.
        self.lean = (
            type(column) is tables.Column
            and not bound_column.link
            and not (bound_column.accessor.callable_args or bound_column.accessor.callable_kwargs)
            and not any(callable(value) for value in td.values())
            and arguments <= CELL_ARGUMENTS
        )
        self.opening = str(
            format_html(
                '<td {} data-label="{}">', bound_column.attrs["td"].as_html(), bound_column.header
            )
        )
        self.labels = self._labels(bound_column.accessor, first_record)

    @staticmethod
    def _labels(accessor, record) -> dict | None:
        """Return the labels of the column's choices if it shows a model field that has them."""
        if record is None:
            return None
        penultimate, remainder = accessor.penultimate(record)
        if not isinstance(penultimate, models.Model):
            return None
        try:
            field = accessor.get_field(record)
        except models.FieldDoesNotExist:
            return None
        if not getattr(field, "choices", None) or not hasattr(
            penultimate, f"get_{remainder}_display"
        ):
            return None
        return {value: force_str(label, strings_only=True) for value, label in field.flatchoices}

    def html(self, record, row: BoundRow) -> str:
        if not self.lean:
            content = row.get_cell(self.name)
        else:
            value = _resolve(record, self.bits)
            if self.labels is not None and value is not None:
                value = self.labels.get(value, value)
            if value in self.empty_values:
                content = self.default
            elif not self.renders:
                content = value
            else:
                kwargs = dict(self.fixed)
                if self.wants_value:
                    kwargs["value"] = value
                if self.wants_record:
                    kwargs["record"] = record
                content = self.render(**kwargs)
        if not isinstance(content, str):
            content = localize(content)
        return f"{self.opening}{conditional_escape(content)}</td>"


def _resolve(record, bits):
    """Return the value at the end of an accessor's path, as Accessor.resolve(quiet=True)
    does for a model row or a dict: attributes (or keys), calling what is callable; None
    where the path breaks off."""
    value = record
    for bit in bits:
        try:
            value = value[bit] if isinstance(value, dict) else getattr(value, bit)
        except (AttributeError, KeyError):
            return None
        if callable(value) and not getattr(value, "do_not_call_in_templates", False):
            value = value()
        if value is None:
            return None
    return value


class LeanTable(tables.Table):
    """A django-tables2 table whose header, rows and page links the project's template
    (templates/evaluations/_table.html) writes in one piece each."""

    def _query(self, changes: dict, without: str = "") -> str:
        """Return ?query of this request with changes, as django-tables2's querystring_replace."""
        request = getattr(self, "request", None)
        params = dict(request.GET) if request is not None else {}
        params.update(changes)
        params.pop(without, None)
        return escape("?" + urlencode(params, doseq=True))

    def head_html(self) -> str:
        """Return the <th> of every column: a sort link in each sortable one."""
        cells = []
        for column in self.columns:
            sort = ""
            if column.is_ordered:
                descending = column.order_by_alias.is_descending
                sort = ' aria-sort="descending"' if descending else ' aria-sort="ascending"'
            header = conditional_escape(column.header)
            if column.orderable:
                mark = ("▼" if descending else "▲") if column.is_ordered else "↕"
                href = self._query(
                    {self.prefixed_order_by_field: column.order_by_alias.next},
                    without=self.prefixed_page_field,
                )
                header = (
                    f'<a href="{href}" title="按{header}排序">{header}'
                    f'<span class="sort-mark" aria-hidden="true">{mark}</span></a>'
                )
            cells.append(f'<th scope="col" {column.attrs["th"].as_html()}{sort}>{header}</th>')
        return mark_safe("\n".join(cells))

    def pages_html(self) -> str:
        """Return the page links of a table on more than one page, else ""."""
        page = getattr(self, "page", None)
        if page is None or self.paginator.num_pages <= 1:
            return ""
        field = self.prefixed_page_field
        items = []
        if page.has_previous():
            href = self._query({field: page.previous_page_number()})
            items.append(f'<li><a href="{href}" rel="prev">上一页</a></li>')
        for number in table_page_range(page, self.paginator):
            if number == "...":
                items.append('<li><span class="gap">…</span></li>')
            elif number == page.number:
                items.append(f'<li><span class="current" aria-current="page">{number}</span></li>')
            else:
                href = self._query({field: number})
                items.append(f'<li><a href="{href}" aria-label="第 {number} 页">{number}</a></li>')
        if page.has_next():
            href = self._query({field: page.next_page_number()})
            items.append(f'<li><a href="{href}" rel="next">下一页</a></li>')
        return mark_safe(
            '<nav class="pagination" aria-label="分页">\n  <ul>\n'
            + "\n".join(items)
            + "\n  </ul>\n</nav>"
        )

    def rows_html(self) -> str:
        """Return the <tr> of every row shown (this page's, when paginated), as safe HTML."""
        rows = list(self.paginated_rows)
        columns = list(self.columns)
        first = rows[0].record if rows else None
        cells = [_Cells(self, column, first) for column in columns]
        html = []
        for index, row in enumerate(rows):
            parity = "odd" if index % 2 else "even"
            html.append(f'<tr class="{parity}">')
            html.extend(cell.html(row.record, row) for cell in cells)
            html.append("</tr>\n")
        return mark_safe("".join(html))


class ResultTable(LeanTable):
    # django-tables2 reads only a table's own Meta: subclasses extend this one.
    class Meta:
        attrs = {"class": "results"}
        empty_text = "没有符合筛选条件的记录。"

    export_columns: tuple[Column, ...] = ()

    def __init__(self, data, *, region, **kwargs):
        super().__init__(data, **kwargs)
        self.region = region
        self._links = {}

    def link(self, name: str, *args):
        """Return a function of a last argument giving reverse(name, args=[*args, last]).

        The route is reversed once per table: reverse() per row costs more than the rest
        of the row. The placeholder is a valid id (evaluations.converters.IdConverter).
        """
        if (name, args) not in self._links:
            head, tail = reverse(name, args=[*args, LINK_PLACEHOLDER]).rsplit(
                str(LINK_PLACEHOLDER), 1
            )
            self._links[name, args] = lambda last: f"{head}{int(last)}{tail}"
        return self._links[name, args]

    def export_rows(self):
        """Return every row to export, filtered and ordered as the page shows them.

        Sorting a django-tables2 table re-orders its queryset in place (table.data.data);
        reading that queryset makes a download follow the page's order, on all pages. Rows
        are read EXPORT_CHUNK at a time (prefetched relations with each chunk), so a
        streamed download of 300,000 rows never holds them all.
        """
        return self.data.data.iterator(chunk_size=EXPORT_CHUNK)


class UnitResultTable(ResultTable):
    class Meta(ResultTable.Meta):
        pass

    firm = tables.Column("评价机构", accessor="firm__name", order_by=("firm__name", "unit__name"))
    unit = tables.Column("被评单位", accessor="unit__name", order_by=("unit__name",))
    # unit__kind is a field with choices: the cell shows its label.
    kind = tables.Column("单位类型", accessor="unit__kind", order_by=("unit__kind", "unit__name"))
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
        url = self.link("evaluations:unit", self.region.code)(record.unit_id)
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
        url = self.link("evaluations:project", self.region.code, record.year)(record.number)
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


class DetailTable(LeanTable):
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
