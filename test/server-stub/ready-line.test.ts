// The stub's ready line: what server-cli prints is what the launcher parses, and a line cut short by a
// chunk boundary is not taken for a whole one.
import { describe, expect, it } from 'vitest';
import { formatReadyLine, parseReadyLine } from '../../server-stub/ready-line';

describe('ready line', () => {
  it('parses back what the CLI prints, IPv4 and IPv6', () => {
    for (const url of ['http://127.0.0.1:43117', 'http://[::1]:8787']) {
      expect(parseReadyLine(`${formatReadyLine(url)}\n`)).toEqual({ url, port: Number(new URL(url).port) });
    }
  });

  it('finds the line among other output', () => {
    const output = `warming up\n${formatReadyLine('http://127.0.0.1:5000')}\nDemo users…\n`;
    expect(parseReadyLine(output)).toEqual({ url: 'http://127.0.0.1:5000', port: 5000 });
  });

  it('waits for the end of the line before reading the port', () => {
    const whole = `${formatReadyLine('http://127.0.0.1:43117')}\n`;
    expect(parseReadyLine(whole.slice(0, -3))).toBeNull();
    expect(parseReadyLine(whole.slice(0, -1))).toBeNull();
    expect(parseReadyLine(whole)).not.toBeNull();
  });

  it('ignores lines that only mention it, and a URL without a port', () => {
    expect(parseReadyLine(`note: ${formatReadyLine('http://127.0.0.1:1')}\n`)).toBeNull();
    expect(parseReadyLine(`${formatReadyLine('http://127.0.0.1')}\n`)).toBeNull();
  });
});
