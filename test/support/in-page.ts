// Types for code passed to page.evaluate(), which runs in Chromium. The Node-side tsconfig has no DOM
// lib (adding it would change timer and fetch types for the whole project), so each test file declares
// the few browser globals it uses with these shapes, module-locally: `declare const document: InPageDocument;`
import type { SignoffBridge } from '../../main/ipc/contract';

export interface InPageElement {
  id: string;
  value: string;
  getAttribute(name: string): string | null;
  click(): void;
  dispatchEvent(event: unknown): boolean;
}

export interface InPageDocument {
  activeElement: InPageElement | null;
  documentElement: { lang: string };
  querySelector(selector: string): InPageElement | null;
  querySelectorAll(selector: string): { length: number; [index: number]: InPageElement | undefined };
}

export interface InPageWindow {
  signoff?: SignoffBridge;
  require?: unknown;
  process?: unknown;
}

export type InPageEventConstructor = new (type: string, init?: { bubbles?: boolean }) => unknown;
