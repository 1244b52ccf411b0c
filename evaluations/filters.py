"""Filters of the public results tables (django-filter), shared by the pages and their exports.

Choices that depend on the data (the firms of a year, the kinds of owning units) are read
once by the view through a selector and handed in, so building and validating the form
runs no query of its own.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from .classification import UnitKind
from .grading import Grade
from .models import FundingLine

ALL = "全部"
SELECTED = {True: " selected", False: ""}


class LeanSelect(forms.Select):
    """A select written out in Python, the same markup as Django's template widget.

    The template widget renders every option through two included templates: with a
    year's forty firms that costs more than the results page's queries.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = "".join(
            f'<option value="{escape(option["value"])}"{SELECTED[option["selected"]]}>'
            f"{escape(option['label'])}</option>"
            for _, group, _ in widget["optgroups"]
            for option in group
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), mark_safe(options)
        )


class LeanFilterSet(django_filters.FilterSet):
    def fields_html(self) -> str:
        """Return each field of the form with its label and errors, as the page shows them.

        Written here, not in a template loop: the loop's nodes cost as much as the widgets.
        """
        parts = []
        for field in self.form:
            errors = field.errors
            parts.append(
                format_html(
                    '<div class="field{}">\n<label for="{}">{}</label>\n{}\n{}</div>\n',
                    " field-error" if errors else "",
                    field.id_for_label,
                    field.label,
                    field,
                    format_html('<span class="error">{}</span>', "；".join(errors))
                    if errors
                    else "",
                )
            )
        return mark_safe("".join(parts))


class UnitResultFilter(LeanFilterSet):
    q = django_filters.CharFilter(
        label="单位名称", field_name="unit__name", lookup_expr="icontains"
    )
    firm = django_filters.ChoiceFilter(
        label="评价机构", field_name="firm_id", empty_label=ALL, widget=LeanSelect
    )
    grade = django_filters.ChoiceFilter(
        label="等级", choices=Grade.choices, empty_label=ALL, widget=LeanSelect
    )
    kind = django_filters.ChoiceFilter(
        label="单位类型",
        field_name="unit__kind",
        choices=UnitKind.choices,
        empty_label=ALL,
        widget=LeanSelect,
    )

    def __init__(self, data=None, queryset=None, *, firms, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["firm"].extra["choices"] = [(firm.pk, firm.name) for firm in firms]


class ProjectResultFilter(LeanFilterSet):
    q = django_filters.CharFilter(label="项目或资金明细名称", method="search")
    grade = django_filters.ChoiceFilter(
        label="等级", choices=Grade.choices, empty_label=ALL, widget=LeanSelect
    )
    kind = django_filters.ChoiceFilter(
        label="主管部门类型", field_name="unit__kind", empty_label=ALL, widget=LeanSelect
    )

    def __init__(self, data=None, queryset=None, *, unit_kinds, **kwargs):
        super().__init__(data, queryset, **kwargs)
        if unit_kinds:
            self.filters["kind"].extra["choices"] = [
                (kind, UnitKind(kind).label) for kind in unit_kinds
            ]
        else:
            # No project of the year names its owning unit: the filter could only empty the table.
            del self.filters["kind"]

    def search(self, queryset, name, value):
        # Exists, not a join on funding_lines: a join would repeat a project once per
        # matching line and inflate its Σ-of-lines annotation.
        lines = FundingLine.objects.filter(project=OuterRef("pk"), label__icontains=value)
        return queryset.filter(Q(name__icontains=value) | Exists(lines))
