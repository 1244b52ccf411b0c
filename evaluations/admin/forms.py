"""Forms of the admin: a record's change form, a transition's confirmation, the import."""

from django import forms
from django.conf import settings
from import_export.forms import ConfirmImportForm, ImportForm

from .. import policies
from ..models import Firm, Region
from ..services.workflow import firm_conflict

STALE_FORM = (
    "该记录在您打开之后已被他人修改（当前版本 {version}），您的修改未保存。"
    "请记下您的修改，刷新页面后重新填写。"
)


class RecordForm(forms.ModelForm):
    """A record's change form; it remembers the version it was rendered with.

    The service refuses a write prepared on an older version (services.workflow); the
    form says so first, keeping what the user typed on the page.
    """

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    user = None  # set per request by the admin (RecordAdmin.get_form)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["seen_version"].initial = self.instance.version
            self.fields["seen_version"].required = True

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if self.instance.pk is not None and seen is not None and seen != self.instance.version:
            raise forms.ValidationError(STALE_FORM.format(version=self.instance.version))
        return cleaned

    def _post_clean(self):
        if "score" in self.fields:
            self.instance.grade = ""  # derived from the new score on save, not checked against it
        super()._post_clean()  # the instance now holds the submitted values
        if self.errors:
            return
        if self.instance.pk is None and not policies.in_scope(self.user, self.instance):
            self.add_error(None, "该记录不在您的范围内")
        if "firm" in self.fields and (
            problem := firm_conflict(firm=self.instance.firm, record=self.instance)
        ):
            self.add_error("firm", problem)

    def changes(self) -> dict:
        """Return the changed model fields and their new values."""
        return {
            name: self.cleaned_data[name] for name in self.changed_data if name != "seen_version"
        }


class TransitionForm(forms.Form):
    """The confirmation of one transition on one record, as the user saw it."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 4}))
    firm = forms.ModelChoiceField(Firm.objects.all(), label="评价机构")

    def __init__(self, *args, transition, record, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = record.version
        comment = self.fields["comment"]
        comment.required = transition.needs_comment
        if transition.needs_comment:
            comment.label = "理由"
            comment.error_messages["required"] = f"{transition.label}必须填写理由"
        else:
            comment.label = "意见（选填）"
        if transition.name == "assign":
            self.fields["firm"].initial = record.firm_id
            self.fields["firm"].error_messages["required"] = "请选择评价机构"
        else:
            del self.fields["firm"]


def upload_size_check(upload):
    """Refuse an uploaded file over settings.UPLOAD_MAX_BYTES, naming the file and the limit."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            f"{upload.name}：文件大小 {upload.size / 2**20:.1f} MB，"
            f"超过上传上限 {limit / 2**20:g} MB，未导入。"
        )
    return upload


RELEASE_LABEL = "以“已公开”导入（已在别处审核公开的历史结果）"


class ResultsImportForm(ImportForm):
    region = forms.ModelChoiceField(Region.objects.all(), label="区划")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    release = forms.BooleanField(
        label=RELEASE_LABEL,
        required=False,
        help_text="仅财政局公开人可以这样导入；不勾选时，导入的记录进入审核流程，不对外公开。",
    )
    field_order = ["region", "year", "resource", "import_file", "format", "release"]

    def clean_import_file(self):
        return upload_size_check(self.cleaned_data["import_file"])


class ResultsConfirmImportForm(ConfirmImportForm):
    region = forms.ModelChoiceField(Region.objects.all(), widget=forms.HiddenInput)
    year = forms.IntegerField(widget=forms.HiddenInput)
    release = forms.BooleanField(required=False, widget=forms.HiddenInput)
