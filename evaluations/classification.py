"""Which kind of budget unit (预算单位) a name denotes: 部门, 乡镇 or 街道.

Rule: the organs of township-level government are named by the 地方各级人民代表大会和
地方各级人民政府组织法 pattern "××镇/乡人民政府" (民族乡 included, e.g. 高坡苗族乡人民政府),
and subdistrict offices "××街道办事处"; every other unit in a district's budget is a
department (部门). A spreadsheet may state the kind explicitly (column 单位类型); the
name rule is only the default.
"""

from django.db import models


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", "部门"
    TOWNSHIP = "township", "乡镇"
    SUBDISTRICT = "subdistrict", "街道"


_LABELS = {
    "部门": UnitKind.DEPARTMENT,
    "单位": UnitKind.DEPARTMENT,
    "乡镇": UnitKind.TOWNSHIP,
    "乡": UnitKind.TOWNSHIP,
    "镇": UnitKind.TOWNSHIP,
    "街道": UnitKind.SUBDISTRICT,
    "街道办": UnitKind.SUBDISTRICT,
    "街道办事处": UnitKind.SUBDISTRICT,
}


def kind_for_name(name: str) -> UnitKind:
    """Return the kind a unit's full name denotes."""
    if name.endswith(("街道办事处", "街道办", "街道")):
        return UnitKind.SUBDISTRICT
    if name.endswith(("镇人民政府", "乡人民政府", "镇政府", "乡政府")):
        return UnitKind.TOWNSHIP
    return UnitKind.DEPARTMENT


def kind_from_label(label: str) -> UnitKind | None:
    """Return the kind named by a label such as 乡镇 or 街道, None if it names none."""
    return _LABELS.get(label)
