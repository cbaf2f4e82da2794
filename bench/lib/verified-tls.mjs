// Certificate verification stays on in every benchmark process (imported for its side effect).
//
// autocannon 9 connects with `tls.connect(port, host, { ...tlsOptions, rejectUnauthorized: false })`
// (node_modules/autocannon/lib/httpClient.js), so passing `tlsOptions.ca` alone would still accept
// any certificate. This process never disables verification: every tls.connect made in it (by
// autocannon or anyone else) is forced back to rejectUnauthorized: true, and the verified
// handshakes are counted so the report shows that the benchmark connections were checked against
// the server's CA (CERTS_DIR/localhost-tls.crt) and its IP SAN 127.0.0.1.

import tls from 'node:tls';

export const tlsStats = { verified: 0, refused: 0, lastError: null };

const originalConnect = tls.connect;
tls.connect = function connectWithVerification(...args) {
  const index = args.findIndex((arg) => arg !== null && typeof arg === 'object');
  if (index >= 0) args[index] = { ...args[index], rejectUnauthorized: true };
  else args.splice(typeof args.at(-1) === 'function' ? args.length - 1 : args.length, 0, { rejectUnauthorized: true });
  const socket = originalConnect.apply(this, args);
  socket.once('secureConnect', () => {
    if (socket.authorized) tlsStats.verified++;
    else socket.destroy(new Error(`certificate not verified: ${socket.authorizationError}`));
  });
  socket.once('error', (error) => {
    if (!socket.authorized) {
      tlsStats.refused++;
      tlsStats.lastError = error.code ?? error.message;
    }
  });
  return socket;
};
