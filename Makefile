# The user's door to kubetwin. `make demo` and `make test` take a fresh Debian 12 machine
# from clone to result; both install the missing Debian packages first.

SHELL := /bin/bash
.DEFAULT_GOAL := build

# Debian packages the build, tests and benchmarks need.
DEB_PACKAGES := cmake g++ ninja-build make pkg-config ccache \
  libboost-graph-dev libeigen3-dev qt6-base-dev qt6-charts-dev libyaml-cpp-dev libtbb-dev \
  libgtest-dev libgmock-dev libbenchmark-dev

# Warnings are errors in CI (CI=true), plain warnings for a user's build.
PRESET := $(if $(filter true,$(CI)),ci,release)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build demo test bench asan format clean

deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else \
	  echo "make deps: all Debian packages present"; \
	fi

build:
	cmake --preset $(PRESET) >/dev/null
	cmake --build --preset $(PRESET) -j $(JOBS)

demo: deps build
	./build/bin/kubetwin bench phold

test: deps build
	ctest --preset $(PRESET) -j $(JOBS)

bench: deps build
	bash bench/compare_phold.sh

asan:
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)
	ctest --preset asan -j $(JOBS)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build build-debug build-asan
