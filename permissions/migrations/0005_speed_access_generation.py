"""Access generations, the tenant side (see tenants' migration of the same name): any change
to a grant, or to the collection tree that grants are inherited through, draws a new number
for the tenant (`c:<client id>`), in the same transaction. Like the audit log's triggers, these
live in each tenant schema and are cloned with the template (where no client row matches, so
nothing is drawn)."""

from django.db import migrations

TABLES = (
    "permissions_collectionpersongrant",
    "permissions_collectionteamgrant",
    "permissions_articlepersongrant",
    "permissions_articleteamgrant",
)

FUNCTION = """
CREATE OR REPLACE FUNCTION kb_access_changed_tenant() RETURNS trigger AS $$
BEGIN
    PERFORM public.kb_access_bump(ARRAY(
        SELECT 'c:' || c.id FROM public.tenants_client c WHERE c.schema_name = TG_TABLE_SCHEMA));
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

FORWARD = FUNCTION + "".join(
    f"CREATE TRIGGER kb_access_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}\n"
    "    FOR EACH STATEMENT EXECUTE FUNCTION kb_access_changed_tenant();\n"
    for table in TABLES
) + """
CREATE TRIGGER kb_access_changed AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF parent_id, confidential
    ON articles_collection FOR EACH STATEMENT EXECUTE FUNCTION kb_access_changed_tenant();
"""

BACKWARD = "".join(f"DROP TRIGGER IF EXISTS kb_access_changed ON {table};\n" for table in TABLES) + """
DROP TRIGGER IF EXISTS kb_access_changed ON articles_collection;
DROP FUNCTION IF EXISTS kb_access_changed_tenant();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("permissions", "0004_auditevent_moves_to_audit"),
        ("articles", "0006_revision_materiality"),
        ("tenants", "0010_speed_access_generation"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
