"""The Chinese catalogues read as Chinese: each app's translation is the one shown (no catalogue
of an earlier app, Django's admin included, takes its msgid over), and Chinese sentences use
full-width punctuation."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from django.utils import translation

import cqo

SRC = Path(cqo.__file__).parent
CATALOGUES = sorted(SRC.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))
HAN = r"[\u3400-\u9fff]"
# An ASCII mark with a Chinese character on its left and on its right (after optional spaces).
# "§6 i)" or "v2." do not match: a code or a clause number has no Han character on one side.
ASCII_BETWEEN_HAN = re.compile(rf"{HAN}\s*([,.:;?!(])\s*(?={HAN})|{HAN}\s*([,.:;?!)])\s*$")
# Marks that belong where they are, as exact msgstr fragments, each with its reason.
ALLOWED: set[str] = {"是,否"}  # the argument of the yesno filter: a comma splits it


def _entries(po: Path) -> list[tuple[str | None, str, str]]:
    """(context, msgid, msgstr) of each singular, translated entry, read with a small parser so
    the test needs no compiled catalogue."""
    entries, ctx, msgid, msgstr, field = [], None, None, None, None
    text = po.read_text(encoding="utf-8")

    def unquote(s: str) -> str:
        return s[1:-1].encode("raw_unicode_escape").decode("unicode_escape")

    def flush() -> None:
        if msgid and msgstr:
            entries.append((ctx, msgid, msgstr))

    for line in [*text.splitlines(), ""]:
        line = line.strip()
        if not line:
            flush()
            ctx = msgid = msgstr = field = None
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            ctx, field = unquote(line[8:]), "ctx"
        elif line.startswith("msgid_plural") or line.startswith("msgstr["):
            msgid, field = None, None  # plural entries are left to gettext's own tests
        elif line.startswith("msgid "):
            msgid, field = unquote(line[6:]), "id"
        elif line.startswith("msgstr "):
            msgstr, field = unquote(line[7:]), "str"
        elif line.startswith('"') and field:
            if field == "ctx":
                ctx = (ctx or "") + unquote(line)
            elif field == "id":
                msgid = (msgid or "") + unquote(line)
            elif field == "str":
                msgstr = (msgstr or "") + unquote(line)
    return entries


def test_the_catalogues_are_found():
    assert len(CATALOGUES) >= 6
    assert gettext  # the stdlib parser is not needed; the import documents the format


def test_every_apps_translation_is_the_one_shown():
    """Django merges catalogues with the first installed app winning, so an msgid that the admin
    (or another app) also translates shows that other text: "Remove" became 删除 on the CQO's
    appointment, where the post's catalogue says 免职. Such an msgid needs a context."""
    overridden = []
    with translation.override("zh-hans"):
        for po in CATALOGUES:
            for ctx, msgid, msgstr in _entries(po):
                if "%" in msgid and "%(" not in msgid and "%s" not in msgid:
                    continue
                shown = translation.pgettext(ctx, msgid) if ctx else translation.gettext(msgid)
                if shown != msgstr:
                    overridden.append(f"{po.parts[-5]}: {msgid!r} -> {shown!r}, not {msgstr!r}")
    assert overridden == []


def test_chinese_text_uses_full_width_punctuation():
    found = []
    for po in CATALOGUES:
        for _ctx, msgid, msgstr in _entries(po):
            for fragment in msgstr.splitlines() or [msgstr]:
                if ASCII_BETWEEN_HAN.search(fragment) and fragment not in ALLOWED:
                    found.append(f"{po.parts[-5]}: {msgid!r} -> {fragment!r}")
    assert found == []


# A translated phrase followed by a bare ASCII mark in the template: the mark stays ASCII in
# Chinese ("…通过, 0 项提示…."). The mark belongs inside the translated text.
MARK_AFTER_TRANSLATION = re.compile(
    r'(endblocktranslate %\}|\{% translate "[^"]*"( context "[^"]*")? %\})[,;:.]'
    r"(?=\s*(\{% (block)?translate|<|\{\{|$))",
    re.MULTILINE,
)


def test_no_template_puts_ascii_punctuation_after_a_translated_phrase():
    found = [
        f"{path.relative_to(SRC)}:{text[: m.start()].count(chr(10)) + 1}: {m.group(0)}"
        for path in sorted(SRC.glob("*/templates/**/*.html"))
        for text in [path.read_text(encoding="utf-8")]
        for m in MARK_AFTER_TRANSLATION.finditer(text)
    ]
    assert found == []
