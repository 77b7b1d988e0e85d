#!/usr/bin/env python3
"""A web server with an explicit bounded document cache, for the LARD benchmark (bench/lard/run.sh).

Each port is one back-end: an LRU of --cache documents and one "disk". GET /doc/N answers at once
when document N is cached (a hit); a miss waits for the port's disk, which serves one miss at a
time and takes --miss-ms per miss (a single disk, as the back-ends of Pai et al.'s simulation),
then caches the document, dropping the least recently used one past --cache. Every document is
--size bytes.

Control port: GET /stats (JSON hits and misses per port), GET /reset (empty caches, zero counters).
Loopback only. asyncio, one thread; HTTP/1.1 keep-alive, one request at a time per connection.
"""
import argparse
import asyncio
import collections
import json


class Backend:
    def __init__(self, cache_size, miss_seconds):
        self.cache_size = cache_size
        self.miss_seconds = miss_seconds
        self.reset()

    def reset(self):
        self.cache = collections.OrderedDict()
        self.disk_free_at = 0.0
        self.hits = 0
        self.misses = 0

    async def fetch(self, doc):
        if doc in self.cache:
            self.cache.move_to_end(doc)
            self.hits += 1
            return
        self.misses += 1
        loop = asyncio.get_running_loop()
        now = loop.time()
        start = max(now, self.disk_free_at)
        self.disk_free_at = start + self.miss_seconds
        await asyncio.sleep(self.disk_free_at - now)
        self.cache[doc] = True
        self.cache.move_to_end(doc)
        while len(self.cache) > self.cache_size:
            self.cache.popitem(last=False)


def response(status, body, content_type=b"application/octet-stream"):
    return (b"HTTP/1.1 " + status + b"\r\nContent-Type: " + content_type + b"\r\nContent-Length: "
            + str(len(body)).encode() + b"\r\n\r\n" + body)


async def serve(reader, writer, handler):
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            request_line = head.split(b"\r\n", 1)[0].split(b" ")
            path = request_line[1] if len(request_line) > 1 else b"/"
            writer.write(await handler(path))
            await writer.drain()
    except (ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--ports", required=True, help="comma-separated back-end ports")
    p.add_argument("--control-port", type=int, required=True)
    p.add_argument("--cache", type=int, required=True, help="documents each back-end caches")
    p.add_argument("--miss-ms", type=float, default=10.0)
    p.add_argument("--size", type=int, default=2048)
    args = p.parse_args()
    body = b"x" * args.size
    backends = {}
    servers = []
    for port in (int(x) for x in args.ports.split(",")):
        backend = backends[port] = Backend(args.cache, args.miss_ms / 1000.0)

        async def handle(path, backend=backend):
            if path.startswith(b"/doc/"):
                await backend.fetch(path[5:])
                return response(b"200 OK", body)
            if path == b"/.testpage":
                return response(b"200 OK", b"test page\n", b"text/plain")
            return response(b"404 Not Found", b"no such document\n", b"text/plain")

        servers.append(await asyncio.start_server(lambda r, w, h=handle: serve(r, w, h), "127.0.0.1", port))

    async def control(path):
        if path == b"/reset":
            for b in backends.values():
                b.reset()
        stats = {str(port): {"hits": b.hits, "misses": b.misses, "cached": len(b.cache)} for port, b in backends.items()}
        return response(b"200 OK", json.dumps(stats).encode(), b"application/json")

    servers.append(await asyncio.start_server(lambda r, w: serve(r, w, control), "127.0.0.1", args.control_port))
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    asyncio.run(main())
