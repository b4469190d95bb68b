"""pymodbus's TLS client (Debian: pymodbus 3.0.0rc1) against a Modbus/TCP Security server.

usage: pymodbus_tls_client.py HOST PORT CA CERT KEY FRAMER
FRAMER: "tls" (pymodbus's ModbusTlsFramer, its default: in 3.0 it sends the bare PDU, no MBAP
header, which MB-TCP-Security does not allow) or "socket" (ModbusSocketFramer: the MBAP header).

The asyncio client is used: pymodbus 3.0's sync ModbusTlsClient select()s on the raw socket and
then recv()s from a non-blocking SSL socket, so it loses bytes OpenSSL has already buffered
(TLS 1.2) or trips over TLS 1.3 session tickets (SSLWantReadError); its requests are fine.
Prints JSON: {"input": [..], "write": [address, value] | exception code} or {"error": "..."}.
"""
import asyncio
import json
import logging
import ssl
import sys

from pymodbus.client import AsyncModbusTlsClient
from pymodbus.framer.socket_framer import ModbusSocketFramer
from pymodbus.framer.tls_framer import ModbusTlsFramer

logging.disable(logging.CRITICAL)


def describe(reply):
    """An exception response's code, or what went wrong."""
    code = getattr(reply, "exception_code", None)
    return code if code is not None else "%s: %s" % (type(reply).__name__, reply)


async def main():
    host, port, ca, cert, key, framer = sys.argv[1:7]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(ca)
    context.load_cert_chain(cert, key)
    client = AsyncModbusTlsClient(
        host,
        port=int(port),
        sslctx=context,
        server_hostname="localhost",
        framer=ModbusSocketFramer if framer == "socket" else ModbusTlsFramer,
        timeout=1,
        retries=0,
    )
    await client.connect()
    result = {}
    try:
        reply = await client.read_input_registers(0, 2, slave=1)
        result["input"] = reply.registers if not reply.isError() else describe(reply)
        reply = await client.write_register(0x0B, 1800, slave=1)
        result["write"] = [reply.address, reply.value] if not reply.isError() else describe(reply)
    except Exception as error:  # pylint: disable=broad-except
        result["error"] = "%s: %s" % (type(error).__name__, error)
    closing = client.close()
    if asyncio.iscoroutine(closing):
        await closing
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main())
