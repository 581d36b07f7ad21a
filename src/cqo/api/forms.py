"""Forms of the webhook pages: they parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .webhooks import webhook_events_registered


class EndpointForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    url = forms.CharField(
        label=_("Address"),
        max_length=500,
        help_text=_("The receiver's http:// or https:// address; redirects are not followed."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every event, including those added later."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event_types"].choices = [  # type: ignore[attr-defined]
            (e.code, f"{e.label} ({e.code})") for e in webhook_events_registered()
        ]


class DeactivateForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
