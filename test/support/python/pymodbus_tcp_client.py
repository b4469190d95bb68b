"""pymodbus 3 (Debian's /usr/bin/python3) as an independent Modbus TCP client: one round of reads,
writes, exceptions and device identification against unit 1 on 127.0.0.1:PORT, printed as one JSON line.

Usage: pymodbus_tcp_client.py PORT
"""
import json, sys
from pymodbus.client import ModbusTcpClient
from pymodbus.mei_message import ReadDeviceInformationRequest
port = int(sys.argv[1])
c = ModbusTcpClient('127.0.0.1', port=port, timeout=5)
assert c.connect()
out = {}
out['input'] = c.read_input_registers(5, 4, slave=1).registers
c.write_registers(40, [11, 22, 33], slave=1)
c.write_register(43, 44, slave=1)
out['holding'] = c.read_holding_registers(40, 4, slave=1).registers
c.write_coil(3, True, slave=1)
c.write_coils(10, [True, False, True], slave=1)
out['coils'] = c.read_coils(0, 16, slave=1).bits[:16]
out['discrete'] = c.read_discrete_inputs(0, 8, slave=1).bits[:8]
c.mask_write_register(43, 0xF2, 0x25, slave=1)
rw = c.readwrite_registers(read_address=40, read_count=2, write_address=41, write_registers=[99], slave=1)
out['readwrite'] = rw.registers
e = c.read_input_registers(98, 5, slave=1)
out['exception_outside'] = e.exception_code if e.isError() else None
e = c.read_holding_registers(0, 126, slave=1)
out['exception_quantity'] = e.exception_code if e.isError() else None
e = c.read_input_registers(0, 1, slave=9)
out['exception_unit'] = e.exception_code if e.isError() else None
info = c.execute(ReadDeviceInformationRequest(read_code=1, object_id=0, slave=1))
out['identification'] = {str(k): v.decode() for k, v in info.information.items()}
c.close()
print(json.dumps(out))
