from django.db import connection

from tenants.models import Client


def test_session_tenants_are_real_schemas(world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")  # information_schema hides what the app role may not use
        schemas = {row[0] for row in cursor.fetchall()}
    assert {"public", "acme", "lumiere", "tenant_template"} <= schemas
    assert Client.objects.filter(schema_name="acme").exists()
