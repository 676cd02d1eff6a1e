"""The audit log is append-only in the database too: a trigger refuses UPDATE, DELETE and
TRUNCATE of permissions_auditevent (in each tenant schema)."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION kb_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON permissions_auditevent
    FOR EACH ROW EXECUTE FUNCTION kb_audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON permissions_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION kb_audit_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_no_truncate ON permissions_auditevent;
DROP TRIGGER IF EXISTS audit_no_update_delete ON permissions_auditevent;
"""


class Migration(migrations.Migration):
    dependencies = [("permissions", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
