"""Cleaning of text cells as bureaus type them: full-width characters, stray spaces."""

import re
import unicodedata

_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef（）、]"
_SPACE_NEXT_TO_CJK = re.compile(rf"(?<={_CJK})\s+|\s+(?={_CJK})")


def clean_text(raw) -> str:
    """Return the cell as text: NFKC-normalised, trimmed, no spaces next to Chinese characters.

    NFKC turns the ideographic space U+3000 and full-width digits into their ASCII forms but
    also turns full-width brackets （） into (); those are kept as the bureau wrote them.
    """
    if raw is None:
        return ""
    text = str(raw).replace("\u00a0", " ").replace("\u3000", " ")
    text = "".join(ch if ch in "（）" else unicodedata.normalize("NFKC", ch) for ch in text)
    text = " ".join(text.split())
    return _SPACE_NEXT_TO_CJK.sub("", text)


def header_key(raw) -> str:
    """Return a header cell reduced for matching: no spaces, no unit in brackets."""
    text = unicodedata.normalize("NFKC", str(raw or ""))
    text = "".join(text.split())
    return re.sub(r"\(.*?\)$", "", text)


def header_unit(raw) -> str:
    """Return the unit a header states in trailing brackets: "资金（万元）" -> "万元"."""
    text = "".join(unicodedata.normalize("NFKC", str(raw or "")).split())
    match = re.search(r"\((.*?)\)$", text)
    return match.group(1) if match else ""
