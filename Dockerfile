# syntax=docker/dockerfile:1
# One image for every Shardline app; the APP build argument (or SHARDLINE_APP at run
# time) picks which apps/<app>/src/main.ts runs. TypeScript runs through
# @swc-node/register, as `npm start` does, so there is no separate compile step.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json nest-cli.json ./
COPY tools ./tools
COPY libs ./libs
COPY apps ./apps
# The web console's static files (dist/console), which the gateway serves at /console.
RUN npm run build:console
# Dev dependencies (jest, eslint, testcontainers...) stay out of the runtime image.
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ARG APP=gateway
ENV NODE_ENV=production \
    SHARDLINE_APP=${APP} \
    PORT=4567
WORKDIR /app
COPY --from=build --chown=node:node /app ./
USER node
EXPOSE 4567
# exec replaces the shell so that SIGTERM from `docker stop` reaches node (compose adds
# `init: true`, so a tini is PID 1 and forwards it).
CMD ["sh", "-c", "exec node -r @swc-node/register \"apps/${SHARDLINE_APP}/src/main.ts\""]
