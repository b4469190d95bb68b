"""pymodbus 3 (Debian's /usr/bin/python3) as an independent Modbus RTU master.

Usage: pymodbus_rtu_client.py serial PATH BAUD PARITY | tcp HOST PORT
Prints one JSON object with what it read. On a serial line it also sends one frame with a bad
CRC and then keeps the line silent for 50 ms (longer than t3.5), as a master does after a request
that got no answer, before reading the diagnostics counters.
"""
import json
import sys
import time

from pymodbus.client import ModbusSerialClient, ModbusTcpClient
from pymodbus.diag_message import (
    ClearCountersRequest,
    ReturnBusCommunicationErrorCountRequest,
    ReturnBusExceptionErrorCountRequest,
    ReturnBusMessageCountRequest,
    ReturnQueryDataRequest,
    ReturnSlaveMessageCountRequest,
    ReturnSlaveNoResponseCountRequest,
)
from pymodbus.framer.rtu_framer import ModbusRtuFramer
from pymodbus.mei_message import ReadDeviceInformationRequest
from pymodbus.other_message import ReportSlaveIdRequest

mode = sys.argv[1]
if mode == "serial":
    client = ModbusSerialClient(sys.argv[2], baudrate=int(sys.argv[3]), parity=sys.argv[4], stopbits=1, timeout=2, retries=0)
else:
    client = ModbusTcpClient(sys.argv[2], port=int(sys.argv[3]), framer=ModbusRtuFramer, timeout=2, retries=0)
assert client.connect()


def counter(request):
    response = client.execute(request)
    assert not response.isError(), response
    return response.message[0] if isinstance(response.message, (list, tuple)) else response.message


out = {}
out["holding"] = {unit: client.read_holding_registers(5, 3, slave=unit).registers for unit in (1, 2, 3, 4)}
out["input"] = client.read_input_registers(100, 2, slave=3).registers
client.write_registers(30, [101, 102], slave=2)
client.write_register(33, 7, slave=2)
out["written"] = client.read_holding_registers(29, 5, slave=2).registers
client.write_coil(2, True, slave=4)
out["coils"] = client.read_coils(0, 8, slave=4).bits[:8]
report = client.execute(ReportSlaveIdRequest(unit=3))
out["server_id"] = {"identifier": list(report.identifier), "status": report.status}
info = client.execute(ReadDeviceInformationRequest(read_code=1, object_id=0, unit=4))
out["identification"] = {str(k): v.decode() for k, v in info.information.items()}
error = client.read_input_registers(199, 2, slave=1)
out["exception_address"] = error.exception_code if error.isError() else None
error = client.read_holding_registers(0, 126, slave=1)
out["exception_quantity"] = error.exception_code if error.isError() else None
echo = client.execute(ReturnQueryDataRequest(message=0x1234, unit=1))
out["echo"] = echo.message if not isinstance(echo.message, bytes) else echo.message.hex()

# Counters of unit 1, from a cleared state.
client.execute(ClearCountersRequest(unit=1))
client.read_holding_registers(0, 1, slave=1)          # one message to unit 1
client.read_holding_registers(0, 1, slave=2)          # one message on the bus, for unit 2
client.read_holding_registers(500, 1, slave=1)        # an exception from unit 1
if mode == "serial":
    client.socket.write(bytes([1, 3, 0, 0, 0, 1, 0, 0]))  # read request to unit 1 with a bad CRC
    time.sleep(0.05)
out["counters"] = {
    "bus_messages": counter(ReturnBusMessageCountRequest(unit=1)),
    "bus_errors": counter(ReturnBusCommunicationErrorCountRequest(unit=1)),
    "exceptions": counter(ReturnBusExceptionErrorCountRequest(unit=1)),
    "server_messages": counter(ReturnSlaveMessageCountRequest(unit=1)),
    "no_response": counter(ReturnSlaveNoResponseCountRequest(unit=1)),
}
client.close()
print(json.dumps(out))
