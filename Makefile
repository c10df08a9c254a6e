# The two commands: `make demo` and `make test`. `make` alone builds build/csfleak.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
ASAN_BUILD ?= build-asan
CMAKE_FLAGS ?=

.PHONY: all build deps test-deps demo test test-plain test-asan bench bench-accuracy bench-robustness clean format lint fuzz

all: build

deps:
	@bash scripts/install-deps.sh

test-deps:
	@bash scripts/install-deps.sh --test

build:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

demo: deps build
	@./$(BUILD)/csfleak demo -o $(BUILD)/demo

test: test-deps test-plain test-asan

test-plain:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan:
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCSF_SANITIZE=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  CSF_SANITIZED=1 ctest --output-on-failure -j $(JOBS)

bench: build
	@bash scripts/install-deps.sh --bench
	@bash bench/run.sh $(BUILD)

bench-accuracy: test-deps build
	@bash bench/accuracy.sh $(BUILD)

# The same detector on perturbed phantoms (scaled patient, other contrast, blur),
# 3D and then the 2D thick-slab protocol.
bench-robustness: build
	@bash scripts/install-deps.sh --bench
	@bash bench/robustness.sh $(BUILD)
	@CSF_ROB_PROTOCOL=2d CSF_ROB_DIR=$(BUILD)/bench-robustness-2d bash bench/robustness.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)

# Static analysis (docs/quality.md): style script, cppcheck and clang-tidy (.clang-tidy)
# over the compile_commands.json of $(BUILD). The style script and cppcheck also run in
# ctest (it_style, it_cppcheck); clang-tidy only here.
lint:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@bash scripts/check-style.sh .
	@bash scripts/cppcheck.sh $(BUILD) $(JOBS)
	@bash scripts/tidy.sh $(BUILD) $(JOBS)

# libFuzzer targets (clang): build-fuzz/fuzz_<name>; FUZZ_SECONDS per target on its corpus copy.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
fuzz:
	@bash scripts/install-deps.sh --fuzz
	@CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCSF_FUZZ=ON -DCSF_WERROR=OFF \
	  -DCSF_ORTHANC=OFF $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_nifti fuzz_csv fuzz_sih_report
	@for t in fuzz_nifti fuzz_csv fuzz_sih_report; do mkdir -p $(FUZZ_BUILD)/corpus/$$t && \
	  cp -n fuzz/corpus/$$t/* $(FUZZ_BUILD)/corpus/$$t/ && \
	  ./$(FUZZ_BUILD)/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -rss_limit_mb=2048 \
	    -artifact_prefix=$(FUZZ_BUILD)/$$t- $(FUZZ_BUILD)/corpus/$$t || exit 1; done
