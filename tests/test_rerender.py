from io import StringIO

from django.core.management import call_command

from articles import rendering, services
from articles.models import Kind, Revision


def test_rerender_refreshes_only_revisions_of_another_sanitiser_version(world, in_tenant):
    in_tenant(world.acme)
    collection = services.collection_create(name="Rerender", acting_user=world.acme_editor)
    article = services.article_create(kind=Kind.ARTICLE, collection=collection, acting_user=world.acme_editor,
                                      content=services.Content(title="Old render", language="en", tags=[], body="**bold**"))
    Revision.objects.filter(pk=article.latest_revision_id).update(sanitiser_version="nh3-0.0+policy-0",
                                                                   rendered={"body": "<p>stale</p>"})
    out = StringIO()
    call_command("rerender", tenant="acme", stdout=out)
    in_tenant(world.acme)
    revision = Revision.objects.get(pk=article.latest_revision_id)
    assert revision.sanitiser_version == rendering.SANITISER_VERSION
    assert "<strong>bold</strong>" in revision.rendered["body"]
    assert "1 re-rendered" in out.getvalue()
