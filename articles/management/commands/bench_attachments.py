"""Benchmark images: accepting a 5 MB screenshot, and reading a guide with 20 images.

    python manage.py bench_attachments [--size-mb 5] [--images 20] [--repeat 5]
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from articles.attachments import bench


class Command(BaseCommand):
    help = "Time the upload of a large screenshot and the reading page of a guide with many images."

    def add_arguments(self, parser):
        parser.add_argument("--size-mb", type=float, default=5.0)
        parser.add_argument("--images", type=int, default=20)
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, **options):
        client, editor, agent = bench.ensure_tenant()
        data = bench.screenshot(int(options["size_mb"] * 1024 * 1024))
        times = bench.upload_times(client, editor, data, max(1, options["repeat"] // 2 + 1))
        self.stdout.write(f"upload: a {len(data) / (1024 * 1024):.1f} MB screenshot (2560 x 1600 PNG), accepted, "
                          f"re-encoded and its 1600 px rendition stored: {bench.summary(times)}")
        one = bench.guide_with_images(client, editor, 1)
        many = bench.guide_with_images(client, editor, options["images"])
        for article in (one, many):
            times, queries, shown = bench.reading(client, agent, article, options["repeat"])
            self.stdout.write(f"reading page, agent, guide with {shown} images: {bench.summary(times)}, "
                              f"{queries} queries")
        total, per_image, count = bench.images_of_page(client, agent, many)
        self.stdout.write(f"the {count} images of that page, each fetched through the permission layer: "
                          f"{total:.0f} ms in all, {per_image} queries per image")
