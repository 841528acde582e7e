// The Windows toast of a claim notification with buttons (issue 13). Every activation is a
// `signoff://` link (activationType="protocol"): Windows hands it to the running instance as a second
// launch, or starts the app with it after a restart or from Action Center, with no COM activator and
// no ToastActivatorCLSID on the Start-menu shortcut (electron-builder does not write one). A link only
// opens the claim, with Approve or Reject already started, and the window asks for the confirmation:
// a toast can be replayed by anything that can launch a URL, so it must not act by itself.
// No text input: protocol activation does not carry input values, so the reason is typed in the window.
import type { Notification } from 'electron';
import { type DeepLink, deepLinkFor, parseDeepLink } from '../common/deep-link';
import type { NotificationActionLabels } from '../core/ports';

export interface ClaimToast {
  claimId: string;
  title: string;
  body: string;
  actions: NotificationActionLabels;
}

/** XML escaping for attribute values and text alike. */
function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );
}

function protocolAction(label: string, link: string): string {
  return `<action content="${escapeXml(label)}" arguments="${escapeXml(link)}" activationType="protocol"/>`;
}

/** The `toastXml` of a claim notification; it overrides every other option of the Notification. */
export function claimToastXml(toast: ClaimToast): string {
  const open = deepLinkFor(toast.claimId);
  return [
    `<toast launch="${escapeXml(open)}" activationType="protocol">`,
    '<visual><binding template="ToastGeneric">',
    `<text>${escapeXml(toast.title)}</text>`,
    `<text>${escapeXml(toast.body)}</text>`,
    '</binding></visual>',
    '<actions>',
    protocolAction(toast.actions.approve, deepLinkFor(toast.claimId, 'approve')),
    protocolAction(toast.actions.reject, deepLinkFor(toast.claimId, 'reject')),
    protocolAction(toast.actions.open, open),
    '</actions>',
    '</toast>',
  ].join('');
}

/**
 * Activations that reach no live Notification object: a toast clicked in Action Center after a
 * restart, or one that started the app (cold start). A claim link opens that claim (the window
 * confirms any action); anything else, such as a plain toast's click, brings the window forward.
 */
export function handleToastActivations(
  notifications: Pick<typeof Notification, 'handleActivation'>,
  onLink: (link: DeepLink) => void,
  onOther: () => void,
): void {
  notifications.handleActivation((details) => {
    const link = parseDeepLink(details.arguments);
    if (link) onLink(link);
    else onOther();
  });
}
