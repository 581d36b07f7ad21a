from django.db import migrations


def create_roles(apps, schema_editor):
    from cqo.organisation.roles import roles_ensure

    roles_ensure(apps.get_model("auth", "Group"))


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
