# Small production image: build TypeScript in one stage, run the compiled server as a non-root user.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json knexfile.ts capability-statement.json ./
COPY src ./src
COPY mappings ./mappings
COPY profiles ./profiles
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=8000 HOST=0.0.0.0 PGLITE_DIR=/data/pglite
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json capability-statement.json ./
COPY --chown=node:node mappings ./mappings
COPY --chown=node:node profiles ./profiles
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The node flags of package.json's start scripts (test/unit/node-flags.test.ts keeps them alike):
# a larger young generation, since a read allocates some 47 kB, and no allocation-site
# pretenuring, under which some 800 bytes of every read reached the old generation (bench/README.md,
# tenth round).
CMD ["node", "--max-semi-space-size=32", "--no-allocation-site-pretenuring", "dist/src/server.js"]
