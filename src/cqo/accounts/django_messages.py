"""Django's own messages that its Simplified Chinese catalogue lacks.

Django 5.2 reworded the minimum-length message of the password policy and its zh_Hans catalogue
still has only the old wording, so Chinese users would read it in English. Naming the message
here puts it into this app's catalogue (Django's catalogue wins where it has a translation).
Nothing imports this module; ``makemessages`` reads it.
"""

from django.utils.translation import ngettext_lazy

MESSAGES = [
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "count",
    ),
]
