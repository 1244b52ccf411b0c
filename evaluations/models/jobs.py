"""Background jobs (后台任务): what a user asked the worker to produce, and how far it got.

django-tasks keeps the queue (one task result per run, see evaluations.tasks); a Job keeps
what the framework does not: who asked, for which region and year, progress, the file
produced, the error shown to the user, the attempts, and a heartbeat by which a run whose
worker died is told apart from a slow one.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models

from .results import YEAR_VALIDATORS, Region


class JobFileStorage(FileSystemStorage):
    """The private storage of job files, in settings.JOB_FILES_DIR (read at each use).

    No URL: a file is read only through the job's download view, which asks the policy.
    """

    @property
    def base_location(self):
        return settings.JOB_FILES_DIR

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("后台任务的文件没有公开地址，只能经由其下载页取得")


def job_storage() -> FileSystemStorage:
    return JobFileStorage()


class JobKind(models.TextChoices):
    REPORT_DOCX = "report_docx", "年度报告（.docx）"
    RESULTS_XLSX = "results_xlsx", "评价结果表（.xlsx）"


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "运行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class Job(models.Model):
    """One file a user asked for, produced in the background."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name="发起人"
    )
    kind = models.CharField("任务", max_length=20, choices=JobKind.choices)
    region = models.ForeignKey(
        Region,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="区划",
        help_text="留空为全部区划",
    )
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    state = models.CharField(
        "状态", max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总量", default=0)
    message = models.CharField("进度说明", max_length=200, blank=True)
    file = models.FileField("文件", storage=job_storage, blank=True, max_length=200)
    file_name = models.CharField("文件名", max_length=200, blank=True)
    error = models.TextField("错误", blank=True)
    attempts = models.PositiveSmallIntegerField("运行次数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    task_result_id = models.CharField("队列任务号", max_length=64, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        where = self.region.name if self.region_id else "全部区划"
        return f"{where}{self.year}年{self.get_kind_display()}"

    @property
    def percent(self) -> int:
        """Return the progress in whole percent (100 once done)."""
        if self.state == JobState.DONE:
            return 100
        return self.done * 100 // self.total if self.total else 0
