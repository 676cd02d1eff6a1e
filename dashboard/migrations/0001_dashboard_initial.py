from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
import django.utils.timezone


class Migration(migrations.Migration):
    initial = True

    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.CreateModel(
            name="SummarySubscription",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("last_sent_on", models.DateField(blank=True, null=True)),
                ("person", models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING,
                                                related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="person")),
            ],
            options={"verbose_name": "weekly summary subscription", "verbose_name_plural": "weekly summary subscriptions"},
        ),
    ]
