"""The nginx configuration for several replicas (isf_tracker.deploy, `isf-tracker nginx-config`).

Pure tests of the rendered text, and `nginx -t` on it when nginx is installed (in CI it
must be: tests/run installs it). The real proxy is tested in tests/browser/test_replicas.py.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from isf_tracker.cli import main
from isf_tracker.deploy import nginx_conf, nginx_site

REPLICAS = ["127.0.0.1:8501", "127.0.0.1:8502"]
NGINX = os.environ.get("NGINX_PATH") or shutil.which("nginx") or "/usr/sbin/nginx"


def location(config: str, match: str) -> str:
    """The body of `location <match> { ... }` (locations here hold no nested blocks)."""
    found = re.search(rf"location {re.escape(match)} \{{(.*?)\n\s*\}}", config, re.S)
    assert found, f"no location {match}"
    return found.group(1)


def directives(block: str) -> list[str]:
    """The directives of a block, one per line, comments dropped."""
    return [line.strip() for line in block.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_the_upstream_lists_every_replica_and_hashes_on_the_sticky_cookie():
    site = nginx_site("0.0.0.0:80", REPLICAS)
    upstream = re.search(r"upstream isf_tracker \{(.*?)\}", site, re.S)
    assert upstream
    assert directives(upstream.group(1)) == [
        "hash $isf_replica_key consistent;",
        "server 127.0.0.1:8501;",
        "server 127.0.0.1:8502;",
    ]
    assert "sticky" not in "\n".join(directives(site))  # the nginx-plus directive
    assert "listen 0.0.0.0:80;" in site


def test_a_browser_without_the_cookie_gets_one_with_the_key_it_was_routed_by():
    site = nginx_site("80", REPLICAS)
    key = re.search(r"map \$cookie_isf_replica \$isf_replica_key \{(.*?)\}", site, re.S)
    assert key
    assert directives(key.group(1)) == ['""      $request_id;', "default $cookie_isf_replica;"]
    set_cookie = re.search(r"map \$cookie_isf_replica \$isf_replica_set_cookie \{(.*?)\}", site, re.S)
    assert set_cookie
    assert directives(set_cookie.group(1)) == [
        '""      "isf_replica=$request_id; Path=/; HttpOnly; SameSite=Lax";',
        'default "";',
    ]
    assert "add_header Set-Cookie $isf_replica_set_cookie always;" in site
    assert "add_header X-ISF-Replica $upstream_addr always;" in site


def test_the_websocket_is_upgraded_unbuffered_and_long_lived():
    stream = directives(location(nginx_site("80", REPLICAS), "= /_stcore/stream"))
    for wanted in (
        "proxy_pass http://isf_tracker;",
        "proxy_http_version 1.1;",
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_set_header Connection $isf_connection_upgrade;",
        "proxy_set_header Host $http_host;",  # with the port: Streamlit compares it to the Origin
        "proxy_buffering off;",
        "proxy_read_timeout 1d;",
    ):
        assert wanted in stream


def test_every_location_forwards_the_same_headers():
    site = nginx_site("80", REPLICAS)
    wanted = {
        "proxy_set_header Host $http_host;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
    }
    for match in ("= /_stcore/stream", "= /_stcore/health", "/"):
        body = directives(location(site, match))
        assert "proxy_pass http://isf_tracker;" in body
        assert wanted <= set(body), match
        # A location's own add_header would silently drop the server's (cookie, replica).
        assert not any(line.startswith("add_header") for line in body), match


def test_health_passes_through_and_the_body_size_is_bounded():
    site = nginx_site("80", REPLICAS, client_max_body_size="20m")
    assert "proxy_pass http://isf_tracker;" in location(site, "= /_stcore/health")
    assert "client_max_body_size 20m;" in site
    assert "client_max_body_size 10m;" in nginx_site("80", REPLICAS)


def test_the_conf_d_section_has_no_main_context_directives():
    site = nginx_site("80", REPLICAS)
    for main_only in ("events", "http {", "pid ", "worker_processes", "error_log"):
        assert main_only not in site
    assert "access_log /var/log/nginx/isf-tracker.access.log isf_tracker;" in site


def test_the_standalone_config_keeps_every_file_under_the_prefix(tmp_path: Path):
    conf = nginx_conf("127.0.0.1:8080", REPLICAS, tmp_path)
    site = nginx_site("127.0.0.1:8080", REPLICAS, access_log=f"{tmp_path}/access.log")
    assert textwrap.indent(site, "    ") in conf  # the same blocks, inside http {}
    assert re.search(r"^events \{", conf, re.M)
    assert re.search(r"^http \{", conf, re.M)
    paths = re.findall(r"^\s*(?:pid|error_log|access_log|\w+_temp_path) (?!off;)(\S+?)[; ]", conf, re.M)
    assert len(paths) == 8  # pid, error log, access log, five temp folders
    assert all(path.startswith(f"{tmp_path}/") for path in paths), paths


@pytest.mark.parametrize(
    ("listen", "replicas"),
    [
        ("80", []),
        ("80; evil", REPLICAS),
        ("80", ["127.0.0.1:8501; include /etc/passwd"]),
        ("80", ["127.0.0.1:8501 }"]),
        ("80", ["$host"]),
    ],
)
def test_unsafe_or_missing_addresses_are_refused(listen: str, replicas: list[str]):
    with pytest.raises(ValueError):
        nginx_site(listen, replicas)


def test_the_standalone_prefix_must_be_absolute():
    with pytest.raises(ValueError, match="absolute"):
        nginx_conf("80", REPLICAS, "relative/prefix")


# --- the command -----------------------------------------------------------------------


def test_the_command_prints_the_conf_d_section(capsys):
    argv = ["nginx-config", "--listen", "0.0.0.0:80", "--replica", REPLICAS[0], "--replica", REPLICAS[1]]
    assert main(argv) == 0
    assert capsys.readouterr().out == nginx_site("0.0.0.0:80", REPLICAS)


def test_the_command_prints_a_standalone_config(tmp_path: Path, capsys):
    argv = ["nginx-config", "--listen", "127.0.0.1:8080", "--replica", REPLICAS[0]]
    argv += ["--standalone", str(tmp_path)]
    assert main(argv) == 0
    assert capsys.readouterr().out == nginx_conf("127.0.0.1:8080", REPLICAS[:1], tmp_path)


def test_the_command_takes_a_server_name(capsys):
    assert main(["nginx-config", "--replica", REPLICAS[0], "--server-name", "isf.example.org"]) == 0
    assert "    server_name isf.example.org;\n" in capsys.readouterr().out


def test_the_command_refuses_bad_usage(capsys):
    assert main(["nginx-config"]) == 2  # no replica
    assert main(["nginx-config", "--replica", "127.0.0.1:8501;"]) == 2
    assert "replica '127.0.0.1:8501;'" in capsys.readouterr().err


# --- nginx itself ------------------------------------------------------------------------


def test_nginx_accepts_the_standalone_config(tmp_path: Path):
    if not Path(NGINX).exists():
        reason = f"nginx not found at {NGINX} (set NGINX_PATH or apt-get install nginx)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must install it", pytrace=False)
        pytest.skip(reason)
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_conf("127.0.0.1:8080", REPLICAS, tmp_path), encoding="utf-8")
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_the_deployment_guide_shows_the_generated_config():
    guide = (Path(__file__).parent.parent / "docs" / "deployment.md").read_text(encoding="utf-8")
    assert nginx_site("0.0.0.0:80", REPLICAS) in guide, "regenerate the config shown in docs/deployment.md"
