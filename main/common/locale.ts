// The languages Signoff speaks. Zod-free so the window can use the list at runtime; the schema that
// validates a locale is built from this list in settings-schema.ts.
export const LOCALES = ['en', 'zh-CN'] as const;

export type Locale = (typeof LOCALES)[number];
