"""Benchmark of images (issue #16), on a reusable bench tenant `benchfiles`:

- the time to accept and process a screenshot of about 5 MB (a POST to the editor's upload
  address, through every middleware: multipart parsing, Pillow's decoding and re-encoding,
  the rendition, the storage write and the row), i.e. upload to rendition ready;
- the reading page of a guide with 20 images, as a provider agent granted it: its time and
  its query count, beside the same guide with 1 image (the count must not grow with images).

Requests go through Django's test client in this process (no network, no browser), so the
times are the server's own.
"""

from __future__ import annotations

import io
import os
import statistics
import time
from collections.abc import Callable

from django.db import connection, reset_queries
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from PIL import Image

from articles import demo_screens
from articles import services as articles
from articles.models import Article, Collection, Kind
from permissions import services as permissions
from tenants import services as tenants
from tenants.models import Client, Membership, ProviderOrganisation, ProviderRole, Role, User

SCHEMA = "benchfiles"
EDITOR = "bench.editor@benchfiles.test"
AGENT = "bench.agent@benchfiles.test"


def ensure_tenant() -> tuple[Client, User, User]:
    connection.set_schema_to_public()
    client = Client.objects.filter(schema_name=SCHEMA).first() or tenants.client_create(
        schema_name=SCHEMA, name="Bench Files")
    editor = User.objects.filter(email=EDITOR).first() or User.objects.create_user(EDITOR, None, full_name="Bench Editor")
    if not Membership.objects.filter(client=client, user=editor).exists():
        tenants.membership_set(user=editor, client=client, role=Role.EDITOR)
    agent = User.objects.filter(email=AGENT).first()
    if agent is None:
        provider = ProviderOrganisation.objects.create(name="Bench Provider", country="France")
        tenants.engagement_start(provider=provider, client=client)
        agent = User.objects.create_user(AGENT, None, full_name="Bench Agent")
        tenants.provider_member_add(user=agent, provider=provider, role=ProviderRole.AGENT).clients.add(client)
        team = tenants.team_create(provider=provider, name="Bench desk")
        team.members.add(agent)
        connection.set_tenant(client)
        collection = articles.collection_create(name="Bench guides", acting_user=editor)
        permissions.grant_give(target=collection, level="read", team=team, acting_user=editor)
        connection.set_schema_to_public()
    return client, editor, agent


def screenshot(target_bytes: int) -> bytes:
    """A 2560 x 1600 PNG of a mock back office whose detail panel holds a photo-like area (noise)
    sized so that the file weighs about `target_bytes`: what a retina screenshot with a picture in
    it weighs."""
    spec = demo_screens.SCREENS["acme"]["refund-a-parcel-that-never-arrived"][0][1]
    base = Image.open(io.BytesIO(demo_screens._screen(**spec))).resize((2560, 1600), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    base.save(out, "PNG")
    # Noise does not compress: each of its pixels costs its 3 bytes.
    pixels = int(max(0, target_bytes - out.tell()) * 1.06) // 3  # it covers some of the screen
    width = min(2400, max(100, int((pixels * 2) ** 0.5)))
    height = min(1500, max(1, pixels // width))
    image = base.copy()
    image.paste(Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)), (80, 60))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _host(client: Client) -> str:
    return client.get_primary_domain().domain


def _timed(n: int, call: Callable[[], object]) -> list[float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def upload_times(client: Client, editor: User, data: bytes, repeat: int) -> list[float]:
    http = HttpClient()
    http.force_login(editor)
    host = _host(client)

    def post():
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = http.post("/editor/upload/", {"file": SimpleUploadedFile("screen.png", data), "alt": "Bench"},
                             HTTP_HOST=host)
        assert response.status_code == 201, response.content[:300]
        return response

    return _timed(repeat, post)


def guide_with_images(client: Client, editor: User, images: int) -> Article:
    """A published guide with one screenshot (1280 x 800) per step, built once per size."""
    connection.set_tenant(client)
    try:
        slug = f"bench-guide-{images}-images"
        existing = Article.objects.filter(slug=slug).first()
        if existing is not None:
            return existing
        from articles.attachments import services as attachments

        steps = []
        for n in range(images):
            spec = dict(demo_screens.SCREENS["acme"]["refund-a-parcel-that-never-arrived"][n % 2][1])
            spec["title"] = f"Step {n + 1} of the bench"
            image = attachments.attachment_upload(data=demo_screens._screen(**spec), name=f"step-{n + 1}.png",
                                                  acting_user=editor)
            steps.append({"title": f"Step {n + 1}", "body": f"Click here.\n\n![Screen {n + 1}](attachment:{image.pk})"})
        return articles.article_create(
            kind=Kind.GUIDE, collection=Collection.objects.get(slug="bench-guides"), acting_user=editor, publish=True,
            slug=slug, content=articles.Content(title=f"Bench guide with {images} images", language="en", tags=[],
                                                body="A guide of the benchmark.", steps=steps))
    finally:
        connection.set_schema_to_public()


def reading(client: Client, agent: User, article: Article, repeat: int) -> tuple[list[float], int, int]:
    """Times of the reading page, its query count, and the number of images it shows."""
    http = HttpClient()
    http.force_login(agent)
    host = _host(client)
    url = article.get_absolute_url()
    first = http.get(url, HTTP_HOST=host)  # settles the session, warms the caches
    assert first.status_code == 200, first.status_code
    reset_queries()  # with DEBUG on, a full log (9,000 queries) would count nothing
    with CaptureQueriesContext(connection) as queries:
        page = http.get(url, HTTP_HOST=host)
    count = len(queries)  # now: the next request empties the connection's query log
    shown = page.content.decode().count('<img alt="Screen ')
    times = _timed(repeat, lambda: http.get(url, HTTP_HOST=host))
    return times, count, shown


def images_of_page(client: Client, agent: User, article: Article) -> tuple[float, int, int]:
    """What the agent's browser then asks: every image of the page, each through the permission
    layer. Total time, queries of one image request, number of images."""
    import re

    http = HttpClient()
    http.force_login(agent)
    host = _host(client)
    page = http.get(article.get_absolute_url(), HTTP_HOST=host).content.decode()
    sources = re.findall(r'<img alt="Screen [0-9]+" src="(/files/[0-9a-f-]+/)">', page)
    start = time.perf_counter()
    for source in sources:
        response = http.get(source, HTTP_HOST=host)
        assert response.status_code == 200, source
        b"".join(response.streaming_content)
    total = (time.perf_counter() - start) * 1000
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        b"".join(http.get(sources[0], HTTP_HOST=host).streaming_content)
    return total, len(queries), len(sources)


def summary(times: list[float]) -> str:
    return f"median {statistics.median(times):.0f} ms (min {min(times):.0f}, max {max(times):.0f}, n={len(times)})"
