# syntax=docker/dockerfile:1
# bumpwise as a container image:
#   docker build -t bumpwise .
#   docker run --rm -v "$PWD:/repo" -w /repo bumpwise next
# A static (musl) binary on Alpine, which keeps a shell: `plan --run-tests` runs
# the test command with `sh -c`.

FROM rust:1-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
RUN cargo build --locked --release \
 && strip target/release/bumpwise \
 && ./target/release/bumpwise --version

FROM alpine:3
COPY docker/gitconfig /etc/gitconfig
COPY --from=build /src/target/release/bumpwise /usr/local/bin/bumpwise
WORKDIR /repo
ENTRYPOINT ["bumpwise"]
CMD ["next"]
