#!/usr/bin/env python3
"""Binds an AF_UNIX datagram socket (a path, or @name for the abstract namespace)
and prints every datagram received as one JSON line. Stands in for systemd's
notify socket in tests; Node itself cannot bind unix datagram sockets."""
import json
import os
import socket
import sys

target = sys.argv[1]
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
if target.startswith('@'):
    sock.bind('\0' + target[1:])
else:
    if os.path.exists(target):
        os.unlink(target)
    sock.bind(target)
print(json.dumps({"bound": target}), flush=True)
while True:
    data = sock.recv(65536)
    print(json.dumps({"msg": data.decode('utf-8', 'replace')}), flush=True)
