// `npm run cli -- <command>`: the operator's tool for a running Signoff server. Talks to it over the
// HTTP API only (never the database), so it works the same against the stub or a real backend.
import { runOperatorCli } from './operator/run-cli';

runOperatorCli(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('signoff-cli: fatal', error);
    process.exitCode = 1;
  },
);
