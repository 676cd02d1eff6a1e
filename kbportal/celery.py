"""The Celery app. Tasks that touch tenant data are declared with `tenants.tasking.tenant_task`.

Catching up after the broker was away: while Redis is down nothing can be enqueued (requests
log and drop, see `tenants.tasking.enqueue`) and beat's ticks are lost; a Redis that restarts
without persistence also loses what was queued. Every worker therefore sends the sweeps named in
`RECONCILE_ON_CONNECT` (idempotent reconciliations) each time its consumer (re)connects to the
broker, so the work is found within seconds of Redis returning (or of a worker restarting),
not at the next 5-minute tick.
"""

from __future__ import annotations

import logging
import os

from celery import Celery, bootsteps, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kbportal.settings.local")

logger = logging.getLogger(__name__)

app = Celery("kbportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.celeryd_init.connect
def _worker_socket_timeout(**_kwargs) -> None:
    """A `celery worker` process allows a slow Redis more time than a web request does."""
    from django.conf import settings

    app.conf.broker_transport_options = {
        **app.conf.broker_transport_options, "socket_timeout": settings.WORKER_BROKER_SOCKET_TIMEOUT,
    }


class ReconcileOnConnect(bootsteps.StartStopStep):
    """A consumer step: started on the first connection and again after every reconnection."""

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def start(self, consumer) -> None:
        from django.conf import settings

        from tenants.tasking import BROKER_UNAVAILABLE

        for name in getattr(settings, "RECONCILE_ON_CONNECT", ()):
            try:
                consumer.app.send_task(name, ignore_result=True)
            except BROKER_UNAVAILABLE as exc:  # gone again already: the next connection sends it
                logger.warning("Could not send %s on connect: %s", name, exc)


app.steps["consumer"].add(ReconcileOnConnect)
