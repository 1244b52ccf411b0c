"""The forms of the filings' pages: a change form that shows a service's refusal and
remembers the revision it was rendered with, and the confirmation of a step."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError

from ..workflow import FilingState, Transition

STALE = (
    "该表在您打开之后已被他人修改（当前修订号 {revision}），您的修改未保存。"
    "请记下您的修改，刷新页面后重新填写。"
)
NOT_SAVED = "以上修改未保存：请按页面上方的提示修改后重新保存。"


@dataclass(frozen=True)
class Step:
    """A button on a filing's page: a workflow transition, a target's review or adjustment."""

    name: str
    label: str
    to_state: str  # what the filing becomes, as the confirmation page says it
    needs_comment: bool = False
    comment_label: str = "理由"


def transition_step(transition: Transition) -> Step:
    return Step(
        transition.name,
        transition.label,
        FilingState(transition.target).label,
        transition.needs_comment,
    )


class RefusableForm(forms.ModelForm):
    """A change form of an admin that shows refusals (RefusalsShown).

    user and refusal are set per request; a form holding a service's refusal is invalid,
    so the posted page is shown again with it.
    """

    user = None
    refusal = ""

    def clean(self):
        cleaned = super().clean()
        if self.refusal:
            raise ValidationError(NOT_SAVED)
        return cleaned


class FilingForm(RefusableForm):
    """A filing's form; it remembers the revision of the filing it was rendered with.

    The service refuses a write prepared on an older revision; the form says so first,
    keeping what the user typed.
    """

    seen_revision = forms.IntegerField(label="修订号", widget=forms.HiddenInput, required=False)
    filing = None  # set per request by FilingAdmin.get_form, while the user may edit it

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.filing is not None:
            self.fields["seen_revision"].initial = self.filing.revision
            self.fields["seen_revision"].required = True

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_revision")
        if self.filing is not None and seen is not None and seen != self.filing.revision:
            raise ValidationError(STALE.format(revision=self.filing.revision))
        return cleaned

    def changes(self, names) -> dict:
        """Return the changed fields among names, with their new values."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name in names}


class StepForm(forms.Form):
    """The confirmation of one step on one filing, as the user saw it."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label="意见（选填）", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, step: Step, revision, **kwargs):
        super().__init__(*args, **kwargs)
        if revision is None:
            del self.fields["revision"]
        else:
            self.fields["revision"].initial = revision
        if step.needs_comment:
            comment = self.fields["comment"]
            comment.required = True
            comment.label = step.comment_label
            comment.error_messages["required"] = f"{step.label}必须填写{step.comment_label}"
