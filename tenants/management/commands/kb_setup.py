"""Everything a database needs, from nothing, idempotently: the public schema, the public
site's tenant row, the tenant template, every tenant's migrations, the application's database
role and its privileges (tenants.db_roles), and (with --demo) the demo data when the database
has no client yet. Run it as the owner role (the one that owns, or will own, the tables)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tenants import db_roles
from tenants.models import Client, Domain


class Command(BaseCommand):
    help = "Migrate every schema and ensure the public tenant exists; --demo seeds an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="Seed demo data when there is no client yet.")
        parser.add_argument(
            "--app-role", default=os.environ.get("KB_APP_DB_ROLE", ""),
            help="The restricted role the site connects as (created when missing; env KB_APP_DB_ROLE).",
        )
        parser.add_argument(
            "--app-password", default=os.environ.get("KB_APP_DB_PASSWORD", ""),
            help="Its password, set when given (env KB_APP_DB_PASSWORD; none with trust auth).",
        )

    def handle(self, *args, **options):
        quiet = max(0, options["verbosity"] - 1)
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=quiet)
        public, _ = Client.objects.get_or_create(schema_name="public", defaults={"name": "kbportal"})
        Domain.objects.get_or_create(
            domain=settings.KB_BASE_DOMAIN, defaults={"tenant": public, "is_primary": True}
        )
        call_command("sync_tenant_template", verbosity=quiet)
        if Client.objects.exclude(schema_name="public").exists():
            # Only the schemas with migrations to run, two at a time (tenants.migration_executor).
            call_command("migrate_schemas", tenant=True, executor="pending", interactive=False, verbosity=quiet)
        if options["app_role"]:
            db_roles.ensure_app_role(options["app_role"], options["app_password"] or None)
        db_roles.install(options["app_role"] or None)
        if options["demo"]:
            call_command("seed_demo", verbosity=options["verbosity"])
        self.stdout.write("Database ready.")
