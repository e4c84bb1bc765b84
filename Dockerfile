# syntax=docker/dockerfile:1
# vllm-guard: admission webhook, CLI and audit for vLLM workloads.
#   docker build -t ghcr.io/vllm-guard/vllm-guard:0.1.0 --build-arg VERSION=0.1.0 .
# Node 26 ('Lithium') is the Active LTS line since 2026-10-28 (nodejs/Release schedule; v26.13.0 is
# the LTS transition release, the same code as 26.12.1, which fixed the October 2026 security
# releases). Node 26's official images are built on Debian 13 (trixie). For reproducible builds pin
# the digest too:
#   FROM node:26.13.0-trixie-slim@sha256:<digest>
ARG NODE_VERSION=26.13.0

# Build: all dependencies, TypeScript compiled to dist/.
FROM node:${NODE_VERSION}-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the "prepare" script would build before the sources are copied.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY policies ./policies
RUN npm run build

# Production dependencies only, no install scripts.
FROM node:${NODE_VERSION}-trixie-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# Runtime: compiled JavaScript, production node_modules and the default policies.
FROM node:${NODE_VERSION}-trixie-slim
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="vllm-guard" \
      org.opencontainers.image.description="Admission policies, CI checks and cluster audits for vLLM workloads on Kubernetes" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/vllm-guard/vllm-guard"
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and only readable by the runtime user: the process cannot rewrite its code.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY policies ./policies
# The CLI by name, for CI jobs that run the image with their own shell (GitLab `entrypoint: [""]`):
#   vllm-guard check /work
RUN printf '#!/bin/sh\nexec node /app/dist/cli/main.js "$@"\n' > /usr/local/bin/vllm-guard && chmod 0755 /usr/local/bin/vllm-guard
# The image's `node` user, by number so that Kubernetes runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8443 9090
# An absolute path, so `docker run -w /work -v "$PWD:/work" IMAGE check .` runs the CLI in the mounted checkout.
ENTRYPOINT ["node", "/app/dist/cli/main.js"]
CMD ["serve", "--host=0.0.0.0"]
