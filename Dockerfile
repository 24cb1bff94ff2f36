# bumpwise's image: the release's own static (musl) binary, the very bytes its
# archives hold, on Alpine, which keeps a shell for CI systems that run their
# scripts in the image (GitLab CI, GitHub's `container:` jobs). The release
# workflow puts each platform's binary at dist/linux-<arch>/bumpwise and builds
# with buildx for linux/amd64 and linux/arm64; no instruction runs a program,
# so nothing is emulated. To build it from a checkout, see docs/install.md.
#
# The base is pinned by the digest of its multi-platform index; to move it:
# `docker buildx imagetools inspect alpine:3.23` gives the new digest.
# `plan --run-tests` needs the project's own toolchain, which the image lacks.
#
# tests/testsuite/image.rs carries out these instructions by hand, as root, and
# runs the result under chroot as the image's user on a repository that
# belongs to someone else.
FROM alpine:3.23@sha256:fd791d74b68913cbb027c6546007b3f0d3bc45125f797758156952bc2d6daf40
ARG TARGETARCH=amd64
ARG VERSION=unknown
ARG REVISION=unknown
ARG SOURCE=https://github.com/bumpwise/bumpwise
LABEL org.opencontainers.image.title="bumpwise" \
      org.opencontainers.image.description="Says what the next SemVer release should be, and why, from the git history." \
      org.opencontainers.image.licenses="MIT OR Apache-2.0" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
COPY docker/gitconfig /etc/gitconfig
COPY --chmod=0755 dist/linux-${TARGETARCH}/bumpwise /usr/local/bin/bumpwise
# Not root. The mounted repository belongs to someone else: /etc/gitconfig
# (docker/gitconfig) trusts it for git's safe.directory check.
USER 65532:65532
WORKDIR /repo
ENTRYPOINT ["/usr/local/bin/bumpwise"]
CMD ["next"]
