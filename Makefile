# The user's door to kubetwin. `make demo` and `make test` take a fresh Debian 12 machine
# from clone to result; both install the missing Debian packages first.

SHELL := /bin/bash
.DEFAULT_GOAL := build

# Debian packages the build, tests and benchmarks need.
DEB_PACKAGES := cmake g++ ninja-build make pkg-config ccache \
  libboost-graph-dev libeigen3-dev qt6-base-dev qt6-charts-dev libyaml-cpp-dev libtbb-dev \
  libgtest-dev libgmock-dev libbenchmark-dev python3 \
  python3-pandas python3-matplotlib python3-nbconvert python3-ipykernel python3-yaml chromium \
  libopenmpi-dev openmpi-bin
# The dashboard's: Debian 12's Qt6Charts CMake files need Qt6OpenGL's, which qt6-base-dev does
# not bring. If it cannot be installed, the CLI, its tests and the demo still build; CMake then
# warns that kubetwin-gui is not built.
GUI_PACKAGES := libqt6opengl6-dev
# Only for `make bench` (the SimPy peer model) and `make fuzz` (libFuzzer needs clang).
BENCH_PACKAGES := python3-simpy time
FUZZ_PACKAGES := clang libclang-rt-14-dev

# Warnings are errors in CI (CI=true), plain warnings for a user's build.
PRESET := $(if $(filter true,$(CI)),ci,release)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build demo test bench asan fuzz screenshot format clean

deps:
	@missing=""; \
	for p in $(DEB_PACKAGES) $(EXTRA_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing \
	    || exit 1; \
	else \
	  echo "make deps: all Debian packages present"; \
	fi; \
	for p in $(GUI_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'install ok installed' && continue; \
	  echo "make deps: installing $$p (for kubetwin-gui)"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$$p" || \
	    echo "make deps: could not install $$p: kubetwin-gui will not be built (the rest will)"; \
	done

build:
	cmake --preset $(PRESET) >/dev/null
	cmake --build --preset $(PRESET) -j $(JOBS)

# The main job: the bundled quickstart, the seed what-if (every manifest of the seed document
# in one fleet), then the serverless comparison (keep-alive policies on a trace population)
# the edge comparison (uplink outages: eviction or autonomy) and the quantum one (QPU queue
# policies for two tenants), and the twin loop on the bundled cluster sample (import a kubectl
# dump, calibrate it to Prometheus exports, back-test it on the next day). Exit 1 means an SLO
# failed (or the back-test's coverage fell short),
# which is a result the demo shows (some
# policies are meant to miss an SLO), not an error.
demo: deps build
	@./build/bin/kubetwin run data/scenarios/quickstart.yaml --out kubetwin-out/quickstart; \
	rc=$$?; [ $$rc -le 1 ] || exit $$rc; \
	./build/bin/kubetwin run data/scenarios/seed-what-if.yaml --out kubetwin-out/seed-what-if; \
	rc=$$?; [ $$rc -le 1 ] || exit $$rc; \
	./build/bin/kubetwin run data/scenarios/serverless.yaml --out kubetwin-out/serverless; \
	rc=$$?; [ $$rc -le 1 ] || exit $$rc; \
	./build/bin/kubetwin run data/scenarios/edge.yaml --out kubetwin-out/edge; \
	rc=$$?; [ $$rc -le 1 ] || exit $$rc; \
	./build/bin/kubetwin run data/scenarios/quantum.yaml --out kubetwin-out/quantum; \
	rc=$$?; [ $$rc -le 1 ] || exit $$rc; \
	./build/bin/kubetwin run data/scenarios/capacity.yaml --out kubetwin-out/capacity; \
	rc=$$?; [ $$rc -le 1 ] || exit $$rc; \
	echo; echo "== the twin of a real cluster (docs/twin.md): import -> calibrate -> backtest"; \
	./build/bin/kubetwin import data/twin-sample/cluster-dump.yaml --out kubetwin-out/twin/imported && \
	./build/bin/kubetwin calibrate kubetwin-out/twin/imported/scenario.yaml \
	  --prometheus data/twin-sample/prometheus/day1 --out kubetwin-out/twin/calibrated && \
	./build/bin/kubetwin backtest kubetwin-out/twin/calibrated/scenario.yaml \
	  --prometheus data/twin-sample/prometheus/day2 --out kubetwin-out/twin/backtest --min-coverage 0.9; \
	rc=$$?; [ $$rc -le 1 ] || exit $$rc; \
	echo; echo "reports: kubetwin-out/{quickstart,seed-what-if,serverless,edge,quantum,capacity}/report.html"; \
	echo "(each folder also holds report.md, summary.json, timeseries.csv and junit.xml)"; \
	echo "twin: kubetwin-out/twin/calibrated/calibration.md, kubetwin-out/twin/backtest/report.html"; \
	echo "dashboard: ./build/bin/kubetwin-gui data/scenarios/quickstart.yaml (or any bundled scenario; docs/gui.md)"

test: deps build
	ctest --preset $(PRESET) -j $(JOBS)

bench: build
	@$(MAKE) --no-print-directory deps EXTRA_PACKAGES="$(BENCH_PACKAGES)"
	bash bench/compare_phold.sh
	bash bench/compare_mm3.sh
	bash bench/compare_keepalive.sh

asan:
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)
	ctest --preset asan -j $(JOBS)

# libFuzzer over the scenario loader (clang). FUZZ_SECONDS=600 for the 10-minute run.
FUZZ_SECONDS ?= 60
fuzz:
	@$(MAKE) --no-print-directory deps EXTRA_PACKAGES="$(FUZZ_PACKAGES)"
	cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz -j $(JOBS)
	mkdir -p build-fuzz/corpus build-fuzz/work
	cd build-fuzz/work && ../bin/loader_fuzz -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
	  -timeout=10 -rss_limit_mb=2048 ../corpus ../../tests/fuzz/corpus

# Refreshes the README's picture of report.html (headless Chromium).
screenshot: deps build
	bash tests/e2e/report_browser_test.sh ./build/bin/kubetwin docs/img/report.png
	QT_QPA_PLATFORM=offscreen ./build/bin/kubetwin-gui data/scenarios/quickstart.yaml --run \
	  --screenshot docs/img/dashboard.png --view results
	QT_QPA_PLATFORM=offscreen ./build/bin/kubetwin-gui data/scenarios/quickstart.yaml --run \
	  --screenshot docs/img/dashboard-charts.png --view charts

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build build-debug build-asan build-fuzz
