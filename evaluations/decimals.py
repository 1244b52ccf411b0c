"""Decimal handling for money (万元) and scores, from spreadsheet cell to page.

Written down once:
- scores are 0–100 with at most 2 decimal places, stored as Decimal(5, 2);
- amounts are 万元 with at most 6 decimal places, stored as Decimal(18, 6);
- a float read from xlsx is converted through its shortest repr, so the double nearest to
  476.604 becomes Decimal("476.604"), never 476.60399999999998...;
- a value with more places than allowed is an error, never silently rounded;
- display rounding (DISPLAY_*): ROUND_HALF_UP to 2 places, thousands separated by ",";
  the exact figure is shown next to a rounded one wherever they differ.
"""

import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

SCORE_PLACES = 2
SCORE_MAX = Decimal("100")
AMOUNT_PLACES = 6
DISPLAY_PLACES = 2
DISPLAY_ROUNDING = ROUND_HALF_UP


class DecimalParseError(ValueError):
    pass


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def to_decimal(raw, unit: str = "") -> Decimal | None:
    """Return the Decimal in a cell value (number or text), None for an empty cell.

    Text may carry the column's unit after the number ("85.41分", "103.16万元").
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise DecimalParseError(f"“{raw}”不是数字")
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise DecimalParseError("不是有效数字")
        return Decimal(repr(raw))
    text = unicodedata.normalize("NFKC", str(raw))
    text = "".join(text.split()).replace(",", "")
    if unit and text.endswith(unit):
        text = text.removesuffix(unit)
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise DecimalParseError(f"“{str(raw).strip()}”不是数字") from None
    if not value.is_finite():
        raise DecimalParseError(f"“{str(raw).strip()}”不是有效数字")
    return value


def parse_score(raw) -> Decimal | None:
    """Return a score quantized to 2 places; reject values outside 0–100 or finer than 0.01."""
    value = to_decimal(raw, unit="分")
    if value is None:
        return None
    if value < 0 or value > SCORE_MAX:
        raise DecimalParseError(f"得分 {value.normalize():f} 超出 0–100 的范围")
    if _places(value) > SCORE_PLACES:
        raise DecimalParseError(f"得分 {value:f} 超过两位小数")
    return value.quantize(Decimal(1).scaleb(-SCORE_PLACES))


def parse_amount(raw) -> Decimal | None:
    """Return an amount in 万元; reject negatives and values finer than 6 decimal places."""
    value = to_decimal(raw, unit="万元")
    if value is None:
        return None
    if value < 0:
        raise DecimalParseError(f"金额 {value:f} 不能为负数")
    if _places(value) > AMOUNT_PLACES:
        raise DecimalParseError(f"金额 {value:f} 超过六位小数")
    if value >= Decimal("1e12"):
        raise DecimalParseError(f"金额 {value:f} 过大")
    return value.quantize(Decimal(1).scaleb(-AMOUNT_PLACES))


def stored_score(value) -> Decimal | None:
    """Return a database aggregate of scores at the stored 2 places (SQLite sums via floats)."""
    return None if value is None else Decimal(value).quantize(Decimal(1).scaleb(-SCORE_PLACES))


def stored_amount(value) -> Decimal | None:
    """Return a database aggregate of amounts at the stored 6 places."""
    return None if value is None else Decimal(value).quantize(Decimal(1).scaleb(-AMOUNT_PLACES))


def exact(value: Decimal | None) -> str:
    """Return the exact figure without trailing zeros: 9298.222760 -> "9298.22276"."""
    if value is None:
        return ""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def rounded(value: Decimal | None, places: int = DISPLAY_PLACES) -> Decimal | None:
    """Return the value rounded for display by the rule in this module's docstring."""
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places), rounding=DISPLAY_ROUNDING)


def grouped(value: Decimal | None, places: int | None = None) -> str:
    """Return "9,298.22276" (exact) or, with places, "9,298.22" (rounded)."""
    if value is None:
        return ""
    if places is not None:
        return f"{rounded(value, places):,.{places}f}"
    text = exact(value)
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = f"{int(whole.lstrip('-')):,}"
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


def percent(value: Decimal) -> Decimal:
    """Return a share (0.9562…) as a percentage at 2 places, half up (95.62)."""
    return (value * 100).quantize(Decimal("0.01"), rounding=DISPLAY_ROUNDING)


def two_places(value: Decimal) -> Decimal:
    """Return a figure at 2 places, half up: the one rounding rule of this project."""
    return value.quantize(Decimal("0.01"), rounding=DISPLAY_ROUNDING)
