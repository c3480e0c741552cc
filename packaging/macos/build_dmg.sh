#!/usr/bin/env bash
# macOS: "Request Inspector.app" (the same PyInstaller spec, BUNDLE step on darwin) wrapped in a .dmg.
# NOT run on the Linux dev machines; packaging/github-actions/installers.yml runs it on macos-latest.
#   packaging/macos/build_dmg.sh        (from the repository root, with .[package] installed)
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${PYTHON:-python}"
version="$("$PY" -c 'import app; print(app.__version__)')"
"$PY" packaging/render_icon.py packaging/macos/request-inspector.icns 512
"$PY" -m PyInstaller --noconfirm --clean packaging/request-inspector.spec
app="dist/Request Inspector.app"
test -x "$app/Contents/MacOS/request-inspector"
QT_QPA_PLATFORM=offscreen "$app/Contents/MacOS/request-inspector" --smoke
stage="build/dmg"
rm -rf "$stage" && mkdir -p "$stage"
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"   # drag-to-install
dmg="dist/request-inspector-${version}.dmg"
hdiutil create -volname "Request Inspector ${version}" -srcfolder "$stage" -ov -format UDZO "$dmg"
echo "Built $dmg"
