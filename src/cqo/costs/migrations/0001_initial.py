# An empty first migration, so that each part of the app adds its own (0002_<part>, ...).
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []
    operations: list[migrations.operations.base.Operation] = []
