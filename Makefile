# Two commands do all set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint golden readme-picture bench-quality bench-speed bench-feeds bench-hostile bench-editions clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

run: $(STAMP)  ## build one memo from the bundled seeds into out/
	$(BIN)/briefer make

test: $(STAMP)  ## lint, then the whole test suite
	$(BIN)/ruff check .
	$(BIN)/pytest -q

golden: $(STAMP)  ## rewrite the golden memo after an intended change
	$(BIN)/python -m tests.golden

readme-picture: $(STAMP)  ## page 1 of the seed memo's .docx -> docs/seed-memo.png (LibreOffice, pdftoppm)
	$(BIN)/python docs/pages.py --seed-memo

bench-quality: $(STAMP)
	$(BIN)/python bench/quality.py

bench-speed: $(STAMP)
	$(BIN)/python bench/speed.py

bench-feeds: $(STAMP)
	$(BIN)/python bench/feeds.py

bench-hostile: $(STAMP)  ## time and peak memory on hostile inputs -> bench/results/hostile.md
	$(BIN)/python bench/hostile.py

bench-editions: $(STAMP)  ## three feed days as a daemon would run them -> bench/results/editions.md
	$(BIN)/python bench/editions.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
