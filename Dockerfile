# kubetwin's container image: Debian 12 with the packages `make deps` installs (the same
# list: the Makefile is the one place it is kept), built in Release with the MPI sweep, the
# command-line tool only (no dashboard, tests or benchmarks in the image).
#   docker build -t kubetwin:latest .
#   docker run --rm kubetwin:latest kubetwin run /opt/kubetwin/data/scenarios/quickstart.yaml
# deploy/ runs it as a Kubernetes Indexed Job; docs/distributed.md.
FROM debian:12 AS build
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends make ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make deps && rm -rf /var/lib/apt/lists/*
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DKT_BUILD_TESTS=OFF \
      -DKT_BUILD_BENCH=OFF -DKT_BUILD_GUI=OFF -DKUBETWIN_WITH_MPI=ON \
    && cmake --build /build --target kubetwin -j "$(nproc)"

FROM debian:12
# What the tool needs at run time: the libraries it links and mpirun for MPI sweeps.
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends \
      libyaml-cpp0.7 libtbb12 openmpi-bin libopenmpi3 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /build/bin/kubetwin /usr/local/bin/kubetwin
COPY --from=build /src/data /opt/kubetwin/data
WORKDIR /work
CMD ["kubetwin", "--help"]
