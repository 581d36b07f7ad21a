"""A form renderer that writes the plain input widgets' HTML in Python.

Django renders each widget through its templates (``text.html`` includes ``input.html``, which
includes ``attrs.html``; a radio button is four templates deep): about 0.5 ms a field, 2–3 ms
for the trace page's small form, on a page that must cost ≲ 25 ms of CPU in all. The templates
below are few and short, so their output is written here from the same widget context, byte for
byte (``test_the_fast_renderer_writes_what_django_s_templates_write``); any other template goes
to Django's renderer unchanged. A form opts in with ``default_renderer = FAST_RENDERER`` (one
instance: a renderer builds its template engine once).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.safestring import mark_safe


def _text(value: Any) -> str:
    """``{{ value }}`` (or ``value|stringformat:'s'``) with autoescaping, as
    ``conditional_escape`` does it: text marked safe as it is, anything else ``str`` and then
    ``html.escape`` (which is what Django's ``escape`` applies)."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return escape(str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    # attrs.html: False leaves the attribute out, True writes its name alone.
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict[str, Any]) -> str:
    # input.html, with its final newline.
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>\n"
    )


def _input_option(option: dict[str, Any]) -> str:
    # input_option.html (radio_option.html and checkbox_option.html include it), final newline.
    html = _input(option)
    if not option.get("wrap_label"):
        return html + "\n"
    label_id = option["attrs"].get("id")
    opening = f'<label for="{_text(label_id)}">' if label_id else "<label>"
    return f"{opening}{html} {_text(option['label'])}</label>\n"


def _multiple(widget: dict[str, Any]) -> str:
    # multiple_input.html, with its final newline (radio.html includes it and adds one).
    widget_id = widget["attrs"].get("id")
    css = widget["attrs"].get("class")
    out = [
        "<div",
        f' id="{_text(widget_id)}"' if widget_id else "",
        f' class="{_text(css)}"' if css else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            out.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            # The option's template ends with two newlines: its own and the one of
            # radio_option.html around input_option.html.
            out.append(f"<div>\n    {_input_option(option)}\n</div>")
        if group:
            out.append("\n  </div>")
    out.append("\n</div>\n")
    return "".join(out)


_WRITERS: dict[str, Callable[[dict[str, Any]], str]] = {
    **{
        f"django/forms/widgets/{name}.html": lambda w: _input(w) + "\n"
        for name in ("text", "number", "email", "url", "password", "search", "tel")
    },
    "django/forms/widgets/radio.html": lambda w: _multiple(w) + "\n",
}


class FastRenderer(DjangoTemplates):
    """Django's template renderer, except for the plain input and radio widgets (above)."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        writer = _WRITERS.get(template_name)
        widget = context.get("widget")
        if writer is None or not isinstance(widget, dict):
            return str(super().render(template_name, context, request=request))
        # Stripped as Django's ``BaseRenderer.render`` strips the template's output.
        return mark_safe(writer(widget).strip())  # noqa: S308 - every value above is escaped


FAST_RENDERER = FastRenderer()
