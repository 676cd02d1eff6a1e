"""One unsubscribe token per (person, stream, workspace), its key signed in the link, instead
of one stored hash per message. Links of the old kind (only ever made in development) stop
working."""

from django.db import migrations, models


def forget_old_tokens(apps, schema_editor):
    apps.get_model("outbox", "UnsubscribeToken").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("outbox", "0001_outbox_initial"),
    ]

    operations = [
        migrations.RunPython(forget_old_tokens, migrations.RunPython.noop),
        migrations.RemoveField(model_name="unsubscribetoken", name="token_hash"),
        migrations.AddField(
            model_name="unsubscribetoken",
            name="key",
            field=models.CharField(default="", max_length=32, unique=True),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="unsubscribetoken",
            constraint=models.UniqueConstraint(fields=("person", "stream", "schema_name"), name="outbox_one_token_per_stream"),
        ),
    ]
