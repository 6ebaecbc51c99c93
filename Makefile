# Two commands do all set-up: `make run` and `make test`.
#
# Every package comes from the lock files in requirements/ (exact versions
# with hashes): run.txt for briefer itself, test.txt adds the test tools,
# bench.txt the benchmarks' baselines; build.txt is what installing briefer
# needs. `make lock` refreshes them from pyproject.toml. model.txt is the
# sentence-embedding model's files (model.sh puts them in the venv).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements
# Every lock is installed as written, never resolved again (see install.sh).
INSTALL := sh $(LOCK)/install.sh $(VENV)

.PHONY: run test lint golden lock readme-picture bench-quality bench-days bench-speed \
	bench-grouping bench-feeds bench-hostile bench-editions bench-digests bench-stability clean

$(VENV)/.run: $(LOCK)/build.txt $(LOCK)/run.txt $(LOCK)/model.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(INSTALL) $(LOCK)/build.txt $(LOCK)/run.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check >/dev/null
	sh $(LOCK)/model.sh $(VENV)
	touch $@

$(VENV)/.test: $(VENV)/.run $(LOCK)/test.txt
	$(INSTALL) $(LOCK)/test.txt
	touch $@

$(VENV)/.bench: $(VENV)/.run $(LOCK)/bench.txt
	$(INSTALL) $(LOCK)/bench.txt
	touch $@

run: $(VENV)/.run  ## build one memo from the bundled seeds into out/
	$(BIN)/briefer make

test: $(VENV)/.test  ## lint, then the whole test suite
	$(BIN)/ruff check .
	$(BIN)/pytest -q -n auto

golden: $(VENV)/.test  ## rewrite the golden memo after an intended change
	$(BIN)/python -m tests.golden

readme-picture: $(VENV)/.test  ## page 1 of the seed memo's .docx -> docs/seed-memo.png (LibreOffice, pdftoppm)
	$(BIN)/python docs/pages.py --seed-memo

lock:  ## refresh requirements/*.txt from pyproject.toml (needs the package index)
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet "uv>=0.5"
	rm -f $(LOCK)/run.txt $(LOCK)/test.txt $(LOCK)/bench.txt $(LOCK)/build.txt
	$(UV) pyproject.toml -o $(LOCK)/run.txt
	$(UV) pyproject.toml --extra test -c $(LOCK)/run.txt -o $(LOCK)/test.txt
	$(UV) pyproject.toml --extra bench -c $(LOCK)/run.txt -o $(LOCK)/bench.txt
	$(UV) $(LOCK)/build.in -o $(LOCK)/build.txt
	rm -rf .venv-lock

# One resolution for every platform, from Python 3.11 up, with hashes.
UV := .venv-lock/bin/uv pip compile --quiet --generate-hashes --universal --python-version 3.11

bench-quality: $(VENV)/.bench
	$(BIN)/python bench/quality.py

bench-days: $(VENV)/.bench  ## the labelled feed days -> bench/results/days.md
	$(BIN)/python bench/days.py --days 2026-01-06,2026-01-08,2026-01-03,2026-01-07,2026-01-09,2026-01-04,2026-01-05 --budgets 400,700,1000

bench-grouping: $(VENV)/.bench  ## story grouping against the labelled stories, by meaning and by words -> bench/results/grouping.md
	$(BIN)/python bench/grouping.py

bench-digests: $(VENV)/.bench  ## long multi-topic articles from the feed days -> bench/results/digests.md
	$(BIN)/python bench/digests.py

bench-stability: $(VENV)/.bench  ## how far the feed-day figures move with the weights -> bench/results/stability*.md
	$(BIN)/python bench/stability.py
	$(BIN)/python bench/stability.py --runs 20 --spread 0 --drop-terms 3 --out bench/results/stability-terms.md

bench-speed: $(VENV)/.bench
	$(BIN)/python bench/speed.py

bench-feeds: $(VENV)/.bench
	$(BIN)/python bench/feeds.py

bench-hostile: $(VENV)/.bench  ## time and peak memory on hostile inputs -> bench/results/hostile.md
	$(BIN)/python bench/hostile.py

bench-editions: $(VENV)/.bench  ## three feed days as a daemon would run them -> bench/results/editions.md
	$(BIN)/python bench/editions.py

clean:
	rm -rf $(VENV) .venv-lock .pytest_cache .ruff_cache
