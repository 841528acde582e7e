import { describe, expect, it } from 'vitest';
import { demoSignInFrom } from '../../../main/core/demo-sign-in';

describe('demo sign-in from SIGNOFF_DEMO_SIGN_IN', () => {
  it('accepts a loopback server and a user', () => {
    expect(demoSignInFrom({ SIGNOFF_DEMO_SIGN_IN: 'http://127.0.0.1:8787 bob' })).toEqual({
      serverUrl: 'http://127.0.0.1:8787',
      username: 'bob',
      password: 'demo',
    });
    expect(demoSignInFrom({ SIGNOFF_DEMO_SIGN_IN: 'http://localhost:9000/ alice' })?.serverUrl).toBe(
      'http://localhost:9000',
    );
  });

  it('asks for company sign-in with --sso, on a loopback server only', () => {
    expect(demoSignInFrom({ SIGNOFF_DEMO_SIGN_IN: 'http://127.0.0.1:8787 --sso' })).toEqual({
      serverUrl: 'http://127.0.0.1:8787',
      sso: true,
    });
    expect(demoSignInFrom({ SIGNOFF_DEMO_SIGN_IN: 'https://approvals.example.com --sso' })).toBeNull();
  });

  it('refuses anything that could send the demo password to a real backend', () => {
    for (const value of [
      undefined,
      '',
      'http://127.0.0.1:8787',
      'https://approvals.example.com bob',
      'http://10.0.0.5:8787 bob',
      'file:///etc/passwd bob',
      'http://127.0.0.1:8787 bob extra',
    ]) {
      expect(demoSignInFrom({ SIGNOFF_DEMO_SIGN_IN: value })).toBeNull();
    }
  });
});
