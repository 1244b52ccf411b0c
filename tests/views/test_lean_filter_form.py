"""The results pages' filter form, written in Python (LeanFilterSet.fields_html), is the same
HTML as Django's template loop over the form's fields, errors and escaping included."""

import pytest
from django.http import QueryDict
from django.template import engines
from django.test.html import parse_html

from evaluations.filters import ProjectResultFilter, UnitResultFilter
from evaluations.models import Firm, Project, UnitEvaluation

TEMPLATE_LOOP = """{% for field in filter.form %}
  <div class="field{% if field.errors %} field-error{% endif %}">
    <label for="{{ field.id_for_label }}">{{ field.label }}</label>
    {{ field }}
    {% if field.errors %}<span class="error">{{ field.errors|join:"；" }}</span>{% endif %}
  </div>
{% endfor %}"""

QUERIES = ["", "grade=优&firm=7&q=<script>", "grade=不存在&firm=99&kind=外星"]


def filtersets(data):
    yield UnitResultFilter(
        QueryDict(data),
        queryset=UnitEvaluation.objects.none(),
        firms=[Firm(pk=7, name="甲<b>评价</b>公司")],
    )
    yield ProjectResultFilter(
        QueryDict(data), queryset=Project.objects.none(), unit_kinds=["department", "township"]
    )


@pytest.mark.parametrize("data", QUERIES)
def test_the_form_is_the_html_of_the_template_loop(data):
    loop = engines["django"].from_string(TEMPLATE_LOOP)
    for filterset in filtersets(data):
        assert parse_html(filterset.fields_html()) == parse_html(loop.render({"filter": filterset}))


def test_a_bad_choice_is_shown_next_to_its_field():
    unit_filter = next(filtersets("grade=不存在"))
    assert 'class="field field-error"' in unit_filter.fields_html()
    assert '<span class="error">' in unit_filter.fields_html()
