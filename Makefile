# The two commands a new user types (README): `make run` and `make test`.
# Each sets itself up: Qt's system libraries (apt, when root), a venv in .venv, the package.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test bench demo-server clean

run:
	@packaging/bootstrap.sh run
	@$(PY) -m app

test:
	@packaging/bootstrap.sh test
	@QT_QPA_PLATFORM=offscreen $(VENV)/bin/lint-imports --no-cache
	@QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

# Every benchmark in one table (figure, ours, baseline, ratio, goal, verdict); about 10 minutes on 2 cores.
# BENCH_ARGS=--quick for a glance, BENCH_ARGS="--only receive" for one script (tests/bench/bench_all.py --help).
bench:
	@packaging/bootstrap.sh test
	@QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_all.py $(BENCH_ARGS)

demo-server:
	@packaging/bootstrap.sh run
	@$(PY) -m app demo-server

clean:
	rm -rf $(VENV) build dist *.egg-info

# The Linux installer: a self-contained PyInstaller folder wrapped as dist/request-inspector_<version>_<arch>.deb.
.PHONY: package test-package
package:
	@packaging/bootstrap.sh package
	@$(PY) packaging/build_deb.py

# Builds the .deb, installs it with apt-get, runs the installed app (--smoke, diagnose), purges it. Needs root.
test-package:
	@packaging/bootstrap.sh package
	@QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m slow tests/packaging -q
