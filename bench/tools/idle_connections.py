#!/usr/bin/env python3
"""Opens N keep-alive HTTP/1.1 connections to 127.0.0.1:PORT, sends one GET on each (so each is
a real client connection the proxy has parsed a request on), then holds them idle.

Prints "READY <open> <failed>" once all are open, then holds them until it is killed or HOLD
seconds pass (bounded: it always exits by itself). Loopback only.

usage: idle_connections.py PORT COUNT HOLD_SECONDS [PATH]
"""
import asyncio
import sys

BATCH = 500


async def open_one(port, path, conns):
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 10)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: keep-alive\r\n\r\n".encode())
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    if length:
        await asyncio.wait_for(reader.readexactly(length), 10)
    if not head.startswith(b"HTTP/1.1 2"):
        raise RuntimeError(head.split(b"\r\n", 1)[0].decode(errors="replace"))
    conns.append(writer)


async def main():
    port, count, hold = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    path = sys.argv[4] if len(sys.argv) > 4 else "/.testpage"
    conns, failed, first_error = [], 0, None
    for start in range(0, count, BATCH):
        results = await asyncio.gather(*(open_one(port, path, conns) for _ in range(start, min(count, start + BATCH))),
                                       return_exceptions=True)
        for r in results:
            if isinstance(r, BaseException):
                failed += 1
                first_error = first_error or repr(r)
    print(f"READY {len(conns)} {failed}" + (f" first_error={first_error}" if first_error else ""), flush=True)
    # Held until killed by run.sh, or HOLD seconds at most.
    await asyncio.sleep(hold)
    for w in conns:
        w.close()
    print(f"CLOSED {len(conns)}", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
