// The account's announcements (newest first) as a collapsible panel above the queue. Collapsed it is
// one line (the count of new ones and the newest title), so at tray size the queue keeps the window;
// open, the list scrolls inside a capped height. Server text is rendered as text, never as HTML.
//
// When an announcement counts as read: once the panel has been OPEN with it in the list for
// READ_AFTER_MS while the window is visible. That is what a person expects from a mail-like list: the
// "New" markers stay long enough to be seen on opening, a new one arriving while the panel is open
// is marked read the same way, and a title glimpsed in the collapsed bar is not "read".
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AnnouncementView } from '../../main/common/announcement-schema';
import { useApp } from '../context';

const READ_AFTER_MS = 1500;

export interface AnnouncementsProps {
  announcements: readonly AnnouncementView[];
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

export function Announcements({ announcements, open, onOpenChange }: AnnouncementsProps) {
  const { t, fmt, bridge } = useApp();
  const [status, setStatus] = useState('');
  const toggleRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const unread = announcements.filter((item) => !item.read);

  // The ids as one string, so the timer restarts only when the set of unread ones shown changes.
  const shownUnread = open ? JSON.stringify(unread.map((item) => item.id)) : '[]';
  useEffect(() => {
    const ids = JSON.parse(shownUnread) as string[];
    if (ids.length === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      if (document.visibilityState === 'visible') {
        timer = setTimeout(() => void bridge.markAnnouncementsRead({ ids }), READ_AFTER_MS);
      }
    };
    arm();
    document.addEventListener('visibilitychange', arm);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', arm);
    };
  }, [shownUnread, bridge]);

  if (announcements.length === 0) return null;

  const dismiss = (id: string, index: number) => {
    // Keep the keyboard where it was: on the next item's dismiss button, else the panel's toggle.
    const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>('button.dismiss');
    const next = buttons?.[index + 1] ?? buttons?.[index - 1] ?? toggleRef.current;
    next?.focus();
    void bridge.dismissAnnouncement({ id }).then((response) => {
      if (response.ok) setStatus(t.announcementDismissed);
    });
  };

  const newest = announcements[0];
  return (
    <section class="announcements" aria-labelledby="announcements-title" data-testid="announcements">
      <h2 class="announcements-head">
        <button
          ref={toggleRef}
          type="button"
          class="announcements-toggle"
          aria-expanded={open}
          aria-controls="announcements-list"
          data-testid="announcements-toggle"
          onClick={() => onOpenChange(!open)}
        >
          <span class="chevron" aria-hidden="true" />
          <span id="announcements-title">{t.announcements}</span>
          <span class="badge" data-testid="announcements-unread" hidden={unread.length === 0}>
            {t.announcementsNewCount(unread.length, fmt.count)}
          </span>
          {!open && newest && <span class="announcements-preview">{newest.title}</span>}
        </button>
      </h2>
      <ul id="announcements-list" class="announcements-list" ref={listRef} hidden={!open}>
        {open &&
          announcements.map((item, index) => (
            <li
              key={item.id}
              class={item.read ? 'announcement' : 'announcement unread'}
              data-testid="announcement"
              data-id={item.id}
              data-read={String(item.read)}
            >
              <div class="announcement-top">
                {!item.read && (
                  <span class="unread-marker" data-testid="announcement-unread">
                    {t.announcementUnread}
                  </span>
                )}
                <strong class="announcement-title">{item.title}</strong>
                <button
                  type="button"
                  class="dismiss"
                  data-testid="announcement-dismiss"
                  aria-label={t.announcementDismiss(item.title)}
                  title={t.announcementDismiss(item.title)}
                  onClick={() => dismiss(item.id, index)}
                >
                  <span aria-hidden="true">×</span>
                </button>
              </div>
              {item.body && <p class="announcement-body">{item.body}</p>}
              <small>
                <time dateTime={item.at}>{t.announcementBy(item.author.name, fmt.dateTime(item.at))}</time>
              </small>
            </li>
          ))}
      </ul>
      <span class="visually-hidden" role="status">
        {status}
      </span>
    </section>
  );
}
