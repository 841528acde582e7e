// Types for native-modules.cjs (an electron-builder hook, so plain CommonJS), for the tests.
import type { AfterPackContext } from 'app-builder-lib';

export interface BinaryTarget {
  platform: 'linux' | 'win32' | 'darwin';
  archs: string[];
}

export declare function describeBinary(bytes: Buffer): BinaryTarget | null;
export declare function checkNativeModules(resourcesDir: string, platform: string, arch: string): string[];
export declare function afterPack(context: AfterPackContext): Promise<void>;
export declare const ARCH_BY_ENUM: readonly string[];
