# SMTP port help-desk bot. `make run` and `make test` each install and train when needed.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
MODEL := models/smtpbot.tar.gz
# Rasa 3.6 needs Python 3.8-3.10: take the first python3.10 that really runs.
PYTHON310 ?= $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do \
	if $$p -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then echo $$p; break; fi; done)
export PYTHONDONTWRITEBYTECODE := 1
export TF_CPP_MIN_LOG_LEVEL := 3

.PHONY: install train run test eval shell clean bench services run-scale lint

install: $(VENV)/.installed

# The chat widget's Socket.IO client comes from npm (web/package-lock.json), never vendored.
WEB_DEPS := web/node_modules/.installed
# Debian's Chromium for the browser tests: Playwright drives it and never downloads a browser.
CHROMIUM := /usr/bin/chromium
install: $(WEB_DEPS) $(CHROMIUM)

$(WEB_DEPS): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(CHROMIUM):
	$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq chromium

# The KB lint (tests/test_kb.py) flags aliases that are ordinary English words: SCOWL's small
# American English list from Debian's wamerican-small.
DICTIONARY := /usr/share/dict/american-english-small
install: $(DICTIONARY)

$(DICTIONARY):
	$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq \
	  -o DPkg::Lock::Timeout=600 wamerican-small

# Scale-out profile and its tests: Debian's PostgreSQL, Redis and nginx (skipped when present).
install: services
services:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! test -x /usr/bin/redis-server || ! test -x /usr/sbin/nginx; then \
	  sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq \
	    -o DPkg::Lock::Timeout=600 postgresql redis-server nginx-light; \
	fi

$(VENV)/.installed: requirements.txt constraints.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 is required (Rasa 3.6 supports 3.8-3.10)"; exit 1; }
	test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade "pip<25"
	$(PY) -m pip install -q -r requirements.txt -c constraints.txt
	touch $@

train: $(MODEL)

$(MODEL): $(VENV)/.installed config.yml domain.yml $(wildcard data/*.yml) $(wildcard kb/*.yml smtpbot/kb/*.py smtpbot/understanding/*.py smtpbot/dialogue/*.py)
	@start=$$(date +%s%N); \
	$(RASA) train --fixed-model-name smtpbot --out models --quiet && \
	echo "trained in $$(( ($$(date +%s%N) - start) / 1000000 )) ms"

run: install train
	$(PY) -m smtpbot.tools.stack

# Scale-out: nginx on :5005 in front of 2 Rasa servers, 2 action servers, PostgreSQL, Redis
# (RASA_SERVERS / ACTION_SERVERS / RASA_PORT to change; README "Scale-out").
run-scale: install train
	$(PY) -m smtpbot.tools.scale

shell: install train
	@echo "Start the action server first: $(RASA) run actions"
	$(RASA) shell --model $(MODEL)

# Not a test: prints start-up, memory, model size, training time, latency and throughput of
# this bot and of Rasa's stock starter bot (cached in ~/.cache/smtpbot-bench) with ratios.
bench: install
	$(PY) -m smtpbot.tools.bench

eval: install train
	$(PY) -m smtpbot.tools.evaluate --model $(MODEL) --verbose

test: install train
	$(RASA) data validate --fail-on-warnings --quiet
	$(PY) -m pytest -q tests
	# --e2e: Rasa runs NLU on the stories' texts (else it takes the written intents).
	$(RASA) test core --model $(MODEL) --stories tests/test_stories.yml --e2e --fail-on-prediction-errors --no-plot --out results/core --quiet

# ruff: lint rules and formatting (ruff.toml); .ci/run runs it before the tests.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf models results .pytest_cache
