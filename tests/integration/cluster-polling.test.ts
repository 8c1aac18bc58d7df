/**
 * The Redis scale-out suite (cluster.test.ts) once more with every SDK client on socket.io
 * long-polling: a seat reserved on another process comes with that process's publicAddress, the
 * socket.io URL is built from it, and every polling request must reach the process holding the room.
 * TEST_TRANSPORT is read when helpers.ts loads, so it is set before the suite is imported.
 */
process.env.TEST_TRANSPORT = "polling";
await import("./cluster.test.ts");
