"""A fresh clone starts the app without warnings (a missing static/ folder once printed one at every start)."""

from __future__ import annotations

import shutil
import subprocess
import sys

from .browser import free_port
from .conftest import REPO


def test_a_fresh_clone_starts_quietly(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "--quiet"], check=True)
    for tracked_changes in subprocess.run(
        ["git", "-C", str(REPO), "diff", "--name-only", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.split():
        if (REPO / tracked_changes).exists():  # the working tree's edits, so the test checks what is about to land
            (clone / tracked_changes).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / tracked_changes, clone / tracked_changes)
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
        ],
        cwd=clone,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "You can now view your Streamlit app" in line or len(lines) > 40:
                break
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    output = "".join(lines)
    assert "You can now view your Streamlit app" in output, output
    assert "WARNING" not in output and "static folder" not in output, output
