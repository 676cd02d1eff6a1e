"""PostgreSQL extensions, installed once in the public schema (every tenant's search_path
includes it): pg_trgm for near-duplicate titles and typo-tolerant search, unaccent for
accent-insensitive search."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("tenants", "0001_initial")]

    operations = [TrigramExtension(), UnaccentExtension()]
