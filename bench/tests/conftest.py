"""The benchmark's browser tests share the browser tests' Chromium and server fixtures."""

from tests.browser.conftest import browser, server  # noqa: F401  (pytest finds fixtures by name)
