"""The keyed seal on each event (decision 0007).

Events written before the seal existed are sealed here, once, with this installation's key: the
chain is walked first, so only a trail that still verifies is vouched for.
"""

from importlib import import_module

from django.db import migrations, models

_triggers = import_module("cqo.audit.migrations.0002_append_only_triggers")


def seal_existing(apps, schema_editor):
    from cqo.audit import anchors, chain

    AuditEvent = apps.get_model("audit", "AuditEvent")
    vendor = schema_editor.connection.vendor
    # SQLite adds the column by rebuilding the table, which loses its triggers: they are put back
    # below whatever the vendor.
    for sql in _triggers.drop_sql(vendor):
        schema_editor.execute(sql)
    prev = chain.GENESIS
    for event in AuditEvent.objects.order_by("seq").iterator():
        # Only a trail that still links is sealed: an already broken one stays visibly broken.
        if event.prev_hash != prev:
            break
        prev = event.hash
        AuditEvent.objects.filter(pk=event.pk).update(mac=anchors.event_mac(event.hash))
    for sql in _triggers.create_sql(vendor):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="mac",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="keyed seal"
            ),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
    ]
