"""Text the system writes (a reason, a check's finding) stored as a message id and its
parameters, and shown in the reader's language.

``stored(msgid, **params)`` returns the text in the active language, as a ``str`` (so every
present use keeps working), that also remembers its msgid and parameters; ``encode`` turns it
into the one-line form a text field keeps (``{"msgid": …, "params": …}``) and ``render`` turns a
stored value back into text in the active language. A plain string (a person's own words, a row
written before this existed) renders as it is, unless it is a sentence of our catalogues, which
``translate_known`` recognises (in either language) and re-renders: that is also how a signed
meaning, which must stay as signed, is shown with a translation beside it.

Mark the msgid for extraction at the call (``stored(gettext_noop("Superseded by v%(v)s."),
v=2)``) so the app's catalogue carries it.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
from typing import Any

from django.utils import translation
from django.utils.functional import Promise

PREFIX = '{"msgid":'


class StoredText(str):
    """A ``str`` in the active language that keeps its msgid and parameters."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, params: dict[str, Any] | None = None) -> StoredText:
        params = params or {}
        text = _render(msgid, params)
        obj = super().__new__(cls, text)
        obj.msgid, obj.params = msgid, params
        return obj

    def __mod__(self, params: Any) -> StoredText:  # type: ignore[override]
        return StoredText(self.msgid, {**self.params, **dict(params)})

    def as_json(self) -> dict[str, Any]:
        return {"msgid": self.msgid, "params": {k: _param_json(v) for k, v in self.params.items()}}


def stored(msgid: str, **params: Any) -> StoredText:
    return StoredText(str(msgid), params)


def gettext_stored(msgid: str) -> StoredText:
    """A drop-in for ``gettext`` whose result, formatted with ``%``, remembers what it was."""
    return StoredText(msgid)


def _lazy_msgid(value: Promise) -> str | None:
    args = getattr(value, "_args", None) or getattr(value, "_proxy____args", None)
    if args and isinstance(args[0], str):
        return args[0]
    return None


def _param_json(value: Any) -> Any:
    if isinstance(value, StoredText):
        return value.as_json()
    if isinstance(value, Promise):
        msgid = _lazy_msgid(value)
        return {"msgid": msgid, "params": {}} if msgid else str(value)
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _param_text(value: Any) -> Any:
    if isinstance(value, dict) and "msgid" in value:
        return _render(value["msgid"], value.get("params") or {})
    return value


def _render(msgid: str, params: dict[str, Any]) -> str:
    text = translation.gettext(msgid)
    if not params:
        return text
    try:
        return text % {k: _param_text(v) for k, v in params.items()}
    except (KeyError, TypeError, ValueError):
        return msgid % {k: _param_text(v) for k, v in params.items()}


def encode(value: Any) -> Any:
    """What a text field or a JSON value keeps: the stored form of a ``StoredText``."""
    if isinstance(value, StoredText):
        return json.dumps(value.as_json(), ensure_ascii=False, separators=(",", ":"))
    return value


def as_json(value: Any) -> Any:
    """The JSON form of a stored text (a lazy label keeps its msgid); other values as they are."""
    if isinstance(value, StoredText | Promise):
        return _param_json(value)
    return value


def render(value: Any) -> str:
    """Any stored form (the JSON one, a line-joined list of them, plain text) as text in the active
    language."""
    if value is None:
        return ""
    if isinstance(value, dict) and "msgid" in value:
        return _render(value["msgid"], value.get("params") or {})
    text = str(value)
    if "\n" in text:
        return "\n".join(render(line) for line in text.split("\n"))
    if text.startswith(PREFIX):
        try:
            data = json.loads(text)
        except ValueError:
            return text
        if isinstance(data, dict) and "msgid" in data:
            return _render(str(data["msgid"]), data.get("params") or {})
    return translate_known(text) or text


# --- sentences of our catalogues, recognised in either language ------------------------------

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


# A template whose fixed words are shorter than this ("%(a)s: %(b)s") would match a person's own
# words, so it is not used to recognise a sentence.
MIN_FIXED = 6


def _pattern(template: str) -> re.Pattern[str] | None:
    names = PLACEHOLDER.findall(template)
    if not names or len(set(names)) != len(names):
        return None
    parts = PLACEHOLDER.split(template)
    fixed = re.sub(r"[\W_]", "", "".join(parts[0::2]))
    # A Chinese character says about as much as two letters.
    if len(fixed) + len(re.findall(r"[\u3400-\u9fff]", fixed)) < MIN_FIXED:
        return None
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
    )
    return re.compile(rf"^{regex}$")


@functools.cache
def _catalogue(language: str) -> tuple[dict[str, str], list[tuple[re.Pattern[str], str]]]:
    """msgstr → msgid (exact) and (pattern of the msgstr, msgid) for one language's catalogue."""
    from django.utils.translation import trans_real

    exact: dict[str, str] = {}
    patterns: list[tuple[re.Pattern[str], str]] = []
    # Django keeps the merged catalogue of every app here; it has no public accessor for it.
    catalog = trans_real.translation(language)._catalog  # type: ignore[attr-defined]
    for key, msgstr in catalog.items():
        if not isinstance(key, str) or "\x04" in key or not isinstance(msgstr, str) or not key:
            continue
        for source in {msgstr, key}:
            if "%(" in source:
                pattern = _pattern(source)
                if pattern is not None:
                    patterns.append((pattern, key))
            else:
                exact.setdefault(source, key)
    # The longest templates first: the most specific sentence wins.
    patterns.sort(key=lambda p: -len(p[0].pattern))
    return exact, patterns


def translate_known(text: str) -> str | None:
    """``text`` in the active language when it is one of our catalogue's sentences (in Chinese or
    in English, with its parameters), else None."""
    text = (text or "").strip()
    if not text:
        return None
    exact, patterns = _catalogue("zh-hans")
    msgid = exact.get(text)
    if msgid is not None:
        return translation.gettext(msgid)
    for pattern, key in patterns:
        match = pattern.match(text)
        if match is not None:
            return _render(key, match.groupdict())
    return None
