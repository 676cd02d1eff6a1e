import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("readiness", "0001_readiness_must_read")]

    operations = [
        migrations.AddField(
            model_name="mustread", name="requires_check",
            field=models.BooleanField(default=False, verbose_name="requires its knowledge check"),
        ),
        migrations.AddField(
            model_name="mustread", name="pass_threshold",
            field=models.PositiveSmallIntegerField(
                default=80, verbose_name="pass mark (%)",
                validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(100)]),
        ),
        migrations.AddField(
            model_name="mustread", name="retry_delay_minutes",
            field=models.PositiveIntegerField(default=60, verbose_name="retry after (minutes)"),
        ),
    ]
