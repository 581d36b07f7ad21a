"""Database triggers that refuse UPDATE and DELETE on the audit trail and signatures.

The ORM already refuses them; these stop a raw SQL statement too. Someone with the rights to
drop a trigger can still edit rows, which is why the hash chain exists: ``cqo audit verify``
finds the first altered, deleted or reordered event.
"""

from django.db import migrations

TABLES = ("audit_auditevent", "audit_signature")


def create_sql(vendor):
    statements = []
    for table in TABLES:
        if vendor == "sqlite":
            for op in ("UPDATE", "DELETE"):
                statements.append(
                    f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
                )
        elif vendor == "postgresql":
            statements.append(
                f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$ "
                f"BEGIN RAISE EXCEPTION '{table} is append-only'; END; $$ LANGUAGE plpgsql;"
            )
            statements.append(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only();"
            )
    return statements


def drop_sql(vendor):
    statements = []
    for table in TABLES:
        if vendor == "sqlite":
            for op in ("update", "delete"):
                statements.append(f"DROP TRIGGER IF EXISTS {table}_no_{op};")
        elif vendor == "postgresql":
            statements.append(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
            statements.append(f"DROP FUNCTION IF EXISTS {table}_append_only();")
    return statements


def create(apps, schema_editor):
    for sql in create_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    for sql in drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
