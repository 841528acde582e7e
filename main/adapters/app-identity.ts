// Names the OS sees. Kept in one place because packaging (electron-builder appId, the Windows
// Start-menu shortcut's AppUserModelID, the Linux .desktop file) must match them byte for byte:
// a mismatched AppUserModelID silently drops every Windows toast.

export const APP_NAME = 'Signoff';

/** Windows AppUserModelID; electron-builder's `appId` must be the same string. */
export const APP_USER_MODEL_ID = 'com.signoff.desktop';

/**
 * Windows: the COM class id toasts activate the app through (`app.setToastActivatorCLSID`, set early;
 * Electron picks a random one per run otherwise). The installer stamps the same id on the Start-menu
 * shortcut (build/installer.nsh), which is what lets Action Center start the app from a toast.
 */
export const TOAST_ACTIVATOR_CLSID = '{42E8E4FF-AFD9-4D3F-8E9C-A0AA0660A92F}';

/** Keychain service name; one entry per account under it. */
export const KEYCHAIN_SERVICE = 'Signoff';

/** Command-line switch that starts the app in the tray only (used by login items). */
export const HIDDEN_SWITCH = '--hidden';

/** The installed Linux desktop entry without `.desktop`: the `desktop-entry` hint of D-Bus notifications. */
export const APP_DESKTOP_ENTRY = 'signoff';

/** The Linux autostart entry's file name under $XDG_CONFIG_HOME/autostart. */
export const AUTOSTART_FILE_NAME = 'signoff.desktop';
