// The global shortcut setting (issue 13): which Electron accelerators a user may choose. Zod-free, so
// the settings window checks what is typed with the same rule the core stores with.
// A global shortcut is taken from every other app while Signoff runs, so it needs a modifier other
// than Shift (Shift+A would swallow capital A everywhere) and exactly one key.

export const DEFAULT_GLOBAL_SHORTCUT = 'CommandOrControl+Alt+S';
export const MAX_ACCELERATOR_LENGTH = 64;

/** Electron's modifier names (docs/api/accelerator.md), lower-cased. */
const MODIFIERS = new Set([
  'command',
  'cmd',
  'control',
  'ctrl',
  'commandorcontrol',
  'cmdorctrl',
  'alt',
  'option',
  'altgr',
  'shift',
  'super',
  'meta',
]);

/** Electron's key codes: letters, digits, F1–F24, named keys, numpad keys and punctuation. */
const KEY =
  /^([0-9a-z]|f([1-9]|1[0-9]|2[0-4])|plus|space|tab|capslock|numlock|scrolllock|backspace|delete|insert|return|enter|up|down|left|right|home|end|pageup|pagedown|escape|esc|printscreen|num[0-9]|numdec|numadd|numsub|nummult|numdiv|[)!@#$%^&*(:;=<,_.>/?~`{}[\]|\\"'-])$/i;

/** Whether `text` is an accelerator Electron accepts and a sensible global shortcut. */
export function isGlobalShortcut(text: string): boolean {
  if (text.length === 0 || text.length > MAX_ACCELERATOR_LENGTH) return false;
  const parts = text.split('+');
  const key = parts.pop() ?? '';
  if (!KEY.test(key) || parts.length === 0) return false;
  const modifiers = parts.map((part) => part.toLowerCase());
  if (!modifiers.every((modifier) => MODIFIERS.has(modifier))) return false;
  if (new Set(modifiers).size !== modifiers.length) return false;
  return modifiers.some((modifier) => modifier !== 'shift');
}
