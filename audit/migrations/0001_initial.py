"""The audit log gets an app of its own. Its table was created by permissions (0001, with the
append-only triggers of permissions 0002) and keeps its name: this moves the model in Django's
state only, then adds the channel column."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

ACTIONS = [
    ('sign-in', 'Signed in to the workspace'), ('grant.given', 'Grant given'), ('grant.changed', 'Grant changed'),
    ('grant.revoked', 'Grant revoked'), ('grant.expired', 'Grant expired'), ('role.changed', 'Role changed'),
    ('person.invited', 'Person invited'), ('person.joined', 'Person joined'), ('person.removed', 'Person removed'),
    ('person.invitation-revoked', 'Invitation revoked'), ('team.member-added', 'Provider team member added'),
    ('team.member-removed', 'Provider team member removed'),
    ('provider.serves', 'Provider person assigned to the workspace'),
    ('provider.leaves', 'Provider person taken off the workspace'), ('engagement.started', 'Engagement started'),
    ('engagement.ended', 'Engagement ended'), ('suggestion.accepted', 'Suggestion accepted'),
    ('suggestion.rejected', 'Suggestion rejected'), ('confidential.read', 'Confidential article read'),
    ('export', 'Export'), ('import', 'Import'), ('settings.changed', 'Settings changed'),
]


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('permissions', '0003_audit_actions_people_and_teams'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AuditEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='when')),
                        ('actor_label', models.CharField(blank=True, max_length=254, verbose_name='who')),
                        ('action', models.CharField(choices=ACTIONS, db_index=True, max_length=40, verbose_name='action')),
                        ('object_type', models.CharField(blank=True, max_length=40, verbose_name='object type')),
                        ('object_id', models.CharField(blank=True, max_length=64, verbose_name='object id')),
                        ('object_label', models.CharField(blank=True, max_length=300, verbose_name='object')),
                        ('detail', models.JSONField(blank=True, default=dict, verbose_name='detail')),
                        ('ip', models.GenericIPAddressField(blank=True, null=True)),
                        ('actor', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'audit event',
                        'verbose_name_plural': 'audit log',
                        'db_table': 'permissions_auditevent',
                        'ordering': ['-at', '-id'],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name='auditevent',
            name='channel',
            field=models.CharField(blank=True, default='', max_length=20, verbose_name='channel'),
        ),
    ]
