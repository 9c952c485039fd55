# syntax=docker/dockerfile:1
# airledger API: built in one stage, run from a slim stage as a non-root user.
# Build: docker build -t airledger-api .   Run: see deploy/compose.yaml.

FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN npm install -g -E pnpm@12.4.2
COPY . .
RUN pnpm install --frozen-lockfile && pnpm build \
 && pnpm --filter @airledger/api deploy --prod --legacy /out

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=4000 HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /out /app
USER node
EXPOSE 4000
# /readyz answers 200 when the database answers, 503 otherwise.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/main.js"]
