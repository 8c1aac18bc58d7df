/**
 * The restart suite (restart.test.ts) once more with every SDK client — host, students, projector —
 * on socket.io long-polling: a kill -9 or a SIGTERM, and every polling client comes back into its
 * seat by itself, with nothing acknowledged lost. TEST_TRANSPORT is read when helpers.ts loads, so
 * it is set before the suite is imported.
 */
process.env.TEST_TRANSPORT = "polling";
await import("./restart.test.ts");
