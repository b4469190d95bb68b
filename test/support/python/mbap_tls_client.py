"""A Modbus/TCP Security client from Python's ssl module and a raw MBAP socket (no Modbus library).

usage: mbap_tls_client.py HOST PORT CA CERT KEY REQUESTS_JSON [--max-version TLSv1_1|TLSv1_2] [--resume]
CERT and KEY may be '-' (no client certificate). REQUESTS_JSON: [[unit, "pdu hex"], ...].
Prints JSON: {"version": "TLSv1.3", "responses": ["pdu hex", ...], "reused": bool} or {"error": "..."}.
"""
import json
import socket
import ssl
import struct
import sys
import warnings

warnings.simplefilter("ignore", DeprecationWarning)  # TLSVersion.TLSv1_1: deprecated, wanted here


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("connection closed by the server")
        data += chunk
    return data


def exchange(sock, requests):
    responses = []
    for tid, (unit, pdu_hex) in enumerate(requests, start=1):
        pdu = bytes.fromhex(pdu_hex)
        sock.sendall(struct.pack(">HHHB", tid, 0, len(pdu) + 1, unit) + pdu)
        header = recv_exact(sock, 7)
        rtid, proto, length, runit = struct.unpack(">HHHB", header)
        if rtid != tid or proto != 0 or runit != unit:
            raise ValueError("bad MBAP header %s" % header.hex())
        responses.append(recv_exact(sock, length - 1).hex())
    return responses


def main():
    host, port, ca, cert, key, requests_json = sys.argv[1:7]
    options = sys.argv[7:]
    requests = json.loads(requests_json)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(ca)
    if cert != "-":
        context.load_cert_chain(cert, key)
    if "--max-version" in options:
        version = options[options.index("--max-version") + 1]
        context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
        context.maximum_version = getattr(ssl.TLSVersion, version)
        if version == "TLSv1_1":
            context.set_ciphers("DEFAULT:@SECLEVEL=0")
    result = {}
    try:
        with socket.create_connection((host, int(port)), timeout=5) as raw:
            with context.wrap_socket(raw, server_hostname="localhost") as sock:
                result["version"] = sock.version()
                result["responses"] = exchange(sock, requests)
                session = sock.session
        if "--resume" in options:
            with socket.create_connection((host, int(port)), timeout=5) as raw:
                with context.wrap_socket(raw, server_hostname="localhost", session=session) as sock:
                    result["reused"] = sock.session_reused
                    result["resumed_responses"] = exchange(sock, requests)
    except (OSError, ValueError, ssl.SSLError) as error:
        result["error"] = "%s: %s" % (type(error).__name__, error)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
