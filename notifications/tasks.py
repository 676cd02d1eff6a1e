"""Fan-out tasks. Thin: the tenant and ids in, `notifications.services` does the work.

Every task is acknowledged late (`acks_late`, from tenants.tasking.RETRY_OPTIONS) and
rejected back to the queue when its worker process dies (`reject_on_worker_lost`, also the
project-wide CELERY_TASK_REJECT_ON_WORKER_LOST); a batch of BATCH_SIZE recipients takes well
under a second, far inside the visibility timeout (CELERY_VISIBILITY_TIMEOUT), so a batch held
by a worker that was killed is handed to another one and run again, harmlessly.
"""

from __future__ import annotations

from celery import shared_task

from tenants.tasking import DURABLE_OPTIONS, RETRY_OPTIONS, enqueue, every_tenant, fan_out, tenant_task

from . import services

FANOUT_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True}


@tenant_task(name="notifications.plan_fanout", **FANOUT_OPTIONS)
def plan_fanout_task(schema_name: str, event_id: int) -> int:
    batch_ids = services.plan_fanout(event_id)
    for batch_id in batch_ids:
        enqueue(deliver_batch_task, schema_name, batch_id)
    return len(batch_ids)


@tenant_task(name="notifications.deliver_batch", **FANOUT_OPTIONS)
def deliver_batch_task(schema_name: str, batch_id: int) -> int:
    return services.deliver_batch(batch_id)


@tenant_task(name="notifications.sweep_tenant", **FANOUT_OPTIONS)
def sweep_tenant_task(schema_name: str) -> int:
    """Send again what was lost (changes never planned, batches never delivered), and the
    immediate e-mails of changes whose debounce window has closed."""
    from . import mail

    event_ids, batch_ids = services.pending_work()
    for event_id in event_ids:
        enqueue(plan_fanout_task, schema_name, event_id)
    for batch_id in batch_ids:
        enqueue(deliver_batch_task, schema_name, batch_id)
    due = mail.due_immediate_events()
    for event_id in due:
        enqueue(mail_change_task, schema_name, event_id)
    return len(event_ids) + len(batch_ids) + len(due)


# Beat, every minute, and each time a worker (re)connects: one sweep per client tenant in service.
sweep = every_tenant(sweep_tenant_task, name="notifications.sweep")


@tenant_task(name="notifications.mail_change", **FANOUT_OPTIONS)
def mail_change_task(schema_name: str, event_id: int) -> int:
    from . import mail

    return mail.send_immediate(event_id)


@tenant_task(name="notifications.plan_digests", **FANOUT_OPTIONS)
def plan_digests_task(schema_name: str, frequency: str) -> int:
    """One digest task per chunk of people whose preference here is `frequency`."""
    from . import mail

    people = mail.digest_recipients(frequency)
    for start in range(0, len(people), mail.DIGEST_CHUNK):
        enqueue(send_digests_task, schema_name, people[start:start + mail.DIGEST_CHUNK], frequency)
    return len(people)


@tenant_task(name="notifications.send_digests", **FANOUT_OPTIONS)
def send_digests_task(schema_name: str, person_ids: list[int], frequency: str) -> int:
    from . import mail

    return mail.send_digests([int(pk) for pk in person_ids], frequency)


@shared_task(name="notifications.digests", **{**RETRY_OPTIONS, **DURABLE_OPTIONS})
def digests(frequency: str) -> list[str]:
    """Beat: the daily digests every morning, the weekly ones on Monday mornings, in every client
    tenant in service (tenants.tasking.fan_out)."""
    return fan_out(plan_digests_task, frequency)
