from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("tenants", "0012_platform_lifecycle"),
    ]

    operations = [
        migrations.AddField(
            model_name="signinlockout",
            name="locked_until",
            field=models.DateTimeField(blank=True, null=True, verbose_name="locked until"),
        ),
        migrations.AddField(
            model_name="signinlockout",
            name="lockouts",
            field=models.PositiveIntegerField(default=0, verbose_name="lockouts"),
        ),
        migrations.AddField(
            model_name="client",
            name="require_two_factor",
            field=models.BooleanField(
                default=False,
                help_text="Everyone who opens this workspace, provider agents included, must have signed in with a second factor.",
                verbose_name="require two-factor authentication",
            ),
        ),
    ]
