"""The domain's records, split by concern.

results: regions, units, firms and the two result tables of the 2021 report (unit-overall
and project evaluations with their funding lines), roles and the workflow's events;
targets: indicator frameworks and performance targets (绩效目标) with their versions;
monitoring: dual-monitoring periods and reports (双监控);
self_evaluations: the self-evaluation table (项目支出绩效自评表);
third_party: the firm's evaluation sheet and the problems it finds, with their rectification;
application: result application rules, next year's budget decisions, the annual report's
narrative;
ex_ante: ex-ante evaluation (事前绩效评估) with its template and the gate;
assessment: the yearly assessment of departments' performance-management work.
"""

from .application import Action, ApplicationRules, BudgetDecision, ReportSection, ReportText
from .assessment import AssessmentTemplate, DepartmentAssessment
from .ex_ante import (
    Conclusion,
    Dimension,
    ExAnteAssessment,
    ExAnteGrade,
    ExAnteItem,
    ExAnteTemplate,
)
from .jobs import Job, JobKind, JobState
from .monitoring import MonitoringEntry, MonitoringPeriod, MonitoringReport
from .results import (
    Firm,
    FirmRecusal,
    FundingLine,
    Graded,
    Project,
    Region,
    Unit,
    UnitEvaluation,
    UserRole,
    WorkflowEvent,
)
from .self_evaluations import FundSource, SelfEvaluation, SelfEvaluationEntry
from .targets import Framework, IndicatorNode, PerformanceTarget, TargetVersion
from .third_party import Problem, ThirdPartyScore, ThirdPartySheet

__all__ = [
    "AssessmentTemplate",
    "Conclusion",
    "DepartmentAssessment",
    "Dimension",
    "ExAnteAssessment",
    "ExAnteGrade",
    "ExAnteItem",
    "ExAnteTemplate",
    "Action",
    "ApplicationRules",
    "BudgetDecision",
    "ReportSection",
    "ReportText",
    "Firm",
    "FirmRecusal",
    "Framework",
    "FundSource",
    "FundingLine",
    "Graded",
    "IndicatorNode",
    "Job",
    "JobKind",
    "JobState",
    "MonitoringEntry",
    "MonitoringPeriod",
    "MonitoringReport",
    "PerformanceTarget",
    "Problem",
    "Project",
    "Region",
    "SelfEvaluation",
    "SelfEvaluationEntry",
    "TargetVersion",
    "ThirdPartyScore",
    "ThirdPartySheet",
    "Unit",
    "UnitEvaluation",
    "UserRole",
    "WorkflowEvent",
]
