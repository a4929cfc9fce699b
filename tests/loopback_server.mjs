// What the local stand-ins for outside services (tests/google, tests/graph) share: a
// node:http server on a free loopback port, its closing, and a poll for a condition.

// Listens on 127.0.0.1 on a port the system picks; resolves to the base URL.
export async function listenOnLoopback(server) {
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return `http://127.0.0.1:${server.address().port}`;
}

// Closes the server and every connection it holds.
export async function closeServer(server) {
  await new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

// Polls `predicate()` every 10 ms until it returns something truthy (returned), or
// throws after `timeoutMs`.
export async function pollUntil(predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await predicate();
    if (v) return v;
    if (Date.now() >= deadline) throw new Error(`waitFor: condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
