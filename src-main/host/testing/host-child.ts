// The engine host in a plain Node child process, as `nocturnal serve` runs it: started from the
// environment (NOCTURNAL_HOME and NOCTURNAL_* settings), one JSON line per host event on stdout, so
// a test can watch it work and kill it at a chosen moment.
import { startEngineHost } from '../engine-host';

const home = process.env['NOCTURNAL_HOME'];
if (!home) {
  process.stderr.write('host-child: NOCTURNAL_HOME must name the home folder\n');
  process.exit(2);
}
const host = await startEngineHost({ home, env: process.env, kind: 'server' });
const line = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
host.on((event) => line(event));
line({ type: 'ready', pid: process.pid, recovered: host.recovered });
process.on('SIGTERM', () => {
  void host.close().then(() => process.exit(0));
});
