"""Import of the key-project results table (重点项目支出绩效评价结果表)."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import fields

from .. import policies
from ..decimals import DecimalParseError, to_decimal
from ..models import FundingLine, Project
from . import widgets
from .resources import ResultsResource
from .sheet import Column, cell_text, is_blank

TOTAL_LABELS = {"合计", "总计", "小计合计"}


class ProjectResource(ResultsResource):
    """重点项目支出绩效评价结果表: one sheet row per funding line (资金明细).

    序号 | 项目名称 | 年度项目资金（万元） | 自评得分 | 第三方机构评分 | 等级
    [| 资金明细 | 主管部门 | 备注].
    Rows sharing a 序号 (or with a blank one) are lines of the project above; a blank name
    continues the line above. The project's name is its first line's name. The third-party
    score and grade belong to the project: a continuation line may repeat them or leave
    them blank, but not contradict them. A 合计 row is checked against the lines' sum.
    """

    number = fields.Field("project__number", "序号", readonly=True)
    name = fields.Field(
        "project__name", "项目名称", widget=widgets.TextWidget(required=True, max_length=200)
    )
    label = fields.Field(
        "label", "资金明细", widget=widgets.TextWidget(required=True, max_length=200)
    )
    amount = fields.Field("amount", "年度项目资金（万元）", widget=widgets.AmountWidget())
    self_score = fields.Field("self_score", "自评得分", widget=widgets.ScoreWidget())
    score = fields.Field("project__score", "第三方机构评分", widget=widgets.ScoreWidget())
    grade = fields.Field(
        "project__grade", "等级", widget=widgets.GradeWidget(), saves_null_values=False
    )
    unit = fields.Field("project__unit", "主管部门", widget=widgets.UnitWidget(required=False))
    note = fields.Field("project__note", "备注", widget=widgets.TextWidget(max_length=500))

    columns = (
        Column("number", ("序号", "项目序号", "编号")),
        Column("name", ("项目名称", "项目")),
        Column(
            "amount",
            ("年度项目资金", "项目资金", "资金", "金额", "年度资金", "资金金额", "预算金额"),
            unit="万元",
        ),
        Column("self_score", ("自评得分", "自评分", "自评分数", "单位自评得分")),
        Column(
            "score",
            (
                "第三方机构评分",
                "第三方评分",
                "第三方机构得分",
                "第三方评价得分",
                "评价得分",
                "第三方机构评价评分",
                "第三方机构评价得分",
                "第三方评价评分",
            ),
            required=False,
        ),
        Column(
            "grade", ("等级", "评价等级", "第三方评价等级", "第三方机构评价等级"), required=False
        ),
        Column("label", ("资金明细", "资金名称", "明细", "资金来源"), required=False),
        Column("unit", ("主管部门", "实施单位", "预算单位"), required=False),
        Column("note", ("备注",), required=False),
        # Checked against the sum of the project's lines, never stored: funds are derived.
        Column("stated_total", ("项目资金合计", "年度项目资金合计"), required=False, unit="万元"),
    )
    derived = ("label",)
    policy_names = {
        "label": "lines",
        "amount": "lines",
        "self_score": "lines",
        "grade": None,
        "number": None,
    }
    internal_headers = ("_position", "_first", "_delete", "_total", "_broken")

    import_permission_model = Project

    class Meta:
        model = FundingLine
        fields = (
            "number",
            "name",
            "label",
            "amount",
            "self_score",
            "score",
            "grade",
            "unit",
            "note",
        )
        import_id_fields = ("number",)
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True

    @classmethod
    def get_display_name(cls):
        return "重点项目支出绩效评价结果表"

    # -- grouping lines into projects ----------------------------------------------------

    def prepare(self, rows):
        records, total_rows = [], []
        groups: dict[int, dict] = {}
        current = None
        for index, (number, values) in enumerate(rows):
            record = dict(values)
            if cell_text(record.get("number")) in TOTAL_LABELS or (
                is_blank(record.get("number")) and cell_text(record.get("name")) in TOTAL_LABELS
            ):
                total_rows.append((index, record))
                records.append((number, {"_total": True, **record}))
                continue
            seq = self._number(index, record.get("number"))
            if seq is None and not is_blank(record.get("number")):
                current, record["_broken"] = None, True
            elif seq is None or (current and seq == current["number"]):
                if current is None:
                    self.problem(index, NON_FIELD_ERRORS, "序号为空，且上方没有可接续的项目")
                    record["_broken"] = True
                else:
                    self._continue(index, number, record, current)
            elif seq in groups:
                self.problem(index, "number", f"序号 {seq} 与第{groups[seq]['row']}行的项目重复")
                current, record["_broken"] = None, True
            else:
                current = self._start(index, number, record, seq)
                groups[seq] = current
            records.append((number, record))
        for index, record in total_rows:
            self._check_total(index, record, records)
        for group in groups.values():
            self._check_project_total(group)
        return records + self._stale_lines(groups)

    def _number(self, index, raw):
        if is_blank(raw):
            return None
        try:
            value = to_decimal(raw)
        except DecimalParseError:
            value = None
        if value is None or value != value.to_integral_value() or value < 1:
            self.problem(index, "number", f"“{cell_text(raw)}”不是正整数序号")
            return None
        return int(value)

    def _start(self, index, number, record, seq):
        record.update(number=seq, _position=1, _first=True)
        record["label"] = (
            record.get("label") if not is_blank(record.get("label")) else record.get("name")
        )
        return {
            "number": seq,
            "row": number,
            "index": index,
            "first": record,
            "lines": 1,
            "last": record,
            "amounts": [record.get("amount")],
        }

    def _continue(self, index, number, record, group):
        first, last = group["first"], group["last"]
        group["lines"] += 1
        group["amounts"].append(record.get("amount"))
        record.update(number=group["number"], _position=group["lines"], _first=False)
        own_name = record.get("name")
        if is_blank(record.get("label")) and not is_blank(own_name):
            record["label"] = own_name
        elif is_blank(record.get("label")):
            record["label"] = last["label"]  # a blank name continues the line above
        record["name"] = first["name"]
        for key in ("score", "grade", "unit", "note", "stated_total"):
            if is_blank(record.get(key)):
                record[key] = first.get(key)
            elif cell_text(record[key]) != cell_text(first.get(key)) and not _same_number(
                record[key], first.get(key)
            ):
                header = self.headers.get(key, key)
                self.problem(
                    index,
                    key,
                    f"同一项目（序号 {group['number']}）只有一个{header}，"
                    f"第{group['row']}行为“{cell_text(first.get(key))}”，此行为“{cell_text(record[key])}”",
                )
        group["last"] = record

    def _check_project_total(self, group):
        raw = group["first"].get("stated_total")
        try:
            stated = to_decimal(raw, unit="万元")
            computed = sum((to_decimal(a, unit="万元") or 0 for a in group["amounts"]), start=0)
        except DecimalParseError as exc:
            if not is_blank(raw):
                self.problem(group["index"], "stated_total", str(exc))
            return  # a bad line amount is reported on its own row
        if stated is not None and stated != computed:
            self.problem(
                group["index"],
                "stated_total",
                f"项目资金合计 {stated:f} 与该项目各行资金之和 {computed:f} 不符",
            )

    def _check_total(self, index, record, records):
        try:
            stated = to_decimal(record.get("amount"), unit="万元")
        except DecimalParseError as exc:
            self.problem(index, "amount", str(exc))
            return
        lines = [r for _, r in records if not r.get("_total") and "_position" in r]
        try:
            computed = sum((to_decimal(r.get("amount"), unit="万元") or 0 for r in lines), start=0)
        except DecimalParseError:
            return  # the bad line is reported on its own row
        if stated is not None and stated != computed:
            self.problem(index, "amount", f"合计 {stated:f} 与各行资金之和 {computed:f} 不符")

    def _stale_lines(self, groups):
        """Return delete rows for stored lines beyond the count a project now has."""
        if not groups:
            return []
        stale = (
            FundingLine.objects.filter(
                project__region=self.region,
                project__year=self.year,
                project__number__in=list(groups),
            )
            .select_related("project")
            .order_by("project__number", "position")
        )
        return [
            (
                None,
                {
                    "number": line.project.number,
                    "_position": line.position,
                    "_delete": True,
                    "name": line.project.name,
                    "label": line.label,
                },
            )
            for line in stale
            if line.position > groups[line.project.number]["lines"]
        ]

    def is_unimportable(self, row):
        return bool(row.get("_total") or row.get("_broken"))

    def graded(self, instance):
        return instance.project

    # -- instances -------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        self._projects: dict[int, Project] = {}
        self._saved: set[int] = set()
        super().before_import(dataset, **kwargs)

    def get_instance(self, instance_loader, row):
        return None  # get_or_init_instance below does the lookup with the project cached

    def get_or_init_instance(self, instance_loader, row):
        number = row["序号"]
        project = self._projects.get(number)
        if project is None:
            project = (
                Project.objects.filter(region=self.region, year=self.year, number=number)
                .select_related("unit")
                .select_for_update(of=("self",))
                .first()
            ) or Project(region=self.region, year=self.year, number=number)
            self._projects[number] = project
        line = None
        if project.pk:
            line = FundingLine.objects.filter(project=project, position=row["_position"]).first()
        if line is None:
            return FundingLine(project=project, position=row["_position"]), True
        line.project = project  # share one Project object across the project's lines
        return line, False

    def for_delete(self, row, instance):
        return bool(row.get("_delete"))

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if row.get("_first"):
            project = instance.project
            try:
                project.clean_fields(
                    exclude=["region", "unit", *[k.removeprefix("project__") for k in errors]]
                )
                project.clean()
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    target = key if key == NON_FIELD_ERRORS else f"project__{key}"
                    errors.setdefault(target, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            # The project may not be saved yet; it is validated in import_instance.
            instance.full_clean(exclude=[*errors, "project"], validate_unique=False)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        project = instance.project
        self.save_project_once(project)
        instance.project = project
        instance.save(force_insert=is_create)

    def before_save_instance(self, instance, row, **kwargs):
        instance._history_user = self.user  # django-simple-history records who imported

    def delete_instance(self, instance, row, **kwargs):
        project = instance.project
        if problem := policies.import_row_problem(self.user, project, project, {"lines"}):
            raise ValidationError({NON_FIELD_ERRORS: [problem]})
        self.save_project_once(project)
        super().delete_instance(instance, row, **kwargs)

    def save_project_once(self, project):
        """Save a project whose lines this import writes, its version bumped once."""
        if id(project) in self._saved:
            return
        if project.pk:
            project.version += 1  # a form opened before this import is now out of date
        project._history_user = self.user
        project.save()
        self._saved.add(id(project))


def _same_number(a, b) -> bool:
    try:
        return to_decimal(a) == to_decimal(b) and to_decimal(a) is not None
    except DecimalParseError:
        return False
