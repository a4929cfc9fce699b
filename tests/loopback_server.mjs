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

// A request's body as text ({raw}), or {over: true} past `maxBytes`: the rest is read
// and dropped up to four times that (so the client sees the answer), then the
// connection is reset.
export function readBoundedBody(req, maxBytes) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    let over = false;
    const done = () => resolve(over ? { over: true } : { raw: Buffer.concat(chunks).toString("utf8") });
    req.on("data", (c) => {
      size += c.length;
      if (size > maxBytes) {
        over = true;
        chunks.length = 0;
        if (size > 4 * maxBytes) req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", done);
    req.on("error", () => resolve({ over: true }));
    req.on("close", done);
  });
}
