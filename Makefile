# Two commands do all the set-up: `make run` (set up + start the app) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run kiosk test test-all bench setup clean bundle screenshot

$(PY):
	@echo ">>> Creating the virtual environment $(VENV) ..."
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# Not quiet: the first install downloads several hundred MB (PySide6, MediaPipe) and takes a minute or more,
# so pip's own lines and progress bars show what is happening.
$(STAMP): pyproject.toml | $(PY)
	@echo ">>> Installing studio_app and its dependencies into $(VENV) (first time: about a minute) ..."
	$(PY) -m pip install --progress-bar on -e ".[test]"
	touch $(STAMP)
	@echo ">>> Installed. Next time this step is skipped."

setup: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/studio-app $(ARGS)

kiosk: $(STAMP)
	$(VENV)/bin/studio-app --kiosk $(ARGS)

# lint-imports first: the architecture contracts in .importlinter (core without Qt, orders/receipts apart)
test: $(STAMP)
	$(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q $(PYTEST_ARGS)

test-all: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m "" $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) -m benchmarks.run_all

bundle: $(STAMP)
	$(PY) -m pip install -q -e ".[test,build]"
	$(VENV)/bin/pyinstaller --noconfirm --clean build.spec

clean:
	rm -rf build dist .pytest_cache
