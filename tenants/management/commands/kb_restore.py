"""Replace the database with a backup, without reopening access closed after the backup."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections

from tenants import backup, db_roles


class Command(BaseCommand):
    help = (
        "Restore a kb_backup file into this database (dropped and created again), then sign "
        "everyone out, revoke every API token, revoke again the grants revoked after the backup and "
        "record the restore in every tenant's audit log. Run as the owner role, with the site stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?")
        parser.add_argument(
            "--recovered-to", metavar="TIME",
            help="After a point-in-time recovery to TIME (ISO 8601), restore nothing: only sign everyone "
                 "out, revoke every API token and record it in every tenant's log.",
        )
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")
        parser.add_argument("--terminate", action="store_true", help="Close other connections to the database.")

    def handle(self, *args, **options):
        if options["recovered_to"]:
            from django.utils.dateparse import parse_datetime

            moment = parse_datetime(options["recovered_to"])
            if moment is None or moment.tzinfo is None:
                raise CommandError("--recovered-to needs a time with its zone, e.g. 2026-12-01T02:00:00Z")
            report = backup.RestoreReport(backed_up_at=moment)
            backup.invalidate_after_restore(report, [])
            self._summary(report, f"point-in-time recovery to {moment.isoformat()}")
            return
        if not options["file"]:
            raise CommandError("name the backup file (or --recovered-to TIME)")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such backup: {path}")
        name = connections["default"].settings_dict["NAME"]
        try:
            report = backup.RestoreReport(backed_up_at=backup.backup_time(path))
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup {path} was taken at {report.backed_up_at:%Y-%m-%d %H:%M:%S} UTC.")
        if not options["yes"]:
            answer = input(f"This replaces the whole database {name!r} with it. Type the database name to go on: ")
            if answer.strip() != name:
                raise CommandError("Restore cancelled.")
        closed = []
        if backup.database_exists(name):
            try:  # the database being replaced may be damaged: its audit logs are a bonus
                closed = backup.closed_access_since(report.backed_up_at)
            except DatabaseError as exc:
                self.stderr.write(f"warning: could not read the current audit logs ({exc}); "
                                  "grants revoked after the backup must be revoked again by hand.")
        app_role = None
        try:
            app_role = db_roles.configured_app_role()
        except DatabaseError:
            pass
        try:
            backup.replace_database(path, terminate=options["terminate"])
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        connections.close_all()
        db_roles.install(app_role)  # database-level grants are not in a dump
        backup.invalidate_after_restore(report, closed)
        self._summary(report, f"Restored {name} from {path}.")

    def _summary(self, report, headline: str) -> None:
        self.stdout.write(self.style.SUCCESS(headline))
        self.stdout.write(f"  sessions cleared (everyone signs in again): {report.sessions_cleared}")
        self.stdout.write(f"  API tokens revoked (their owners create new ones): {report.tokens_revoked}")
        self.stdout.write(f"  grants revoked after the backup, revoked again: {len(report.grants_revoked_again)}")
        for event in report.revocations_not_replayed:
            self.stdout.write(f"  to check in {event['schema']}: {event['action']} {event['object_label']} at {event['at']}")
        self.stdout.write(f"  recorded in the audit log of: {', '.join(report.tenants) or 'no tenant'}")
