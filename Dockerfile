# bumpwise's image: the release's own static (musl) binary, the very bytes its
# archives hold, and nothing else. The release workflow puts each platform's
# binary at dist/linux-<arch>/bumpwise and builds with buildx for linux/amd64
# and linux/arm64; no instruction runs anything, so nothing is emulated. To
# build it from a checkout, see docs/install.md ("The image").
#
# No base image (scratch), so there is none to pin. The binary links nothing
# and reads, besides the repository, only /etc/gitconfig and /etc/passwd.
# Commands that run other programs (`plan --run-tests`) need the project's
# toolchain, which the image does not have: run those outside it.
#
# tests/testsuite/image.rs assembles this image from these instructions, as
# root, and runs it under chroot as the image's user on a repository that
# belongs to someone else.
FROM scratch
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
COPY docker/passwd docker/group /etc/
COPY docker/gitconfig /etc/gitconfig
COPY --chmod=0755 dist/linux-${TARGETARCH}/bumpwise /usr/local/bin/bumpwise
# A user without a shell or a home; the mounted repository is read through
# /etc/gitconfig's safe.directory (docker/gitconfig).
USER 65532:65532
WORKDIR /repo
ENTRYPOINT ["/usr/local/bin/bumpwise"]
CMD ["next"]
