"""Build the Linux installer: PyInstaller onedir -> a .deb under dist/ (run by `make package`).

    .venv/bin/python packaging/build_deb.py [--compress xz|zstd] [--skip-pyinstaller]

Layout installed by the .deb:
    /opt/request-inspector/                      the self-contained PyInstaller folder
    /usr/bin/request-inspector                   a small sh launcher
    /usr/share/applications/request-inspector.desktop
    /usr/share/icons/hicolor/scalable/apps/request-inspector.svg (+ 256x256 PNG)
Depends: every library the bundle's ELF files load from OUTSIDE the bundle (ldd), mapped to its Debian package
(dpkg -S), plus the Qt/X11 baseline and ca-certificates (httpx needs a CA bundle: SSL_CERT_FILE points into it).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = "request-inspector"
SPEC = ROOT / "packaging" / "request-inspector.spec"
BUILD = ROOT / "build"
PYI_WORK = BUILD / "pyinstaller" / "work"
PYI_DIST = BUILD / "pyinstaller" / "dist"
STAGE = BUILD / "deb" / "root"
DIST = ROOT / "dist"
LAST_BUILD = BUILD / "deb" / "last-build.json"  # what packaging/bench_package.py --skip-build reports as build time

# Qt's offscreen/xcb/wayland needs at run time (DESIGN.md's list), whether or not PyInstaller copied a library.
BASELINE_DEPENDS = (
    "libgl1", "libegl1", "libfontconfig1", "libfreetype6", "libxkbcommon0", "libxkbcommon-x11-0", "libdbus-1-3",
    "libglib2.0-0", "libx11-6", "libx11-xcb1", "libxcb1", "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0",
    "libxcb-keysyms1", "libxcb-render-util0", "libxcb-render0", "libxcb-shape0", "libxcb-util1", "libxcb-xkb1",
    "libxcb-randr0", "libxcb-shm0", "libxcb-sync1", "libxcb-xfixes0", "libbrotli1",
    # Qt's wayland platform (a Wayland desktop session); without them Qt falls back to X11 via XWayland.
    "libwayland-client0", "libwayland-cursor0", "libwayland-egl1",
    "ca-certificates",
)

# dpkg-deb levels, measured on this bundle on a 2-core machine (packaging/bench_package.py prints the result):
# zstd -3 (dpkg's default) 56.5 MB in 3 s, -9 52.1 MB in 5 s, -13 51.8 MB in 27 s, -19 46.1 MB in 66-100 s;
# xz -6 42.5 MB in about 90 s. zstd -9 is the knee: the build stays well under 3 minutes.
DEFAULT_LEVEL = {"zstd": 9, "xz": 6}

LAUNCHER = f"""#!/bin/sh
# Request Inspector: start the installed, self-contained copy (no Python needed on the machine).
exec /opt/{PKG}/{PKG} "$@"
"""


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, **kw)


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from app import __version__

    if __version__ == "unknown":
        raise SystemExit("Could not read the version from pyproject.toml.")
    return __version__


def architecture() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], check=True, capture_output=True, text=True).stdout.strip()


def pyinstaller() -> Path:
    run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--workpath", str(PYI_WORK), "--distpath", str(PYI_DIST), str(SPEC)], cwd=ROOT)
    out = PYI_DIST / PKG
    if not (out / PKG).is_file():
        raise SystemExit(f"PyInstaller did not produce {out / PKG}.")
    return out


def is_elf(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    with path.open("rb") as f:
        return f.read(4) == b"\x7fELF"


def outside_libraries(bundle: Path) -> set[str]:
    """Absolute paths of shared libraries the bundle loads from the system (as the frozen app would resolve them)."""
    elves = [p for p in bundle.rglob("*") if is_elf(p)]
    lib_dirs = sorted({str(p.parent) for p in elves if ".so" in p.name})
    env = dict(os.environ, LD_LIBRARY_PATH=":".join(lib_dirs))  # the bootloader puts _internal on the path
    found: set[str] = set()
    missing: dict[str, int] = {}
    bundle_s = str(bundle.resolve())
    for elf in elves:
        res = subprocess.run(["ldd", str(elf)], capture_output=True, text=True, env=env)
        for line in res.stdout.splitlines():
            m = re.match(r"\s*(\S+) => (not found|\S+)", line)
            if not m:
                continue
            if m.group(2) == "not found":
                missing[m.group(1)] = missing.get(m.group(1), 0) + 1
                continue
            target = os.path.realpath(m.group(2))
            if not target.startswith(bundle_s):
                found.add(m.group(2))
    if missing:
        print("note: not installed on the build machine (declared via the baseline Depends when known): "
              + ", ".join(f"{lib} ({n} files)" for lib, n in sorted(missing.items())))
    return found


def owning_package(path: str) -> str | None:
    candidates = [path, os.path.realpath(path)]
    for c in list(candidates):  # merged /usr: dpkg may know the file under the other name
        candidates.append(c[4:] if c.startswith("/usr/") else "/usr" + c)
    for c in candidates:
        res = subprocess.run(["dpkg", "-S", c], capture_output=True, text=True)
        if res.returncode == 0:
            return res.stdout.split(":", 1)[0].split(",")[0].strip()
    return None


def glibc_version() -> str:
    out = subprocess.run(["ldd", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    return out.split()[-1]


def depends(bundle: Path) -> str:
    pkgs = set(BASELINE_DEPENDS)
    for lib in sorted(outside_libraries(bundle)):
        pkg = owning_package(lib)
        if pkg is None:
            print(f"warning: no Debian package owns {lib}; not declared")
        else:
            pkgs.add(pkg)
    pkgs.discard("libc6")
    return ", ".join([f"libc6 (>= {glibc_version()})"] + sorted(pkgs))


def strip_libraries(bundle: Path) -> int:
    """Strip symbol tables and debug info from the bundle's shared libraries and extension modules (what Debian's
    dh_strip does: ``strip --strip-unneeded``; the dynamic symbols they link by stay). pyenv's libpython and the
    extension modules built from source carry debug info: 23 MB -> 6 MB for libpython alone. The executable is left
    alone (PyInstaller appends the app's code to it), and so is a library with a FIPS checksum (.hmac/.chk) next to
    it. Returns the bytes saved."""
    libs = [p for p in bundle.rglob("*.so*") if is_elf(p) and not p.with_name(p.name + ".hmac").exists()
            and not p.with_name(p.name + ".chk").exists()]
    before = sum(p.stat().st_size for p in libs)
    for i in range(0, len(libs), 100):
        run(["strip", "--strip-unneeded", *map(str, libs[i:i + 100])])
    return before - sum(p.stat().st_size for p in libs)


def render_png(svg: Path, png: Path, size: int = 256) -> bool:
    """Render the SVG icon with Qt (offscreen, in a child process); False when Qt cannot."""
    code = (
        "import sys\n"
        "from PySide6.QtGui import QGuiApplication, QImage, QPainter\n"
        "from PySide6.QtSvg import QSvgRenderer\n"
        "from PySide6.QtCore import Qt\n"
        "app = QGuiApplication([])\n"
        f"img = QImage({size}, {size}, QImage.Format_ARGB32)\n"
        "img.fill(Qt.transparent)\n"
        "r = QSvgRenderer(sys.argv[1])\n"
        "p = QPainter(img); r.render(p); p.end()\n"
        "sys.exit(0 if r.isValid() and img.save(sys.argv[2]) else 1)\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    res = subprocess.run([sys.executable, "-c", code, str(svg), str(png)], env=env, capture_output=True, text=True)
    return res.returncode == 0 and png.is_file()


def normalise_modes(root: Path) -> None:
    for dirpath, dirnames, filenames in os.walk(root):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            p = Path(dirpath, name)
            if p.is_symlink():
                continue
            p.chmod(0o755 if os.access(p, os.X_OK) else 0o644)


def du_kib(root: Path) -> int:
    total = 0
    for p in root.rglob("*"):
        if p.is_symlink():
            total += 1
        elif p.is_file():
            total += (p.stat().st_size + 1023) // 1024
    return total


def stage(bundle: Path, ver: str, arch: str) -> Path:
    if STAGE.exists():
        shutil.rmtree(STAGE)
    opt = STAGE / "opt" / PKG
    shutil.copytree(bundle, opt, symlinks=True)
    for bad in ("tests", "resources/screenshots"):
        if (opt / "_internal" / bad).exists():
            raise SystemExit(f"The bundle contains {bad}/; the spec must not ship it.")
    saved = strip_libraries(opt)
    print(f"  stripped the libraries: {saved / 1e6:.1f} MB less")
    bin_ = STAGE / "usr" / "bin" / PKG
    bin_.parent.mkdir(parents=True)
    bin_.write_text(LAUNCHER)
    bin_.chmod(0o755)
    apps = STAGE / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    shutil.copy(ROOT / "packaging" / "linux" / f"{PKG}.desktop", apps / f"{PKG}.desktop")
    icons = STAGE / "usr" / "share" / "icons" / "hicolor"
    svg = ROOT / "resources" / "icons" / f"{PKG}.svg"
    (icons / "scalable" / "apps").mkdir(parents=True)
    shutil.copy(svg, icons / "scalable" / "apps" / f"{PKG}.svg")
    (icons / "256x256" / "apps").mkdir(parents=True)
    if not render_png(svg, icons / "256x256" / "apps" / f"{PKG}.png"):
        print("warning: could not render the 256x256 PNG icon; shipping the SVG only")
        shutil.rmtree(icons / "256x256")
    normalise_modes(STAGE)

    control = STAGE / "DEBIAN" / "control"
    control.parent.mkdir()
    control.write_text(
        f"Package: {PKG}\n"
        f"Version: {ver}\n"
        f"Architecture: {arch}\n"
        "Maintainer: Request Inspector team <request-inspector@example.org>\n"
        f"Installed-Size: {du_kib(STAGE) - 1}\n"
        f"Depends: {depends(opt)}\n"
        "Section: devel\n"
        "Priority: optional\n"
        "Description: desktop HTTP request inspector that speaks the API's own words\n"
        " Build an HTTP request, send it, and read the answer next to the API\n"
        " documentation's explanation of its status, with header findings, timings\n"
        " and a Retry-After countdown. Self-contained: no Python needed.\n"
    )
    os.chmod(control.parent, 0o755)
    control.chmod(0o644)
    return control


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--compress", choices=("xz", "zstd"), default="zstd",
                    help="dpkg-deb compressor (default zstd: seconds instead of about 1.5 minutes for xz here)")
    ap.add_argument("--level", type=int, default=None,
                    help=f"compression level (default {DEFAULT_LEVEL['zstd']} for zstd, {DEFAULT_LEVEL['xz']} for xz)")
    ap.add_argument("--skip-pyinstaller", action="store_true", help="reuse build/pyinstaller/dist (quick re-wrap)")
    args = ap.parse_args(argv)

    t0 = time.monotonic()
    ver, arch = version(), architecture()
    bundle = PYI_DIST / PKG if args.skip_pyinstaller else pyinstaller()
    t1 = time.monotonic()
    control = stage(bundle, ver, arch)
    DIST.mkdir(exist_ok=True)
    deb = DIST / f"{PKG}_{ver}_{arch}.deb"
    t2 = time.monotonic()
    level = DEFAULT_LEVEL[args.compress] if args.level is None else args.level
    run(["dpkg-deb", "--root-owner-group", f"-Z{args.compress}", f"-z{level}", "--build", str(STAGE), str(deb)],
        stdout=subprocess.DEVNULL)
    t3 = time.monotonic()
    installed_kib = int(re.search(r"^Installed-Size: (\d+)$", control.read_text(), re.M).group(1))
    print(f"Built {deb.relative_to(ROOT)}")
    print(f"  .deb size: {deb.stat().st_size / 1e6:.1f} MB ({args.compress} -{level}); installed size: "
          f"{installed_kib * 1024 / 1e6:.1f} MB")
    print(f"  build time: {t3 - t0:.1f} s (PyInstaller {t1 - t0:.1f} s, staging+Depends {t2 - t1:.1f} s, "
          f"dpkg-deb {t3 - t2:.1f} s)")
    print(f"  install: sudo apt-get install ./{deb.relative_to(ROOT)}")
    LAST_BUILD.write_text(json.dumps({
        "deb": deb.name, "bytes": deb.stat().st_size, "seconds": round(t3 - t0, 2),
        "pyinstaller": not args.skip_pyinstaller, "compress": args.compress, "level": level}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
