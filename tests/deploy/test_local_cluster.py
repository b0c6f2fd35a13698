"""deploy/: the container command the replica test runs, and the nginx template both renderers use."""

import re

import pytest

from deploy.local_cluster import DOCKERFILE, LOG_LINE, TEMPLATE, LogLine, container_command, render_template


def test_the_replicas_run_the_dockerfile_command():
    cmd, env = container_command()
    assert cmd[:3] == ["streamlit", "run", "app.py"]
    assert "--server.headless" in cmd
    assert env["STREAMLIT_SERVER_PORT"] == "8501"
    assert env["STREAMLIT_SERVER_ADDRESS"] == "0.0.0.0"  # the cluster moves this to 127.0.0.1
    text = DOCKERFILE.read_text()
    assert re.search(r"^FROM python:3\.11-slim", text, re.MULTILINE)
    assert re.search(r"^USER app$", text, re.MULTILINE)
    assert "/_stcore/health" in text.split("HEALTHCHECK", 1)[1]
    assert "COPY .streamlit/" in text


def test_a_dockerfile_without_exec_form_cmd_is_refused(tmp_path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:3.11-slim\nCMD streamlit run app.py\n")
    with pytest.raises(ValueError, match="exec form"):
        container_command(bad)


def test_the_template_renders_with_every_placeholder():
    placeholders = set(re.findall(r"\$\{([A-Z_]+)\}", TEMPLATE.read_text()))
    assert placeholders == {"UPSTREAM_SERVERS", "NGINX_PORT", "ACCESS_LOG"}
    text = render_template({"UPSTREAM_SERVERS": "server a:1;", "NGINX_PORT": "8080", "ACCESS_LOG": "/dev/stdout"})
    assert "${" not in text
    directives = "\n".join(line.split("#")[0] for line in text.splitlines())
    assert "hash $sticky_key consistent;" in directives
    assert "ip_hash" not in directives  # one address behind a proxy would pin everyone to one replica
    assert "proxy_set_header Upgrade $http_upgrade;" in directives
    with pytest.raises(ValueError, match="NGINX_PORT"):
        render_template({"UPSTREAM_SERVERS": "server a:1;", "ACCESS_LOG": "off"})


def test_access_log_lines_parse():
    line = (
        '127.0.0.1 [27/Nov/2026:09:00:00 +0000] "PUT /_stcore/upload_file/s/f HTTP/1.1" 204 0 '
        'upstream="127.0.0.1:4001, 127.0.0.1:4002" key=abc time=0.010'
    )
    m = LOG_LINE.search(line)
    parsed = LogLine(m["request"], int(m["status"]), m["upstream"], m["key"])
    assert parsed.path == "/_stcore/upload_file/s/f"
    assert parsed.served_by == "127.0.0.1:4002"
    assert (parsed.status, parsed.key) == (204, "abc")
