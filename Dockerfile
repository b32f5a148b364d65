FROM node:24-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY libs ./libs
COPY bench ./bench
COPY web ./web
COPY clients ./clients
RUN npm ci && npm run build
# No keys here: the container needs OPERATOR_API_KEY, ENCRYPTION_KEY and DATABASE_URL from its environment.
ENV PORT=3000 HOST=0.0.0.0 NODE_ENV=production
USER node
EXPOSE 3000
CMD ["node", "dist/src/main.js"]
