"""后台任务: start a large export or the annual report's .docx, watch it, download, retry.

Who may start, see, download or retry a job is the policy's answer (evaluations.policies,
"background jobs"); the writes are services.jobs'. The list's progress bars are refreshed by
static/js/jobs.js from the status endpoint (JSON), so the page holds no inline script.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.http.response import FileResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.http import require_safe

from .. import policies
from ..models import Job, JobKind, JobState, Region
from ..selectors import jobs as reads
from ..services.jobs import job_retry, job_start


class JobStartForm(forms.Form):
    """The region and year of a job; its kind comes from the button pressed."""

    kind = forms.ChoiceField(choices=JobKind.choices)
    region = forms.ModelChoiceField(
        Region.objects.none(), required=False, empty_label="全部区划", label="区划"
    )
    year = forms.IntegerField(
        label="年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        regions = policies.visible_regions(user).order_by("code")
        self.fields["region"].queryset = regions
        self.fields["year"].initial = timezone.localdate().year - 1

    def clean(self):
        cleaned = super().clean()
        kind, region = cleaned.get("kind"), cleaned.get("region")
        if kind == JobKind.REPORT_DOCX and region is None:
            raise forms.ValidationError("生成年度报告须选择一个区划")
        if kind and not policies.can_start_job(self.user, kind, region):
            where = region.name if region is not None else "全部区划"
            raise forms.ValidationError(f"您没有为“{where}”发起此任务的权限")
        return cleaned


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    change_list_template = "admin/evaluations/job_change_list.html"
    list_display = ["title", "user", "state_cell", "progress_cell", "attempts", "created_at"]
    list_filter = ["state", "kind", "year"]
    list_select_related = ["user", "region"]
    actions = None
    fields = [
        "kind",
        "region",
        "year",
        "user",
        "state",
        "done",
        "total",
        "message",
        "file_name",
        "error",
        "attempts",
        "created_at",
        "started_at",
        "finished_at",
        "heartbeat_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return reads.jobs_for(request.user)

    def has_module_permission(self, request):
        return request.user.is_active

    def has_view_permission(self, request, obj=None):
        """Return True for the list (scoped to the user's jobs) and for a job the user sees."""
        if obj is None:
            return request.user.is_active
        return policies.can_see_job(request.user, obj)

    def has_add_permission(self, request):
        return False  # jobs are started from the start page, through the service

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # -- the list's columns -----------------------------------------------------------------

    @admin.display(description="任务")
    def title(self, job):
        return str(job)

    @admin.display(description="状态", ordering="state")
    def state_cell(self, job):
        return format_html(
            '<span class="job-state" data-job="{}" data-state="{}">{}</span>',
            job.pk,
            job.state,
            job.get_state_display(),
        )

    @admin.display(description="进度")
    def progress_cell(self, job):
        return format_html(
            '<progress class="job-progress" data-job="{}" max="100" value="{}"></progress> '
            '<span class="job-percent" data-job="{}">{}%</span> '
            '<span class="job-message" data-job="{}">{}</span>',
            job.pk,
            job.percent,
            job.pk,
            job.percent,
            job.pk,
            job.message,
        )

    # -- pages ------------------------------------------------------------------------------

    def get_list_display(self, request):
        """Add the outcome column, whose links depend on who is looking."""

        @admin.display(description="结果")
        def outcome(job):
            return _outcome(request.user, job)

        return [*self.list_display, outcome]

    def changelist_view(self, request, extra_context=None):
        context = {
            "failed_jobs": reads.failed_jobs(request.user)[:5],
            "status_url": reverse("admin:evaluations_job_status"),
            "start_url": reverse("admin:evaluations_job_start"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("start/", view(self.start_view), name="evaluations_job_start"),
            path("status.json", view(self.status_view), name="evaluations_job_status"),
            path(
                "<int:job_id>/download/", view(self.download_view), name="evaluations_job_download"
            ),
            path("<int:job_id>/retry/", view(self.retry_view), name="evaluations_job_retry"),
            *super().get_urls(),
        ]

    def start_view(self, request):
        # ?region=<id>&year=<year> preselects, for a link from a region's year elsewhere.
        initial = {key: request.GET[key] for key in ("region", "year") if key in request.GET}
        form = JobStartForm(request.POST or None, user=request.user, initial=initial)
        if request.method == "POST" and form.is_valid():
            job = job_start(user=request.user, **form.cleaned_data)
            self.message_user(request, f"已提交后台任务：{job}", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:evaluations_job_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "新建后台任务",
            "form": form,
            "kinds": JobKind.choices,
        }
        return render(request, "admin/evaluations/job_start.html", context)

    @method_decorator(require_safe)
    def status_view(self, request):
        """Return the status of the jobs named by ?ids=1,2,3 that the user sees, as JSON."""
        ids = [int(i) for i in request.GET.get("ids", "").split(",") if i.strip().isdigit()]
        jobs = reads.jobs_status(request.user, ids[:100])
        for status in jobs:
            status.update(_links(request.user, status))
        return JsonResponse({"jobs": jobs})

    def _job_or_404(self, request, job_id) -> Job:
        job = reads.jobs_for(request.user).filter(pk=job_id).first()
        if job is None:
            raise Http404("没有这个后台任务")
        return job

    def download_view(self, request, job_id):
        job = self._job_or_404(request, job_id)
        if not policies.can_download_job(request.user, job):
            raise Http404("任务尚未完成，没有可下载的文件")
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file_name)

    def retry_view(self, request, job_id):
        job = self._job_or_404(request, job_id)
        if not policies.can_retry_job(request.user, job):
            raise PermissionDenied
        if request.method == "POST":
            job_retry(job=job, user=request.user)
            self.message_user(request, f"已重新排队：{job}", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:evaluations_job_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "重试后台任务",
            "job": job,
        }
        return render(request, "admin/evaluations/job_retry.html", context)


def _links(user, job) -> dict:
    """Return the job's download and retry links where the policy allows them (else None)."""
    if isinstance(job, dict):
        pk, can_download, can_retry = job["id"], job["can_download"], job["can_retry"]
    else:
        pk = job.pk
        can_download = policies.can_download_job(user, job)
        can_retry = policies.can_retry_job(user, job)
    return {
        "download_url": reverse("admin:evaluations_job_download", args=[pk])
        if can_download
        else None,
        "retry_url": reverse("admin:evaluations_job_retry", args=[pk]) if can_retry else None,
    }


def _outcome(user, job):
    """Return the job's outcome cell: its download link, or its error and retry link."""
    links = _links(user, job)
    if job.state == JobState.FAILED:
        retry = (
            format_html(' <a class="button" href="{}">重试</a>', links["retry_url"])
            if links["retry_url"]
            else ""
        )
        return format_html(
            '<span class="job-outcome" data-job="{}"><span class="job-error">{}</span>{}</span>',
            job.pk,
            job.error,
            retry,
        )
    if links["download_url"]:
        return format_html(
            '<span class="job-outcome" data-job="{}"><a href="{}">下载 {}</a></span>',
            job.pk,
            links["download_url"],
            job.file_name,
        )
    return format_html('<span class="job-outcome" data-job="{}"></span>', job.pk)
