"""Seed the demo (when the database has no client yet) and print one login per role."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tenants import demo
from tenants.models import Client


class Command(BaseCommand):
    help = "Create demo tenants, people and content when the database is empty; print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")

    def handle(self, *args, **options):
        if not Client.objects.exclude(schema_name="public").exists():
            self.stdout.write("Seeding demo data…")
            demo.seed_people()
            from articles.demo import seed_content
            from checks.demo import seed_checks
            from permissions.demo import seed_grants
            from readiness.demo import seed_must_reads

            seed_content(stdout=self.stdout)
            seed_grants(stdout=self.stdout)
            seed_must_reads(stdout=self.stdout)
            seed_checks(stdout=self.stdout)
            from dashboard.demo import seed_history

            seed_history(stdout=self.stdout)
            # A publish made just after seeding is a change of its own, not a save merged into the seed's.
            from notifications.demo import close_seeded_changes

            close_seeded_changes(demo.CLIENTS, stdout=self.stdout)
            # Searchable at once, without waiting for the worker to drain the publish tasks.
            for schema in demo.CLIENTS:
                call_command("reindex", tenant=schema, stdout=self.stdout)
        port = options["port"]
        base = settings.KB_BASE_DOMAIN
        self.stdout.write("")
        self.stdout.write(f"  Public site:  http://{base}:{port}/")
        for schema in demo.CLIENTS:
            self.stdout.write(f"  Tenant {schema:8}: http://{schema}.{base}:{port}/")
        self.stdout.write(f"  Health:       http://{base}:{port}/healthz")
        self.stdout.write("")
        if settings.KB_DEMO_ACCOUNTS:
            self.stdout.write(f"  Demo logins (password for all: {demo.DEMO_PASSWORD}; valid only with "
                              "KB_DEMO_ACCOUNTS on):")
            for login in demo.all_logins():
                self.stdout.write(f"    {login.email:28} {login.what}")
        else:
            self.stdout.write("  KB_DEMO_ACCOUNTS is off: demo accounts cannot sign in.")
        self.stdout.write("")
