#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Fake container engines for the fault-injection and CRI tests.

Started through a symlink named like an engine (dockerd, containerd, crio),
so that the process's comm is that name and lxkns takes it for an engine:

    <dir>/dockerd fake-engine.py MODE SOCKET [CONFIG.json]

Modes (each listens on the unix socket SOCKET, prints "ready" on stdout once
it does, and serves until killed):
  hung          accepts connections and never answers
  garbage       answers every connection with bytes that are not HTTP
  bad-json      answers HTTP/1.1 200 with a body that is not JSON
  vanish        answers with the start of an HTTP reply, then hangs up
  grpc-garbage  speaks HTTP/2 (h2c) and answers every gRPC call with a
                message that is not protobuf
  cri           a Kubernetes CRI runtime.v1 server (Version, ListPodSandbox,
                ListContainers, PodSandboxStatus, ContainerStatus) serving the
                pods and containers of CONFIG.json:
                {"pods": [{"id", "name", "namespace", "uid", "pid", "labels",
                           "annotations", "ready"}],
                 "containers": [{"id", "pod", "name", "pid", "labels",
                                 "annotations", "state"}]}
                every other method answers grpc-status 12 (unimplemented)
"""
import json
import os
import socket
import struct
import sys
import threading


def varint(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)


def field_bytes(num, data):
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    return varint(num << 3 | 2) + varint(len(data)) + data


def field_varint(num, v):
    return varint(num << 3) + varint(v)


def field_map(num, d):
    return b"".join(field_bytes(num, field_bytes(1, k) + field_bytes(2, v)) for k, v in d.items())


def parse_fields(data):
    """Top-level fields of a protobuf message: {num: [value, ...]}."""
    out, i = {}, 0
    while i < len(data):
        key, i = read_varint(data, i)
        num, wire = key >> 3, key & 7
        if wire == 0:
            v, i = read_varint(data, i)
        elif wire == 2:
            n, i = read_varint(data, i)
            v, i = data[i:i + n], i + n
        elif wire == 1:
            v, i = data[i:i + 8], i + 8
        elif wire == 5:
            v, i = data[i:i + 4], i + 4
        else:
            raise ValueError("wire type")
        out.setdefault(num, []).append(v)
    return out


def read_varint(data, i):
    v, shift = 0, 0
    while True:
        b = data[i]
        i += 1
        v |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return v, i


class CRI:
    def __init__(self, config):
        self.pods = config.get("pods", [])
        self.containers = config.get("containers", [])

    def call(self, method, req):
        f = parse_fields(req)
        if method == "Version":
            return (field_bytes(1, "0.1.0") + field_bytes(2, "fake-cri") +
                    field_bytes(3, "0.0.1") + field_bytes(4, "v1"))
        if method == "ListPodSandbox":
            return b"".join(field_bytes(1, self.sandbox(p)) for p in self.pods)
        if method == "ListContainers":
            return b"".join(field_bytes(1, self.container(c)) for c in self.containers)
        if method in ("PodSandboxStatus", "ContainerStatus"):
            want = f.get(1, [b""])[0].decode()
            items = self.pods if method == "PodSandboxStatus" else self.containers
            for x in items:
                if x["id"] == want:
                    info = json.dumps({"pid": x["pid"], "sandboxID": x.get("pod", x["id"])})
                    return field_bytes(1, field_bytes(1, x["id"])) + field_map(2, {"info": info})
            raise KeyError(want)
        return None

    @staticmethod
    def sandbox(p):
        md = field_bytes(1, p["name"]) + field_bytes(2, p["uid"]) + field_bytes(3, p["namespace"])
        msg = field_bytes(1, p["id"]) + field_bytes(2, md)
        if not p.get("ready", True):
            msg += field_varint(3, 1)
        return msg + field_map(5, p.get("labels", {})) + field_map(6, p.get("annotations", {}))

    @staticmethod
    def container(c):
        md = field_bytes(1, c["name"]) + field_varint(2, 0)
        return (field_bytes(1, c["id"]) + field_bytes(2, c["pod"]) + field_bytes(3, md) +
                field_varint(6, c.get("state", 1)) + field_map(8, c.get("labels", {})) +
                field_map(9, c.get("annotations", {})))


def serve_h2(conn, handler):
    import h2.config
    import h2.connection
    import h2.events
    h2c = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=False))
    h2c.initiate_connection()
    conn.sendall(h2c.data_to_send())
    streams = {}
    while True:
        data = conn.recv(65536)
        if not data:
            return
        for ev in h2c.receive_data(data):
            if isinstance(ev, h2.events.RequestReceived):
                streams[ev.stream_id] = [dict(ev.headers).get(b":path", b"").decode(), b""]
            elif isinstance(ev, h2.events.DataReceived):
                streams[ev.stream_id][1] += ev.data
                h2c.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
            elif isinstance(ev, h2.events.StreamEnded):
                path, body = streams.pop(ev.stream_id)
                req = body[5:] if len(body) >= 5 else b""
                status, msg, reply = handler(path, req)
                h2c.send_headers(ev.stream_id, [(":status", "200"),
                                                ("content-type", "application/grpc")])
                if reply is not None:
                    h2c.send_data(ev.stream_id, b"\0" + struct.pack(">I", len(reply)) + reply)
                trailers = [("grpc-status", str(status))]
                if msg:
                    trailers.append(("grpc-message", msg))
                h2c.send_headers(ev.stream_id, trailers, end_stream=True)
        conn.sendall(h2c.data_to_send())


def handle(mode, conn, config):
    try:
        if mode == "hung":
            threading.Event().wait()
        elif mode == "garbage":
            conn.recv(65536)
            conn.sendall(b"\x00\xffthis is no HTTP at all\r\n\r\n\x01\x02" * 8)
        elif mode == "bad-json":
            conn.recv(65536)
            body = b'{"Version": "1.0", "ID": [unterminated'
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         b"Content-Length: %d\r\n\r\n" % len(body) + body)
            threading.Event().wait(2)
        elif mode == "vanish":
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 5000\r\n\r\n{\"Version\": \"1.")
        elif mode == "grpc-garbage":
            serve_h2(conn, lambda path, req: (0, "", b"\xff\xff\xff\xff\x0f\x0b"))
        elif mode == "cri":
            cri = CRI(config)

            def handler(path, req):
                if not path.startswith("/runtime.v1.RuntimeService/"):
                    return 12, "unknown service", None
                try:
                    reply = cri.call(path.rsplit("/", 1)[1], req)
                except KeyError as e:
                    return 5, "not found: %s" % e, None
                if reply is None:
                    return 12, "unimplemented", None
                return 0, "", reply
            serve_h2(conn, handler)
    except OSError:
        pass
    finally:
        conn.close()


def main():
    mode, path = sys.argv[1], sys.argv[2]
    config = {}
    if len(sys.argv) > 3:
        with open(sys.argv[3]) as f:
            config = json.load(f)
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(64)
    try:
        os.write(1, b"ready\n")
        os.close(1)  # nothing more to say: the reader may go away
    except OSError:
        pass
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=handle, args=(mode, conn, config), daemon=True).start()


if __name__ == "__main__":
    main()
