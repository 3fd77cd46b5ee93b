# Quick start: `make run` codes the bundled demo, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck clean screenshot

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# The Indonesian interviews with the study's codebook, then the English one with its twin.
run: $(STAMP)
	$(BIN)/qualcode code transcripts --codebook codebooks/koperasi.yaml --out reports
	$(BIN)/qualcode code transcripts/en --codebook codebooks/koperasi_en.yaml --out reports/en

# A picture of the supervisor's report, for a person to look at: reports/report.png
CHROMIUM ?= chromium
screenshot: run
	profile=$$(mktemp -d) && $(CHROMIUM) --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update --disable-sync \
		--hide-scrollbars --user-data-dir=$$profile --window-size=1280,2400 \
		--screenshot=$(CURDIR)/reports/report.png file://$(CURDIR)/reports/report.html; \
		status=$$?; rm -rf $$profile; exit $$status

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

clean:
	rm -rf $(VENV) reports/*.csv reports/*.json reports/*.jsonl reports/*.yaml reports/*.html \
		reports/*.xlsx reports/*.png reports/en reports/.qualcode-cache
