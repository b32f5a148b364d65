FROM node:24-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY libs ./libs
COPY bench ./bench
RUN npm ci && npm run build
ENV PORT=3000
EXPOSE 3000
CMD ["node", "dist/src/main.js"]
