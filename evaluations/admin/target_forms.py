"""The forms of a performance target: filing a new one, and editing the version being
worked on with its 三级 indicators grouped under the version's 一级 and 二级.

The forms only read and check what was typed; services.targets writes it (target_create,
target_version_update with the tree built here).
"""

from django import forms

from .. import policies
from ..grading import Grade
from ..indicators import Direction, Node
from ..models import IndicatorNode, PerformanceTarget, Project, TargetVersion
from ..selectors.targets import framework_tree, version_tree
from ..services.targets import VERSION_FIELDS
from ..workflow import FILING_TRANSITIONS, TARGET_REVIEW
from .filing_forms import FilingForm, RefusableForm, StepForm
from .trees import SEPARATOR, points_text

LEAF_FIELDS = (
    "operator",
    "target_value",
    "unit_of_measure",
    "quantitative",
    "direction",
    "points",
    "core",
    "scoring_rule",
    "explanation",
    "common",
)
KINDS = [("1", "定量"), ("0", "定性")]


def version_fields() -> dict:
    """Return the form fields of a version's goal and funds (services.targets.VERSION_FIELDS)."""
    return forms.fields_for_model(TargetVersion, fields=VERSION_FIELDS)


class TargetAddBase(RefusableForm):
    """A new target: the unit (its region follows), the year, what it is, and its goal.

    The indicators come from the region's template (services.targets.starting_tree) and
    are written on the target's page next.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = policies.visible_units(self.user).select_related("region")
        if "evaluation" in self.fields:
            self.fields["evaluation"].queryset = policies.visible(self.user, Project)

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit")
        if unit is not None:
            self.instance.region = unit.region
        if cleaned.get("scope") == PerformanceTarget.Scope.UNIT:
            cleaned["project_name"] = ""
        elif not (cleaned.get("project_name") or "").strip():
            self.add_error("project_name", "项目绩效目标须填写项目名称")
        return cleaned

    def version_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in VERSION_FIELDS}


TargetAddForm = type("TargetAddForm", (TargetAddBase,), version_fields())


class IndicatorRowForm(forms.ModelForm):
    """One 三级 indicator: its group (一级 › 二级), value fields and points; a new row may
    start from the template's library (共性指标)."""

    group = forms.TypedChoiceField(
        label="一级 › 二级", coerce=int, required=False, empty_value=None
    )
    library = forms.TypedChoiceField(
        label="从指标库选取", coerce=int, required=False, empty_value=None
    )
    quantitative = forms.TypedChoiceField(
        label="指标值类型", choices=KINDS, coerce=lambda value: value == "1", initial="1"
    )
    common = forms.BooleanField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = IndicatorNode
        fields = ["name", "operator", "target_value", "unit_of_measure", "direction", "points"]
        fields += ["core", "scoring_rule", "explanation"]
        widgets = {
            "name": forms.TextInput(attrs={"size": 16}),
            "target_value": forms.TextInput(attrs={"size": 8}),
            "unit_of_measure": forms.TextInput(attrs={"size": 4}),
            "points": forms.NumberInput(attrs={"step": "0.01", "style": "width: 5em"}),
            "scoring_rule": forms.Textarea(attrs={"rows": 2, "cols": 18}),
            "explanation": forms.Textarea(attrs={"rows": 2, "cols": 14}),
        }

    def __init__(self, *args, groups, library, **kwargs):
        super().__init__(*args, **kwargs)
        self.library_nodes = library
        self.fields["group"].choices = [("", "—"), *groups]
        self.fields["library"].choices = [
            ("", "—"),
            *((pk, f"{node.parent.name}{SEPARATOR}{node.name}") for pk, node in library.items()),
        ]
        self.fields["name"].required = False
        self.fields["points"].required = True
        self.fields["direction"].choices = [("", "按计算符号"), *Direction.choices]

    def clean(self):
        cleaned = super().clean()
        picked = self.library_nodes.get(cleaned.get("library"))
        if picked is not None and not cleaned.get("name"):
            cleaned.update(
                name=picked.name,
                operator=picked.operator,
                target_value=picked.target_value,
                unit_of_measure=picked.unit_of_measure,
                quantitative=picked.quantitative,
                direction=picked.direction,
                scoring_rule=picked.scoring_rule,
                explanation=picked.explanation,
                common=True,
            )
            self.picked_group = picked.parent.name
        if not cleaned.get("name"):
            self.add_error("name", "请填写三级指标名称，或从指标库选取")
        return cleaned

    def leaf(self) -> Node:
        data = self.cleaned_data
        attrs = {name: data.get(name) for name in LEAF_FIELDS if name != "points"}
        return Node(data["name"], 3, data["points"], attrs=attrs)


class IndicatorRows(forms.BaseFormSet):
    """The rows of a version; a row picked from the library without a group goes under
    the version's 二级 of the library entry's name (second_names: name → 二级 id)."""

    def __init__(self, *args, second_names, **kwargs):
        self.second_names = second_names
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            if form.cleaned_data.get("group") is None:
                group = self.second_names.get(getattr(form, "picked_group", None))
                if group is None:
                    form.add_error("group", "请选择所属的一级 › 二级指标")
                form.cleaned_data["group"] = group


IndicatorFormSet = forms.formset_factory(
    IndicatorRowForm, formset=IndicatorRows, extra=3, can_delete=True
)


def row_initial(row: IndicatorNode, group: int) -> dict:
    return {
        "group": group,
        "name": row.name,
        **{name: getattr(row, name) for name in LEAF_FIELDS},
        "quantitative": "1" if row.quantitative else "0",
    }


class TargetEditBase(FilingForm):
    """The version being worked on: its goal and funds, and its 三级 indicators.

    The 一级 and 二级 come from the version; 一级 points may be changed only where the
    template allows adjustment, 二级 points follow their indicators unless the template
    fixes them.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version = self.filing
        self.roots = version_tree(version)
        for name in VERSION_FIELDS:
            self.initial.setdefault(name, getattr(version, name))
        data = self.data if self.is_bound else None
        seconds = [(second, first) for first in self.roots for second in first.children]
        groups = [(s.attrs["row"].pk, f"{f.name}{SEPARATOR}{s.name}") for s, f in seconds]
        template = framework_tree(version.framework)
        library = {
            leaf.pk: leaf
            for leaf in IndicatorNode.objects.filter(
                framework=version.framework_id, level=3
            ).select_related("parent")
        }
        initial = [
            row_initial(leaf.attrs["row"], second.attrs["row"].pk)
            for second, _ in seconds
            for leaf in second.children
        ]
        self.indicators = IndicatorFormSet(
            data,
            initial=initial,
            prefix="indicators",
            form_kwargs={"groups": groups, "library": library},
            second_names={s.name: s.attrs["row"].pk for s, _ in seconds},
        )
        self.fixed_seconds = {
            (first.name, second.name): second.points
            for first in template
            for second in first.children
            if second.points is not None
        }
        self.adjustable = version.framework.allow_adjustment
        for i, first in enumerate(self.roots):
            if self.adjustable:
                self.fields[f"level1_{i}"] = forms.DecimalField(
                    label=f"{first.name}分值", max_digits=5, decimal_places=2, min_value=0
                )
                self.fields[f"level1_{i}"].initial = first.points
        self.sections = self.grouped(seconds)

    def grouped(self, seconds) -> list[dict]:
        """Return the rows under their 一级 and 二级 as the page shows them; new rows last."""
        by_group = {}
        for form in self.indicators.forms[: len(self.indicators.initial)]:
            by_group.setdefault(form.initial["group"], []).append(form)
        sections = []
        for i, first in enumerate(self.roots):
            sections.append(
                {
                    "first": first,
                    "points": self[f"level1_{i}"] if self.adjustable else points_text(first.points),
                    "seconds": [
                        {"second": second, "forms": by_group.get(second.attrs["row"].pk, [])}
                        for second in first.children
                    ],
                }
            )
        return sections

    @property
    def new_rows(self):
        return self.indicators.forms[len(self.indicators.initial) :]

    def clean(self):
        cleaned = super().clean()
        if not self.indicators.is_valid():
            raise forms.ValidationError("绩效指标填写有误，请查看下面各行的提示")
        return cleaned

    def has_changed(self):
        return super().has_changed() or self.indicators.has_changed()

    def tree(self) -> list[Node] | None:
        """Return the tree as the page now has it, None if no indicator or point changed."""
        level1 = [name for name in self.changed_data if name.startswith("level1_")]
        if not (self.indicators.has_changed() or level1):
            return None
        leaves = {}
        for form in self.indicators.forms:
            data = form.cleaned_data
            if data and not data.get("DELETE"):
                leaves.setdefault(data["group"], []).append(form.leaf())
        return [
            Node(
                first.name,
                1,
                self.cleaned_data[f"level1_{i}"] if self.adjustable else first.points,
                [
                    Node(
                        second.name,
                        2,
                        self.fixed_seconds.get((first.name, second.name)),
                        leaves.get(second.attrs["row"].pk, []),
                    )
                    for second in first.children
                ],
            )
            for i, first in enumerate(self.roots)
        ]


TargetEditForm = type("TargetEditForm", (TargetEditBase,), version_fields())


class ReviewForm(StepForm):
    """The bureau's review of a submitted version: a grade, and an opinion where the grade
    returns or refuses it (workflow.TARGET_REVIEW)."""

    grade = forms.ChoiceField(
        label="审核等级",
        choices=Grade.choices,
        widget=forms.RadioSelect,
        help_text="优、良：审核通过；中：退回修改；差：不予安排（不得进入预算安排）",
    )
    field_order = ["grade", "comment", "revision"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].label = "审核意见（中、差必填）"

    def clean(self):
        cleaned = super().clean()
        grade = cleaned.get("grade")
        transition = FILING_TRANSITIONS[TARGET_REVIEW[grade]] if grade else None
        if transition is not None and transition.needs_comment and not cleaned.get("comment"):
            self.add_error("comment", f"审核等级为“{grade}”（{transition.label}）必须填写审核意见")
        return cleaned
