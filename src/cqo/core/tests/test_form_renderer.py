"""``core.form_renderer.FastRenderer`` writes the widgets Django's templates would write."""

from __future__ import annotations

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from cqo.core.form_renderer import FAST_RENDERER


class _Every(forms.Form):
    direction = forms.ChoiceField(
        choices=[
            ("a", "A <x>"),
            ("b&", gettext_lazy("Forward: where did it go?")),
            ("c", mark_safe("<b>c</b>")),
        ],
        widget=forms.RadioSelect,
        initial="a",
    )
    grouped = forms.ChoiceField(
        choices=[("G1", [("x", "X"), ("y", "Y")]), ("z", "Z")],
        widget=forms.RadioSelect(attrs={"class": "k"}),
        required=False,
    )
    text = forms.CharField(max_length=60, required=False, help_text="help")
    number = forms.IntegerField(required=False)
    email = forms.EmailField()
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    link = forms.CharField(
        required=False,
        widget=forms.URLInput(attrs={"placeholder": 'a"b', "disabled": True, "hidden": False}),
    )
    choice = forms.ChoiceField(choices=[("1", "one")])  # a select: Django's own templates


def test_the_fast_renderer_writes_what_django_s_templates_write() -> None:
    datas: list[dict[str, str] | None] = [
        None,
        {
            "direction": "b&",
            "text": '<"x">&y',
            "number": "12",
            "email": "bad",
            "secret": "s",
            "link": "http://a?b=1&c=2",
        },
        {"direction": "zz", "grouped": "y"},
    ]
    for data in datas:
        for prefix in (None, "pre"):
            django_form = _Every(data, prefix=prefix)
            fast_form = _Every(data, prefix=prefix, renderer=FAST_RENDERER)
            if data is not None:
                django_form.is_valid()
                fast_form.is_valid()
            for name in django_form.fields:
                assert str(fast_form[name]) == str(django_form[name]), (name, data, prefix)
