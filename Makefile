# laas-audit: `make demo` and `make test` each work as the first command on a fresh machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install demo test fuzz lint typecheck cov bench samples docs clean

help:  ## show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# compileall does for the editable checkout what pip does for a wheel, so that every run starts
# from bytecode even where PYTHONDONTWRITEBYTECODE is set (about 0.2 s a start).
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	$(PY) -m compileall -q laas_audit
	touch $(STAMP)

install: $(STAMP)  ## create/refresh .venv and install laas-audit with dev tools

demo: $(STAMP)  ## review the shipped sample bodies into demo-out/
	$(PY) scripts/demo.py

test: $(STAMP)  ## run the test suite
	$(PY) -m pytest

fuzz: $(STAMP)  ## property and fuzz tests with fresh random examples (tests are repeatable by default)
	HYPOTHESIS_PROFILE=explore $(PY) -m pytest -q tests/test_fuzz_readers.py tests/test_thai.py tests/test_dates.py tests/test_names.py tests/test_national_id.py tests/test_matching.py tests/test_grid.py

lint: $(STAMP)  ## ruff
	$(PY) -m ruff check laas_audit tests scripts

typecheck: $(STAMP)  ## mypy on the package, CLI included
	$(PY) -m mypy

cov: $(STAMP)  ## tests with coverage (floor in pyproject.toml)
	$(PY) -m pytest --cov --cov-report=term

bench: $(STAMP)  ## batch speed vs bare reads on generated bodies (N=2000 by default)
	$(PY) scripts/bench.py $(if $(N),--bodies $(N),)

samples: $(STAMP)  ## regenerate sample_exports/ from scripts/make_samples.py
	$(PY) scripts/make_samples.py

docs: $(STAMP)  ## regenerate docs/rules.md from the rule registry
	$(PY) -m laas_audit.docs_gen > docs/rules.md

clean:  ## remove the virtualenv and generated output
	rm -rf $(VENV) demo-out bench-out .pytest_cache .mypy_cache .ruff_cache
