//! The classes of changed paths (docs, tests, CI, build tooling, repository
//! meta, examples, dependency manifests, release metadata, and shipped: all
//! the rest), their default globs, and sets of them. A leaf: the path reader
//! ([`super::paths`]) and the manifest reader ([`super::manifests`]) both
//! name classes, and neither needs the other for it.

use serde::{Deserialize, Serialize};

/// What a changed path is, in the order a path is tested against the classes
/// (the first class whose globs match wins; a path no glob matches is shipped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PathClass {
    /// Forced shipped by `[paths] shipped`: what ships, whatever else matches.
    Shipped,
    /// Release metadata: changelogs, version files, release tooling state.
    Release,
    /// Continuous integration.
    Ci,
    /// Tests, test data, benchmarks.
    Tests,
    /// Examples.
    Examples,
    /// Repository meta: README, LICENSE, CODEOWNERS, `.gitignore` and the like.
    Meta,
    /// Documentation.
    Docs,
    /// Build and development tooling.
    Build,
    /// Dependency manifests and lock files, vendored dependencies.
    Dependencies,
}

impl PathClass {
    /// Every class, in the order paths are tested.
    pub const ALL: [PathClass; 9] = [
        PathClass::Shipped,
        PathClass::Release,
        PathClass::Ci,
        PathClass::Tests,
        PathClass::Examples,
        PathClass::Meta,
        PathClass::Docs,
        PathClass::Build,
        PathClass::Dependencies,
    ];

    /// The name used in every output and in `[paths]`.
    pub fn as_str(self) -> &'static str {
        match self {
            PathClass::Shipped => "shipped",
            PathClass::Release => "release",
            PathClass::Ci => "ci",
            PathClass::Tests => "tests",
            PathClass::Examples => "examples",
            PathClass::Docs => "docs",
            PathClass::Build => "build",
            PathClass::Meta => "meta",
            PathClass::Dependencies => "dependencies",
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }

    /// The default globs (see docs/evidence.md, "Path evidence"). A glob without a
    /// `/` matches a file name at any depth.
    pub fn defaults(self) -> &'static [&'static str] {
        match self {
            PathClass::Shipped => SHIPPED_GLOBS,
            PathClass::Release => RELEASE_GLOBS,
            PathClass::Ci => CI_GLOBS,
            PathClass::Tests => TESTS_GLOBS,
            PathClass::Examples => EXAMPLES_GLOBS,
            PathClass::Docs => DOCS_GLOBS,
            PathClass::Build => BUILD_GLOBS,
            PathClass::Meta => META_GLOBS,
            PathClass::Dependencies => DEPENDENCIES_GLOBS,
        }
    }
}

const SHIPPED_GLOBS: &[&str] = &[];

const RELEASE_GLOBS: &[&str] = &[
    "CHANGELOG*",
    "CHANGES*",
    "HISTORY*",
    "RELEASE_NOTES*",
    "RELEASES*",
    "NEWS*",
    "VERSION",
    "VERSION.txt",
    "version.txt",
    ".version",
    ".release-please-manifest.json",
    "release-please-config.json",
    ".changeset/**",
    ".bumpversion.cfg",
    ".cz.toml",
    "cog.toml",
    "cliff.toml",
];

const CI_GLOBS: &[&str] = &[
    ".github/workflows/**",
    ".github/actions/**",
    ".github/dependabot.y*ml",
    ".gitlab-ci.yml",
    ".gitlab/**",
    ".circleci/**",
    ".travis.yml",
    ".drone.yml",
    ".woodpecker/**",
    ".woodpecker.y*ml",
    ".buildkite/**",
    "azure-pipelines.y*ml",
    "appveyor.y*ml",
    ".appveyor.y*ml",
    "Jenkinsfile",
    "codecov.y*ml",
    ".codecov.y*ml",
    "renovate.json",
    ".renovaterc*",
    ".mergify.y*ml",
    ".clomonitor.y*ml",
    "circle.yml",
    "wercker.y*ml",
    "bitbucket-pipelines.y*ml",
    ".cirrus.y*ml",
    ".semaphore/**",
    ".scrutinizer.y*ml",
    ".coveralls.y*ml",
    // CI scripts kept beside the CI's configuration: `.ci/`, `travis/`, and
    // the scripts and configuration under `ci/` (not its sources: a Go
    // package may be named `ci`).
    ".ci/**",
    "travis/**",
    ".travis/**",
    "ci/**/*.sh",
    "ci/**/*.bash",
    "ci/**/*.ps1",
    "ci/**/*.y*ml",
    "ci/**/Dockerfile*",
];

const TESTS_GLOBS: &[&str] = &[
    "*_test.go",
    "test/**",
    "tests/**",
    "testdata/**",
    "**/testdata/**",
    "**/__tests__/**",
    "*.test.{js,jsx,ts,tsx,mjs,cjs}",
    "*.spec.{js,jsx,ts,tsx,mjs,cjs}",
    "test_*.py",
    "*_test.py",
    "conftest.py",
    "pytest.ini",
    ".coveragerc",
    ".mocharc*",
    ".nycrc*",
    "karma.conf.*",
    "jest.config.*",
    "**/src/test/**",
    "spec/**",
    "benches/**",
    "bench/**",
    "fuzz/**",
    "e2e/**",
    "**/e2e/**",
    "cypress/**",
];

const EXAMPLES_GLOBS: &[&str] = &["examples/**", "example/**", "_examples/**", "samples/**"];

const DOCS_GLOBS: &[&str] = &[
    "docs/**",
    "doc/**",
    "website/**",
    "*.md",
    "*.markdown",
    "*.rst",
    "*.adoc",
    "mkdocs.y*ml",
    "book.toml",
    ".readthedocs.y*ml",
];

const BUILD_GLOBS: &[&str] = &[
    "Makefile",
    "*.mk",
    "GNUmakefile",
    "justfile",
    "Justfile",
    "Taskfile.y*ml",
    "magefile.go",
    ".goreleaser.y*ml",
    "goreleaser.y*ml",
    "Dockerfile*",
    "*.dockerfile",
    ".dockerignore",
    "docker-compose*.y*ml",
    "compose.y*ml",
    "Vagrantfile",
    ".devcontainer/**",
    "hack/**",
    "scripts/**",
    ".golangci.y*ml",
    ".pre-commit-config.y*ml",
    "rustfmt.toml",
    ".rustfmt.toml",
    "clippy.toml",
    ".clippy.toml",
    "deny.toml",
    "rust-toolchain",
    "rust-toolchain.toml",
    ".cargo/**",
    ".eslintrc*",
    ".eslintignore",
    ".jshintrc",
    ".jscsrc",
    ".stylelintrc*",
    "commitlint.config.*",
    ".commitlintrc*",
    ".husky/**",
    ".markdownlint*",
    ".yamllint*",
    "ruff.toml",
    ".ruff.toml",
    ".isort.cfg",
    ".npmignore",
    "MANIFEST.in",
    "eslint.config.*",
    ".prettierrc*",
    ".prettierignore",
    ".nvmrc",
    ".node-version",
    ".python-version",
    ".tool-versions",
    "tox.ini",
    "noxfile.py",
    ".flake8",
    ".pylintrc",
    "mypy.ini",
    "flake.nix",
    "flake.lock",
    "shell.nix",
    ".envrc",
];

const META_GLOBS: &[&str] = &[
    "README*",
    "LICENSE*",
    "LICENCE*",
    "COPYING*",
    "NOTICE*",
    "AUTHORS*",
    "CONTRIBUTORS*",
    "CONTRIBUTING*",
    "CODE_OF_CONDUCT*",
    "SECURITY*",
    "SUPPORT*",
    "GOVERNANCE*",
    "MAINTAINERS*",
    "CODEOWNERS",
    ".gitignore",
    ".gitattributes",
    ".gitmodules",
    ".mailmap",
    ".editorconfig",
    ".gitkeep",
    ".github/**",
    ".vscode/**",
    ".idea/**",
];

const DEPENDENCIES_GLOBS: &[&str] = &[
    "go.mod",
    "go.sum",
    "go.work",
    "go.work.sum",
    "vendor/**",
    "Cargo.lock",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lockb",
    "bun.lock",
    "requirements*.txt",
    "requirements/**",
    "constraints*.txt",
    "Pipfile",
    "Pipfile.lock",
    "poetry.lock",
    "uv.lock",
    "pdm.lock",
    "gradle.lockfile",
    "gradle/libs.versions.toml",
    "gradle/wrapper/**",
    "Gemfile",
    "Gemfile.lock",
    "composer.json",
    "composer.lock",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    // Manifests that also say other things: read to tell what changed.
    "Cargo.toml",
    "package.json",
    "pyproject.toml",
];

/// A set of path classes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Classes(u16);

impl Classes {
    /// Adds `class`.
    pub fn insert(&mut self, class: PathClass) {
        self.0 |= class.bit();
    }

    /// Whether `class` is in the set.
    pub fn contains(self, class: PathClass) -> bool {
        self.0 & class.bit() != 0
    }

    /// Whether the set is empty (no path changed).
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The classes' names, comma-separated, e.g. `ci, docs`.
    pub fn names(self) -> String {
        self.iter()
            .map(PathClass::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The classes, in [`PathClass::ALL`]'s order.
    pub fn iter(self) -> impl Iterator<Item = PathClass> {
        PathClass::ALL
            .into_iter()
            .filter(move |c| self.contains(*c))
    }
}
