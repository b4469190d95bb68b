/** Who is at the other end of a Modbus/TCP Security connection, as its certificate says. */
export interface TlsPeer {
  /** "address:port". */
  remote: string;
  /** The certificate's subject, one line ("CN=scada-1, O=Plant"). */
  subject: string;
  /** The role from extension 1.3.6.1.4.1.50316.802.1, or undefined when the certificate has none. */
  role: string | undefined;
  /** SHA-256 fingerprint of the certificate (for logs). */
  fingerprint256: string;
}
