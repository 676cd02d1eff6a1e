"""The audit log's model now belongs to the audit app (its table stays where it is)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('permissions', '0003_audit_actions_people_and_teams'),
        ('audit', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='AuditEvent')],
            database_operations=[],
        ),
    ]
