"""Cell parsers for the result tables. Each raises ValueError with a message for the clerk."""

from decimal import Decimal
from functools import lru_cache

from import_export import widgets

from ..classification import kind_for_name, kind_from_label
from ..decimals import DecimalParseError, exact, parse_amount, parse_score
from ..exports import neutralised
from ..grading import grade_from_label
from ..models import Firm, Unit
from .sheet import cell_text


class TextWidget(widgets.Widget):
    def __init__(self, *, required=False, max_length=None, label=""):
        super().__init__()
        self.required, self.max_length, self.label = required, max_length, label

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if self.required and not text:
            raise ValueError("不能为空")
        if self.max_length and len(text) > self.max_length:
            raise ValueError(f"超过 {self.max_length} 个字")
        return text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else neutralised(str(value))


class ScoreWidget(widgets.Widget):
    def __init__(self, *, required=True):
        super().__init__()
        self.required = required

    def clean(self, value, row=None, **kwargs):
        try:
            score = parse_score(value)
        except DecimalParseError as exc:
            raise ValueError(str(exc)) from None
        if score is None and self.required:
            raise ValueError("不能为空")
        return score

    def render(self, value, obj=None, **kwargs):
        # A number stays a number: an exported xlsx gets a numeric cell.
        return "" if value is None else value


class AmountWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        try:
            amount = parse_amount(value)
        except DecimalParseError as exc:
            raise ValueError(str(exc)) from None
        if amount is None:
            raise ValueError("不能为空")
        return amount

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else Decimal(exact(value))  # 476.604, not 476.604000


# The few labels a file uses, each looked up once (Grade.values is rebuilt on every call).
_grade_named = lru_cache(maxsize=256)(grade_from_label)


class GradeWidget(widgets.Widget):
    """A grade as written in the file; blank means "derive it from the score"."""

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        grade = _grade_named(text)
        if grade is None:
            raise ValueError(f"“{text}”不是等级（应为 优、良、中、差 之一）")
        return grade.value

    def render(self, value, obj=None, **kwargs):
        return value or ""


class FirmWidget(widgets.Widget):
    """A third-party firm by name, registered on first sight.

    An importer that prefetched the firms sets `known` (name -> Firm): a new name then
    gets an unsaved Firm there, which the importer saves with its rows.
    """

    def __init__(self):
        super().__init__()
        self.known: dict[str, Firm] | None = None

    def clean(self, value, row=None, **kwargs):
        name = cell_text(value)
        if not name:
            raise ValueError("不能为空")
        if len(name) > Firm._meta.get_field("name").max_length:
            raise ValueError("名称过长")
        if self.known is not None:
            if name not in self.known:
                self.known[name] = Firm(name=name)
            return self.known[name]
        firm, _ = Firm.objects.get_or_create(name=name)
        return firm

    def render(self, value, obj=None, **kwargs):
        return neutralised(value.name) if value else ""


class UnitWidget(widgets.Widget):
    """A budget unit of the import's region by name, registered on first sight.

    The kind comes from the row's 单位类型 column when the file has one, otherwise from
    the name (evaluations.classification). An importer that prefetched the region's units
    sets `known` (name -> Unit), as for FirmWidget.
    """

    def __init__(self, *, required=True, kind_column=None):
        super().__init__()
        self.required, self.kind_column = required, kind_column
        self.region = None
        self.known: dict[str, Unit] | None = None

    def clean(self, value, row=None, **kwargs):
        name = cell_text(value)
        if not name:
            if self.required:
                raise ValueError("不能为空")
            return None
        if len(name) > Unit._meta.get_field("name").max_length:
            raise ValueError("名称过长")
        stated = self._stated_kind(row)
        if self.known is not None:
            unit = self.known.get(name)
        else:
            unit = Unit.objects.filter(region=self.region, name=name).first()
        if unit is None:
            unit = Unit(region=self.region, name=name, kind=stated or kind_for_name(name))
            if self.known is None:
                unit.save()
            else:
                self.known[name] = unit
            return unit
        if stated and stated != unit.kind:
            raise ValueError(
                f"单位类型“{cell_text(row[self.kind_column])}”与已登记的"
                f"“{unit.get_kind_display()}”不一致"
            )
        return unit

    def _stated_kind(self, row):
        if not self.kind_column or not row:
            return None
        label = cell_text(row.get(self.kind_column))
        if not label:
            return None
        kind = kind_from_label(label)
        if kind is None:
            raise ValueError(f"单位类型“{label}”应为 部门、乡镇、街道 之一")
        return kind

    def render(self, value, obj=None, **kwargs):
        return neutralised(value.name) if value else ""
