"""The qualification rule sets shipped with the product (see ``cqo.post.presets``)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from cqo.post.presets import rule_sets_ensure

    rule_sets_ensure(apps.get_model("post", "QualificationRuleSet"), apps.get_model("post", "QualificationRule"))


class Migration(migrations.Migration):
    dependencies = [("post", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
