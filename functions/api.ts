// The single Worker: every endpoint group, and the Durable Object classes they use.
import { createApp } from "../src/app";

const app = createApp({});

export default app;
