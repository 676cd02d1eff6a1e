"""Teams say which clients they work for. Existing teams keep what they had: every client that
engages their provider now (the lead narrows it on the team's page)."""

from django.db import migrations, models
from django.utils import timezone


def every_engaged_client(apps, schema_editor):
    ProviderTeam = apps.get_model("tenants", "ProviderTeam")
    Engagement = apps.get_model("tenants", "Engagement")
    now = timezone.now()
    for team in ProviderTeam.objects.all():
        engaged = (Engagement.objects.filter(provider_id=team.provider_id, started_at__lte=now)
                   .filter(models.Q(ended_at__isnull=True) | models.Q(ended_at__gt=now))
                   .values_list("client_id", flat=True))
        team.clients.set(list(engaged))


class Migration(migrations.Migration):
    dependencies = [("tenants", "0005_api_token_labels")]

    operations = [
        migrations.AddField(
            model_name="providerteam",
            name="clients",
            field=models.ManyToManyField(
                blank=True, related_name="provider_teams", to="tenants.client", verbose_name="works for"),
        ),
        migrations.RunPython(every_engaged_client, migrations.RunPython.noop),
    ]
