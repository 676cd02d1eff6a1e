from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecksConfig(AppConfig):
    name = "checks"
    verbose_name = _("Knowledge checks")

    def ready(self) -> None:
        from articles import events
        from dashboard import bench

        from . import bench as checks_bench
        from . import dashboard_section, subscribers

        events.content_changed.connect(subscribers.flag_questions, dispatch_uid="checks-flag-questions")
        events.article_opened.connect(subscribers.article_opened, dispatch_uid="checks-article-links")
        dashboard_section.register()  # the dashboard's weak spots
        if checks_bench.attempts not in bench.EVENT_HOOKS:  # the bench tenant's year holds attempts
            bench.EVENT_HOOKS.append(checks_bench.attempts)
            bench.EVENT_COUNTERS.append(checks_bench.counted)
