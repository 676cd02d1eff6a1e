"""Issue 14: every main page of the client roles, in English, fits every screen and passes axe in
light and dark (tests/browser/layout_pages.py; one file per role group and language, so that
the suite's workers share the work)."""

from __future__ import annotations

import pytest

from .layout_pages import CLIENT_ROLES, fits_and_passes_axe, shelf  # noqa: F401 (shelf: a fixture)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("role", CLIENT_ROLES)
def test_every_page_fits_every_screen_and_passes_axe_in_english(browser, site, shelf, role):  # noqa: F811
    fits_and_passes_axe(browser, site, shelf, role, "en")
