"""The installer, checked like a user: build the .deb, apt-get install it, run it, purge it, nothing left behind.

Slow and root-only: run with `make test-package` (CI runs it as root).
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]

ROOT = Path(__file__).resolve().parents[2]
PKG = "request-inspector"
LAUNCHER = Path("/usr/bin") / PKG
OPT = Path("/opt") / PKG
DESKTOP = Path("/usr/share/applications") / f"{PKG}.desktop"
SVG = Path("/usr/share/icons/hicolor/scalable/apps") / f"{PKG}.svg"


def _apt(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    return subprocess.run(["apt-get", *args], capture_output=True, text=True, env=env, timeout=600)


def _install(deb: Path) -> None:
    res = _apt("install", "-y", "--no-install-recommends", str(deb))
    if res.returncode != 0:  # stale or missing package lists: refresh once and retry
        _apt("update", "-qq")
        res = _apt("install", "-y", "--no-install-recommends", str(deb))
    assert res.returncode == 0, f"apt-get install failed:\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}"


def _installed() -> bool:
    res = subprocess.run(["dpkg-query", "-W", "-f=${Status}", PKG], capture_output=True, text=True)
    return res.returncode == 0 and "install ok installed" in res.stdout


def _user_env(home: Path) -> dict[str, str]:
    """What a user's desktop session gives the app: no venv, no PYTHONPATH, offscreen Qt, a private data folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["REQUEST_INSPECTOR_HOME"] = str(home)
    return env


def _first_line(proc: subprocess.Popen, timeout: float) -> str:
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(proc.stdout.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        return ""


# Run with this checkout's Python and PySide6 but ONLY the installed bundle's Qt plugins: which image formats the
# shipped plugin set reads, and the app's own decoder (app.ui.response.image_view) on a body of each usual format.
IMAGES_CHILD = r"""
import base64, json, sys
from PySide6.QtCore import QBuffer, QCoreApplication, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage
QCoreApplication.setLibraryPaths([sys.argv[1]])
app = QGuiApplication(["check"])
from app.ui.response.image_view import decode_image, supported_formats

def encoded(fmt):
    image = QImage(7, 5, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.red)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, fmt), fmt
    return bytes(buffer.data())

bodies = {fmt: encoded(fmt) for fmt in ("PNG", "JPEG", "WEBP", "BMP", "ICO", "TIFF")}
bodies["GIF"] = base64.b64decode("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")
bodies["SVG"] = b'<svg xmlns="http://www.w3.org/2000/svg" width="7" height="5"><rect width="7" height="5"/></svg>'
decoded = {}
for fmt, body in bodies.items():
    result = decode_image(body)
    decoded[fmt] = result.info if result.image is not None else result.problem
print(json.dumps({"formats": supported_formats(), "decoded": decoded}))
"""


@pytest.fixture(scope="module")
def deb() -> Path:
    if os.geteuid() != 0:
        pytest.skip("`make test-package` needs root: it installs and removes the .deb with apt-get (CI runs as root)")
    for tool in ("dpkg-deb", "apt-get", "ldd"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} is missing: `make test-package` needs a Debian/Ubuntu machine")
    res = subprocess.run([sys.executable, str(ROOT / "packaging" / "build_deb.py")], cwd=ROOT,
                         capture_output=True, text=True, timeout=1100)
    assert res.returncode == 0, f"build_deb.py failed:\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}"
    m = re.search(r"^Built (\S+\.deb)$", res.stdout, re.M)
    assert m, res.stdout
    return ROOT / m.group(1)


def test_deb_contents_and_control(deb: Path) -> None:
    control = subprocess.run(["dpkg-deb", "-f", str(deb)], capture_output=True, text=True, check=True).stdout
    assert re.search(rf"^Package: {PKG}$", control, re.M)
    depends = re.search(r"^Depends: (.*)$", control, re.M).group(1)
    for needed in ("libgl1", "libegl1", "libfontconfig1", "libxcb-cursor0", "libxkbcommon-x11-0", "ca-certificates"):
        assert needed in depends
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    assert "./opt/request-inspector/_internal/resources/api-docs/errors.md" in listing
    assert "/platforms/libqoffscreen.so" in listing and "/platforms/libqxcb.so" in listing
    assert "resources/screenshots" not in listing
    assert not re.search(r"/tests?/test_\w+\.py", listing)
    # What the app never uses is left out (packaging/request-inspector.spec): Qt's translations, QtNetwork and its
    # plugins, the framebuffer platforms' input plugins, and dependencies' test/benchmark data.
    for unused in ("/Qt/translations/", "libQt6Network", "QtNetwork.abi3.so", "/plugins/tls/", "/plugins/generic/",
                   "/plugins/networkinformation/", "libQt6EglFS", "libgtk-3", "jsonschema/benchmarks/"):
        assert unused not in listing, unused
    # Every symlink points at a file the package ships (pruned libraries take their links with them).
    files = {line.split()[-1].removeprefix("./") for line in listing.splitlines() if not line.startswith("l")}
    for line in listing.splitlines():
        if line.startswith("l"):
            link, target = line.split()[-3], line.split()[-1]
            resolved = os.path.normpath(os.path.join(os.path.dirname(link.removeprefix("./")), target))
            assert resolved in files, f"{link} -> {target} points at nothing in the package"


def test_deb_installs_runs_and_purges_cleanly(deb: Path, tmp_path: Path) -> None:
    env = _user_env(tmp_path / "home")
    owned: list[str] = []
    server = None
    try:
        _install(deb)
        owned = subprocess.run(["dpkg", "-L", PKG], capture_output=True, text=True, check=True).stdout.split()
        assert LAUNCHER.is_file() and os.access(LAUNCHER, os.X_OK)
        assert (OPT / PKG).is_file()
        assert DESKTOP.is_file() and "Exec=request-inspector" in DESKTOP.read_text()
        assert SVG.is_file()

        smoke = subprocess.run([str(LAUNCHER), "--smoke"], cwd=tmp_path, env=env, capture_output=True, text=True,
                               timeout=120)
        assert smoke.returncode == 0, smoke.stdout + smoke.stderr
        assert "ok" in smoke.stdout.split()

        # The X11 platform plugin (and the libraries it loads) works on a real X server, not only offscreen.
        if shutil.which("xvfb-run"):
            x11 = subprocess.run(["xvfb-run", "-a", str(LAUNCHER), "--smoke"], cwd=tmp_path,
                                 env={**env, "QT_QPA_PLATFORM": "xcb"}, capture_output=True, text=True, timeout=120)
            assert x11.returncode == 0 and "ok" in x11.stdout.split(), x11.stdout + x11.stderr

        # The shipped image plugins still read every usual image body (the Image tab).
        images = subprocess.run([sys.executable, "-c", IMAGES_CHILD, str(OPT / "_internal/PySide6/Qt/plugins")],
                                cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                                timeout=120)
        assert images.returncode == 0, images.stdout + images.stderr
        seen = json.loads(images.stdout)
        assert {"png", "jpeg", "gif", "webp", "svg", "bmp", "ico", "tiff"} <= set(seen["formats"]), seen
        for fmt, info in seen["decoded"].items():
            assert info.startswith(f"{fmt} · "), (fmt, info)

        server = subprocess.Popen([str(LAUNCHER), "demo-server", "--port", "0"], cwd=tmp_path, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = _first_line(server, timeout=60)
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        assert m, f"the installed practice server did not say where it listens: {line!r}"
        url = f"http://127.0.0.1:{m.group(1)}/status/415"
        diag = subprocess.run([str(LAUNCHER), "diagnose", "--json", url], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)
        assert diag.returncode == 0, diag.stdout + diag.stderr
        out = json.loads(diag.stdout)
        assert out["response"]["status"] == 415
        assert out["documented"]["status"] == "Unsupported Media Type"
        assert out["documented"]["source"] == "api-docs"
        coded = subprocess.run([str(LAUNCHER), "diagnose", "--json", url.replace("/status/415", "/gzip?bytes=1000&"
                                "encoding=zstd,br")], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        out = json.loads(coded.stdout)  # brotli's and zstd's compiled parts are in the bundle
        assert out["error"] is None and out["response"]["body_bytes"] == 1000, coded.stdout + coded.stderr
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        purge = _apt("purge", "-y", PKG)
    assert purge.returncode == 0, purge.stdout + purge.stderr
    assert not _installed()
    for path in (OPT, LAUNCHER, DESKTOP, SVG):
        assert not path.exists(), f"{path} is left after purge"
    left = [p for p in owned if os.path.lexists(p) and not os.path.isdir(p)]
    assert left == [], f"files left after purge: {left[:10]}"
