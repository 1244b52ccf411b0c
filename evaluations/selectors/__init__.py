"""Reads. Each selector returns what one page, export or check needs, scoped by the policy.

results: the published result tables and their figures; targets: frameworks, targets and
coverage; monitoring: the deviation board.
"""

from .results import (  # noqa: F401
    project_detail,
    project_results,
    project_unit_kinds,
    published_region,
    published_years,
    region_years,
    unit_history,
    unit_result_firms,
    unit_results,
    year_summary,
)
