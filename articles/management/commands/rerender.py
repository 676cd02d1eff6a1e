"""Re-render every revision whose HTML was produced by another sanitiser version (after the
allow-list, nh3 or Python-Markdown changed). Revisions stay immutable in content: only their
rendered HTML and sanitiser version are refreshed."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand
from django.db import connection
from django_tenants.utils import get_public_schema_name, get_tenant_model

from articles import rendering
from articles.models import Revision
from articles.services import render_content


class Command(BaseCommand):
    help = "Re-render revisions rendered with an older sanitiser version (--tenant X, --all to force)."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", help="Only this tenant schema.")
        parser.add_argument("--all", action="store_true", help="Re-render every revision, whatever its version.")

    def handle(self, *args, **options):
        tenants = get_tenant_model().objects.exclude(schema_name=get_public_schema_name())
        if options["tenant"]:
            tenants = tenants.filter(schema_name=options["tenant"])
        for tenant in tenants:
            connection.set_tenant(tenant)
            try:
                stale = Revision.objects.all()
                if not options["all"]:
                    stale = stale.exclude(sanitiser_version=rendering.SANITISER_VERSION)
                total, done, failed = stale.count(), 0, 0
                for revision in stale.iterator(chunk_size=200):
                    try:
                        revision.rendered = render_content(revision.content())
                    except Exception:  # noqa: BLE001 - reported, the rest goes on
                        failed += 1
                    else:
                        revision.sanitiser_version = rendering.SANITISER_VERSION
                        revision.save(rerender=True, update_fields=["rendered", "sanitiser_version"])
                    done += 1
                    if done % 50 == 0 or done == total:
                        sys.stdout.write(f"\r{tenant.schema_name}: {done}/{total} revisions re-rendered")
                        sys.stdout.flush()
                self.stdout.write(f"\n{tenant.schema_name}: {total} re-rendered, {failed} failed "
                                  f"(now {rendering.SANITISER_VERSION})")
            finally:
                connection.set_schema_to_public()
