# Regelkode — build and test entry points.
#
#   make build   set up .venv, compile every pack under rules/ into build/ and build the site
#   make serve   make build, then serve build/site on http://127.0.0.1:$(SERVE_PORT)/
#   make test    set up .venv, make sure Chromium + ChromeDriver, Node and PostgreSQL are there,
#                ruff, pytest in two processes
#                (about 9 minutes on 2 cores)
#   make bench   set up .venv, build the packs, then time evaluation, batch, compile and site
#                (table on stdout, numbers in build/bench.json; see bench/run.py)
#   make fuzz-long   the reliability property tests with 10,000 examples each, one
#                process per core (about 1½ hours on 2 cores); FUZZ_SEED=n for
#                inputs other than the derandomized ones
#   make clean   remove build output and tool caches (keeps .venv)
#   make distclean   clean, and remove .venv too
#
# Needs only Python >= 3.11, git and make; everything else comes from PyPI
# (requirements.lock) and, for the browser tests, Debian's packages.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build
MAKEFLAGS += --no-builtin-rules

# python3.11 if present, else python3. Override with `make PYTHON=/path/to/python`.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)

VENV := .venv
VPY := $(VENV)/bin/python
# Re-run the install only when the project metadata or the lock changes.
VENV_STAMP := $(VENV)/.regelkode-installed

# mkdocs-material 9.7+ prints a boxed end-of-life notice on every build; the
# pinned version is deliberate, so keep the build output readable.
export NO_MKDOCS_2_WARNING := 1

CHROMIUM := /usr/bin/chromium
CHROMEDRIVER := /usr/bin/chromedriver
# apt-get runs as root; prefix sudo when not root and sudo exists.
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo 2>/dev/null)

.PHONY: build serve test bench fuzz-long venv lint pytest chromium nodejs spark postgresql \
	clean distclean

venv: $(VENV_STAMP)

$(VENV_STAMP): pyproject.toml requirements.lock
	@if [ -z "$(PYTHON)" ]; then \
	  echo "error: no python3.11 or python3 on PATH; regelkode needs Python >= 3.11" >&2; exit 1; \
	fi
	@if ! "$(PYTHON)" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then \
	  echo "error: regelkode needs Python >= 3.11, but $(PYTHON) is $$("$(PYTHON)" --version 2>&1)." >&2; \
	  echo "       Install Python 3.11 or run: make PYTHON=/path/to/python3.11" >&2; \
	  exit 1; \
	fi
	@if [ -x "$(VPY)" ] && ! "$(VPY)" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then \
	  echo "$(VENV) has an old Python; recreating it"; rm -rf "$(VENV)"; \
	fi
	@if [ ! -x "$(VPY)" ]; then \
	  echo "creating $(VENV) with $$("$(PYTHON)" --version 2>&1) ($(PYTHON))"; \
	  "$(PYTHON)" -m venv "$(VENV)"; \
	fi
	"$(VPY)" -m pip install --quiet --disable-pip-version-check -r requirements.lock
	"$(VPY)" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch "$@"

build: $(VENV_STAMP)
	$(VENV)/bin/regelkode build

# The site's links point at folders (…/regler/samtaler/), which need a web server:
# opened from disk (file://) they show folder listings. Local only (127.0.0.1).
SERVE_PORT ?= 8000
serve: build
	@echo "the review site: http://127.0.0.1:$(SERVE_PORT)/ (Ctrl-C stops it)"
	"$(VPY)" -m http.server $(SERVE_PORT) --bind 127.0.0.1 --directory build/site

# The packs are built first so a pack that doesn't compile stops here with its
# diagnostics; the benchmark measures the site itself. To put the table on the
# site's page: make bench BENCH_ARGS="--side site/docs/hastighed.md"
BENCH_ARGS ?=
bench: $(VENV_STAMP)
	$(VENV)/bin/regelkode build --no-site --quiet
	"$(VPY)" -m bench $(BENCH_ARGS)

# The reliability property tests (tests/reliability) with 10,000 examples each
# instead of CI's 200. Each test file runs in its own pytest process, FUZZ_JOBS
# at a time (default: one per core), the most expensive files first so the
# longest start at once; a failing file does not stop the others (-k). Per file:
# build/fuzz-long/<file>.log with hypothesis' statistics; all of them, then the
# per-property summary, in build/fuzz-long.log; the summary as a Markdown table
# in build/fuzz-long.md. See site/docs/paalidelighed.md for the last run.
FUZZ_EXAMPLES ?= 10000
# Empty: derandomized, the same inputs every run. A number: other inputs, the
# same ones again for the same number (tests/reliability/support.py).
FUZZ_SEED ?=
FUZZ_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_FIRST := test_differential test_hostile_text test_atomic_build test_front_end_fuzz \
	test_runtime_total test_bad_cases
FUZZ_FILES := $(FUZZ_FIRST) $(filter-out $(FUZZ_FIRST),\
	$(basename $(notdir $(wildcard tests/reliability/test_*.py))))
FUZZ_LOGS := $(FUZZ_FILES:%=build/fuzz-long/%.log)
FUZZ_TMP := $${TMPDIR:-/tmp}/regelkode-fuzz-long

fuzz-long: $(VENV_STAMP)
	rm -rf build/fuzz-long build/fuzz-long.log build/fuzz-long.md
	mkdir -p build/fuzz-long
	@rc=0; $(MAKE) --no-print-directory -k -j$(FUZZ_JOBS) $(FUZZ_LOGS) || rc=$$?; \
	cat $(FUZZ_LOGS) > build/fuzz-long.log 2>/dev/null || true; \
	"$(VPY)" -m tests.reliability.fuzz_summary --markdown build/fuzz-long.md $(FUZZ_LOGS) \
	  | tee -a build/fuzz-long.log || rc=1; \
	exit $$rc

# One test file of the long run. The log is written under a temporary name and
# renamed when pytest ends, so a log that exists is a finished run; its last
# line is the exit code, which the summary reads.
build/fuzz-long/%.log: $(VENV_STAMP)
	@echo "fuzz-long: $* started at $$(date +%H:%M:%S)$(if $(FUZZ_SEED), with seed $(FUZZ_SEED))"
	@rc=0; start=$$(date +%s); mkdir -p "$(FUZZ_TMP)" "$(@D)"; \
	echo "fuzz-long: $* seed=$(or $(FUZZ_SEED),derandomized)" > "$@.part"; \
	REGELKODE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) REGELKODE_FUZZ_SEED=$(FUZZ_SEED) \
	  "$(VPY)" -m pytest -q -p no:cacheprovider \
	  --basetemp="$(FUZZ_TMP)/$*" --hypothesis-show-statistics --durations=10 \
	  $(if $(FUZZ_SEED),--hypothesis-seed=$(FUZZ_SEED)) \
	  tests/reliability/$*.py >> "$@.part" 2>&1 || rc=$$?; \
	echo "fuzz-long: $* examples=$(FUZZ_EXAMPLES) seconds=$$(( $$(date +%s) - start )) exit=$$rc" >> "$@.part"; \
	mv "$@.part" "$@"; \
	echo "fuzz-long: $* ended at $$(date +%H:%M:%S) with exit $$rc"; \
	exit $$rc

# Debian's chromium and chromium-driver for tests/browser (selenium drives them).
chromium:
	@if [ -x "$(CHROMIUM)" ] && [ -x "$(CHROMEDRIVER)" ]; then \
	  :; \
	elif ! command -v apt-get >/dev/null 2>&1; then \
	  echo "note: $(CHROMIUM) or $(CHROMEDRIVER) is missing and apt-get is unavailable;" \
	       "skipping the install, so the browser tests will be skipped"; \
	else \
	  echo "installing Debian's chromium and chromium-driver"; \
	  $(SUDO) apt-get update -q; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; \
	fi

# Debian's nodejs for the JS backend's tests (tests/differential run it through Node >= 18).
nodejs:
	@if command -v node >/dev/null 2>&1; then \
	  :; \
	elif ! command -v apt-get >/dev/null 2>&1; then \
	  echo "note: node is missing and apt-get is unavailable; skipping the install," \
	       "so the JS backend's tests will be skipped"; \
	else \
	  echo "installing Debian's nodejs"; \
	  $(SUDO) apt-get update -q; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs; \
	fi

# The SQL backend's Spark tests (tests/sql): Java 17 from Debian when `java` is
# absent, and the pinned `spark` extra (requirements-spark.lock, ~430 MB, kept out
# of requirements.lock so `make build` stays small).
SPARK_STAMP := $(VENV)/.regelkode-spark-installed

spark: $(SPARK_STAMP)

$(SPARK_STAMP): $(VENV_STAMP) requirements-spark.lock
	@if ! command -v java >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's openjdk-17-jre-headless (Spark needs Java)"; \
	    $(SUDO) apt-get update -q; \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q openjdk-17-jre-headless; \
	  else \
	    echo "note: no java and no apt-get; the Spark tests will be skipped"; \
	  fi; \
	fi
	"$(VPY)" -m pip install --quiet --disable-pip-version-check -r requirements-spark.lock
	@touch "$@"

# Debian's postgresql for the SQL backend's PostgreSQL tests (tests/sql/test_postgres.py
# start a throw-away server from its binaries; no service is started here). Whether the
# binaries are there is pgserver.py's own question, so the two cannot disagree.
postgresql:
	@if "$(PYTHON)" tests/sql/pgserver.py >/dev/null 2>&1; then \
	  :; \
	elif ! command -v apt-get >/dev/null 2>&1; then \
	  echo "note: PostgreSQL is missing and apt-get is unavailable; the PostgreSQL tests will fail"; \
	else \
	  echo "installing Debian's postgresql"; \
	  $(SUDO) apt-get update -q; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql; \
	fi

RUFF_CHECK = $(VENV)/bin/ruff check compiler tests bench
# pytest exits 5 when it collected no tests: that is a failure here too.
# The PostgreSQL tests fail rather than skip when no server can start (tests/sql/pgserver.py).
# The suite runs in PYTEST_WORKERS processes (pytest-xdist), one per core on CI's
# two: about 8 minutes of pytest instead of 13 in one process.
PYTEST_WORKERS ?= 2
RUN_PYTEST = rc=0; REGELKODE_REQUIRE_POSTGRES=1 "$(VPY)" -m pytest -q -n $(PYTEST_WORKERS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests" >&2; fi; \
	exit $$rc

test: $(VENV_STAMP) chromium nodejs spark postgresql
	$(RUFF_CHECK)
	@$(RUN_PYTEST)

lint: $(VENV_STAMP)
	$(RUFF_CHECK)

pytest: $(VENV_STAMP) chromium nodejs spark postgresql
	@$(RUN_PYTEST)

clean:
	rm -rf build dist site/docs/genereret .pytest_cache .ruff_cache .hypothesis
	find compiler tests bench -name __pycache__ -type d -prune -exec rm -rf {} + 2>/dev/null || true

distclean: clean
	rm -rf $(VENV)
