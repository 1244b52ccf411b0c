"""Import of the unit-overall results table (部门整体绩效评价结果表)."""

from import_export import fields

from ..models import UnitEvaluation
from . import widgets
from .bulk import import_unit_sheets
from .formats import dataset_sheets
from .resources import ResultsResource
from .sheet import Column, cell_text, is_blank


class UnitEvaluationResource(ResultsResource):
    """部门整体绩效评价结果表: 评价机构 | 被评单位 | 得分 | 等级 [| 单位类型 | 备注]."""

    firm = fields.Field("firm", "评价机构", widget=widgets.FirmWidget())
    unit = fields.Field("unit", "被评单位", widget=widgets.UnitWidget(kind_column="单位类型"))
    kind = fields.Field(column_name="单位类型", readonly=True)
    # A unit's self-score is optional: a blank cell leaves it unstated.
    self_score = fields.Field("self_score", "自评得分", widget=widgets.ScoreWidget(required=False))
    score = fields.Field("score", "得分", widget=widgets.ScoreWidget())
    grade = fields.Field("grade", "等级", widget=widgets.GradeWidget(), saves_null_values=False)
    note = fields.Field("note", "备注", widget=widgets.TextWidget(max_length=500))

    policy_names = {"grade": None, "kind": None}

    columns = (
        Column(
            "firm",
            ("评价机构", "第三方机构", "第三方评价机构", "机构名称", "评价单位"),
            required=False,
        ),
        Column(
            "unit", ("被评单位", "被评价单位", "单位名称", "预算单位", "部门名称", "部门(单位)")
        ),
        Column("self_score", ("自评得分", "自评分", "单位自评得分"), required=False),
        Column("score", ("得分", "评价得分", "综合得分", "评分", "分数"), required=False),
        Column("grade", ("等级", "评价等级"), required=False),
        Column("kind", ("单位类型", "单位类别", "类型"), required=False),
        Column("note", ("备注",), required=False),
        Column("seq", ("序号",), required=False),
    )

    import_permission_model = UnitEvaluation

    class Meta:
        model = UnitEvaluation
        fields = ("firm", "unit", "kind", "self_score", "score", "grade", "note")
        import_id_fields = ("unit",)
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True

    @classmethod
    def get_display_name(cls):
        return "部门整体绩效评价结果表"

    def import_data(self, dataset, dry_run=False, **kwargs):
        """Import an admin upload's CirculatedXLSX dataset through the set-based path."""
        return import_unit_sheets(
            self,
            dataset_sheets(dataset),
            dry_run=dry_run,
            user=kwargs.get("user"),
            file_name=kwargs.get("file_name") or "",
            diff=True,
        )

    def import_sheets(self, sheets, *, dry_run=False, user=None, file_name=""):
        """Import the table set-based (evaluations.imports.bulk): same rules, bulk writes.

        ResultsResource.import_sheets(resource, …) still runs the row-by-row path below
        (get_instance, init_instance and the base class's hooks): the tests and the
        benchmark hold the two to the same outcome.
        """
        return import_unit_sheets(self, sheets, dry_run=dry_run, user=user, file_name=file_name)

    def dehydrate_kind(self, evaluation):
        unit = getattr(evaluation, "unit", None) if evaluation else None
        return unit.get_kind_display() if unit else ""

    def prepare(self, rows):
        firm, seen, records = None, {}, []
        for index, (number, values) in enumerate(rows):
            record = dict(values)
            if is_blank(record.get("firm")):
                # A firm's block: its name stands only on the block's first row.
                record["firm"] = firm
            firm = record["firm"]
            if firm is None:
                self.problem(index, "firm", "不能为空（上方也没有评价机构）")
            name = cell_text(record.get("unit"))
            if name in seen:
                self.problem(index, "unit", f"“{name}”与第{seen[name]}行重复")
            elif name:
                seen[name] = number
            records.append((number, record))
        return records

    def get_instance(self, instance_loader, row):
        name = cell_text(row.get("被评单位"))
        # Locked until the import's transaction ends: the scope and state checks hold.
        return (
            UnitEvaluation.objects.filter(region=self.region, year=self.year, unit__name=name)
            .select_related("unit", "firm")
            .select_for_update(of=("self",))
            .first()
        )

    def init_instance(self, row=None):
        return UnitEvaluation(region=self.region, year=self.year)
