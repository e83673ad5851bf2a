# Lobby Queue — the two set-up commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast screenshots bench voice-pack lint clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[qt,test]'
	touch $(STAMP)

## make demo: install into .venv, then start the printer emulator, kiosk, display, two counters and a rating panel on SQLite
demo: $(STAMP)
	$(PY) -m lobby.launcher

## make lint: ruff and mypy over the whole tree (rules in pyproject.toml); must be clean
lint: $(STAMP)
	@status=0; \
	echo "ruff check ."; $(VENV)/bin/ruff check . || status=1; \
	echo "mypy"; $(PY) -m mypy || status=1; \
	exit $$status

## make test: install into .venv, run `make lint`, then every test on SQLite and PostgreSQL
test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n 2 --dist loadfile -q

test-fast: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -x -m "not slow"

## make screenshots: render every screen of the three Qt apps offscreen, and the phone pages in Chromium, into docs/screenshots/
screenshots: $(STAMP)
	for app in kiosk display counter web; do QT_QPA_PLATFORM=offscreen $(PY) -m $$app.screenshots docs/screenshots || exit 1; done

## make bench: every benchmark in bench/ (slow; prints figures)
bench: $(STAMP)
	for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

## make voice-pack: regenerate the shipped voice packs (northern default, southern) with espeak-ng
voice-pack: $(STAMP)
	$(PY) -m lobby.voice.voicepack build --out display/voice/default
	$(PY) -m lobby.voice.voicepack build --out display/voice/south --voice vi-vn-x-south

clean:
	rm -rf $(VENV) var/*.sqlite3* .pytest_cache
