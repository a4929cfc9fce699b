// Raw HTTP/1.1 over a socket, for requests fetch() will not send (CONNECT, TRACE,
// unknown methods, malformed or oversized heads): writes `text`, reads until the
// server closes or `timeoutMs` passes, and parses the first response.
import net from "node:net";

export function rawRequest(baseUrl, text, { timeoutMs = 10_000 } = {}) {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseResponse(Buffer.concat(chunks)));
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on("connect", () => socket.write(text));
    socket.on("data", (c) => {
      chunks.push(c);
      // One whole response is enough: stop at its declared length.
      const r = parseResponse(Buffer.concat(chunks));
      if (r.complete) finish();
    });
    // A reset after the answer (the server closed with unread bytes) is fine.
    socket.on("error", (e) => (chunks.length ? finish() : reject(e)));
    socket.on("close", finish);
  });
}

function parseResponse(buf) {
  const text = buf.toString("latin1");
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) return { status: 0, headers: {}, body: "", json: null, complete: false, raw: text };
  const [statusLine, ...lines] = text.slice(0, end).split("\r\n");
  const status = Number(statusLine.split(" ")[1]);
  const headers = {};
  for (const l of lines) {
    const i = l.indexOf(":");
    headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const bodyBytes = buf.subarray(Buffer.byteLength(text.slice(0, end + 4), "latin1"));
  const length = Number(headers["content-length"] ?? NaN);
  const body = bodyBytes.toString("utf8", 0, Number.isFinite(length) ? length : bodyBytes.length);
  let json = null;
  try {
    json = JSON.parse(body);
  } catch {
    // not JSON: the assertions say so
  }
  return { status, headers, body, json, complete: Number.isFinite(length) && bodyBytes.length >= length, raw: text };
}

// A POST on a socket of its own that closes after the answer. For a body the server
// refuses unread (413): through fetch's shared keep-alive pool, the connection the
// server closed could be reused by the next request, which then fails.
export function rawPost(url, headers, body) {
  const { pathname, search, host } = new URL(url);
  const bytes = Buffer.from(body, "utf8");
  let head = `POST ${pathname}${search} HTTP/1.1\r\nhost: ${host}\r\nconnection: close\r\ncontent-length: ${bytes.length}\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  return rawRequest(url, Buffer.concat([Buffer.from(`${head}\r\n`, "latin1"), bytes]));
}
