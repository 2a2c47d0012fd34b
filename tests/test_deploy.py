"""The nginx configuration for several replicas: `isf-tracker nginx-config` (src/isf_tracker/nginx.py),
shipped with its defaults as docs/nginx/isf-tracker.conf.

Checks of its directives, and `nginx -t` on it when nginx is installed (in CI it must be:
tests/run installs it). `standalone` wraps it into a whole nginx.conf of its own prefix, as
tests/browser/test_replicas.py runs it in front of real replicas.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from isf_tracker import nginx
from isf_tracker.cli import main
from tests.ledger_rows import ROOT

CONFIG = ROOT / "docs" / "nginx" / "isf-tracker.conf"  # `isf-tracker nginx-config` with its defaults
#: The cookie that pins a browser to one replica, and the header naming the replica that answered.
STICKY_COOKIE, REPLICA_HEADER = "isf_replica", "X-ISF-Replica"
NGINX = os.environ.get("NGINX_PATH") or shutil.which("nginx") or "/usr/sbin/nginx"
SHIPPED = nginx.config()


def standalone(prefix: Path, listen: str, replicas: Sequence[str]) -> str:
    """The CLI's config as a whole nginx.conf that keeps every file it writes under `prefix`
    (for `nginx -p PREFIX -c PREFIX/nginx.conf -e PREFIX/error.log`), on `listen`, in front of
    `replicas`: only what an operator chooses with the CLI's options differs from the shipped file."""
    site = nginx.Site(
        listen, replicas=replicas, cache_dir=f"{prefix}/cache", access_log=f"{prefix}/access.log"
    )
    return nginx.standalone(str(prefix), nginx.config(site))


def block(config: str, opening: str) -> str:
    """The body of `opening { ... }` (blocks here hold no nested blocks)."""
    found = re.search(rf"{re.escape(opening)} \{{(.*?)\n\s*\}}", config, re.S)
    assert found, f"no {opening}"
    return found.group(1)


def directives(text: str) -> list[str]:
    """The directives of a block, one per line, comments dropped."""
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_the_upstream_hashes_on_the_sticky_cookie():
    assert directives(block(SHIPPED, "upstream isf_tracker")) == [
        "hash $isf_replica_key consistent;",
        "server 127.0.0.1:8501;",
        "server 127.0.0.1:8502;",
    ]
    assert "sticky" not in "\n".join(directives(SHIPPED))  # the nginx-plus directive


def test_a_browser_without_the_cookie_gets_one_with_the_key_it_was_routed_by():
    key = block(SHIPPED, f"map $cookie_{STICKY_COOKIE} $isf_replica_key")
    assert directives(key) == ['""      $request_id;', f"default $cookie_{STICKY_COOKIE};"]
    assert directives(block(SHIPPED, f"map $cookie_{STICKY_COOKIE} $isf_replica_set_cookie")) == [
        f'""      "{STICKY_COOKIE}=$request_id; Path=/; HttpOnly; SameSite=Lax";',
        'default "";',
    ]
    assert "add_header Set-Cookie $isf_replica_set_cookie always;" in SHIPPED
    assert f"add_header {REPLICA_HEADER} $upstream_addr always;" in SHIPPED


def test_the_websocket_is_upgraded_unbuffered_and_long_lived():
    stream = directives(block(SHIPPED, "location = /_stcore/stream"))
    for wanted in (
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_set_header Connection $isf_connection_upgrade;",
        "proxy_buffering off;",
        "proxy_read_timeout 1d;",
    ):
        assert wanted in stream


CACHED = r"~ ^/(?:s|embed|img|api)/|^/feed\.atom$"
LOCATIONS = ("= /_stcore/stream", "= /_stcore/health", CACHED, "/")


def test_every_location_forwards_the_same_headers():
    wanted = {
        "proxy_pass http://isf_tracker;",
        "proxy_http_version 1.1;",
        "proxy_set_header Host $http_host;",  # with the port: Streamlit compares it to the Origin
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
    }
    for match in LOCATIONS:
        assert wanted <= set(directives(block(SHIPPED, f"location {match}"))), match
    assert re.findall(r"^    location (.*) \{$", SHIPPED, re.M) == list(LOCATIONS)


def test_dashboard_locations_add_no_header_and_are_never_cached():
    for match in ("= /_stcore/stream", "= /_stcore/health", "/"):
        body = directives(block(SHIPPED, f"location {match}"))
        # A location's own add_header would silently drop the server's (cookie, replica).
        assert not any(line.startswith(("add_header", "proxy_cache")) for line in body), match


def test_the_session_free_routes_are_cached_as_the_app_says_and_served_stale_while_updating():
    cached = directives(block(SHIPPED, f"location {CACHED}"))
    for wanted in (
        "proxy_cache isf_tracker;",
        # The query is part of the key, and gzip or not: two copies, whatever a browser's header says.
        "proxy_cache_key $scheme://$http_host$request_uri$isf_gzip;",
        "proxy_set_header Accept-Encoding $isf_gzip;",
        "proxy_ignore_headers Vary;",
        "proxy_cache_use_stale updating error timeout http_500 http_502 http_503 http_504;",
        "proxy_cache_background_update on;",
        "proxy_cache_lock on;",
        "proxy_cache_revalidate on;",
        "add_header X-Cache-Status $upstream_cache_status always;",
        f"add_header {REPLICA_HEADER} $upstream_addr always;",
    ):
        assert wanted in cached
    # How long is the app's to say (Cache-Control): no proxy_cache_valid, no other ignored header.
    assert not any(line.startswith("proxy_cache_valid") for line in cached)
    assert [line for line in cached if line.startswith("proxy_ignore_headers")] == [
        "proxy_ignore_headers Vary;"
    ]
    # A cached answer carries no pinning cookie: a CDN would refuse to keep it.
    assert not any("Set-Cookie" in line for line in cached)
    for path in ("/s/map", "/embed/map", "/img/map/map.png", "/api/v1/statements.json", "/feed.atom"):
        assert re.search(CACHED.removeprefix("~ "), path), path
    for path in ("/", "/map", "/static/app.js", "/media/x.csv", "/feed.atom.x", "/sitemap"):
        assert not re.search(CACHED.removeprefix("~ "), path), path
    assert re.search(
        r"^proxy_cache_path /var/cache/nginx/isf-tracker .*keys_zone=isf_tracker:", SHIPPED, re.M
    )
    assert "'cache=$upstream_cache_status';" in SHIPPED  # the access log says what the cache did


def test_the_shipped_file_is_the_commands_output(capsys):
    assert main(["nginx-config"]) == 0
    assert capsys.readouterr().out == SHIPPED == CONFIG.read_text(encoding="utf-8"), (
        "regenerate it: isf-tracker nginx-config > docs/nginx/isf-tracker.conf"
    )


def test_the_command_takes_the_operators_choices(capsys):
    options = ["--listen", "10.0.0.2:8080", "--server-name", "isf.example.org", "www.isf.example.org",
               "--replica", "10.0.0.3:8501", "--replica", "[fd00::4]:8501",
               "--cache-dir", "/srv/cache"]  # fmt: skip
    assert main(["nginx-config", *options]) == 0
    out = capsys.readouterr().out
    assert directives(block(out, "upstream isf_tracker"))[1:] == [
        "server 10.0.0.3:8501;",
        "server [fd00::4]:8501;",
    ]
    assert "listen 10.0.0.2:8080;" in out
    assert "server_name isf.example.org www.isf.example.org;" in out
    assert "proxy_cache_path /srv/cache levels" in out


@pytest.mark.parametrize(
    "option",
    [["--replica", "a;b"], ["--replica", "host"], ["--listen", "80; include /x"], ["--cache-dir", "a b"]],
)
def test_a_value_that_would_break_the_config_is_a_usage_error(option, capsys):
    assert main(["nginx-config", *option]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("isf-tracker nginx-config: ")


def test_the_file_is_for_conf_d_with_a_bounded_body():
    for main_only in ("events", "http {", "pid ", "worker_processes", "error_log"):
        assert main_only not in SHIPPED
    assert "client_max_body_size 10m;" in SHIPPED
    assert "access_log /var/log/nginx/isf-tracker.access.log isf_tracker;" in SHIPPED


def test_the_standalone_config_keeps_every_file_under_its_prefix(tmp_path: Path):
    conf = standalone(tmp_path, "127.0.0.1:8080", ["127.0.0.1:9001"])
    assert directives(block(conf, "upstream isf_tracker"))[1:] == ["server 127.0.0.1:9001;"]
    assert "listen 127.0.0.1:8080;" in conf
    paths = re.findall(
        r"^\s*(?:pid|error_log|access_log|\w+_temp_path|proxy_cache_path) (?!off;)(\S+?)[; ]", conf, re.M
    )
    assert len(paths) == 9  # pid, error log, access log, five temp folders, the cache
    assert all(path.startswith(f"{tmp_path}/") for path in paths), paths


def test_nginx_accepts_the_shipped_config(tmp_path: Path):
    if not Path(NGINX).exists():
        reason = f"nginx not found at {NGINX} (set NGINX_PATH or apt-get install nginx)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must install it", pytrace=False)
        pytest.skip(reason)
    conf = tmp_path / "nginx.conf"
    conf.write_text(standalone(tmp_path, "127.0.0.1:8080", ["127.0.0.1:8501", "127.0.0.1:8502"]))
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_the_deployment_guide_points_at_the_shipped_file():
    guide = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    assert "(nginx/isf-tracker.conf)" in guide
