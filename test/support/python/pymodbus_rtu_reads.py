"""Read input registers over Modbus RTU with pymodbus and print one JSON line per read.

usage: /usr/bin/python3 pymodbus_rtu_reads.py PORT UNIT ADDRESS COUNT READS
Each line: {"ok": [values]} | {"exception": code} | {"error": "text"}
"""
import json
import logging
import sys

from pymodbus.client import ModbusSerialClient
from pymodbus.pdu import ExceptionResponse

logging.disable(logging.CRITICAL)
port, unit, address, count, reads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
# pymodbus 3.0.0rc1 truncates the timeout to whole seconds (int(timeout)): 1 s is the shortest.
timeout = 1
client = ModbusSerialClient(port=port, baudrate=19200, parity="N", stopbits=1, bytesize=8, timeout=timeout, retries=0, retry_on_empty=False)
client.connect()
for _ in range(reads):
    try:
        try:
            result = client.read_input_registers(address, count, slave=unit)
        except TypeError:
            result = client.read_input_registers(address, count, unit=unit)
        if isinstance(result, ExceptionResponse):
            line = {"exception": result.exception_code}
        elif result.isError():
            line = {"error": str(result)}
        else:
            line = {"ok": list(result.registers)}
    except Exception as error:  # pymodbus raises ModbusIOException and friends on no/garbled answers
        line = {"error": f"{type(error).__name__}: {error}"}
    print(json.dumps(line), flush=True)
client.close()
